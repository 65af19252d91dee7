using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HiddenSpace.Gen.Model;
using HiddenSpace.Gen.Parsing;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// Writes the partial class of one network. The parts, by role:
/// this file: the entry point Emit, the header, the using aliases and the element forms (Form);
/// .Members: constants, buffers, taps and the INetwork entry points with the per-sample drivers;
/// .Layers: one forward and one backward method per layer, for the per-sample and the lane forms;
/// .Lanes: the lane widths and the lane-form batch drivers;
/// .Blocked: the blocked FMA writer every unrolled form shares;
/// .MatrixForm: the batch path of a network with a looped layer;
/// .Baked, .Standalone (+ .StandaloneKernels): the inference-only forms with the weights as constants.
/// Unrolled layers index fixed-length spans with constant indices (the JIT drops every bounds check); looped layers
/// call the runtime's vectorised DenseKernels. What the emitter knows about each activation is in
/// <see cref="Model.ActivationFacts"/>.
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

        /// <summary>
        /// Accumulators of one block of <see cref="WriteMatrixVector"/> and of a backward block's dz (outputs × groups):
        /// <see cref="AccumulatorBlock"/> in the scalar and 128-bit forms; 12 in the 256-bit form and 16 in the 512-bit
        /// form. A core that issues two FMAs of the width a cycle (the Zen 5 at 512 bits, AVX2 cores at 256) fills its
        /// pipes with 8 chains of a 4-cycle FMA only if nothing else waits; 12 chains, the vector and a broadcast weight
        /// fit AVX2's 16 registers, 16 fit AVX-512's 32. Probe, Zen 5: seed epoch at batch 32 129-133 -> 125-126 us
        /// (AVX-512, with the outer products' wider block of the same change), seed ForwardBatch of 4,096 rows 74-76 ->
        /// 72-73 us (AVX2). The chains are the same whatever the block, so are the bits.
        /// </summary>
        public int Accumulators => Width switch { "512" => 2 * AccumulatorBlock, "256" => 12, _ => AccumulatorBlock };

        /// <summary>Floats in one of the form's vectors (1 for the scalar forms).</summary>
        public int LaneCount => Width switch { "512" => 16, "256" => 8, "128" => 4, _ => 1 };

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
    public const string GeneratorName = "HiddenSpace.Gen";

    /// <summary>The generator assembly's informational version without its build metadata ("0.1.0", not "0.1.0+8aa7126...").</summary>
    public static readonly string GeneratorVersion = AssemblyVersion(typeof(NetworkEmitter).Assembly);

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

    // A pass driver (the lane and matrix forms' loop over a batch) is never inlined into the public entry point that
    // calls it: the entry point is tiered, and its tier-1 code, with profile-guided inlining, took the seed network's
    // lane driver in (5.9 KB of code against 0.4 KB); the epoch at batch 256 took 103.2 µs that way against 90.7 µs
    // with the driver called (probe, eight processes a build, alternating; benchmarks/RESULTS.md, "pass drivers").
    private const string PassDriver = "[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]";
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
    /// The file's using aliases (<see cref="GeneratedMembers.Aliases"/>) for what its code names: the runtime's kernels
    /// and the BCL types of the layer code; the lane element types as V512, V256, V128 (Vector512&lt;float&gt; and so on)
    /// and each width's ILaneMath. The compiler resolves an alias to its type, so the IL is that of the full names.
    /// </summary>
    private static void WriteAliases(SourceWriter w, string[] laneWidths, bool lanes, bool matrix)
    {
        var names = new List<string>
        {
            "ActivationKernels", "DenseKernels", "LossKernels", "NetworkArguments", "MathF", "MemoryMarshal", "MethodImpl",
            "MethodImplOptions", "Unsafe", "RowKernels", "Vector128", "V128",
        };
        if (matrix) names.AddRange(["LaneBuffer", "MatrixKernels"]);
        if (lanes) names.AddRange(["LaneBuffer", "LaneKernels"]);
        foreach (string width in laneWidths)
            names.AddRange([$"Vector{width}", $"V{width}", $"Lane{width}"]);
        foreach (string name in names.Distinct().OrderBy(name => name, System.StringComparer.Ordinal))
            w.WriteLine($"using {name} = {GeneratedMembers.Aliases[name]};");
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
              "vectors after group A's, two passes side by side; used by AccumulateBatchGradients and ForwardBatch"
            : laneForms.Length == 1
            ? $"//   Batch path: every layer also in lane form at Vector{laneForms[0].Width} only ({EmitOptions.LaneWidthOption}: the width of " +
              "the machine it was compiled for; on another the batch runs per sample), two lane groups a pass, group B's scratch " +
              $"{N(layout.ScratchLength)} vectors after group A's, two passes side by side; used by AccumulateBatchGradients and ForwardBatch"
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
        w.WriteLine("//   Taps:" + (layout.Tapped.Count > 0 ? "" : " none"));
        foreach (LayerLayout layer in layout.Tapped)
            w.WriteLine($"//     {layer.Spec.Tap}: activations a{N(layer.Number)} [{N(layer.Spec.Units)}] of layer {N(layer.Number)}");
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
