using System;
using System.IO;
using HiddenSpace.Gen.Emitting;

namespace HiddenSpace.Compiler;

/// <summary>A trained network's weights file (<see cref="WeightsFile.SaveText"/>) as one standalone C# file.</summary>
public static class NetworkExport
{
    /// <summary>
    /// The network of the text weights file at <paramref name="weightsPath"/> as one C# file that needs nothing but the
    /// base class library (no HiddenSpace.Gen reference, no unsafe code; C# 9, netstandard2.0 and later): class
    /// <paramref name="className"/> with <c>Forward(float[])</c>, <c>Predict</c>, the class or target names and the input
    /// standardisation, written by the generator's own emitter with the same operations as the generated code.
    /// </summary>
    /// <exception cref="ArgumentException">The class or namespace name is not a C# identifier (or dotted identifiers).</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="weightsPath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid text weights file; the message says where and why.</exception>
    public static string CSharp(string weightsPath, string className, string? namespaceName = null)
    {
        if (!NetworkCompiler.IsIdentifier(className))
            throw new ArgumentException($"The class name '{className}' is not a C# identifier.", nameof(className));
        if (namespaceName is not null && !NetworkCompiler.IsNamespace(namespaceName))
            throw new ArgumentException($"The namespace '{namespaceName}' is not dot-separated C# identifiers.", nameof(namespaceName));
        WeightsFile.ReadText(weightsPath); // every check of the file, with the runtime's messages
        string source = NetworkEmitter.EmitStandalone(File.ReadAllText(weightsPath), Path.GetFileName(weightsPath), className, namespaceName, out string? error)
            ?? throw new InvalidDataException($"'{weightsPath}': {error}.");
        return source;
    }
}
