using System.Linq;

namespace HiddenSpace.Gen.Emitting;

/// <summary>
/// The blocked FMA writer every unrolled form shares (trainable per-sample and lane forms, baked, standalone): blocks
/// of accumulators whose FMA chains overlap, each block labelled with the indices it holds, one statement a line.
/// </summary>
internal static partial class NetworkEmitter
{
    // Outputs computed together in one block: 8 accumulators + the shared input + a broadcast weight fit the
    // 16 vector registers of AVX2 (and hide the 4-cycle FMA latency behind 8 independent chains).
    private const int AccumulatorBlock = 8;

    // Floats in one piece of a weight row in the scalar form's gradient code (Vector128: accelerated on x64 and ARM64).
    private const int RowPiece = 4;

    /// <summary>"units 8..15", "unit 3": the indices a block of the unrolled code holds.</summary>
    private static string RangeLabel(string noun, int[] block) =>
        block.Length == 1 ? $"{noun} {N(block[0])}" : $"{noun}s {N(block[0])}..{N(block[block.Length - 1])}";

    /// <summary>
    /// Inputs from which the lane form's products run as a loop over the inputs (one pass an input, the block's FMAs
    /// unrolled inside) instead of one statement an FMA. Straight-line code of a whole pass likely outgrows what the
    /// core's front end holds (no counters on the VM measured to show it): the seed net's unrolled lane methods were
    /// ~25 KB of machine code a pass (the 16 × 16 layer's forward 6.2 KB and backward 7.9 KB), the looped ones 1.0 and
    /// 2.7 KB, and the looped pass ran faster (benchmarks/RESULTS.md, "loops in the lane form"). Narrow fan-ins (the 2
    /// inputs of a 2-D point) stay unrolled.
    /// </summary>
    private const int LoopFrom = 8;

    /// <summary>
    /// How <see cref="WriteMatrixVector"/> writes a loop over the inputs: the loop variable, what the inputs are called in
    /// the block's comment, group G's input at the loop variable, and output o's weight at the loop variable.
    /// </summary>
    private sealed record InputLoop(string Index, string Noun, System.Func<string, string> Input, System.Func<int, string> Weight);

    // At most this many partial sums an output (see Partials).
    private const int MaxPartials = 4;

    /// <summary>
    /// Partial sums an output of a per-sample layer of <paramref name="units"/> units gets: a layer narrower than
    /// <see cref="AccumulatorBlock"/> runs fewer FMA chains than the 4-cycle latency needs, each as long as the fan-in,
    /// and the per-sample step waits on them (the seed network's 2-unit layer: 16 FMAs in a row). Its sums are split
    /// over every P-th input, P a power of 2 up to <see cref="MaxPartials"/>, each chain at least 4 inputs long, so
    /// about AccumulatorBlock chains run; a function of the layer alone, so every per-sample form (trainable, baked,
    /// standalone) adds in the same order and gets the same bits.
    /// </summary>
    private static int Partials(int units, int fanIn) => Partials(units, fanIn, AccumulatorBlock);

    /// <summary>
    /// <see cref="Partials(int, int)"/> for a form's layer: about <see cref="Form.Accumulators"/> chains over the form's
    /// groups (the scalar form's one group of AccumulatorBlock: the same split). The lane form's narrow layers wait on
    /// their chains too: the seed network's 2-unit layer was 4 chains of 16 FMAs a pass (2 units × 2 groups), half the
    /// rate of the Zen 5's two 512-bit FMA pipes; 4 partial sums each at 512 bits (the per-sample form's, so the same
    /// bits), 2 at 256 and 128 bits, where 16 chains would not fit the registers.
    /// </summary>
    private static int Partials(Form form, int units, int fanIn) => Partials(units, fanIn, form.Accumulators / form.Groups.Length);

    private static int Partials(int units, int fanIn, int accumulators)
    {
        int most = System.Math.Min(System.Math.Min(accumulators / System.Math.Max(units, 1), MaxPartials), fanIn / 4);
        return most >= 4 ? 4 : most >= 2 ? 2 : 1;
    }

