using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// Seeded synthetic data sets with two (or, for <see cref="Blobs"/>, any number of) float features.
/// Every set is determined by its arguments: all randomness comes from one <see cref="SeededRandom"/>
/// created from <c>seed</c>. The classification sets follow scikit-learn's generators: the rows are laid
/// out class by class, shuffled, and only then is the Gaussian noise added, coordinate by coordinate.
/// </summary>
public static class Datasets
{
    /// <summary>The names <see cref="ByName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(new[] { "moons", "circles", "xor", "spiral", "blobs" });

    /// <summary>
    /// Two interleaving half circles, like scikit-learn's <c>make_moons</c>. Label 0 is the outer moon
    /// (x = cos t, y = sin t), label 1 the inner one (x = 1 − cos t, y = 0.5 − sin t), each with t evenly
    /// spaced over [0, π] endpoints included; <c>count / 2</c> outer rows, the rest inner.
    /// </summary>
    /// <param name="count">Number of rows, at least 2.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise added to each coordinate.</param>
    /// <param name="seed">Seed of the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Dataset Moons(int count = 1000, double noise = 0.1, int seed = 0)
    {
        RequireCount(count, 2);
        RequireNoise(noise, nameof(noise));
        int outer = count / 2;
        var points = new double[count * 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            bool isOuter = i < outer;
            double t = Linspace(0, Math.PI, isOuter ? i : i - outer, isOuter ? outer : count - outer);
            points[2 * i] = isOuter ? Math.Cos(t) : 1 - Math.Cos(t);
            points[2 * i + 1] = isOuter ? Math.Sin(t) : 0.5 - Math.Sin(t);
            labels[i] = isOuter ? 0 : 1;
        }
        return Finish("moons", points, 2, labels, 2, noise, new SeededRandom(seed));
    }

    /// <summary>
    /// Two concentric circles, like scikit-learn's <c>make_circles</c>: label 0 on the unit circle,
    /// label 1 on the circle of radius <paramref name="factor"/>, angles evenly spaced over [0, 2π)
    /// starting at 0; <c>count / 2</c> outer rows, the rest inner.
    /// </summary>
    /// <param name="count">Number of rows, at least 2.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise added to each coordinate.</param>
    /// <param name="factor">Radius of the inner circle, in [0, 1).</param>
    /// <param name="seed">Seed of the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Dataset Circles(int count = 1000, double noise = 0.05, double factor = 0.5, int seed = 0)
    {
        RequireCount(count, 2);
        RequireNoise(noise, nameof(noise));
        if (!(factor >= 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The inner circle's radius must be in [0, 1).");
        int outer = count / 2;
        var points = new double[count * 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            bool isOuter = i < outer;
            int onCircle = isOuter ? outer : count - outer;
            double t = 2 * Math.PI * (isOuter ? i : i - outer) / onCircle;
            double radius = isOuter ? 1 : factor;
            points[2 * i] = radius * Math.Cos(t);
            points[2 * i + 1] = radius * Math.Sin(t);
            labels[i] = isOuter ? 0 : 1;
        }
        return Finish("circles", points, 2, labels, 2, noise, new SeededRandom(seed));
    }

    /// <summary>
    /// Four Gaussian clusters centred on (±1, ±1), filled in turn so their sizes differ by at most one.
    /// A row's label is 1 when its cluster centre has coordinates of opposite sign (x·y &lt; 0), else 0;
    /// with large noise some rows therefore lie in the other class's quadrant.
    /// </summary>
    /// <param name="count">Number of rows, at least 2.</param>
    /// <param name="noise">Standard deviation of each cluster, per coordinate.</param>
    /// <param name="seed">Seed of the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Dataset Xor(int count = 1000, double noise = 0.1, int seed = 0)
    {
        RequireCount(count, 2);
        RequireNoise(noise, nameof(noise));
        var points = new double[count * 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int cluster = i % 4;
            double x = (cluster & 1) == 0 ? -1 : 1;
            double y = (cluster & 2) == 0 ? -1 : 1;
            points[2 * i] = x;
            points[2 * i + 1] = y;
            labels[i] = x * y < 0 ? 1 : 0;
        }
        return Finish("xor", points, 2, labels, 2, noise, new SeededRandom(seed));
    }

    /// <summary>
    /// Two interleaved spiral arms. Arm k (the label, 0 or 1) holds points at s = (j + 0.5) / n for
    /// j = 0..n−1: radius s, angle 2π·<paramref name="turns"/>·s + k·π, so arm 1 is arm 0 turned by half a
    /// revolution and the arms are 1 / (2·turns) apart radially. <c>count / 2</c> rows on arm 0, the rest on arm 1.
    /// </summary>
    /// <param name="count">Number of rows, at least 2.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise added to each coordinate.</param>
    /// <param name="turns">Revolutions each arm makes from the centre to radius 1; positive.</param>
    /// <param name="seed">Seed of the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Dataset Spiral(int count = 1000, double noise = 0.1, double turns = 1.5, int seed = 0)
    {
        RequireCount(count, 2);
        RequireNoise(noise, nameof(noise));
        if (!(turns > 0 && double.IsFinite(turns)))
            throw new ArgumentOutOfRangeException(nameof(turns), turns, "The number of turns must be positive and finite.");
        int first = count / 2;
        var points = new double[count * 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int arm = i < first ? 0 : 1;
            int onArm = arm == 0 ? first : count - first;
            double s = ((arm == 0 ? i : i - first) + 0.5) / onArm;
            double angle = 2 * Math.PI * turns * s + arm * Math.PI;
            points[2 * i] = s * Math.Cos(angle);
            points[2 * i + 1] = s * Math.Sin(angle);
            labels[i] = arm;
        }
        return Finish("spiral", points, 2, labels, 2, noise, new SeededRandom(seed));
    }

    /// <summary>
    /// Isotropic Gaussian clusters, one per class, filled in turn so class sizes differ by at most one.
    /// The centres are fixed: with two or more features, centre c lies at angle 2π·c / classes on a circle of
    /// radius 4 in the first two features (0 in the others); with one feature, the centres are 4 apart on
    /// the line, centred on 0.
    /// </summary>
    /// <param name="count">Number of rows, at least <paramref name="classes"/>.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="spread">Standard deviation of each cluster, per coordinate.</param>
    /// <param name="features">Number of feature columns, at least 1.</param>
    /// <param name="seed">Seed of the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Dataset Blobs(int count = 1000, int classes = 3, double spread = 1.0, int features = 2, int seed = 0)
    {
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "Blobs need at least 2 classes.");
        if (features < 1)
            throw new ArgumentOutOfRangeException(nameof(features), features, "Blobs need at least 1 feature.");
        RequireCount(count, classes, features);
        RequireNoise(spread, nameof(spread));
        const double centreDistance = 4;
        var points = new double[count * features];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            if (features == 1)
            {
                points[i] = centreDistance * (label - (classes - 1) / 2.0);
            }
            else
            {
                double angle = 2 * Math.PI * label / classes;
                points[i * features] = centreDistance * Math.Cos(angle);
                points[i * features + 1] = centreDistance * Math.Sin(angle);
            }
            labels[i] = label;
        }
        return Finish("blobs", points, features, labels, classes, spread, new SeededRandom(seed));
    }

