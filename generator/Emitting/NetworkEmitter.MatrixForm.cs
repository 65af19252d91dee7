using System.Collections.Generic;
using System.Linq;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// The matrix form of the batch path, for networks with a looped layer (above the unroll limit): a pass of up to
/// MatrixKernels.RowsPerPass samples goes through every layer as matrix products (the runtime's register-blocked
/// MatrixKernels), with each scratch buffer feature-major: the scratch layout of the per-sample code with every float
/// widened to a row of PassRows samples. A softmax output and the loss run on their blocks, a vector of samples at a
/// time (the lane form's kernels with a stride).
/// </summary>
internal static partial class NetworkEmitter
{
    private const string Matrix = "MatrixKernels";

    /// <summary>Widest row of the rows area: the inputs of layers 2 and up, transposed for their weight gradients.</summary>
    private static int MatrixRowsWidth(NetworkLayout layout) => layout.Layers.Skip(1).Select(l => l.FanIn).DefaultIfEmpty(1).Max();

    /// <summary>Offsets, in rows of PassRows floats, of the matrix scratch's areas after the blocks.</summary>
    private static (int Rows, int Targets, int Length) MatrixAreas(NetworkLayout layout)
    {
        int rows = layout.ScratchLength, targets = rows + MatrixRowsWidth(layout);
        return (rows, targets, targets + layout.Output.Spec.Units);
    }

    private static void WriteMatrixMembers(SourceWriter w, NetworkLayout layout)
    {
        w.WriteLine($"private const int PassRows = {Matrix}.RowsPerPass;");
        w.WriteLine($"private readonly {LaneBuffer} _matrixScratch = new({N(MatrixAreas(layout).Length)} * PassRows / 16); // blocks, rows, targets block");
    }

    private static string Block(int offset, int features) => $"scratch.Slice({N(offset)} * PassRows, {N(features)} * PassRows)";

    /// <summary>AccumulateMatrix and ForwardMatrix: each pass transposes its input rows into the x block and runs the layers.</summary>
    private static void WriteMatrixDrivers(SourceWriter w, NetworkSpec spec, NetworkLayout layout)
    {
        WriteMatrixPassOpening(w, spec, $"float AccumulateMatrix({ReadOnlySpanType} inputs, {ReadOnlySpanType} targets, {SpanType} outputs, int rows)", gradients: true);
        w.WriteLine("loss += OutputLossMatrix(scratch, targets.Slice(start * OutputCount, count * OutputCount), count, columns);");
        w.WriteLine("if (!outputs.IsEmpty)");
        w.WriteLine("    OutputRowsMatrix(scratch, outputs.Slice(start * OutputCount, count * OutputCount), count);");
        foreach (LayerLayout layer in layout.Layers.Reverse())
            w.WriteLine(layer.Number == 1
                ? "BackwardLayer1Matrix(scratch, x, count, columns);"
                : $"BackwardLayer{N(layer.Number)}Matrix(scratch, count, columns);");
        w.CloseBlock();
        w.WriteLine("return loss;");
        w.CloseBlock();

        WriteMatrixPassOpening(w, spec, $"void ForwardMatrix({ReadOnlySpanType} inputs, {SpanType} outputs, int rows, int tap, {SpanType} taps)", gradients: false);
        w.WriteLine("OutputRowsMatrix(scratch, outputs.Slice(start * OutputCount, count * OutputCount), count);");
        IReadOnlyList<LayerLayout> tapped = layout.Tapped;
        if (tapped.Count > 0)
        {
            w.WriteLine("switch (tap) // the tap's block as rows");
            w.OpenBlock();
            for (int t = 0; t < tapped.Count; t++)
            {
                string width = N(tapped[t].Spec.Units);
                w.WriteLine($"case {N(t)}:");
                w.Indent();
                w.WriteCall($"{Matrix}.Transpose",
                    [Block(tapped[t].Activation, tapped[t].Spec.Units), width, "count", "PassRows", $"taps.Slice(start * {width}, count * {width})", width, width], ";");
                w.WriteLine("break;");
                w.Unindent();
            }
            w.CloseBlock();
        }
        w.CloseBlock();
        w.CloseBlock();

        var areas = MatrixAreas(layout);
        LayerLayout output = layout.Output;
        string K = "OutputCount";
        w.WriteLine();
        w.WriteLine($"// The output layer's activations as rows [count x {N(output.Spec.Units)}] into a.");
        w.WriteLine($"private static void OutputRowsMatrix({SpanType} scratch, {SpanType} a, int count) =>");
        w.Indent();
        w.WriteCall($"{Matrix}.Transpose", [Block(output.Activation, output.Spec.Units), K, "count", "PassRows", "a", K, K], ";");
        w.Unindent();

        w.WriteLine();
        w.WriteLine("// The pass's summed loss, from the output blocks and the targets transposed into a block; the loss gradients into the output d block.");
        w.WriteCall("private static float OutputLossMatrix", [$"{SpanType} scratch", $"{ReadOnlySpanType} targets", "int count", "int columns"], "");
        w.OpenBlock();
        w.WriteLine($"{SpanType} t = {Block(areas.Targets, output.Spec.Units)};");
        w.WriteCall($"{Matrix}.Transpose", ["targets", "count", K, K, "t", "PassRows", "columns"], ";");
        string[] blocks = ActivationFacts.LossArguments(spec.Loss, Block(output.PreActivation, output.Spec.Units), Block(output.Activation, output.Spec.Units),
            "t", Block(output.Delta, output.Spec.Units));
        w.WriteCall($"return {Matrix}.{spec.Loss}", [.. blocks, "count"], ";");
        w.CloseBlock();
    }

