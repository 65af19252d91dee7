using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Data;

public class StandardizerTests
{
    private static Dataset WithConstantColumn()
    {
        var random = new SeededRandom(3);
        const int rows = 200;
        var features = new float[rows * 3];
        for (int i = 0; i < rows; i++)
        {
            features[3 * i] = (float)(5 + 3 * random.NextGaussian());
            features[3 * i + 1] = 0.1f; // constant, and 0.1f sums with a rounding residue
            features[3 * i + 2] = (float)random.NextDouble(-100, -90);
        }
        return Dataset.ForRegression("constant", 3, features, new float[rows]);
    }

    [Fact]
    public void TrainingFeaturesGetMeanZeroAndPopulationDeviationOne()
    {
        Dataset train = WithConstantColumn();
        Standardizer standardizer = Standardizer.Fit(train);
        Dataset standardized = standardizer.Apply(train);
        foreach (int f in new[] { 0, 2 })
        {
            double[] column = Enumerable.Range(0, standardized.Count).Select(i => (double)standardized.Row(i)[f]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 6);
            Assert.Equal(1, Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average()), 6);

            double[] raw = Enumerable.Range(0, train.Count).Select(i => (double)train.Row(i)[f]).ToArray();
            double rawMean = raw.Average();
            Assert.Equal(rawMean, standardizer.Means[f], 9);
            Assert.Equal(Math.Sqrt(raw.Select(v => (v - rawMean) * (v - rawMean)).Sum() / raw.Length), standardizer.Deviations[f], 9);
        }
    }

    [Fact]
    public void AConstantColumnMapsToExactlyZero()
    {
        Dataset train = WithConstantColumn();
        Standardizer standardizer = Standardizer.Fit(train);
        Assert.Equal(1.0, standardizer.Deviations[1]);
        Dataset standardized = standardizer.Apply(train);
        Assert.All(Enumerable.Range(0, standardized.Count), i => Assert.Equal(0f, standardized.Row(i)[1]));
    }

    [Fact]
    public void OtherDataUsesTheTrainingStatisticsAndKeepsTheTargets()
    {
        Dataset train = Datasets.Blobs(300, seed: 1);
        Dataset test = Datasets.Blobs(50, seed: 2);
        Standardizer standardizer = Standardizer.Fit(train);
        Dataset standardized = standardizer.Apply(test);
        Assert.Equal(test.Labels.ToArray(), standardized.Labels.ToArray());
        for (int i = 0; i < test.Count; i++)
            for (int f = 0; f < 2; f++)
                Assert.Equal((test.Row(i)[f] - standardizer.Means[f]) / standardizer.Deviations[f], standardized.Row(i)[f], 5);

        var row = test.Row(7).ToArray();
        standardizer.Apply(row, row);
        Assert.Equal(standardized.Row(7).ToArray(), row);
    }

    [Fact]
    public void MismatchedLengthsAreReported()
    {
        Standardizer standardizer = Standardizer.Fit(Datasets.Blobs(30, seed: 1));
        var rowError = Assert.Throws<ArgumentException>(() => standardizer.Apply(new float[3], new float[2]));
        Assert.Equal("row", rowError.ParamName);
        Assert.Contains("3 values", rowError.Message);
        Assert.Contains("fitted on 2", rowError.Message);
        var destinationError = Assert.Throws<ArgumentException>(() => standardizer.Apply(new float[2], new float[1]));
        Assert.Equal("destination", destinationError.ParamName);
        var dataError = Assert.Throws<ArgumentException>(() => standardizer.Apply(Datasets.Blobs(30, features: 4)));
        Assert.Contains("has 4 features", dataError.Message);
    }
}