    /// <summary>
    /// A regression set: x0 and x1 uniform in [−π, π], target sin(x0)·cos(x1) plus Gaussian noise of
    /// standard deviation <paramref name="noise"/>.
    /// </summary>
    /// <param name="count">Number of rows, at least 1.</param>
    /// <param name="noise">Standard deviation of the noise added to the target.</param>
    /// <param name="seed">Seed of the inputs and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Dataset SineRidge(int count = 1000, double noise = 0.05, int seed = 0)
    {
        RequireCount(count, 1);
        RequireNoise(noise, nameof(noise));
        var random = new SeededRandom(seed);
        var features = new float[count * 2];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            double x0 = random.NextDouble(-Math.PI, Math.PI);
            double x1 = random.NextDouble(-Math.PI, Math.PI);
            features[2 * i] = (float)x0;
            features[2 * i + 1] = (float)x1;
            targets[i] = (float)(Math.Sin(x0) * Math.Cos(x1) + noise * random.NextGaussian());
        }
        return Dataset.ForRegression("sineridge", 2, features, targets);
    }

    /// <summary>
    /// One of the classification sets by name (case-insensitive), with its other parameters at their
    /// defaults; for "blobs", <paramref name="noise"/> is the cluster spread.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Another argument is out of range.</exception>
    public static Dataset ByName(string name, int count, double noise, int seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "moons" => Moons(count, noise, seed),
            "circles" => Circles(count, noise, seed: seed),
            "xor" => Xor(count, noise, seed),
            "spiral" => Spiral(count, noise, seed: seed),
            "blobs" => Blobs(count, spread: noise, seed: seed),
            _ => throw new ArgumentException($"Unknown data set \"{name}\"; expected one of: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>numpy.linspace(start, stop, points)[index], endpoint included.</summary>
    private static double Linspace(double start, double stop, int index, int points) =>
        points == 1 ? start : start + (stop - start) * index / (points - 1);

    /// <summary>Shuffles the rows, then adds the noise, in scikit-learn's order.</summary>
    private static Dataset Finish(string name, double[] points, int featureCount, int[] labels, int classCount, double noise, SeededRandom random)
    {
        int count = labels.Length;
        var order = new int[count];
        random.Permute(order);

        var features = new float[points.Length];
        var shuffledLabels = new int[count];
        for (int row = 0; row < count; row++)
        {
            int source = order[row];
            shuffledLabels[row] = labels[source];
            for (int f = 0; f < featureCount; f++)
                features[row * featureCount + f] = (float)(points[source * featureCount + f] + noise * random.NextGaussian());
        }
        return Dataset.ForClassification(name, featureCount, features, shuffledLabels, classCount);
    }

    private static void RequireCount(int count, int minimum, int features = 2)
    {
        if (count < minimum)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"At least {minimum} rows are needed.");
        if ((long)count * features > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"{count} rows of {features} features are {(long)count * features} values, more than one array holds ({Array.MaxLength}).");
    }

    private static void RequireNoise(double noise, string parameterName)
    {
        if (!(noise >= 0 && double.IsFinite(noise)))
            throw new ArgumentOutOfRangeException(parameterName, noise, "Must be finite and not negative.");
    }
}
