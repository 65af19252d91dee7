using System.Collections.Generic;
using System.Linq;
using HiddenSpace.Gen.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// A baked network: inference-only code with the weights of a weights file as constants. The input standardisation
/// comes first, with the operations the runtime's Standardizer.Apply uses; then every layer as in the trainable class,
/// in the same order of operations, so the outputs are the trained network's bit for bit. Unrolled layers are written
/// in the unit form: four units per Vector128 (lane j of vector k is unit 4k + j), each lane doing what the scalar form
/// does for its unit (the bias, then one fused multiply-add per input, in input order), with the weights as vector
/// constants. Looped layers call the same DenseKernels as the trainable class, on constant data.
/// </summary>
internal static partial class NetworkEmitter
{
    private const int UnitsPerVector = 4;

    // Four units of a layer per vector: the same FMA chain per lane as the scalar form runs per unit.
    private static readonly Form UnitVectors = new(PieceElement, "", "_scratch", "128", [""]);

    /// <summary>Where a baked layer's values live in the scratch buffer: z (only where it is kept apart from a) and a, each padded to whole vectors.</summary>
    private sealed record BakedLayer(LayerLayout Layer, int Input, int PreActivation, int Activation);

    private static List<BakedLayer> BakedScratch(NetworkLayout layout, int inputs, out int length)
    {
        var layers = new List<BakedLayer>();
        int offset = Padded(inputs), input = 0;
        foreach (LayerLayout layer in layout.Layers)
        {
            ActivationKind activation = layer.Spec.Activation;
            bool separate = ActivationFacts.Of(activation).KeepsZApart(layer.Spec.Unrolled);
            int z = offset;
            if (separate) offset += Padded(layer.Spec.Units);
            int a = offset;
            offset += Padded(layer.Spec.Units);
            layers.Add(new BakedLayer(layer, input, separate ? z : a, a));
            input = a;
        }
        length = offset;
        return layers;
    }

    private static int Padded(int units) => (units + UnitsPerVector - 1) / UnitsPerVector * UnitsPerVector;

    public static string EmitBaked(BakedNetworkSpec baked)
    {
        NetworkSpec spec = baked.Network;
        BakedWeights weights = baked.Weights;
        var layout = new NetworkLayout(spec);
        List<BakedLayer> layers = BakedScratch(layout, spec.Inputs, out int scratchLength);
        BakedLayer output = layers[layers.Count - 1];
        bool classifier = weights.Classes.Count > 0;

        var w = new SourceWriter();
        WriteBakedHeader(w, baked, layout, layers, scratchLength);
        w.WriteLine("#nullable enable");
        w.WriteLine();
        WriteAliases(w, [UnitVectors.Width!], lanes: false, matrix: false);
        OpenClass(w, spec, "global::HiddenSpace.IForwardNetwork");

        WriteSizes(w, spec, output.Layer.Spec.Units);
        WriteArchitecture(w, spec);
        WriteWeightsMembers(w, weights, "baked into this class", "Forward", "the target <see cref=\"Predict\"/> estimates");
        w.WriteLine($"private readonly float[] _scratch = new float[{N(scratchLength)}];");
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine("public global::HiddenSpace.NetworkShape Shape => Architecture;");
        WriteTaps(w, layers.Where(l => l.Layer.Spec.Tap is not null).Select(l => (l.Layer, l.Activation)));

        // Forward and ForwardBatch have the trainable class's shape (NetworkEmitter.Members) with other doc text and the
        // row-by-row batch: written out here, as they read in the baked file.
        string outputs = $"new {ReadOnlySpanType}(_scratch, {N(output.Activation)}, OutputCount)";
        w.WriteLine();
        w.WriteLine("/// <summary>Computes the outputs for one sample of raw features (standardised here, as in training).</summary>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span's length does not match the network.</exception>");
        w.WriteLine($"public void Forward({ReadOnlySpanType} input, {SpanType} output)");
        w.OpenBlock();
        w.WriteLine($"{Arguments}.CheckLength(input.Length, InputCount, nameof(input));");
        w.WriteLine($"{Arguments}.CheckLength(output.Length, OutputCount, nameof(output));");
        w.WriteLine("RunForward(input);");
        w.WriteLine(outputs + ".CopyTo(output);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <summary><see cref=\"Forward\"/> for many rows of raw features, row by row (the same bits as one call per row).</summary>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The spans do not hold the same whole number of rows.</exception>");
        w.WriteLine($"public void ForwardBatch({ReadOnlySpanType} inputs, {SpanType} outputs)");
        w.OpenBlock();
        w.WriteLine($"int rows = {Arguments}.BatchRows(inputs.Length, outputs.Length, InputCount, OutputCount, \"output\");");
        w.WriteLine("for (int row = 0; row < rows; row++)");
        w.OpenBlock();
        w.WriteLine("RunForward(inputs.Slice(row * InputCount, InputCount));");
        w.WriteLine(outputs + ".CopyTo(outputs.Slice(row * OutputCount, OutputCount));");
        w.CloseBlock();
        w.CloseBlock();
        WriteTapActivations(w, layout.Tapped);
        if (classifier || output.Layer.Spec.Units == 1)
            WritePredict(w, classifier, output, outputs);
        w.WriteLine();
        w.WriteLine(Optimized);
        w.WriteLine($"private void RunForward({ReadOnlySpanType} input)");
        w.OpenBlock();
        if (weights.Means.Count > 0)
        {
            w.WriteLine("// x = (raw - mean) / deviation per feature, in double, rounded to float: the operations of Standardizer.Apply.");
            w.WriteLine($"{SpanType} x = new {SpanType}(_scratch, 0, InputCount);");
            for (int f = 0; f < spec.Inputs; f++)
                w.WriteLine($"x[{N(f)}] = (float)((input[{N(f)}] - {DoubleLiteral(weights.Means[f])}) / {DoubleLiteral(weights.Deviations[f])});");
        }
        else
        {
            w.WriteLine("input.CopyTo(_scratch); // x at 0: the network was trained on the features as they are");
        }
        w.WriteLine($"ref float scratch = ref {Marshal}.GetArrayDataReference(_scratch);");
        foreach (BakedLayer layer in layers)
            w.WriteLine($"ForwardLayer{N(layer.Layer.Number)}(ref scratch);");
        w.CloseBlock();

        foreach (BakedLayer layer in layers)
            WriteBakedLayer(w, layer, weights.Parameters);
        foreach (BakedLayer layer in layers.Where(l => !l.Layer.Spec.Unrolled))
            WriteLayerData(w, layer.Layer, weights.Parameters, name => $"private static {ReadOnlySpanType} {name} => new float[]");
        CloseClass(w, spec);
        return w.ToString();
    }

