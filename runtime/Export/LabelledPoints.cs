using System;
using System.Collections.Generic;
using System.Globalization;

namespace HiddenSpace;

/// <summary>
/// Points to scatter: coordinates, a class per point and the class names for the legend. Point
/// <c>i</c> is (<c>Xs[i]</c>, <c>Ys[i]</c>) of class <c>Classes[i]</c>; when <see cref="IsTest"/> is
/// given, test-split points are drawn hollow and training points filled. The exporters check the arrays
/// when they render (same lengths, finite coordinates, classes in range, at most
/// <see cref="ClassPalette.MaxClasses"/> classes).
/// </summary>
/// <param name="Xs">Horizontal coordinates.</param>
/// <param name="Ys">Vertical coordinates.</param>
/// <param name="Classes">Class index of each point, 0..<c>ClassNames.Count</c>-1.</param>
/// <param name="ClassNames">Legend text of each class, in class order.</param>
/// <param name="IsTest">Whether each point belongs to the test split; null when there is no split.</param>
public sealed record LabelledPoints(float[] Xs, float[] Ys, int[] Classes, IReadOnlyList<string> ClassNames, bool[]? IsTest = null)
{
    /// <summary>Number of points.</summary>
    public int Count => Xs.Length;

    /// <summary>Throws an <see cref="ArgumentException"/> for <paramref name="parameterName"/> when the arrays do not describe valid points.</summary>
    internal void Validate(string parameterName)
    {
        if (Xs is null || Ys is null || Classes is null || ClassNames is null)
            throw new ArgumentException("Xs, Ys, Classes and ClassNames must not be null.", parameterName);
        if (Ys.Length != Xs.Length || Classes.Length != Xs.Length)
            throw new ArgumentException($"{Xs.Length} x values, {Ys.Length} y values and {Classes.Length} classes; each point needs one of each.", parameterName);
        if (IsTest is not null && IsTest.Length != Xs.Length)
            throw new ArgumentException($"{IsTest.Length} split flags for {Xs.Length} points.", parameterName);
        if (ClassNames.Count is 0 or > ClassPalette.MaxClasses)
            throw new ArgumentException($"{ClassNames.Count} class names; a plot colours 1..{ClassPalette.MaxClasses} classes.", parameterName);
        for (int c = 0; c < ClassNames.Count; c++)
            if (ClassNames[c] is null)
                throw new ArgumentException($"The name of class {c} is null.", parameterName);
        for (int i = 0; i < Xs.Length; i++)
        {
            if (!float.IsFinite(Xs[i]) || !float.IsFinite(Ys[i]))
                throw new ArgumentException($"Point {i} is ({Xs[i].ToString(CultureInfo.InvariantCulture)}, {Ys[i].ToString(CultureInfo.InvariantCulture)}); coordinates must be finite.", parameterName);
            if ((uint)Classes[i] >= (uint)ClassNames.Count)
                throw new ArgumentException($"Point {i} has class {Classes[i]}; classes must be in 0..{ClassNames.Count - 1}.", parameterName);
        }
    }
}
