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
}