    /// <summary>
    /// The Description block of a class written from a weights file, up to its layers: the chain, the input features
    /// and their standardisation, the outputs, and how each layer is written (<paramref name="unrolled"/> for the
    /// unrolled ones).
    /// </summary>
    private static void WriteWeightsDescription(SourceWriter w, NetworkSpec spec, BakedWeights weights, NetworkLayout layout, string unrolled)
    {
        w.WriteLine("//");
        w.WriteLine("// Description:");
        w.WriteComment("//   " + Chain(spec), "//     ");
        WriteInputDescription(w, spec, weights);
        w.WriteLine($"//   Weights: {N(layout.ParameterCount)} constants");
        foreach (LayerLayout layer in layout.Layers)
            w.WriteLine($"//     Layer {N(layer.Number)}: Dense {N(layer.FanIn)} -> {N(layer.Spec.Units)}, {layer.Spec.Activation}; " +
                        (layer.Spec.Unrolled ? unrolled : $"loops over Layer{N(layer.Number)}Weights [{N(layer.Spec.Units)} x {N(layer.FanIn)}] and Layer{N(layer.Number)}Biases"));
    }

    /// <summary>
    /// What a class written from a weights file says about it (the baked class and the standalone file): the file's
    /// hash, the feature names, and the class names or the target's name.
    /// </summary>
    private static void WriteWeightsMembers(SourceWriter w, BakedWeights weights, string hashOf, string forwardCref, string targetSummary)
    {
        w.WriteLine($"/// <summary>SHA-256 of the weights file {hashOf}.</summary>");
        w.WriteLine($"public const string WeightsSha256 = \"{weights.Sha256}\";");
        w.WriteLine();
        w.WriteLine($"/// <summary>The raw input features <see cref=\"{forwardCref}\"/> takes, in order.</summary>");
        w.WriteLine($"public static global::System.Collections.Generic.IReadOnlyList<string> FeatureNames {{ get; }} = {StringArray(weights.Features)};");
        w.WriteLine();
        if (weights.Classes.Count > 0)
        {
            w.WriteLine("/// <summary>The class names, by the class index <see cref=\"Predict\"/> returns.</summary>");
            w.WriteLine($"public static global::System.Collections.Generic.IReadOnlyList<string> ClassNames {{ get; }} = {StringArray(weights.Classes)};");
        }
        else
        {
            w.WriteLine($"/// <summary>The name of {targetSummary}.</summary>");
            w.WriteLine($"public const string TargetName = {Literal(weights.TargetName!)};");
        }
        w.WriteLine();
    }