    /// <summary>
    /// Writes out[o] = initial(o) + Σ_i weight(o, i)·input(i) for every output o and every group of the form, in
    /// blocks of <see cref="AccumulatorBlock"/> accumulators (outputs × groups): each input read once a block, each
    /// weight (an expression of the form's element type: a load, a broadcast or a constant) written once for all
    /// groups, and the block's FMA chains interleaved so they overlap instead of each waiting on its own latency.
    /// Each block says which outputs (<paramref name="noun"/>s) it holds, and the accumulator of output o is s{o}.
    /// With <paramref name="partials"/> P &gt; 1 (<see cref="Partials"/>), input i goes to output o's partial sum i mod P
    /// (s{o}, s{o}_1, …), added pairwise before the store: (s + s_1) + (s_2 + s_3).
    /// </summary>
    private static void WriteMatrixVector(SourceWriter w, Form form, int outputs, int inputs, int partials, string noun, System.Func<int, string> initial,
        System.Func<int, int, string> weight, System.Func<int, string, string> input, System.Func<int, string, string, string[]> store,
        InputLoop? loop = null)
    {
        string[] groups = form.Groups;
        int blockSize = form.Accumulators / groups.Length;
        bool looped = loop is not null && partials == 1 && inputs >= LoopFrom;
        string Sum(int o, string G, int partial) => partial == 0 ? $"s{N(o)}{G}" : $"s{N(o)}{G}_{N(partial)}";
        for (int first = 0; first < outputs; first += blockSize)
        {
            int[] block = Enumerable.Range(first, System.Math.Min(blockSize, outputs - first)).ToArray();
            w.OpenBlock();
            w.WriteLine("// " + RangeLabel(noun, block) + (partials > 1 ? $", {N(partials)} partial sums each (input i into sum i mod {N(partials)})" : "")
                + (looped ? $", a loop over the {N(inputs)} {loop!.Noun}s" : ""));
            foreach (string G in groups)
                foreach (int o in block)
                    for (int partial = 0; partial < partials; partial++)
                        w.WriteLine($"{form.Element} {Sum(o, G, partial)} = {(partial == 0 ? initial(o) : form.Zero)};");
            // One input for every accumulator of the block: the groups' inputs, then each output's weight (broadcast
            // once into wv for all groups) times each group's input into the output's sum. The first step declares
            // its locals; a loop's body is that first step, once a pass.
            void WriteStep(System.Func<string, string> inputOf, System.Func<int, string> weightOf, bool declare, int partial)
            {
                foreach (string G in groups)
                    w.WriteLine($"{(declare ? form.Element + " " : "")}v{G} = {inputOf(G)};");
                foreach (int o in block)
                {
                    string factor = weightOf(o);
                    if (groups.Length > 1)
                    {
                        w.WriteLine($"{(declare && o == first ? form.Element + " " : "")}wv = {factor};");
                        factor = "wv";
                    }
                    foreach (string G in groups)
                        w.WriteLine($"{Sum(o, G, partial)} = {form.MultiplyAdd(factor, $"v{G}", Sum(o, G, partial))};");
                }
            }
            if (looped)
            {
                // In the order the unrolled statements take, so the same sums and bits.
                string i = loop!.Index;
                w.WriteLine($"for (int {i} = 0; {i} < {N(inputs)}; {i}++)");
                w.OpenBlock();
                WriteStep(loop.Input, loop.Weight, declare: true, partial: 0);
                w.CloseBlock();
            }
            else
            {
                for (int i = 0; i < inputs; i++)
                    WriteStep(G => input(i, G), o => weight(o, i), declare: i == 0, partial: i % partials);
            }
            foreach (string G in groups)
                foreach (int o in block)
                {
                    WriteAddPartials(w, partials, partial => Sum(o, G, partial));
                    foreach (string statement in store(o, Sum(o, G, 0), G))
                        w.WriteLine(statement);
                }
            w.CloseBlock();
        }
    }

    /// <summary>
    /// dx = Wᵀ·d in 4-float pieces of dx (scalar form, fan-in a multiple of 4): for a block of up to
    /// <see cref="AccumulatorBlock"/> pieces, one accumulator a piece (s{c} holds dx[4c..4c+3]); each unit's d broadcast
    /// once and multiplied into the matching pieces of its weight row. A block of few pieces splits each piece's sum
    /// over the units as <see cref="WriteMatrixVector"/> splits a narrow layer's (<see cref="Partials"/>: unit o into
    /// partial sum o mod P).
    /// </summary>
    private static void WriteTransposedRows(SourceWriter w, int units, int fanIn)
    {
        w.WriteLine($"ref float wRow = ref {Marshal}.GetReference(w);");
        w.WriteLine($"ref float dxRow = ref {Marshal}.GetReference(dx);");
        int pieces = fanIn / RowPiece;
        for (int first = 0; first < pieces; first += AccumulatorBlock)
        {
            int[] block = Enumerable.Range(first, System.Math.Min(AccumulatorBlock, pieces - first)).ToArray();
            int partials = Partials(block.Length, units);
            string Sum(int c, int partial) => partial == 0 ? $"s{N(c)}" : $"s{N(c)}_{N(partial)}";
            w.OpenBlock();
            w.WriteLine($"// inputs {N(block[0] * RowPiece)}..{N(block[block.Length - 1] * RowPiece + RowPiece - 1)}, {N(RowPiece)} a piece"
                + (partials > 1 ? $", {N(partials)} partial sums each (unit o into sum o mod {N(partials)})" : ""));
            foreach (int c in block)
                for (int partial = 0; partial < partials; partial++)
                    w.WriteLine($"{PieceElement} {Sum(c, partial)} = {PieceElement}.Zero;");
            for (int o = 0; o < units; o++)
            {
                w.WriteLine($"{(o == 0 ? PieceElement + " " : "")}scale = {Piece}.Create(d[{N(o)}]);");
                foreach (int c in block)
                    w.WriteLine($"{Sum(c, o % partials)} = {RowKernels}.MultiplyAdd(scale, ref wRow, {N(o * fanIn + c * RowPiece)}, {Sum(c, o % partials)});");
            }
            foreach (int c in block)
            {
                WriteAddPartials(w, partials, partial => Sum(c, partial));
                w.WriteLine($"{RowKernels}.Store({Sum(c, 0)}, ref dxRow, {N(c * RowPiece)});");
            }
            w.CloseBlock();
        }
    }

    /// <summary>The partial sums of one output added into the first, pairwise: s += s_1, or s = (s + s_1) + (s_2 + s_3).</summary>
    private static void WriteAddPartials(SourceWriter w, int partials, System.Func<int, string> sum)
    {
        if (partials == 2) w.WriteLine($"{sum(0)} += {sum(1)};");
        if (partials == 4) w.WriteLine($"{sum(0)} = ({sum(0)} + {sum(1)}) + ({sum(2)} + {sum(3)});");
    }
}
