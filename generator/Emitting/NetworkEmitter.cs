using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// Writes the partial class of one network: constants, buffers, the INetwork members, and one forward and
/// one backward method per layer, the backward methods in exact reverse order with the same labels.
/// Unrolled layers index fixed-length spans with constant indices (the JIT drops every bounds check);
/// looped layers call the runtime's vectorised DenseKernels. Activations are applied per layer by the
/// runtime's vectorised ActivationKernels.
/// When every layer is unrolled, the same layer methods are written again in lane form, once per vector width: the
/// one description of the math with Vector512/Vector256/Vector128&lt;float&gt; elements, each holding one value for
/// 16, 8 or 4 samples, of which the batch entry points run the widest the machine accelerates: weights broadcast,
/// gradients accumulated per lane and reduced once per mini-batch.
/// </summary>
internal static partial class NetworkEmitter
{
    /// <summary>
    /// The element type the layer math is written in: one sample per float, or a lane of samples per vector. The
    /// lane form runs two groups of lanes (A and B) through each layer together, each with its own copy of the
    /// scratch layout (B's after A's): a weight is broadcast once for both, a weight gradient loaded and stored
    /// once for both. <c>FusedMultiplyAdd</c> names the function a standalone file calls instead of MathF's.
    /// </summary>
    private sealed record Form(string Element, string Suffix, string ScratchField, string? Width, string[] Groups, string? FusedMultiplyAdd = null)
    {
        public bool IsLanes => Width is not null;

        /// <summary>The static class of the lane form's vector type (the file's alias Vector512, Vector256 or Vector128).</summary>
        private string VectorClass => $"Vector{Width}";

        /// <summary>
        /// Type arguments for the runtime's lane kernels, which are written once for every width: the vector type and
        /// its ILaneMath.
        /// </summary>
        public string KernelTypeArguments => IsLanes ? $"<{Element}, Lane{Width}>" : "";

        public string Span => $"global::System.Span<{Element}>";

        public string ReadOnlySpan => $"global::System.ReadOnlySpan<{Element}>";

        /// <summary>A parameter (always a float) as a value of the form's element type.</summary>
        public string Broadcast(string parameter) => IsLanes ? $"{VectorClass}.Create({parameter})" : parameter;

        /// <summary>length values of the form's scratch from offset.</summary>
        public string Scratch(int offset, int length, bool readOnly) => IsLanes
            ? $"{ScratchField}.AsSpan<{Element}>().Slice({N(offset)}, {N(length)})"
            : $"new {(readOnly ? ReadOnlySpan : Span)}({ScratchField}, {N(offset)}, {N(length)})";

        /// <summary>left·right + addend with one rounding (one FMA instruction where the machine has it).</summary>
        public string MultiplyAdd(string left, string right, string addend) =>
            $"{FusedMultiplyAdd ?? (IsLanes ? VectorClass : "MathF") + ".FusedMultiplyAdd"}({left}, {right}, {addend})";

        /// <summary>Zero.</summary>
        public string Zero => IsLanes ? Element + ".Zero" : "0f";
    }

    private static readonly Form Scalar = new("float", "", "_scratch", Width: null, Groups: [""]);
    // The lane form, once per vector width: the batch path runs the widest one the machine accelerates. Two groups:
    // the runtime's LaneKernels.RowsPerPass (2 × LaneKernels.Lanes), which the trainer's shards are rounded to, states
    // the same number. Three explicit copies rather than one generic method: a generic method's vector arithmetic is
    // calls that the JIT must inline, and in a layer method of a thousand FMAs it stops inlining them part way.
    private static readonly Form[] LaneForms = [.. new[] { "512", "256", "128" }.Select(width =>
        new Form($"V{width}", "Lanes" + width, "_laneScratch", width, ["A", "B"]))];
    private static readonly Form Lanes = LaneForms[0];
    public const string GeneratorName = "HiddenSpace.Gen";

    /// <summary>The generator assembly's informational version without its build metadata ("0.1.0", not "0.1.0+8aa7126...").</summary>
    public static readonly string GeneratorVersion = AssemblyVersion(typeof(NetworkEmitter).Assembly);

    // Outputs computed together in one block: 8 accumulators + the shared input + a broadcast weight fit the
    // 16 vector registers of AVX2 (and hide the 4-cycle FMA latency behind 8 independent chains).
    private const int AccumulatorBlock = 8;

    // Floats in one piece of a weight row in the scalar form's gradient code (Vector128: accelerated on x64 and ARM64).
    private const int RowPiece = 4;

    private const string ReadOnlySpanType = "global::System.ReadOnlySpan<float>";
    private const string SpanType = "global::System.Span<float>";

    // The names below are the file's using aliases (Aliases): the same types as the fully qualified names, so the same
    // IL, without the global::System.Runtime... noise in every line of the math.
    private const string Marshal = "MemoryMarshal";
    private const string Unsafe = "Unsafe";
    private const string Activations = "ActivationKernels";
    private const string Dense = "DenseKernels";
    private const string Losses = "LossKernels";
    private const string LaneKernels = "LaneKernels";
    private const string LaneBuffer = "LaneBuffer";
    private const string RowKernels = "RowKernels";
    private const string Piece = "Vector128";
    private const string PieceElement = "V128";

