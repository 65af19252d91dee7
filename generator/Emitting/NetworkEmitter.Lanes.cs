using System.Collections.Generic;
using System.Linq;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// The lane form's widths and its batch drivers: each pass transposes two lane groups of rows into the lane scratch and
/// runs the layer methods written with vector elements (the same writers as the per-sample form, see
/// NetworkEmitter.Layers.cs), two passes a step side by side, and the drivers reduce the per-lane gradients once per
/// call (the weights of layers that sum outer products, SumsOuterProducts, go straight into Gradients instead).
/// </summary>
internal static partial class NetworkEmitter
{
    // The lane form, once per vector width: the batch path runs the widest one the machine accelerates. Two groups:
    // the runtime's LaneKernels.RowsPerPass (2 × LaneKernels.Lanes), which the trainer's shards are rounded to, states
    // the same number. Three explicit copies rather than one generic method: a generic method's vector arithmetic is
    // calls that the JIT must inline, and in a layer method of a thousand FMAs it stops inlining them part way.
    private static readonly Form[] LaneForms = [.. new[] { "512", "256", "128" }.Select(width =>
        new Form($"V{width}", "Lanes" + width, "_laneScratch", width, ["A", "B"]))];
    private static readonly Form Lanes = LaneForms[0];

    /// <summary>
    /// Passes a step of the lane drivers' loop: two passes (two groups of lanes each, the second's scratch after the
    /// first's) go through the layers side by side, each layer method called for the first pass and then for the
    /// second, so the out-of-order core overlaps the two calls. A pass alone waits on the latency of its narrow layers
    /// and its loss (the seed net's 2-unit layer, its output and the loss's gradient: one or two vectors a group in a
    /// chain of tanh, e^x and divisions), where the other pass's have nothing to wait for. Each layer accumulates the
    /// first pass's gradients before the second's, as consecutive passes did, so the sums and their bits are the same.
    /// </summary>
    private const int PassesAStep = 2;

    /// <summary>
    /// Two groups of lanes (rows) a pass through the lane form, two passes a step (<see cref="PassesAStep"/>; the second
    /// only where rows remain), at the width of TVector, the last pass padded with zero rows past the end of the batch
    /// (their outputs are not written, their loss and gradients are masked out); per-lane gradients reduced into
    /// Gradients once at the end, over the ranges the outer products do not cover.
    /// </summary>
    private static void WriteLaneDriver(SourceWriter w, NetworkSpec spec, NetworkLayout layout, Form form)
    {
        int groups = form.Groups.Length;
        WriteLanePassOpening(w, spec, layout, form, $"void ForwardLanes{form.Width}",
            [$"{ReadOnlySpanType} inputs", $"{SpanType} outputs", "int rows", "int tap", $"{SpanType} taps"], gradients: false);
        foreach (LayerLayout layer in layout.Layers)
            WriteLayerCalls(w, scratch => $"ForwardLayer{N(layer.Number)}{form.Suffix}(ref parameters, ref {scratch});");
        WriteBothPasses(w, pass => WriteUntransposeOutputs(w, layout, form, pass));
        if (layout.Tapped.Count > 0)
            WriteBothPasses(w, pass => WriteUntransposeTaps(w, layout, form, pass));
        w.CloseBlock();
        w.CloseBlock();
        WriteLanePassOpening(w, spec, layout, form, $"float AccumulateLanes{form.Width}", [$"{ReadOnlySpanType} inputs", $"{ReadOnlySpanType} targets", $"{SpanType} outputs", "int rows"], gradients: true);
        string Targets(int g) => $"_laneTargets.AsSpan<{form.Element}>().Slice({N(g)} * OutputCount, OutputCount)";
        WriteBothPasses(w, pass =>
        {
            for (int g = 0; g < groups; g++)
                w.WriteCall($"{LaneKernels}.Transpose", ["targets", RowStart(pass, g, groups), "OutputCount", Targets(pass * groups + g)], ";");
        });
        foreach (LayerLayout layer in layout.Layers)
            WriteLayerCalls(w, scratch => $"ForwardLayer{N(layer.Number)}{form.Suffix}(ref parameters, ref {scratch});");
        w.WriteLine("if (!outputs.IsEmpty)");
        w.OpenBlock();
        WriteBothPasses(w, pass => WriteUntransposeOutputs(w, layout, form, pass));
        w.CloseBlock();
        // A group past the end of the batch (the last pass's padding) keeps neither its loss nor its gradients.
        WriteBothPasses(w, pass =>
        {
            for (int g = 0; g < groups; g++)
            {
                string group = form.Groups[g] + (pass == 0 ? "" : N(pass + 1));
                int at = (pass * groups + g) * layout.ScratchLength;
                WriteLossCall(w, $"{form.Element} loss{group} = ", spec, layout.Output, form, Targets(pass * groups + g), at);
                string deltas = form.Scratch(at + layout.Output.Delta, layout.Output.Spec.Units, readOnly: false);
                w.WriteCall($"loss += {LaneKernels}.WithoutPadding", [$"loss{group}", deltas, $"rows - start - {N(pass * groups + g)} * lanes"], ";");
            }
        });
        foreach (LayerLayout layer in layout.Layers.Reverse())
            WriteLayerCalls(w, scratch => $"BackwardLayer{N(layer.Number)}{form.Suffix}(ref parameters, ref {scratch}, ref gradients{(SumsOuterProducts(layer, form) ? ", ref sums, _laneRows" : "")});");
        w.CloseBlock();
        List<(int Start, int Length)> perLane = PerLaneRanges(layout, form);
        if (perLane.Count == 1 && perLane[0].Length == layout.ParameterCount)
        {
            w.WriteLine($"{LaneKernels}.ReduceAndClear{form.KernelTypeArguments}(_laneGradients.AsSpan<{form.Element}>(), _gradients);");
        }
        else
        {
            w.WriteLine("// The per-lane gradients reduced into Gradients (the weights that summed outer products are there already).");
            foreach ((int start, int length) in perLane)
                w.WriteCall($"{LaneKernels}.ReduceAndClear{form.KernelTypeArguments}",
                    [$"_laneGradients.AsSpan<{form.Element}>().Slice({N(start)}, {N(length)})", $"new {SpanType}(_gradients, {N(start)}, {N(length)})"], ";");
        }
        w.WriteLine($"return Vector{form.Width}.Sum(loss);");
        w.CloseBlock();
    }