    private static void WriteMatrixPassOpening(SourceWriter w, NetworkSpec spec, string signature, bool gradients)
    {
        w.WriteLine();
        w.WriteLine(PassDriver);
        w.WriteLine("private " + signature);
        w.OpenBlock();
        w.WriteLine($"{SpanType} scratch = _matrixScratch.Floats;");
        if (gradients) w.WriteLine("float loss = 0f;");
        w.WriteLine("for (int start = 0; start < rows; start += PassRows)");
        w.OpenBlock();
        w.WriteLine($"int count = global::System.Math.Min(PassRows, rows - start), columns = {Matrix}.Columns(count);");
        w.WriteLine($"{ReadOnlySpanType} x = inputs.Slice(start * InputCount, count * InputCount);");
        w.WriteLine("// x block at 0");
        w.WriteCall($"{Matrix}.Transpose", ["x", "count", "InputCount", "InputCount", "scratch.Slice(0, InputCount * PassRows)", "PassRows", "columns"], ";");
        for (int l = 1; l <= spec.Layers.Count; l++)
            w.WriteLine($"ForwardLayer{N(l)}Matrix(scratch, columns);");
    }

    /// <summary>One forward and one backward method per layer, each a few kernel calls on the layer's blocks.</summary>
    private static void WriteMatrixLayers(SourceWriter w, NetworkSpec spec, NetworkLayout layout)
    {
        foreach (LayerLayout layer in layout.Layers)
        {
            string l = N(layer.Number), input = InputName(layer);
            int units = layer.Spec.Units, fanIn = layer.FanIn;
            ActivationKind activation = layer.Spec.Activation;
            w.WriteLine();
            w.WriteLine($"// ---- {MatrixTitle(layer)} ----");
            w.WriteLine($"// z{l} = W{l} · {input} + b{l};  a{l} = {activation}(z{l}), for a pass of samples");
            w.WriteLine($"private void ForwardLayer{l}Matrix({SpanType} scratch, int columns)");
            w.OpenBlock();
            WriteParameterSpan(w, "w", "_parameters", layer.Weights, units * fanIn, $"W{l} [{N(units)} x {N(fanIn)}]");
            WriteParameterSpan(w, "b", "_parameters", layer.Bias, units, $"b{l} [{N(units)}]");
            WriteBlock(w, "x", layer.Input, fanIn, $"{input} [{N(fanIn)} x PassRows]");
            WriteBlock(w, "z", layer.PreActivation, units, $"z{l} [{N(units)} x PassRows]");
            w.WriteLine($"{Matrix}.Forward(w, b, x, z, columns);");
            ActivationFacts facts = ActivationFacts.Of(activation);
            if (!facts.IsIdentity)
                WriteBlock(w, "a", layer.Activation, units, $"a{l} [{N(units)} x PassRows]");
            if (facts.AcrossUnits)
                w.WriteLine($"{Matrix}.{activation}(z, a, columns); // across each sample's units");
            else if (!facts.IsIdentity)
                w.WriteLine($"{Activations}.{activation}(z, a);");
            w.CloseBlock();
        }

        foreach (LayerLayout layer in layout.Layers.Reverse())
        {
            string l = N(layer.Number), input = InputName(layer), previous = N(layer.Number - 1);
            int units = layer.Spec.Units, fanIn = layer.FanIn;
            bool hasInputDelta = layer.InputDelta >= 0;
            w.WriteLine();
            w.WriteLine($"// ---- {MatrixTitle(layer)} (backward) ----");
            w.WriteLine($"// dz{l} = d{l} ⊙ {layer.Spec.Activation}'(z{l});  dW{l} += dz{l} · {input}ᵀ;  db{l} += Σ dz{l}" + (hasInputDelta ? $";  d{previous} = W{l}ᵀ · dz{l}" : "") + ", over the pass");
            w.WriteLine(layer.Number == 1
                ? $"private void BackwardLayer1Matrix({SpanType} scratch, {ReadOnlySpanType} x, int count, int columns)"
                : $"private void BackwardLayer{l}Matrix({SpanType} scratch, int count, int columns)");
            w.OpenBlock();
            if (hasInputDelta)
                WriteParameterSpan(w, "w", "_parameters", layer.Weights, units * fanIn, $"W{l} [{N(units)} x {N(fanIn)}]");
            WriteGradientSpan(w, "dw", layer.Weights, units * fanIn, $"dW{l} [{N(units)} x {N(fanIn)}]");
            WriteGradientSpan(w, "db", layer.Bias, units, $"db{l} [{N(units)}]");
            ActivationFacts facts = ActivationFacts.Of(layer.Spec.Activation);
            bool derivative = !(layer == layout.Output && facts.FoldsInto(spec.Loss)) && !facts.IsIdentity;
            if (derivative && facts.DerivativeReadsZ)
                WriteBlock(w, "z", layer.PreActivation, units, $"z{l} [{N(units)} x PassRows]");
            if (derivative && facts.DerivativeReadsA)
                WriteBlock(w, "a", layer.Activation, units, $"a{l} [{N(units)} x PassRows]");
            WriteBlock(w, "d", layer.Delta, units, $"d{l} [{N(units)} x PassRows]");
            w.WriteLine(ActivationBackward(spec, layer, layer == layout.Output));
            if (layer.Number > 1)
            {
                w.WriteLine($"{SpanType} x = scratch.Slice({N(MatrixAreas(layout).Rows)} * PassRows, count * {N(fanIn)}); // {input} as rows [count x {N(fanIn)}]");
                w.WriteLine($"{Matrix}.Transpose({Block(layer.Input, fanIn)}, {N(fanIn)}, count, PassRows, x, {N(fanIn)}, {N(fanIn)});");
            }
            w.WriteLine($"{Matrix}.AccumulateGradients(d, x, dw, db, count);");
            if (hasInputDelta)
            {
                WriteBlock(w, "dx", layer.InputDelta, fanIn, $"d{previous} [{N(fanIn)} x PassRows]");
                w.WriteLine($"{Matrix}.Backpropagate(w, d, dx, columns);");
            }
            w.CloseBlock();
        }
    }

    private static string MatrixTitle(LayerLayout layer) =>
        $"Layer {N(layer.Number)}: Dense {N(layer.FanIn)} -> {N(layer.Spec.Units)}, {layer.Spec.Activation}" +
        (layer.Spec.Tap is null ? "" : $", tap \"{layer.Spec.Tap}\"") + ", matrix form";

    private static void WriteParameterSpan(SourceWriter w, string name, string field, int offset, int length, string comment) =>
        w.WriteLine($"{ReadOnlySpanType} {name} = new {ReadOnlySpanType}({field}, {N(offset)}, {N(length)}); // {comment}");

    private static void WriteGradientSpan(SourceWriter w, string name, int offset, int length, string comment) =>
        w.WriteLine($"{SpanType} {name} = new {SpanType}(_gradients, {N(offset)}, {N(length)}); // {comment}");

    private static void WriteBlock(SourceWriter w, string name, int offset, int features, string comment) =>
        w.WriteLine($"{SpanType} {name} = {Block(offset, features)}; // {comment}");
}