    // Straight-line numeric code gains nothing from tiering: compile it optimised on first call, so short runs
    // (a sample, a test) do not spend their first ~100 ms in unoptimised code.
    private const string Optimized = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";
    private const string Arguments = "NetworkArguments";

    public static string Emit(NetworkSpec spec, EmitOptions options)
    {
        var layout = new NetworkLayout(spec);
        var w = new SourceWriter();
        Form[] laneForms = !HasLaneForm(spec) ? []
            : options.LaneWidth is null ? LaneForms
            : [.. LaneForms.Where(form => form.Width == options.LaneWidth)];
        WriteHeader(w, spec, layout, laneForms);
        w.WriteLine("#nullable enable");
        w.WriteLine();
        WriteAliases(w, [.. laneForms.Select(form => form.Width!)], lanes: laneForms.Length > 0, matrix: laneForms.Length == 0);

        OpenClass(w, spec, "global::HiddenSpace.INetwork");
        WriteMembers(w, spec, layout, lanes: laneForms.Length > 0);
        WriteEntryPoints(w, spec, layout, laneForms);
        // Each layer's forward and backward methods next to each other; the entry points call them in order (forward
        // 1..n, then backward n..1).
        foreach (Form form in (Form[])[Scalar, .. laneForms])
        {
            foreach (LayerLayout layer in layout.Layers)
            {
                WriteForwardLayer(w, layer, form, layout.ScratchLength);
                WriteBackwardLayer(w, spec, layer, layer == layout.Output, form, layout.ScratchLength);
            }
        }
        if (laneForms.Length == 0)
            WriteMatrixLayers(w, spec, layout);
        CloseClass(w, spec);
        return w.ToString();
    }

    /// <summary>
    /// The file's using aliases: the runtime's kernels and the BCL types the layer code names, each under its own short
    /// name; the lane element types as V512, V256, V128 (Vector512&lt;float&gt; and so on) and the lane widths' ILaneMath.
    /// Aliases are resolved by the compiler, so the IL is that of the fully qualified names.
    /// </summary>
    private static void WriteAliases(SourceWriter w, string[] laneWidths, bool lanes, bool matrix)
    {
        var aliases = new List<(string Alias, string Type)>
        {
            ("ActivationKernels", "global::HiddenSpace.Kernels.ActivationKernels"),
            ("DenseKernels", "global::HiddenSpace.Kernels.DenseKernels"),
            ("LossKernels", "global::HiddenSpace.Kernels.LossKernels"),
            ("NetworkArguments", "global::HiddenSpace.NetworkArguments"),
            ("MathF", "global::System.MathF"),
            ("MemoryMarshal", "global::System.Runtime.InteropServices.MemoryMarshal"),
            ("MethodImpl", "global::System.Runtime.CompilerServices.MethodImplAttribute"),
            ("MethodImplOptions", "global::System.Runtime.CompilerServices.MethodImplOptions"),
            ("Unsafe", "global::System.Runtime.CompilerServices.Unsafe"),
        };
        if (matrix)
        {
            aliases.Add(("LaneBuffer", "global::HiddenSpace.Kernels.LaneBuffer"));
            aliases.Add(("MatrixKernels", "global::HiddenSpace.Kernels.MatrixKernels"));
        }
        aliases.Add(("RowKernels", "global::HiddenSpace.Kernels.RowKernels"));
        aliases.Add(("Vector128", "global::System.Runtime.Intrinsics.Vector128"));
        aliases.Add(("V128", "global::System.Runtime.Intrinsics.Vector128<float>"));
        if (lanes)
        {
            aliases.Add(("LaneBuffer", "global::HiddenSpace.Kernels.LaneBuffer"));
            aliases.Add(("LaneKernels", "global::HiddenSpace.Kernels.LaneKernels"));
        }
        foreach (string width in laneWidths)
        {
            if (width != "128")
            {
                aliases.Add(($"Vector{width}", $"global::System.Runtime.Intrinsics.Vector{width}"));
                aliases.Add(($"V{width}", $"global::System.Runtime.Intrinsics.Vector{width}<float>"));
            }
            aliases.Add(($"Lane{width}", $"global::HiddenSpace.Kernels.Lane{width}"));
        }
        foreach ((string alias, string type) in aliases.OrderBy(a => a.Alias, System.StringComparer.Ordinal))
            w.WriteLine($"using {alias} = {type};");
        w.WriteLine();
    }

    /// <summary>The namespace, the containing types and the partial class with its interface, each opened.</summary>
    private static void OpenClass(SourceWriter w, NetworkSpec spec, string implements)
    {
        if (spec.Namespace is not null)
        {
            w.WriteLine("namespace " + spec.Namespace);
            w.OpenBlock();
        }
        foreach (ContainingTypeSpec container in spec.ContainingTypes)
        {
            w.WriteLine($"partial {container.Keyword} {container.Name}");
            w.OpenBlock();
        }
        w.WriteLine(GeneratedCodeAttribute);
        w.WriteLine($"partial class {spec.ClassName} : {implements}");
        w.OpenBlock();
    }

    private static string GeneratedCodeAttribute =>
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"{GeneratorName}\", \"{GeneratorVersion}\")]";