    /// <summary>Predict: the class index (the rule of the runtime's Metrics.PredictedClass) or the regression estimate.</summary>
    private static void WritePredict(SourceWriter w, bool classifier, BakedLayer output, string outputs)
    {
        w.WriteLine();
        if (classifier)
        {
            w.WriteLine(output.Layer.Spec.Units == 1
                ? "/// <summary>The predicted class of one sample of raw features: 1 when the output is at least 0.5, else 0 (an index into <see cref=\"ClassNames\"/>).</summary>"
                : "/// <summary>The predicted class of one sample of raw features: the index of the largest output, the first on ties (an index into <see cref=\"ClassNames\"/>).</summary>");
            w.WriteLine($"public int Predict({ReadOnlySpanType} input)");
        }
        else
        {
            w.WriteLine("/// <summary>The estimate of <see cref=\"TargetName\"/> for one sample of raw features (the network's output, on the target's own scale).</summary>");
            w.WriteLine($"public float Predict({ReadOnlySpanType} input)");
        }
        w.OpenBlock();
        w.WriteLine($"{Arguments}.CheckLength(input.Length, InputCount, nameof(input));");
        w.WriteLine("RunForward(input);");
        w.WriteLine(classifier ? $"return global::HiddenSpace.Metrics.PredictedClass({outputs});" : $"return _scratch[{N(output.Activation)}];");
        w.CloseBlock();
    }

    private static void WriteBakedHeader(SourceWriter w, BakedNetworkSpec baked, NetworkLayout layout, List<BakedLayer> layers, int scratchLength)
    {
        NetworkSpec spec = baked.Network;
        BakedWeights weights = baked.Weights;
        w.WriteLine("// <auto-generated/>");
        w.WriteLine($"// {GeneratorName} {GeneratorVersion}: inference code for {spec.FullName.Replace("global::", "")} with the weights of");
        w.WriteLine($"// '{spec.Weights}' (SHA-256 {weights.Sha256}) as constants, written from its [Network] and [Dense]");
        w.WriteLine("// attributes and that file. Do not edit: train again and save the weights file instead.");
        WriteWeightsDescription(w, spec, weights, layout, $"unrolled, {N(UnitsPerVector)} units per Vector128");
        WriteTapDescription(w, layout);
        w.WriteLine($"//   Scratch: {N(scratchLength)} floats: x [{N(spec.Inputs)}] at 0; per layer a (and z where it is kept), each padded to whole Vector128s");
        foreach (BakedLayer layer in layers)
            w.WriteLine($"//     {(layer.PreActivation != layer.Activation ? $"z{N(layer.Layer.Number)} at {N(layer.PreActivation)}, " : "")}a{N(layer.Layer.Number)} at {N(layer.Activation)}");
    }

    // The header lists the first few features and classes; the arrays below hold them all.
    private const int MaxDescribedFeatures = 16;