    /// <summary>The statements of the first pass, then the second's under <c>if (second)</c> (when rows remain for it).</summary>
    private static void WriteBothPasses(SourceWriter w, System.Action<int> writePass)
    {
        writePass(0);
        w.WriteLine("if (second)");
        w.OpenBlock();
        writePass(1);
        w.CloseBlock();
    }

    /// <summary>A layer method's call for the first pass, then for the second (one line each).</summary>
    private static void WriteLayerCalls(SourceWriter w, System.Func<string, string> call)
    {
        w.WriteLine(call(PassScratch(0)));
        w.WriteLine($"if (second) {call(PassScratch(1))}");
    }

    /// <summary>The lane scratch a pass's layer methods take: the first pass's at the start, the second's after it.</summary>
    private static string PassScratch(int pass) => pass == 0 ? "scratch" : "secondScratch";

    /// <summary>The first row of group <paramref name="g"/> of pass <paramref name="pass"/> in the step.</summary>
    private static string RowStart(int pass, int g, int groups) => $"start + {N(pass * groups + g)} * lanes";

    /// <summary>Each lane group's output activations of a pass back into rows of <c>outputs</c> (those of the batch).</summary>
    private static void WriteUntransposeOutputs(SourceWriter w, NetworkLayout layout, Form form, int pass)
    {
        int groups = form.Groups.Length;
        for (int g = 0; g < groups; g++)
            w.WriteCall($"{LaneKernels}.Untranspose<{form.Element}>",
                [form.Scratch((pass * groups + g) * layout.ScratchLength + layout.Output.Activation, layout.Output.Spec.Units, readOnly: true),
                 "OutputCount", "outputs", RowStart(pass, g, groups)], ";");
    }

    /// <summary>Each lane group's activations of tap <c>tap</c> (when ≥ 0) in a pass back into rows of <c>taps</c> (a network with taps).</summary>
    private static void WriteUntransposeTaps(SourceWriter w, NetworkLayout layout, Form form, int pass)
    {
        IReadOnlyList<LayerLayout> tapped = layout.Tapped;
        w.WriteLine("switch (tap)");
        w.OpenBlock();
        for (int t = 0; t < tapped.Count; t++)
        {
            int width = tapped[t].Spec.Units;
            w.WriteLine($"case {N(t)}:");
            w.Indent();
            int groups = form.Groups.Length;
            for (int g = 0; g < groups; g++)
                w.WriteCall($"{LaneKernels}.Untranspose<{form.Element}>",
                    [form.Scratch((pass * groups + g) * layout.ScratchLength + tapped[t].Activation, width, readOnly: true), N(width), "taps",
                     RowStart(pass, g, groups)], ";");
            w.WriteLine("break;");
            w.Unindent();
        }
        w.CloseBlock();
    }