    private static string AssemblyVersion(System.Reflection.Assembly assembly)
    {
        string? informational = System.Reflection.CustomAttributeExtensions
            .GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion;
        string version = informational ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        int metadata = version.IndexOf('+');
        return metadata < 0 ? version : version.Substring(0, metadata);
    }

    private static void CloseClass(SourceWriter w, NetworkSpec spec)
    {
        w.CloseBlock();
        foreach (ContainingTypeSpec _ in spec.ContainingTypes) w.CloseBlock();
        if (spec.Namespace is not null) w.CloseBlock();
    }

    /// <summary>The lane form needs every layer unrolled: looped layers are already vectorised across neurons.</summary>
    private static bool HasLaneForm(NetworkSpec spec) => spec.Layers.All(l => l.Unrolled);

    private static void WriteHeader(SourceWriter w, NetworkSpec spec, NetworkLayout layout, Form[] laneForms)
    {
        w.WriteLine("// <auto-generated/>");
        w.WriteLine($"// {GeneratorName} {GeneratorVersion}: forward and backward code for {spec.FullName.Replace("global::", "")},");
        w.WriteLine("// written from its [Network] and [Dense] attributes. Do not edit: change the attributes instead.");
        w.WriteLine("//");
        w.WriteLine("// Description:");
        w.WriteComment("//   " + Chain(spec), "//     ");
        w.WriteLine($"//   Loss: {spec.Loss}{(ActivationFacts.Of(layout.Output.Spec.Activation).FoldsInto(spec.Loss) ? $" ({layout.Output.Spec.Activation} folded into the loss gradient)" : "")}");
        w.WriteLine($"//   Parameters: {N(layout.ParameterCount)} floats, per layer W [units x inputs] row-major then b [units]");
        foreach (LayerLayout layer in layout.Layers)
            w.WriteLine($"//     Layer {N(layer.Number)}: Dense {N(layer.FanIn)} -> {N(layer.Spec.Units)}, {layer.Spec.Activation}; " +
                        $"W{N(layer.Number)} [{N(layer.Spec.Units)} x {N(layer.FanIn)}] at {N(layer.Weights)}, b{N(layer.Number)} [{N(layer.Spec.Units)}] at {N(layer.Bias)}; " +
                        (layer.Spec.Unrolled ? "unrolled" : "loops"));
        WriteTapDescription(w, layout);
        w.WriteLine($"//   Scratch: {N(layout.ScratchLength)} floats: x [{N(spec.Inputs)}] at 0; per layer z (pre-activation), a (activation), d (gradient)");
        foreach (LayerLayout layer in layout.Layers)
            w.WriteLine($"//     z{N(layer.Number)} at {N(layer.PreActivation)}, a{N(layer.Number)} at {N(layer.Activation)}{(layer.Activation == layer.PreActivation ? " (= z, linear)" : "")}, d{N(layer.Number)} at {N(layer.Delta)}");
        w.WriteComment(laneForms.Length == LaneForms.Length
            ? "//   Batch path: every layer also in lane form, once per vector width (Vector512, Vector256, Vector128: one value for 16, " +
              $"8 or 4 samples; the widest the machine accelerates runs), two lane groups a pass, group B's scratch {N(layout.ScratchLength)} " +
              "vectors after group A's; used by AccumulateBatchGradients and ForwardBatch"
            : laneForms.Length == 1
            ? $"//   Batch path: every layer also in lane form at Vector{laneForms[0].Width} only ({EmitOptions.LaneWidthOption}: the width of " +
              "the machine it was compiled for; on another the batch runs per sample), two lane groups a pass, group B's scratch " +
              $"{N(layout.ScratchLength)} vectors after group A's; used by AccumulateBatchGradients and ForwardBatch"
            : "//   Batch path: matrix form (a looped layer): passes of MatrixKernels.RowsPerPass samples through every layer as matrix " +
              "products, each scratch float above widened to a feature-major row of PassRows samples; used by AccumulateBatchGradients " +
              "and ForwardBatch", continuation: "//     ");
    }

    /// <summary>"2 inputs -> 16 Tanh -> 2 Tanh (tap Bottleneck) -> 1 Sigmoid".</summary>
    private static string Chain(NetworkSpec spec)
    {
        var chain = new StringBuilder($"{N(spec.Inputs)} inputs");
        foreach (LayerSpec layer in spec.Layers)
        {
            chain.Append($" -> {N(layer.Units)} {layer.Activation}");
            if (layer.Tap is not null) chain.Append($" (tap {layer.Tap})");
        }
        return chain.ToString();
    }

