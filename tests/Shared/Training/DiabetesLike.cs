using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace HiddenSpace.Tests.Training;

/// <summary>
/// A synthetic stand-in for scikit-learn's diabetes set (not available offline): 442 rows, ten features on
/// realistic raw scales (age, sex, bmi, bp, s1–s6), and a target with mean 152 and deviation 77 that is mostly
/// linear in the features plus one interaction, with noise, so a least-squares fit explains about half of it.
/// </summary>
internal static class DiabetesLike
{
    public const int Rows = 442;

    public static readonly string[] FeatureNames = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];

    private static readonly double[] Means = [48.5, 1.47, 26.4, 94.6, 189.1, 115.4, 49.8, 4.07, 4.64, 91.3];
    private static readonly double[] Deviations = [13.1, 0.5, 4.4, 13.8, 34.6, 30.4, 12.9, 1.29, 0.52, 11.5];

    /// <summary>The rows (features on their raw scales) and the target.</summary>
    public static Dataset Create(int seed = 0)
    {
        var random = new SeededRandom(seed);
        var features = new float[Rows * 10];
        var targets = new float[Rows];
        var z = new double[10];
        for (int i = 0; i < Rows; i++)
        {
            for (int f = 0; f < 10; f++)
            {
                z[f] = random.NextGaussian();
                features[i * 10 + f] = (float)(Means[f] + Deviations[f] * z[f]);
            }
            double signal = 0.55 * z[2] + 0.45 * z[8] + 0.25 * z[3] - 0.2 * z[6] + 0.1 * z[0] + 0.25 * z[2] * z[8];
            double noise = 0.7 * random.NextGaussian();
            targets[i] = (float)(152 + 77 * (signal + noise) / 1.08); // deviation of signal + noise: √(0.68 + 0.49) ≈ 1.08
        }
        return Dataset.ForRegression("diabetes-like", 10, features, targets, FeatureNames, "target");
    }

    /// <summary>The set as a CSV file with a header row, the target in column 'target'.</summary>
    public static void WriteCsv(string path, int seed = 0)
    {
        Dataset data = Create(seed);
        var csv = new StringBuilder(string.Join(",", FeatureNames) + ",target\n");
        for (int i = 0; i < data.Count; i++)
        {
            foreach (float value in data.Row(i)) csv.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            csv.Append(data.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        File.WriteAllText(path, csv.ToString());
    }
}
