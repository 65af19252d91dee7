using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Export;

/// <summary>The output layer's class regions on the tap plane are exact polygons: checked against the argmax at sample points.</summary>
public class OutputRegionsTests
{
    [Fact]
    public void EverySamplePointLiesInTheRegionOfItsPredictedClassAndTheRegionsTileTheRectangle()
    {
        var random = new SeededRandom(17);
        for (int trial = 0; trial < 200; trial++)
        {
            int units = trial % 5 == 0 ? 1 : 2 + random.NextInt(4);
            Activation activation = units == 1 ? Activation.Sigmoid : Activation.Softmax;
            float[] weights = Enumerable.Range(0, 2 * units).Select(_ => (float)random.NextGaussian()).ToArray();
            float[] biases = Enumerable.Range(0, units).Select(_ => (float)random.NextGaussian()).ToArray();
            double minX = random.NextDouble(-3, 0), minY = random.NextDouble(-3, 0);
            var bounds = new PlotBounds(minX, minX + random.NextDouble(0.5, 4), minY, minY + random.NextDouble(0.5, 4));
            var regions = OutputRegions.Of(weights, biases, activation, bounds);
            Assert.Equal(units == 1 ? 2 : units, regions.Count);

            double area = regions.Sum(Area);
            Assert.True(Math.Abs(area - bounds.SpanX * bounds.SpanY) < 1e-9 * bounds.SpanX * bounds.SpanY, $"trial {trial}: the regions cover {area} of {bounds.SpanX * bounds.SpanY}");
            var output = new float[units];
            for (int sample = 0; sample < 200; sample++)
            {
                double x = random.NextDouble(bounds.MinX, bounds.MaxX), y = random.NextDouble(bounds.MinY, bounds.MaxY);
                for (int k = 0; k < units; k++) output[k] = (float)(weights[2 * k] * x + weights[2 * k + 1] * y + biases[k]);
                int predicted = units == 1 ? (output[0] >= 0 ? 1 : 0) : Metrics.PredictedClass(output);
                double scale = bounds.SpanX + bounds.SpanY;
                Assert.True(Inside(regions[predicted], x, y, 1e-9 * scale), $"trial {trial}: ({x}, {y}) of class {predicted} is outside its region");
                for (int k = 0; k < regions.Count; k++)
                    if (k != predicted) Assert.False(Inside(regions[k], x, y, -1e-6 * scale), $"trial {trial}: ({x}, {y}) of class {predicted} is deep inside region {k}");
            }
        }
    }

    [Fact]
    public void ABinaryLayerSplitsTheRectangleAlongItsDecisionLine()
    {
        // z = x − y: class 1 below the diagonal of the unit square, class 0 above.
        var regions = OutputRegions.Of([1f, -1f], [0f], Activation.Sigmoid, new PlotBounds(0, 1, 0, 1));
        Assert.Equal([0.0, 0, 1, 1, 0, 1], regions[0]);
        Assert.Equal([0.0, 0, 1, 0, 1, 1], regions[1]);
        Assert.Empty(OutputRegions.Of([0f, 0f], [-1f], Activation.Sigmoid, new PlotBounds(0, 1, 0, 1))[1]); // class 1 nowhere
        Assert.Equal("activation", Assert.Throws<ArgumentException>(() => OutputRegions.Of([1f, 1f], [0f], Activation.Linear, new PlotBounds(0, 1, 0, 1))).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => OutputRegions.Of([1f, float.NaN, 0f, 0f], [0f, 0f], Activation.Softmax, new PlotBounds(0, 1, 0, 1))).ParamName);
    }

    private static double Area(double[] polygon)
    {
        double twice = 0;
        for (int v = 0; v < polygon.Length; v += 2)
        {
            int next = (v + 2) % polygon.Length;
            twice += polygon[v] * polygon[next + 1] - polygon[next] * polygon[v + 1];
        }
        return twice / 2;
    }

    /// <summary>Whether (x, y) is within <paramref name="tolerance"/> of the counter-clockwise convex polygon (negative: at least that far inside).</summary>
    private static bool Inside(double[] polygon, double x, double y, double tolerance)
    {
        if (polygon.Length < 6) return false;
        for (int v = 0; v < polygon.Length; v += 2)
        {
            int next = (v + 2) % polygon.Length;
            double ex = polygon[next] - polygon[v], ey = polygon[next + 1] - polygon[v + 1];
            double length = Math.Sqrt(ex * ex + ey * ey);
            if (length == 0) continue;
            double left = (ex * (y - polygon[v + 1]) - ey * (x - polygon[v])) / length; // signed distance, positive inside
            if (left < -tolerance) return false;
        }
        return true;
    }
}
