using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// The members of a trainable network and its entry points: sizes, architecture, buffers, taps, the INetwork methods,
/// and the per-sample drivers that call the layer methods (forward 1..n, then backward n..1).
/// </summary>
internal static partial class NetworkEmitter
{
    private static void WriteMembers(SourceWriter w, NetworkSpec spec, NetworkLayout layout, bool lanes)
    {
        WriteSizes(w, spec, layout.Output.Spec.Units);
        w.WriteLine("/// <summary>Number of weights and biases.</summary>");
        w.WriteLine($"public const int ParameterCount = {N(layout.ParameterCount)};");
        w.WriteLine();
        WriteArchitecture(w, spec);
        w.WriteLine("private readonly float[] _parameters;");
        w.WriteLine("private readonly float[] _gradients = new float[ParameterCount];");
        w.WriteLine($"private readonly float[] _scratch = new float[{N(layout.ScratchLength)}];");
        if (lanes)
        {
            w.WriteLine($"private readonly {LaneBuffer} _laneScratch = new({N(PassesAStep * Lanes.Groups.Length * layout.ScratchLength)}); // groups A, B of two passes");
            w.WriteLine($"private readonly {LaneBuffer} _laneTargets = new({N(PassesAStep * Lanes.Groups.Length)} * OutputCount);");
            w.WriteLine($"private readonly {LaneBuffer} _laneGradients = new(ParameterCount); // zero between calls");
            int rows = LaneRowsLength(layout);
            if (rows > 0)
                w.WriteLine($"private readonly float[] _laneRows = new float[{N(rows)}]; // both groups' layer inputs as rows, for the outer products");
        }
        else
        {
            WriteMatrixMembers(w, layout);
        }
        w.WriteLine();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// A network with weights initialised deterministically from <paramref name=\"seed\"/> (Glorot or He by activation;");
        w.WriteLine("/// biases zero).");
        w.WriteLine("/// </summary>");
        w.WriteLine($"public {spec.ClassName}(int seed)");
        w.OpenBlock();
        w.WriteLine("_parameters = new float[ParameterCount];");
        w.WriteLine("global::HiddenSpace.ParameterInitializer.Initialize(Architecture, _parameters, seed);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine($"private {spec.ClassName}(float[] sharedParameters) => _parameters = sharedParameters;");
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public global::HiddenSpace.INetwork CreateWorker() => new {spec.ClassName}(_parameters);");
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine("public global::HiddenSpace.NetworkShape Shape => Architecture;");
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public {SpanType} Parameters => _parameters;");
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public {SpanType} Gradients => _gradients;");
        WriteTaps(w, layout.Tapped.Select(l => (l, l.Activation)));
    }

    // The constant members of every form (trainable, baked, standalone) are written line by line like this: alike in
    // shape, each with its own doc text.
    private static void WriteSizes(SourceWriter w, NetworkSpec spec, int outputs)
    {
        w.WriteLine("/// <summary>Number of input features.</summary>");
        w.WriteLine($"public const int InputCount = {N(spec.Inputs)};");
        w.WriteLine();
        w.WriteLine("/// <summary>Number of outputs (units of the last layer).</summary>");
        w.WriteLine($"public const int OutputCount = {N(outputs)};");
        w.WriteLine();
    }

    private static void WriteArchitecture(SourceWriter w, NetworkSpec spec)
    {
        w.WriteLine("/// <summary>The declared architecture, as the runtime describes it.</summary>");
        w.WriteLine("public static global::HiddenSpace.NetworkShape Architecture { get; } = new(");
        w.Indent();
        w.WriteLine($"{N(spec.Inputs)},");
        w.WriteLine($"global::HiddenSpace.Loss.{spec.Loss},");
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            string tap = layer.Tap is null ? "" : $", \"{layer.Tap}\"";
            w.WriteLine($"new global::HiddenSpace.LayerShape({N(layer.Units)}, global::HiddenSpace.Activation.{layer.Activation}{tap}){(i == spec.Layers.Count - 1 ? ");" : ",")}");
        }
        w.Unindent();
        w.WriteLine();
    }

    /// <summary>One property per tap: a view of the layer's activations at <c>Offset</c> in the scratch buffer.</summary>
    private static void WriteTaps(SourceWriter w, IEnumerable<(LayerLayout Layer, int Offset)> taps)
    {
        foreach ((LayerLayout layer, int offset) in taps)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>");
            w.WriteLine($"/// Tap \"{layer.Spec.Tap}\": the activations of layer {N(layer.Number)} ({N(layer.Spec.Units)} units) from the last forward pass.");
            w.WriteLine("/// A view: copy it before the next call.");
            w.WriteLine("/// </summary>");
            w.WriteLine($"public {ReadOnlySpanType} {layer.Spec.Tap} => new {ReadOnlySpanType}(_scratch, {N(offset)}, {N(layer.Spec.Units)});");
        }
    }

    /// <summary>TapActivations(int): the tap properties by index.</summary>
    private static void WriteTapActivations(SourceWriter w, IReadOnlyList<LayerLayout> tapped)
    {
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public {ReadOnlySpanType} TapActivations(int tapIndex)");
        w.OpenBlock();
        w.WriteLine($"{Arguments}.CheckTap(tapIndex, Architecture.Taps.Count);");
        if (tapped.Count == 0)
        {
            w.WriteLine("return default;");
        }
        else
        {
            w.WriteLine("return tapIndex switch");
            w.OpenBlock();
            for (int t = 0; t < tapped.Count; t++)
                w.WriteLine($"{(t == tapped.Count - 1 ? "_" : N(t))} => {tapped[t].Spec.Tap},");
            w.CloseBlock(";");
        }
        w.CloseBlock();
    }

    // The INetwork methods below share their shape (doc, signature, argument checks, a call): each is written out
    // whole so the method reads as the generated code does.
    private static void WriteEntryPoints(SourceWriter w, NetworkSpec spec, NetworkLayout layout, Form[] laneForms)
    {
        LayerLayout output = layout.Output;
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public void Forward({ReadOnlySpanType} input, {SpanType} output)");
        w.OpenBlock();
        w.WriteLine($"{Arguments}.CheckLength(input.Length, InputCount, nameof(input));");
        w.WriteLine($"{Arguments}.CheckLength(output.Length, OutputCount, nameof(output));");
        w.WriteLine("RunForward(input);");
        w.WriteLine($"new {ReadOnlySpanType}(_scratch, {N(output.Activation)}, OutputCount).CopyTo(output);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public void ForwardBatch({ReadOnlySpanType} inputs, {SpanType} outputs)");
        w.OpenBlock();
        w.WriteCall($"int rows = {Arguments}.BatchRows", ["inputs.Length", "outputs.Length", "InputCount", "OutputCount", "\"output\""], ";");
        w.WriteLine("ForwardRows(inputs, outputs, rows, -1, default);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteCall("public void ForwardBatch", [$"{ReadOnlySpanType} inputs", $"{SpanType} outputs", "int tapIndex", $"{SpanType} taps"], "");
        w.OpenBlock();
        w.WriteCall($"int rows = {Arguments}.BatchTapRows", ["inputs.Length", "outputs.Length", "taps.Length", "tapIndex", "Architecture"], ";");
        w.WriteLine("ForwardRows(inputs, outputs, rows, tapIndex, taps);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("// The batch path, or one row at a time for a batch too small for it; with tap ≥ 0 each row's values of that tap into taps.");
        w.WriteCall("private void ForwardRows", [$"{ReadOnlySpanType} inputs", $"{SpanType} outputs", "int rows", "int tap", $"{SpanType} taps"], "");
        w.OpenBlock();
        WriteBatchSplit(w, laneForms, width => $"ForwardLanes{width}(inputs, outputs, batchRows, tap, taps);", "ForwardMatrix(inputs, outputs, batchRows, tap, taps);");
        w.OpenBlock();
        w.WriteLine("RunForward(inputs.Slice(row * InputCount, InputCount));");
        WriteOutputRowCopy(w, output);
        w.WriteLine("if (tap >= 0)");
        w.OpenBlock();
        w.WriteLine($"{ReadOnlySpanType} values = TapActivations(tap);");
        w.WriteLine("values.CopyTo(taps.Slice(row * values.Length, values.Length));");
        w.CloseBlock();
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public float AccumulateGradients({ReadOnlySpanType} input, {ReadOnlySpanType} target)");
        w.OpenBlock();
        w.WriteLine($"{Arguments}.CheckLength(input.Length, InputCount, nameof(input));");
        w.WriteLine($"{Arguments}.CheckLength(target.Length, OutputCount, nameof(target));");
        w.WriteLine("return AccumulateSample(input, target);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteCall("public float AccumulateBatchGradients", [$"{ReadOnlySpanType} inputs", $"{ReadOnlySpanType} targets", $"{SpanType} outputs = default"], "");
        w.OpenBlock();
        w.WriteLine($"int rows = {Arguments}.BatchRows(inputs.Length, targets.Length, InputCount, OutputCount);");
        w.WriteLine($"{Arguments}.CheckBatchOutputs(outputs.Length, rows, OutputCount);");
        w.WriteLine("float loss = 0f;");
        WriteBatchSplit(w, laneForms, width => $"loss = AccumulateLanes{width}(inputs, targets, outputs, batchRows);", "loss = AccumulateMatrix(inputs, targets, outputs, batchRows);");
        w.OpenBlock();
        w.WriteCall("loss += AccumulateSample", ["inputs.Slice(row * InputCount, InputCount)", "targets.Slice(row * OutputCount, OutputCount)"], ";");
        w.WriteLine("if (!outputs.IsEmpty)");
        w.Indent();
        WriteOutputRowCopy(w, output);
        w.Unindent();
        w.CloseBlock();
        w.WriteLine("return loss;");
        w.CloseBlock();
        WriteTapActivations(w, layout.Tapped);
        w.WriteLine();
        w.WriteLine(Optimized);
        w.WriteLine("private void RunForward(" + ReadOnlySpanType + " input)");
        w.OpenBlock();
        w.WriteLine("input.CopyTo(_scratch); // x at 0");
        w.WriteLine($"ref float parameters = ref {Marshal}.GetArrayDataReference(_parameters);");
        w.WriteLine($"ref float scratch = ref {Marshal}.GetArrayDataReference(_scratch);");
        foreach (LayerLayout layer in layout.Layers)
            w.WriteLine($"ForwardLayer{N(layer.Number)}(ref parameters, ref scratch);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine(Optimized);
        w.WriteLine($"private float AccumulateSample({ReadOnlySpanType} input, {ReadOnlySpanType} target)");
        w.OpenBlock();
        w.WriteLine("RunForward(input);");
        WriteLossCall(w, "float loss = ", spec, output, Scalar, "target");
        w.WriteLine($"ref float parameters = ref {Marshal}.GetArrayDataReference(_parameters);");
        w.WriteLine($"ref float scratch = ref {Marshal}.GetArrayDataReference(_scratch);");
        w.WriteLine($"ref float gradients = ref {Marshal}.GetArrayDataReference(_gradients);");
        foreach (LayerLayout layer in layout.Layers.Reverse())
            w.WriteLine($"BackwardLayer{N(layer.Number)}(ref parameters, ref scratch, ref gradients);");
        w.WriteLine("return loss;");
        w.CloseBlock();
        if (laneForms.Length > 0)
            foreach (Form form in laneForms) WriteLaneDriver(w, spec, layout, form);
        else
            WriteMatrixDrivers(w, spec, layout);
    }

    /// <summary>The output activations of the last per-sample forward pass into row <c>row</c> of <c>outputs</c>.</summary>
    private static void WriteOutputRowCopy(SourceWriter w, LayerLayout output)
    {
        w.WriteLine($"new {ReadOnlySpanType}(_scratch, {N(output.Activation)}, OutputCount)");
        w.WriteLine("    .CopyTo(outputs.Slice(row * OutputCount, OutputCount));");
    }

    /// <summary>
    /// The rows of a batch for the batch path go to <paramref name="laneCall"/> (the lane form at the widest accelerated
    /// width: the whole batch once it fills a lane group, see LaneKernels.LaneRows) or <paramref name="matrixCall"/> (the
    /// whole batch unless it is too small for a matrix pass to pay), then a loop header over the rows left for the
    /// per-sample code (none, or all of a small batch).
    /// </summary>
    private static void WriteBatchSplit(SourceWriter w, Form[] laneForms, System.Func<string, string> laneCall, string matrixCall)
    {
        if (laneForms.Length == 1)
        {
            // The one width written runs only where it is the runtime's lane width, so the passes agree with LaneKernels.
            string width = laneForms[0].Width!;
            w.WriteLine($"int batchRows = {LaneKernels}.Lanes == {N(int.Parse(width, CultureInfo.InvariantCulture) / 32)} ? {LaneKernels}.LaneRows(rows) : 0;");
            w.WriteLine("if (batchRows > 0)");
            w.WriteLine("    " + laneCall(width));
        }
        else if (laneForms.Length > 0)
        {
            w.WriteLine($"int batchRows = {LaneKernels}.LaneRows(rows);");
            // The widest accelerated width; IsHardwareAccelerated is a constant to the JIT, which keeps one call.
            string[] widths = [.. laneForms.Select(f => f.Width!)];
            for (int i = 0; i < widths.Length; i++)
            {
                string condition = i == widths.Length - 1 ? "batchRows > 0" : $"batchRows > 0 && Vector{widths[i]}.IsHardwareAccelerated";
                w.WriteLine($"{(i == 0 ? "" : "else ")}if ({condition})");
                w.WriteLine("    " + laneCall(widths[i]));
            }
        }
        else
        {
            w.WriteLine($"int batchRows = rows < {Matrix}.MinimumRows ? 0 : rows;");
            w.WriteLine("if (batchRows > 0)");
            w.WriteLine("    " + matrixCall);
        }
        w.WriteLine("for (int row = batchRows; row < rows; row++)");
    }

    /// <summary>
    /// The loss kernel call for the output layer, after <paramref name="assignment"/>; <paramref name="scratchOffset"/>
    /// selects a lane group's copy of the scratch.
    /// </summary>
    private static void WriteLossCall(SourceWriter w, string assignment, NetworkSpec spec, LayerLayout output, Form form, string target, int scratchOffset = 0)
    {
        string z = form.Scratch(scratchOffset + output.PreActivation, output.Spec.Units, readOnly: true);
        string a = form.Scratch(scratchOffset + output.Activation, output.Spec.Units, readOnly: true);
        string d = form.Scratch(scratchOffset + output.Delta, output.Spec.Units, readOnly: false);
        string head = $"{assignment}{Losses}.{spec.Loss}{form.KernelTypeArguments}";
        w.WriteCall(head, ActivationFacts.LossArguments(spec.Loss, z, a, target, d), ";");
    }
}
