using System.Globalization;
using System.Linq;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// One forward and one backward method per layer, for the per-sample form (float elements) and the lane form (vector
/// elements): the Form says which. Unrolled layers write their products with the blocked writer
/// (NetworkEmitter.Blocked.cs); looped layers call the runtime's DenseKernels.
/// </summary>
internal static partial class NetworkEmitter
{
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
            if (!activation.IsIdentity)
                WriteSpan(w, readOnly: false, "a" + G, "scratch", at + layer.Activation, units, $"a{l} [{N(units)}]{GroupComment(G)}");
        }
        // Element-wise activations of narrow layers are applied per unit, in registers; wide layers, looped layers and
        // softmax (across units) call the runtime's kernel once per layer (and lane group): the kernel's loop
        // vectorises across units in the scalar form, and in the lane form it keeps the layer method small enough
        // for the JIT to inline all of its FMAs and broadcasts.
        bool perUnitActivation = layer.Spec.Unrolled && activation.PerUnitIn(units);
        if (layer.Spec.Unrolled)
        {
            WriteMatrixVector(w, form, units, fanIn, Partials(form, units, fanIn), "unit",
                initial: o => form.Broadcast($"b[{N(o)}]"),
                weight: (o, i) => form.Broadcast($"w[{N(o * fanIn + i)}]"),
                input: (i, G) => $"x{G}[{N(i)}]",
                store: (o, s, G) => perUnitActivation
                    ? [$"z{G}[{N(o)}] = {s};", $"a{G}[{N(o)}] = {Activations}.{layer.Spec.Activation}{form.KernelTypeArguments}({s});"]
                    : [$"z{G}[{N(o)}] = {s};"],
                loop: form.IsLanes ? new InputLoop("i", "input", G => $"x{G}[i]", o => form.Broadcast($"w[{Plus(o * fanIn, "i")}]")) : null);
        }
        else
        {
            w.WriteLine($"{Dense}.Forward(w, b, x, z);");
        }
        if (!activation.IsIdentity && !perUnitActivation)
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
        bool outerProducts = SumsOuterProducts(layer, form);
        string[] parameters = outerProducts
            ? ["ref float parameters", $"ref {form.Element} scratch", $"ref {form.Element} gradients", "ref float sums", $"{SpanType} rows"]
            : ["ref float parameters", $"ref {form.Element} scratch", $"ref {form.Element} gradients"];
        w.WriteCall($"private static void BackwardLayer{l}{form.Suffix}", parameters, "");
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
        if (outerProducts)
            WriteSpan(w, readOnly: false, "dw", "sums", layer.Weights, units * fanIn, $"dW{l} [{N(units)} x {N(fanIn)}], summed over the lanes");
        else
            WriteSpan(w, readOnly: false, "dw", "gradients", layer.Weights, units * fanIn, $"dW{l} [{N(units)} x {N(fanIn)}]{perLane}");
        WriteSpan(w, readOnly: false, "db", "gradients", layer.Bias, units, $"db{l} [{N(units)}]{perLane}");

        // Unrolled layers multiply by the activation's derivative per unit, in registers; looped layers call the
        // runtime kernel once per layer, in place.
        string derivativeArguments = facts.DerivativeReadsA && facts.DerivativeReadsZ ? "a{1}[{0}], z{1}[{0}]" : needsActivation ? "a{1}[{0}]" : "z{1}[{0}]";
        bool perUnitDerivative = layer.Spec.Unrolled && !foldedIntoLoss && facts.ElementWise;
        bool storesDeltas = perUnitDerivative && (hasInputDelta || outerProducts);
        if (perUnitDerivative)
            w.WriteLine($"// dz{l} = d{l} ⊙ {activation}'(z{l}) per unit below, {activation}'(z) = {facts.Derivative}" +
                (storesDeltas ? $"; stored back into d{l} for {string.Join(" and ", new[] { hasInputDelta ? "d" + previous : null, outerProducts ? "dW" + l : null }.Where(use => use is not null))}." : "."));
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
            int blockSize = form.Accumulators / groups.Length;
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
                if (storesDeltas)
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
                else if (!outerProducts && form.IsLanes && fanIn >= LoopFrom)
                {
                    // The per-lane weight gradients as a loop over the inputs (LoopFrom), the block's updates inside.
                    w.WriteLine($"for (int i = 0; i < {N(fanIn)}; i++)");
                    w.OpenBlock();
                    foreach (string G in groups)
                        w.WriteLine($"{form.Element} v{G} = x{G}[i];");
                    foreach (int o in block)
                        WriteWeightGradient(w, form, groups, o, Plus(o * fanIn, "i"));
                    w.CloseBlock();
                }
                else if (!outerProducts)
                {
                    for (int i = 0; i < fanIn; i++)
                    {
                        foreach (string G in groups)
                            w.WriteLine($"{(i == 0 ? form.Element + " " : "")}v{G} = x{G}[{N(i)}];");
                        foreach (int o in block)
                            WriteWeightGradient(w, form, groups, o, N(o * fanIn + i));
                    }
                }
                w.CloseBlock();
            }
            if (outerProducts)
            {
                w.WriteLine($"// dW{l} += dz{l} · {input}ᵀ over both groups' lanes, straight into the summed gradients.");
                w.WriteLine($"{LaneKernels}.AccumulateOuterProducts{form.KernelTypeArguments}({string.Join(", ", groups.Select(G => $"d{G}, x{G}"))}, rows, dw);");
            }
            if (hasInputDelta && rows)
                WriteTransposedRows(w, units, fanIn);
            else if (hasInputDelta)
                WriteMatrixVector(w, form, fanIn, units, Partials(form, fanIn, units), "input",
                    initial: _ => form.Zero,
                    weight: (i, o) => form.Broadcast($"w[{N(o * fanIn + i)}]"),
                    input: (o, G) => $"d{G}[{N(o)}]",
                    store: (i, s, G) => [$"dx{G}[{N(i)}] = {s};"],
                    loop: form.IsLanes ? new InputLoop("o", "unit", G => $"d{G}[o]", i => form.Broadcast($"w[o * {N(fanIn)}{(i == 0 ? "" : " + " + N(i))}]")) : null);
        }
        else
        {
            w.WriteLine($"{Dense}.AccumulateGradients(d, x, dw, db);");
            if (hasInputDelta)
                w.WriteLine($"{Dense}.Backpropagate(w, d, dx);");
        }
        w.CloseBlock();
    }

    /// <summary>dw[k] += Σ over the groups of dz{o}{G}·v{G}: unit o's weight gradient at index k (a number or an expression).</summary>
    private static void WriteWeightGradient(SourceWriter w, Form form, string[] groups, int o, string k)
    {
        string sum = $"dw[{k}]";
        foreach (string G in groups) sum = form.MultiplyAdd($"dz{N(o)}{G}", $"v{G}", sum);
        w.WriteLine($"dw[{k}] = {sum};");
    }

    /// <summary>"i" for an offset of 0, else "48 + i": an index into a span at a constant offset plus a loop variable.</summary>
    private static string Plus(int offset, string index) => offset == 0 ? index : $"{N(offset)} + {index}";

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
        return ActivationFacts.Of(activation).IsIdentity ? $"dz{l} = d{l} (Linear)" : $"dz{l} = d{l} ⊙ {activation}'(z{l})";
    }

    /// <summary>The statement (or comment) that turns d = dLoss/da into dz = dLoss/dz in place, with the span kernels.</summary>
    private static string ActivationBackward(NetworkSpec spec, LayerLayout layer, bool isOutput)
    {
        string l = N(layer.Number);
        ActivationKind activation = layer.Spec.Activation;
        ActivationFacts facts = ActivationFacts.Of(activation);
        if (isOutput && facts.FoldsInto(spec.Loss))
            return $"// d{l} already holds dz{l}: the loss gradient has the {activation} derivative folded in.";
        if (facts.IsIdentity)
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
}
