using System;
using System.Security.Cryptography;
using System.Text;

namespace HiddenSpace.Tests;

/// <summary>Edits of text weights files: the weights-format tests and the generator fuzzer damage files the same way.</summary>
internal static class WeightsTextEdits
{
    /// <summary>
    /// The checksum as docs/weights-format.md defines it, written from the documentation: SHA-256 of the UTF-8 text before
    /// the "sha256" line, line breaks as '\n'.
    /// </summary>
    public static string Reseal(string text)
    {
        string normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        int line = normalized.IndexOf("\n  \"sha256\": \"", StringComparison.Ordinal) + 1;
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized[..line])));
        int start = line + "  \"sha256\": \"".Length;
        return normalized[..start] + hash + normalized[(start + 64)..];
    }

    /// <summary>A random edit of one of <paramref name="originals"/>, resealed in half the cases; shared with the generator fuzzer.</summary>
    public static string Mutate(int index, string[] originals)
    {
        var random = new Random(index);
        string text = originals[random.Next(originals.Length)];
        const string Alphabet = "0123456789.-+eE,[]{}\":null true false \n\\u";
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(text.Length);
            text = random.Next(4) switch
            {
                0 => text.Remove(at, Math.Min(text.Length - at, random.Next(1, 8))),
                1 => text.Insert(at, Alphabet[random.Next(Alphabet.Length)].ToString()),
                2 => text[..at] + Alphabet[random.Next(Alphabet.Length)] + text[Math.Min(text.Length, at + 1)..],
                _ => text[..at],
            };
        }
        return random.Next(2) == 0 && text.Contains("\n  \"sha256\": \"", StringComparison.Ordinal) && text.Length > text.IndexOf("\n  \"sha256\": \"", StringComparison.Ordinal) + 80
            ? Reseal(text) : text;
    }
}
