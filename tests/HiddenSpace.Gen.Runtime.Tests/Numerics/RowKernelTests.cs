using System;
using System.Runtime.Intrinsics;
using HiddenSpace.Kernels;
using Xunit;

namespace HiddenSpace.Tests.Numerics;

public class RowKernelTests
{
    [Fact]
    public void MultiplyAddIntoARowTouchesExactlyTheFourFloatsAtTheOffset()
    {
        float[] x = [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f];
        float[] row = [10f, 10f, 10f, 10f, 10f, 10f, 10f, 10f, 10f, 10f];
        RowKernels.MultiplyAdd(Vector128.Create(0.5f), ref x[0], 4, ref row[0], 3);
        Assert.Equal([10f, 10f, 10f, 12.5f, 13f, 13.5f, 14f, 10f, 10f, 10f], row);
    }

    [Fact]
    public void MultiplyAddIntoAnAccumulatorAndStoreMatchFusedScalarArithmetic()
    {
        float[] row = [0.1f, -0.2f, 0.3f, -0.4f, 0.5f, 0.6f];
        Vector128<float> sum = RowKernels.MultiplyAdd(Vector128.Create(3f), ref row[0], 2, Vector128.Create(1f, 2f, 3f, 4f));
        var result = new float[6];
        RowKernels.Store(sum, ref result[0], 1);
        float[] expected = [0f, MathF.FusedMultiplyAdd(3f, 0.3f, 1f), MathF.FusedMultiplyAdd(3f, -0.4f, 2f), MathF.FusedMultiplyAdd(3f, 0.5f, 3f), MathF.FusedMultiplyAdd(3f, 0.6f, 4f), 0f];
        Assert.Equal(expected, result);
    }
}