    private static void WriteTapDescription(SourceWriter w, NetworkLayout layout)
    {
        w.WriteLine("//   Taps:" + (layout.Layers.Any(l => l.Spec.Tap is not null) ? "" : " none"));
        foreach (LayerLayout layer in layout.Layers.Where(l => l.Spec.Tap is not null))
            w.WriteLine($"//     {layer.Spec.Tap}: activations a{N(layer.Number)} [{N(layer.Spec.Units)}] of layer {N(layer.Number)}");
    }

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
            w.WriteLine($"private readonly {LaneBuffer} _laneScratch = new({N(Lanes.Groups.Length * layout.ScratchLength)}); // groups A, B");
            w.WriteLine($"private readonly {LaneBuffer} _laneTargets = new({N(Lanes.Groups.Length)} * OutputCount);");
            w.WriteLine($"private readonly {LaneBuffer} _laneGradients = new(ParameterCount); // zero between calls");
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
        WriteTaps(w, layout.Layers.Where(l => l.Spec.Tap is not null).Select(l => (l, l.Activation)));
    }

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
    private static void WriteTapActivations(SourceWriter w, IReadOnlyList<LayerLayout> layers)
    {
        w.WriteLine();
        w.WriteLine("/// <inheritdoc/>");
        w.WriteLine($"public {ReadOnlySpanType} TapActivations(int tapIndex)");
        w.OpenBlock();
        w.WriteLine($"{Arguments}.CheckTap(tapIndex, Architecture.Taps.Count);");
        List<LayerLayout> tapped = layers.Where(l => l.Spec.Tap is not null).ToList();
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
        WriteBatchSplit(w, laneForms, width => $"ForwardLanes{width}(inputs, outputs, batchRows);", "ForwardMatrix(inputs, outputs, batchRows);");
        w.OpenBlock();
        w.WriteLine("RunForward(inputs.Slice(row * InputCount, InputCount));");
        w.WriteLine($"new {ReadOnlySpanType}(_scratch, {N(output.Activation)}, OutputCount)");
        w.WriteLine("    .CopyTo(outputs.Slice(row * OutputCount, OutputCount));");
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
        w.WriteLine($"public float AccumulateBatchGradients({ReadOnlySpanType} inputs, {ReadOnlySpanType} targets)");
        w.OpenBlock();
        w.WriteLine($"int rows = {Arguments}.BatchRows(inputs.Length, targets.Length, InputCount, OutputCount);");
        w.WriteLine("float loss = 0f;");
        WriteBatchSplit(w, laneForms, width => $"loss = AccumulateLanes{width}(inputs, targets, batchRows);", "loss = AccumulateMatrix(inputs, targets, batchRows);");
        w.Indent();
        w.WriteCall("loss += AccumulateSample", ["inputs.Slice(row * InputCount, InputCount)", "targets.Slice(row * OutputCount, OutputCount)"], ";");
        w.Unindent();
        w.WriteLine("return loss;");
        w.CloseBlock();
        WriteTapActivations(w, layout.Layers);
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

    /// <summary>
    /// The rows of a batch for the batch path go to <paramref name="laneCall"/> (whole lane-form passes: multiples of two
    /// lane groups, at the widest accelerated width) or <paramref name="matrixCall"/> (the whole batch unless it is too
    /// small for a matrix pass to pay), then a loop header over the remaining rows for the per-sample code.
    /// </summary>
    private static void WriteBatchSplit(SourceWriter w, Form[] laneForms, System.Func<string, string> laneCall, string matrixCall)
    {
        if (laneForms.Length == 1)
        {
            // The one width written runs only where it is the runtime's lane width, so the passes agree with LaneKernels.
            string width = laneForms[0].Width!;
            w.WriteLine($"int batchRows = {LaneKernels}.Lanes == {N(int.Parse(width, CultureInfo.InvariantCulture) / 32)} ? {LaneKernels}.WholePasses(rows) : 0;");
            w.WriteLine("if (batchRows > 0)");
            w.WriteLine("    " + laneCall(width));
        }
        else if (laneForms.Length > 0)
        {
            w.WriteLine($"int batchRows = {LaneKernels}.WholePasses(rows);");
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
    /// Two groups of lanes (rows) at a time through the lane form, at the width of TVector; per-lane gradients reduced
    /// into Gradients once at the end.
    /// </summary>
    private static void WriteLaneDriver(SourceWriter w, NetworkSpec spec, NetworkLayout layout, Form form)
    {
        int groups = form.Groups.Length;
        WriteLanePassOpening(w, spec, layout, form, $"void ForwardLanes{form.Width}", [$"{ReadOnlySpanType} inputs", $"{SpanType} outputs", "int rows"], gradients: false);
        foreach (LayerLayout layer in layout.Layers)
            w.WriteLine($"ForwardLayer{N(layer.Number)}{form.Suffix}(ref parameters, ref scratch);");
        for (int g = 0; g < groups; g++)
            w.WriteCall($"{LaneKernels}.Untranspose<{form.Element}>",
                [form.Scratch(g * layout.ScratchLength + layout.Output.Activation, layout.Output.Spec.Units, readOnly: true), "OutputCount",
                 $"outputs.Slice((start + {N(g)} * lanes) * OutputCount, lanes * OutputCount)"], ";");
        w.CloseBlock();
        w.CloseBlock();
        WriteLanePassOpening(w, spec, layout, form, $"float AccumulateLanes{form.Width}", [$"{ReadOnlySpanType} inputs", $"{ReadOnlySpanType} targets", "int rows"], gradients: true);
        for (int g = 0; g < groups; g++)
            w.WriteCall($"{LaneKernels}.Transpose",
                [$"targets.Slice((start + {N(g)} * lanes) * OutputCount, lanes * OutputCount)", "OutputCount",
                 $"_laneTargets.AsSpan<{form.Element}>().Slice({N(g)} * OutputCount, OutputCount)"], ";");
        foreach (LayerLayout layer in layout.Layers)
            w.WriteLine($"ForwardLayer{N(layer.Number)}{form.Suffix}(ref parameters, ref scratch);");
        for (int g = 0; g < groups; g++)
            WriteLossCall(w, "loss += ", spec, layout.Output, form, $"_laneTargets.AsSpan<{form.Element}>().Slice({N(g)} * OutputCount, OutputCount)", g * layout.ScratchLength);
        foreach (LayerLayout layer in layout.Layers.Reverse())
            w.WriteLine($"BackwardLayer{N(layer.Number)}{form.Suffix}(ref parameters, ref scratch, ref gradients);");
        w.CloseBlock();
        w.WriteLine($"{LaneKernels}.ReduceAndClear{form.KernelTypeArguments}(_laneGradients.AsSpan<{form.Element}>(), _gradients);");
        w.WriteLine($"return Vector{form.Width}.Sum(loss);");
        w.CloseBlock();
    }

    /// <summary>
    /// A lane-form driver method up to the inside of its loop over passes: the references to parameters, scratch
    /// (and per-lane gradients and the loss when <paramref name="gradients"/>), and each group's inputs transposed
    /// into its scratch.
    /// </summary>
    private static void WriteLanePassOpening(SourceWriter w, NetworkSpec spec, NetworkLayout layout, Form form, string method, string[] parameters, bool gradients)
    {
        w.WriteLine();
        w.WriteLine(Optimized);
        w.WriteCall("private " + method, parameters, "");
        w.OpenBlock();
        w.WriteLine($"ref float parameters = ref {Marshal}.GetArrayDataReference(_parameters);");
        w.WriteLine($"ref {form.Element} scratch = ref _laneScratch.Start<{form.Element}>();");
        if (gradients)
        {
            w.WriteLine($"ref {form.Element} gradients = ref _laneGradients.Start<{form.Element}>();");
            w.WriteLine($"{form.Element} loss = {form.Zero};");
        }
        w.WriteLine($"int lanes = {form.Element}.Count;");
        w.WriteLine($"for (int start = 0; start < rows; start += {N(form.Groups.Length)} * lanes)");
        w.OpenBlock();
        for (int g = 0; g < form.Groups.Length; g++)
        {
            w.WriteLine($"// x{form.Groups[g]} at {N(g * layout.ScratchLength)}");
            w.WriteCall($"{LaneKernels}.Transpose",
                [$"inputs.Slice((start + {N(g)} * lanes) * InputCount, lanes * InputCount)", "InputCount",
                 form.Scratch(g * layout.ScratchLength, spec.Inputs, readOnly: false)], ";");
        }
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
        w.WriteCall(head, spec.Loss == LossKind.MeanSquaredError ? [a, target, d] : [z, a, target, d], ";");
    }

    private static void WriteForwardLayer(SourceWriter w, LayerLayout layer, Form form, int scratchLength)
    {
        string l = N(layer.Number), input = InputName(layer);
        int units = layer.Spec.Units, fanIn = layer.FanIn;
        string[] groups = form.Groups;
        ActivationFacts activation = ActivationFacts.Of(layer.Spec.Activation);
        w.WriteLine();
        w.WriteLine($"// ---- {SectionTitle(layer, form)} ----");
        w.WriteLine($"// z{l} = W{l} · {input} + b{l};  a{l} = {layer.Spec.Activation}(z{l})");
        w.WriteLine(Optimized);
        w.WriteLine($"private static void ForwardLayer{l}{form.Suffix}(ref float parameters, ref {form.Element} scratch)");
        w.OpenBlock();
        WriteSpan(w, readOnly: true, "w", "parameters", layer.Weights, units * fanIn, $"W{l} [{N(units)} x {N(fanIn)}]");
        WriteSpan(w, readOnly: true, "b", "parameters", layer.Bias, units, $"b{l} [{N(units)}]");
        for (int g = 0; g < groups.Length; g++)
        {
            string G = groups[g];
            int at = g * scratchLength;
            WriteSpan(w, readOnly: true, "x" + G, "scratch", at + layer.Input, fanIn, $"{input} [{N(fanIn)}]{GroupComment(G)}");
            WriteSpan(w, readOnly: false, "z" + G, "scratch", at + layer.PreActivation, units, $"z{l} [{N(units)}]{GroupComment(G)}");
            if (layer.Spec.Activation != ActivationKind.Linear)
                WriteSpan(w, readOnly: false, "a" + G, "scratch", at + layer.Activation, units, $"a{l} [{N(units)}]{GroupComment(G)}");
        }
        // Element-wise activations of narrow layers are applied per unit, in registers; wide layers, looped layers and
        // softmax (across units) call the runtime's kernel once per layer (and lane group): the kernel's loop
        // vectorises across units in the scalar form, and in the lane form it keeps the layer method small enough
        // for the JIT to inline all of its FMAs and broadcasts.
        bool perUnitActivation = layer.Spec.Unrolled && activation.PerUnitIn(units);
        if (layer.Spec.Unrolled)
        {
            WriteMatrixVector(w, form, units, fanIn, "unit",
                initial: o => form.Broadcast($"b[{N(o)}]"),
                weight: (o, i) => form.Broadcast($"w[{N(o * fanIn + i)}]"),
                input: (i, G) => $"x{G}[{N(i)}]",
                store: (o, s, G) => perUnitActivation
                    ? [$"z{G}[{N(o)}] = {s};", $"a{G}[{N(o)}] = {Activations}.{layer.Spec.Activation}{form.KernelTypeArguments}({s});"]
                    : [$"z{G}[{N(o)}] = {s};"]);
        }
        else
        {
            w.WriteLine($"{Dense}.Forward(w, b, x, z);");
        }
        if (layer.Spec.Activation != ActivationKind.Linear && !perUnitActivation)
            foreach (string G in groups)
                w.WriteLine($"{Activations}.{layer.Spec.Activation}{form.KernelTypeArguments}(z{G}, a{G});");
        w.CloseBlock();
    }

    private static void WriteBackwardLayer(SourceWriter w, NetworkSpec spec, LayerLayout layer, bool isOutput, Form form, int scratchLength)
    {
        string l = N(layer.Number), input = InputName(layer), previous = N(layer.Number - 1);
        int units = layer.Spec.Units, fanIn = layer.FanIn;
        string[] groups = form.Groups;
        ActivationKind activation = layer.Spec.Activation;
        ActivationFacts facts = ActivationFacts.Of(activation);
        bool foldedIntoLoss = isOutput && facts.FoldsInto(spec.Loss);
        bool hasInputDelta = layer.InputDelta >= 0;
        w.WriteLine();
        w.WriteLine($"// ---- {SectionTitle(layer, form)} (backward) ----");
        w.WriteLine($"// {DeltaFormula(spec, layer, isOutput)};  dW{l} += dz{l} ⊗ {input};  db{l} += dz{l}" + (hasInputDelta ? $";  d{previous} = W{l}ᵀ · dz{l}" : ""));
        w.WriteLine(Optimized);
        w.WriteLine($"private static void BackwardLayer{l}{form.Suffix}(ref float parameters, ref {form.Element} scratch, ref {form.Element} gradients)");
        w.OpenBlock();
        bool needsActivation = !foldedIntoLoss && facts.DerivativeReadsA;
        bool needsPreActivation = !foldedIntoLoss && facts.DerivativeReadsZ;
        if (hasInputDelta)
            WriteSpan(w, readOnly: true, "w", "parameters", layer.Weights, units * fanIn, $"W{l} [{N(units)} x {N(fanIn)}]");
        for (int g = 0; g < groups.Length; g++)
        {
            string G = groups[g];
            int at = g * scratchLength;
            WriteSpan(w, readOnly: true, "x" + G, "scratch", at + layer.Input, fanIn, $"{input} [{N(fanIn)}]{GroupComment(G)}");
            if (needsActivation)
                WriteSpan(w, readOnly: true, "a" + G, "scratch", at + layer.Activation, units, $"a{l} [{N(units)}]{GroupComment(G)}");
            if (needsPreActivation)
                WriteSpan(w, readOnly: true, "z" + G, "scratch", at + layer.PreActivation, units, $"z{l} [{N(units)}]{GroupComment(G)}");
            WriteSpan(w, readOnly: false, "d" + G, "scratch", at + layer.Delta, units, $"d{l} [{N(units)}]{GroupComment(G)}");
            if (hasInputDelta)
                WriteSpan(w, readOnly: false, "dx" + G, "scratch", at + layer.InputDelta, fanIn, $"d{previous} [{N(fanIn)}]{GroupComment(G)}");
        }
        string perLane = form.IsLanes ? ", per lane" : "";
        WriteSpan(w, readOnly: false, "dw", "gradients", layer.Weights, units * fanIn, $"dW{l} [{N(units)} x {N(fanIn)}]{perLane}");
        WriteSpan(w, readOnly: false, "db", "gradients", layer.Bias, units, $"db{l} [{N(units)}]{perLane}");

        // Unrolled layers multiply by the activation's derivative per unit, in registers; looped layers call the
        // runtime kernel once per layer, in place.
        string derivativeArguments = facts.DerivativeReadsA && facts.DerivativeReadsZ ? "a{1}[{0}], z{1}[{0}]" : needsActivation ? "a{1}[{0}]" : "z{1}[{0}]";
        bool perUnitDerivative = layer.Spec.Unrolled && !foldedIntoLoss && facts.ElementWise;
        if (perUnitDerivative)
            w.WriteLine($"// dz{l} = d{l} ⊙ {activation}'(z{l}) per unit below, {activation}'(z) = {facts.Derivative}" + (hasInputDelta ? $"; stored back into d{l} for d{previous}." : "."));
        else
            w.WriteLine(ActivationBackward(spec, layer, isOutput));

        if (layer.Spec.Unrolled)
        {
            // The scalar form moves whole 4-float pieces of weight rows when the fan-in allows it (RowKernels).
            bool rows = !form.IsLanes && fanIn % RowPiece == 0;
            if (rows)
            {
                w.WriteLine($"ref float xRow = ref {Marshal}.GetReference(x);");
                w.WriteLine($"ref float dwRow = ref {Marshal}.GetReference(dw);");
            }
            int blockSize = AccumulatorBlock / groups.Length;
            for (int first = 0; first < units; first += blockSize)
            {
                // dz of a block of units in registers, then each input (or piece of x) loaded once for the block's gradient updates.
                int[] block = Enumerable.Range(first, System.Math.Min(blockSize, units - first)).ToArray();
                w.OpenBlock();
                w.WriteLine("// " + RangeLabel("unit", block));
                foreach (string G in groups)
                    foreach (int o in block)
                        w.WriteLine(perUnitDerivative
                            ? $"{form.Element} dz{N(o)}{G} = d{G}[{N(o)}] * {Activations}.{activation}Derivative{form.KernelTypeArguments}({string.Format(CultureInfo.InvariantCulture, derivativeArguments, N(o), G)});"
                            : $"{form.Element} dz{N(o)}{G} = d{G}[{N(o)}];");
                if (perUnitDerivative && hasInputDelta)
                    foreach (string G in groups)
                        foreach (int o in block)
                            w.WriteLine($"d{G}[{N(o)}] = dz{N(o)}{G};");
                foreach (int o in block)
                    w.WriteLine($"db[{N(o)}] += {string.Join(" + ", groups.Select(G => $"dz{N(o)}{G}"))};");
                if (rows)
                {
                    foreach (int o in block)
                    {
                        w.WriteLine($"{(o == first ? PieceElement + " " : "")}scale = {Piece}.Create(dz{N(o)});");
                        for (int c = 0; c < fanIn / RowPiece; c++)
                            w.WriteLine($"{RowKernels}.MultiplyAdd(scale, ref xRow, {N(c * RowPiece)}, ref dwRow, {N(o * fanIn + c * RowPiece)});");
                    }
                }
                else
                {
                    for (int i = 0; i < fanIn; i++)
                    {
                        foreach (string G in groups)
                            w.WriteLine($"{(i == 0 ? form.Element + " " : "")}v{G} = x{G}[{N(i)}];");
                        foreach (int o in block)
                        {
                            string k = N(o * fanIn + i), sum = $"dw[{k}]";
                            foreach (string G in groups) sum = form.MultiplyAdd($"dz{N(o)}{G}", $"v{G}", sum);
                            w.WriteLine($"dw[{k}] = {sum};");
                        }
                    }
                }
                w.CloseBlock();
            }
            if (hasInputDelta && rows)
                WriteTransposedRows(w, units, fanIn);
            else if (hasInputDelta)
                WriteMatrixVector(w, form, fanIn, units, "input",
                    initial: _ => form.Zero,
                    weight: (i, o) => form.Broadcast($"w[{N(o * fanIn + i)}]"),
                    input: (o, G) => $"d{G}[{N(o)}]",
                    store: (i, s, G) => [$"dx{G}[{N(i)}] = {s};"]);
        }
        else
        {
            w.WriteLine($"{Dense}.AccumulateGradients(d, x, dw, db);");
            if (hasInputDelta)
                w.WriteLine($"{Dense}.Backpropagate(w, d, dx);");
        }
        w.CloseBlock();
    }

    /// <summary>
    /// The first formula of a backward header: dz = d ⊙ f'(z), or what replaces it where the loss folds the output
    /// activation's derivative in, or where the derivative is 1.
    /// </summary>
    private static string DeltaFormula(NetworkSpec spec, LayerLayout layer, bool isOutput)
    {
        string l = N(layer.Number);
        ActivationKind activation = layer.Spec.Activation;
        if (isOutput && ActivationFacts.Of(activation).FoldsInto(spec.Loss))
            return $"dz{l} = d{l} ({spec.Loss}'s gradient with {activation}'(z{l}) folded in)";
        return activation == ActivationKind.Linear ? $"dz{l} = d{l} (Linear)" : $"dz{l} = d{l} ⊙ {activation}'(z{l})";
    }

    /// <summary>The statement (or comment) that turns d = dLoss/da into dz = dLoss/dz in place, with the span kernels.</summary>
    private static string ActivationBackward(NetworkSpec spec, LayerLayout layer, bool isOutput)
    {
        string l = N(layer.Number);
        ActivationKind activation = layer.Spec.Activation;
        ActivationFacts facts = ActivationFacts.Of(activation);
        if (isOutput && facts.FoldsInto(spec.Loss))
            return $"// d{l} already holds dz{l}: the loss gradient has the {activation} derivative folded in.";
        if (activation == ActivationKind.Linear)
            return $"// Linear: dz{l} = d{l}.";
        string arguments = facts.DerivativeReadsA && facts.DerivativeReadsZ ? "a, z" : facts.DerivativeReadsA ? "a" : "z";
        return $"{Activations}.{activation}Backward({arguments}, d);";
    }

    private static string GroupComment(string group) => group.Length == 0 ? "" : $", group {group}";

    private static string InputName(LayerLayout layer) => layer.Number == 1 ? "x" : "a" + N(layer.Number - 1);

    private static string SectionTitle(LayerLayout layer, Form form) =>
        $"Layer {N(layer.Number)}: Dense {N(layer.FanIn)} -> {N(layer.Spec.Units)}, {layer.Spec.Activation}" +
        (layer.Spec.Tap is null ? "" : $", tap \"{layer.Spec.Tap}\"") +
        (layer.Spec.Unrolled ? "" : ", loops") +
        (form.IsLanes ? $", lane form, Vector{form.Width}" : "");

    /// <summary>
    /// A span of <paramref name="length"/> elements at <paramref name="offset"/> of a buffer passed by reference; its
    /// element type is the buffer's (float, or the lane form's vector).
    /// </summary>
    private static void WriteSpan(SourceWriter w, bool readOnly, string name, string buffer, int offset, int length, string comment)
    {
        string create = readOnly ? "CreateReadOnlySpan" : "CreateSpan";
        w.WriteLine($"var {name} = {Marshal}.{create}(ref {Unsafe}.Add(ref {buffer}, {N(offset)}), {N(length)}); // {comment}");
    }

    /// <summary>"units 8..15", "unit 3": the indices a block of the unrolled code holds.</summary>
    private static string RangeLabel(string noun, int[] block) =>
        block.Length == 1 ? $"{noun} {N(block[0])}" : $"{noun}s {N(block[0])}..{N(block[block.Length - 1])}";

    /// <summary>
    /// Writes out[o] = initial(o) + Σ_i weight(o, i)·input(i) for every output o and every group of the form, in
    /// blocks of <see cref="AccumulatorBlock"/> accumulators (outputs × groups): each input read once a block, each
    /// weight (an expression of the form's element type: a load, a broadcast or a constant) written once for all
    /// groups, and the block's FMA chains interleaved so they overlap instead of each waiting on its own latency.
    /// Each block says which outputs (<paramref name="noun"/>s) it holds, and the accumulator of output o is s{o}.
    /// </summary>
    private static void WriteMatrixVector(SourceWriter w, Form form, int outputs, int inputs, string noun, System.Func<int, string> initial,
        System.Func<int, int, string> weight, System.Func<int, string, string> input, System.Func<int, string, string, string[]> store)
    {
        string[] groups = form.Groups;
        int blockSize = AccumulatorBlock / groups.Length;
        for (int first = 0; first < outputs; first += blockSize)
        {
            int[] block = Enumerable.Range(first, System.Math.Min(blockSize, outputs - first)).ToArray();
            w.OpenBlock();
            w.WriteLine("// " + RangeLabel(noun, block));
            foreach (string G in groups)
                foreach (int o in block)
                    w.WriteLine($"{form.Element} s{N(o)}{G} = {initial(o)};");
            for (int i = 0; i < inputs; i++)
            {
                foreach (string G in groups)
                    w.WriteLine($"{(i == 0 ? form.Element + " " : "")}v{G} = {input(i, G)};");
                foreach (int o in block)
                {
                    string factor = weight(o, i);
                    if (groups.Length > 1)
                    {
                        w.WriteLine($"{(i == 0 && o == first ? form.Element + " " : "")}wv = {factor};");
                        factor = "wv";
                    }
                    foreach (string G in groups)
                        w.WriteLine($"s{N(o)}{G} = {form.MultiplyAdd(factor, $"v{G}", $"s{N(o)}{G}")};");
                }
            }
            foreach (string G in groups)
                foreach (int o in block)
                    foreach (string statement in store(o, $"s{N(o)}{G}", G))
                        w.WriteLine(statement);
            w.CloseBlock();
        }
    }

    /// <summary>
    /// dx = Wᵀ·d in 4-float pieces of dx (scalar form, fan-in a multiple of 4): for a block of up to
    /// <see cref="AccumulatorBlock"/> pieces, one accumulator a piece (s{c} holds dx[4c..4c+3]); each unit's d broadcast
    /// once and multiplied into the matching pieces of its weight row.
    /// </summary>
    private static void WriteTransposedRows(SourceWriter w, int units, int fanIn)
    {
        w.WriteLine($"ref float wRow = ref {Marshal}.GetReference(w);");
        w.WriteLine($"ref float dxRow = ref {Marshal}.GetReference(dx);");
        int pieces = fanIn / RowPiece;
        for (int first = 0; first < pieces; first += AccumulatorBlock)
        {
            int[] block = Enumerable.Range(first, System.Math.Min(AccumulatorBlock, pieces - first)).ToArray();
            w.OpenBlock();
            w.WriteLine($"// inputs {N(block[0] * RowPiece)}..{N(block[block.Length - 1] * RowPiece + RowPiece - 1)}, {N(RowPiece)} a piece");
            foreach (int c in block)
                w.WriteLine($"{PieceElement} s{N(c)} = {PieceElement}.Zero;");
            for (int o = 0; o < units; o++)
            {
                w.WriteLine($"{(o == 0 ? PieceElement + " " : "")}scale = {Piece}.Create(d[{N(o)}]);");
                foreach (int c in block)
                    w.WriteLine($"s{N(c)} = {RowKernels}.MultiplyAdd(scale, ref wRow, {N(o * fanIn + c * RowPiece)}, s{N(c)});");
            }
            foreach (int c in block)
                w.WriteLine($"{RowKernels}.Store(s{N(c)}, ref dxRow, {N(c * RowPiece)});");
            w.CloseBlock();
        }
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