    /// <summary>
    /// A lane-form driver method up to the inside of its loop over passes: the references to parameters, scratch
    /// (and per-lane gradients and the loss when <paramref name="gradients"/>), and each group's inputs transposed
    /// into its scratch (zeros past the end of the batch).
    /// </summary>
    private static void WriteLanePassOpening(SourceWriter w, NetworkSpec spec, NetworkLayout layout, Form form, string method, string[] parameters, bool gradients)
    {
        w.WriteLine();
        w.WriteLine(PassDriver);
        w.WriteCall("private " + method, parameters, "");
        w.OpenBlock();
        w.WriteLine($"ref float parameters = ref {Marshal}.GetArrayDataReference(_parameters);");
        w.WriteLine($"ref {form.Element} scratch = ref _laneScratch.Start<{form.Element}>();");
        if (gradients)
        {
            w.WriteLine($"ref {form.Element} gradients = ref _laneGradients.Start<{form.Element}>();");
            if (layout.Layers.Any(layer => SumsOuterProducts(layer, form)))
                w.WriteLine($"ref float sums = ref {Marshal}.GetArrayDataReference(_gradients);");
            w.WriteLine($"{form.Element} loss = {form.Zero};");
        }
        int groups = form.Groups.Length;
        w.WriteLine($"ref {form.Element} {PassScratch(1)} = ref {Unsafe}.Add(ref scratch, {N(groups * layout.ScratchLength)});");
        w.WriteLine($"int lanes = {form.Element}.Count;");
        w.WriteLine($"for (int start = 0; start < rows; start += {N(PassesAStep * groups)} * lanes)");
        w.OpenBlock();
        w.WriteLine($"bool second = {RowStart(1, 0, groups)} < rows; // the step's second pass, when rows remain for it");
        WriteBothPasses(w, pass =>
        {
            for (int g = 0; g < groups; g++)
            {
                int at = (pass * groups + g) * layout.ScratchLength;
                w.WriteLine($"// x{form.Groups[g]}{(pass == 0 ? "" : " of the second pass")} at {N(at)}");
                w.WriteCall($"{LaneKernels}.Transpose", ["inputs", RowStart(pass, g, groups), "InputCount", form.Scratch(at, spec.Inputs, readOnly: false)], ";");
            }
        });
    }

    /// <summary>
    /// Whether a layer's weight gradients in <paramref name="form"/> go straight into Gradients as outer products of
    /// its dz and its input over each group's lanes (LaneKernels.AccumulateOuterProducts), instead of into per-lane
    /// copies that a horizontal sum reduces at the end of the call: when it has at least a vector's worth of units
    /// (each pass transposes the input, which a narrow layer's few sums do not repay) and its fan-in is whole vectors
    /// or, at 16 lanes, fills at least five eighths of the whole vectors it rounds up to: the last vector of each weight
    /// row is then loaded and stored under an AVX-512 mask, and the padding's products are wasted work (measured on
    /// 16-16-2 networks of 8 to 30 inputs: from 10 inputs on as fast or faster at batch 256, 5-22 % faster at batch 32;
    /// with 8 inputs up to 15 % slower at 256). At 8 lanes only whole vectors: 13 inputs measured 7-12 % slower that way
    /// with AVX's masked store and still slower with a blend and a whole store instead.
    /// </summary>
    private static bool SumsOuterProducts(LayerLayout layer, Form form) =>
        form.IsLanes && layer.Spec.Unrolled && layer.Spec.Units >= form.LaneCount
        && (layer.FanIn % form.LaneCount == 0 || (form.LaneCount == 16 && 8 * layer.FanIn >= 5 * PaddedFanIn(layer, form)));

    /// <summary>A layer's fan-in rounded up to whole vectors of <paramref name="form"/>: the length of the rows its outer products multiply.</summary>
    private static int PaddedFanIn(LayerLayout layer, Form form) => (layer.FanIn + form.LaneCount - 1) / form.LaneCount * form.LaneCount;

    /// <summary>Floats of the rows the outer products write both groups' inputs into: the most any lane form needs.</summary>
    private static int LaneRowsLength(NetworkLayout layout) =>
        LaneForms.SelectMany(form => layout.Layers.Where(layer => SumsOuterProducts(layer, form)).Select(layer => form.Groups.Length * form.LaneCount * PaddedFanIn(layer, form)))
            .DefaultIfEmpty(0).Max();

    /// <summary>The parameter ranges whose gradients <paramref name="form"/> keeps per lane: all but the weights that sum outer products.</summary>
    private static List<(int Start, int Length)> PerLaneRanges(NetworkLayout layout, Form form)
    {
        var ranges = new List<(int Start, int Length)>();
        int start = 0;
        foreach (LayerLayout layer in layout.Layers)
        {
            if (!SumsOuterProducts(layer, form)) continue;
            if (layer.Weights > start) ranges.Add((start, layer.Weights - start));
            start = layer.Bias;
        }
        if (layout.ParameterCount > start) ranges.Add((start, layout.ParameterCount - start));
        return ranges;
    }
}
