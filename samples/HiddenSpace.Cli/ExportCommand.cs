using System;
using System.IO;
using System.Linq;
using HiddenSpace.Compiler;

namespace HiddenSpace.Cli;

/// <summary>What <c>hiddenspace export</c> writes.</summary>
internal enum ExportFormat
{
    /// <summary>One standalone C# file (<see cref="NetworkExport.CSharp"/>).</summary>
    CSharp,

    /// <summary>An ONNX model (<see cref="OnnxExport"/>).</summary>
    Onnx,
}

/// <summary>The parsed options of <c>hiddenspace export</c>.</summary>
internal sealed record ExportArguments(string Weights, ExportFormat Format, string ClassName, string? Namespace, string Out);

/// <summary>
/// <c>hiddenspace export</c>: a text weights file (as <c>train</c> writes it) as one standalone C# file or as an ONNX
/// model, written atomically. A bad weights file or an unusable <c>--out</c> is found before anything is written
/// (exit code 2); a write that fails is exit code 1, the previous file left as it was.
/// </summary>
internal static class ExportCommand
{
    public static int Execute(ExportArguments arguments, TextWriter stdout)
    {
        if (arguments.Format == ExportFormat.CSharp && NetworkCompiler.ClassNameProblem(arguments.ClassName, standalone: true) is string problem)
            throw new CliException($"--class: {problem}");
        string outPath = Path.GetFullPath(arguments.Out);
        if (Path.GetFileName(outPath).Length == 0)
            throw new CliException($"--out: '{arguments.Out}' names a folder; give the file to write, such as {arguments.ClassName}.cs or network.onnx.");
        try
        {
            AtomicFile.CheckReplaceable(outPath);
        }
        catch (IOException e)
        {
            throw new CliException($"--out: {e.Message}");
        }
        TrainedWeights weights = Read(arguments.Weights);
        if (arguments.Format == ExportFormat.CSharp && weights.Shape.Layers.Any(layer => layer.Tap == arguments.ClassName))
            throw new CliException($"--class: '{arguments.ClassName}' is the name of one of the network's taps, which the class has as properties, and a class cannot have a member of its own name; choose another name.");
        string? source = arguments.Format == ExportFormat.CSharp ? StandaloneSource(arguments) : null;
        try
        {
            if (source is not null) AtomicFile.WriteAllText(outPath, source);
            else OnnxExport.Save(outPath, weights);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--out: {e.Message}", e);
        }
        string written = source is not null
            ? $"class {(arguments.Namespace is null ? "" : arguments.Namespace + ".")}{arguments.ClassName}, standalone C#"
            : $"ONNX model, opset {OnnxExport.Opset}";
        stdout.WriteLine($"hiddenspace: {weights.Shape.Widths()} ({weights.Shape.Loss}, {weights.Shape.ParameterCount} parameters) from {arguments.Weights}");
        stdout.WriteLine($"Wrote ({written}):");
        stdout.WriteLine("  " + outPath);
        return CliProgram.Success;
    }

    /// <summary>The standalone C# file; a weights file the export cannot write (a tap named like a member of the class) is reported against <c>--weights</c>.</summary>
    private static string StandaloneSource(ExportArguments arguments)
    {
        try
        {
            return NetworkExport.CSharp(arguments.Weights, arguments.ClassName, arguments.Namespace);
        }
        catch (InvalidDataException e)
        {
            throw new CliException($"--weights: {e.Message}");
        }
    }

    /// <summary>The weights file, every problem with it reported against <c>--weights</c>.</summary>
    private static TrainedWeights Read(string path)
    {
        try
        {
            if (Directory.Exists(path))
                throw new CliException($"--weights: '{Path.GetFullPath(path)}' is a folder; name the weights file in it (train writes {BottleneckExperiment.WeightsFileName}).");
            // The file is read again for the C# export: a pipe would be empty the second time.
            using (FileStream probe = File.OpenRead(path))
                if (!probe.CanSeek)
                    throw new CliException($"--weights: '{path}' is a pipe or a device, not a file; the export reads it more than once, so save it to a file first.");
            return WeightsFile.ReadText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"--weights: no such file '{Path.GetFullPath(path)}'.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--weights: {e.Message}");
        }
    }
}