    private static void WriteBakedLayer(SourceWriter w, BakedLayer baked, EquatableArray<string> parameters)
    {
        LayerLayout layer = baked.Layer;
        string l = N(layer.Number);
        int units = layer.Spec.Units, fanIn = layer.FanIn;
        ActivationKind activation = layer.Spec.Activation;
        w.WriteLine();
        w.WriteLine($"// ---- {SectionTitle(layer, Scalar)} ----");
        w.WriteLine($"// z{l} = W{l} · {InputName(layer)} + b{l};  a{l} = {activation}(z{l})" + (layer.Spec.Unrolled ? $", {N(UnitsPerVector)} units per vector" : ""));
        w.WriteLine(Optimized);
        w.WriteLine($"private static void ForwardLayer{l}(ref float scratch)");
        w.OpenBlock();
        WriteSpan(w, readOnly: true, "x", "scratch", baked.Input, fanIn, $"{InputName(layer)} [{N(fanIn)}]");
        if (layer.Spec.Unrolled)
        {
            int vectors = Padded(units) / UnitsPerVector;
            bool acrossUnits = ActivationFacts.Of(activation).AcrossUnits;
            string target = acrossUnits ? "z" : "a";
            int offset = acrossUnits ? baked.PreActivation : baked.Activation;
            w.WriteLine($"// {target}{l} [{N(units)}] as {N(vectors)} vectors");
            w.WriteLine($"var {target}v = {Marshal}.CreateSpan(ref {Unsafe}.As<float, {UnitVectors.Element}>(ref {Unsafe}.Add(ref scratch, {N(offset)})), {N(vectors)});");
            string Lanes(System.Func<int, string> literal, int k) =>
                $"{Piece}.Create({string.Join(", ", Enumerable.Range(k * UnitsPerVector, UnitsPerVector).Select(o => o < units ? FloatLiteral(literal(o)) : "0f"))})";
            WriteMatrixVector(w, UnitVectors, vectors, fanIn, Partials(units, fanIn), "vector",
                initial: k => Lanes(o => parameters[layer.Bias + o], k),
                weight: (k, i) => Lanes(o => parameters[layer.Weights + o * fanIn + i], k),
                input: (i, _) => UnitVectors.Broadcast($"x[{N(i)}]"),
                store: (k, s, _) =>
                [
                    ActivationFacts.Of(activation).ElementWise
                        ? $"av[{N(k)}] = {Activations}.{activation}{UnitVectors.KernelTypeArguments}({s});"
                        : $"{target}v[{N(k)}] = {s};",
                ]);
            if (acrossUnits)
            {
                WriteSpan(w, readOnly: true, "z", "scratch", baked.PreActivation, units, $"z{l} [{N(units)}]");
                WriteSpan(w, readOnly: false, "a", "scratch", baked.Activation, units, $"a{l} [{N(units)}]");
                w.WriteLine($"{Activations}.Softmax(z, a);");
            }
        }
        else
        {
            w.WriteLine($"{ReadOnlySpanType} w = Layer{l}Weights; // W{l} [{N(units)} x {N(fanIn)}]");
            w.WriteLine($"{ReadOnlySpanType} b = Layer{l}Biases; // b{l} [{N(units)}]");
            WriteSpan(w, readOnly: false, "z", "scratch", baked.PreActivation, units, $"z{l} [{N(units)}]");
            bool identity = ActivationFacts.Of(activation).IsIdentity;
            if (!identity)
                WriteSpan(w, readOnly: false, "a", "scratch", baked.Activation, units, $"a{l} [{N(units)}]");
            w.WriteLine($"{Dense}.Forward(w, b, x, z);");
            if (!identity)
                w.WriteLine($"{Activations}.{activation}(z, a);");
        }
        w.CloseBlock();
    }

    /// <summary>
    /// A looped layer's weights and biases as constant data, declared as <paramref name="declare"/> says: in a baked class
    /// <c>ReadOnlySpan&lt;float&gt; X =&gt; new float[]</c> (no allocation: the compiler keeps the data in the assembly), in a
    /// standalone file <c>readonly float[] X =</c> (C# 9 on netstandard2.0 has no such span).
    /// </summary>
    private static void WriteLayerData(SourceWriter w, LayerLayout layer, EquatableArray<string> parameters, System.Func<string, string> declare)
    {
        string l = N(layer.Number);
        int units = layer.Spec.Units, fanIn = layer.FanIn;
        w.WriteLine();
        w.WriteLine($"// W{l} [{N(units)} x {N(fanIn)}], row-major: one row (one unit's weights) a line.");
        w.WriteLine(declare($"Layer{l}Weights"));
        w.OpenBlock();
        for (int o = 0; o < units; o++)
            w.WriteLine(string.Join(", ", Enumerable.Range(layer.Weights + o * fanIn, fanIn).Select(k => FloatLiteral(parameters[k]))) + ",");
        w.CloseBlock(";");
        w.WriteLine();
        w.WriteLine($"// b{l} [{N(units)}]");
        w.WriteLine($"{declare($"Layer{l}Biases")} {{ {string.Join(", ", Enumerable.Range(layer.Bias, units).Select(k => FloatLiteral(parameters[k])))} }};");
    }

    /// <summary>A number of the weights file as a float literal: its shortest round-trip text, which the compiler parses to the same float.</summary>
    private static string FloatLiteral(string number) => number + "f";

    /// <summary>A number of the weights file as a double literal, parenthesised when negative.</summary>
    private static string DoubleLiteral(string number) => number.StartsWith("-", System.StringComparison.Ordinal) ? $"({number}d)" : number + "d";

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static string StringArray(EquatableArray<string> items) => $"new string[] {{ {string.Join(", ", items.Select(Literal))} }}";
}
