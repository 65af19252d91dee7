using System;
using System.Collections.Generic;
using System.Globalization;

namespace HiddenSpace;

/// <summary>
/// The class colours of every plot: the eight Okabe–Ito colours (distinguishable with the common forms of
/// colour blindness) followed by a grey and a wine red, in a fixed order so class 0 is always the same blue.
/// </summary>
public static class ClassPalette
{
    /// <summary>Most classes a plot can colour.</summary>
    public const int MaxClasses = 10;

    private static readonly string[] Colors =
    [
        "#0072B2", // blue
        "#D55E00", // vermillion
        "#009E73", // bluish green
        "#CC79A7", // reddish purple
        "#E69F00", // orange
        "#56B4E9", // sky blue
        "#F0E442", // yellow
        "#000000", // black
        "#999999", // grey
        "#882255", // wine
    ];

    /// <summary>The colours, one per class, as <c>#RRGGBB</c>.</summary>
    public static IReadOnlyList<string> All => Colors;

    /// <summary>The colour of class <paramref name="classIndex"/>, as <c>#RRGGBB</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in 0..<see cref="MaxClasses"/>-1.</exception>
    public static string Color(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, MaxClasses);
        return Colors[classIndex];
    }

    /// <summary>
    /// A light tint of the class colour (a quarter colour, three quarters white) for shaded regions, so the
    /// full-strength points drawn on top stay visible.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in 0..<see cref="MaxClasses"/>-1.</exception>
    public static string Tint(int classIndex)
    {
        string color = Color(classIndex);
        Span<char> tint = stackalloc char[7];
        tint[0] = '#';
        for (int channel = 0; channel < 3; channel++)
        {
            int value = int.Parse(color.AsSpan(1 + 2 * channel, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int mixed = (value + 3 * 255 + 2) / 4;
            mixed.TryFormat(tint[(1 + 2 * channel)..], out _, "X2", CultureInfo.InvariantCulture);
        }
        return new string(tint);
    }
}
