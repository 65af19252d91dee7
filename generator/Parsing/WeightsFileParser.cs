using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HiddenSpace.Gen.Diagnostics;
using HiddenSpace.Gen.Model;
using HiddenSpace.Weights;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HiddenSpace.Gen.Parsing;

/// <summary>
/// Reads the weights files that declarations name (AdditionalFiles) and joins each declaration with its file. Never
/// throws for a bad file: every problem becomes a diagnostic on the declaration's Weights argument.
/// </summary>
internal static class WeightsFileParser
{
    private static readonly string[] ActivationNames = Enum.GetNames(typeof(ActivationKind));
    private static readonly string[] LossNames = Enum.GetNames(typeof(LossKind));

    /// <summary>True when some declaration names the additional file at <paramref name="path"/>.</summary>
    public static bool IsNamedByAny(string path, ImmutableArray<string> names) => names.Any(name => Matches(path, name));

    /// <summary>A weights file name matches an additional file when it is the end of its path, whole path segments only.</summary>
    public static bool Matches(string path, string name)
    {
        string normalizedPath = path.Replace('\\', '/');
        string wanted = name.Replace('\\', '/');
        while (wanted.StartsWith("./", StringComparison.Ordinal)) wanted = wanted.Substring(2);
        return wanted.Length > 0 && (normalizedPath == wanted || normalizedPath.EndsWith("/" + wanted, StringComparison.Ordinal));
    }

    /// <summary>Reads and checks one additional file.</summary>
    public static WeightsFileModel Read(AdditionalText file, CancellationToken cancellationToken)
    {
        SourceText? text = file.GetText(cancellationToken);
        if (text is null)
            return new WeightsFileModel(file.Path, null, DiagnosticDescriptors.WeightsFileUnreadable.Id, "the compiler could not read it from disk");
        try
        {
            WeightsDocument? document = WeightsText.Read(text.ToString(), ActivationNames, LossNames, out WeightsProblem? problem);
            if (document is null)
                return new WeightsFileModel(file.Path, null, problem!.Kind switch
                {
                    WeightsProblemKind.Version => DiagnosticDescriptors.WeightsFileVersion.Id,
                    WeightsProblemKind.Checksum => DiagnosticDescriptors.WeightsFileChecksum.Id,
                    WeightsProblemKind.NonFinite => DiagnosticDescriptors.WeightsNotFinite.Id,
                    _ => DiagnosticDescriptors.WeightsFileUnreadable.Id,
                }, problem.Message);
            return new WeightsFileModel(file.Path, ToModel(document), null, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new WeightsFileModel(file.Path, null, DiagnosticDescriptors.InternalError.Id, exception.GetType().Name + ": " + exception.Message);
        }
    }

    /// <summary>A declaration with the file it names: the network to bake, or why it cannot be.</summary>
    public static BakeResult Bake(BakeRequest request, ImmutableArray<WeightsFileModel> files)
    {
        try
        {
            return Join(request, files);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Failure(request, DiagnosticDescriptors.InternalError, request.Spec.ClassName.TrimStart('@'), exception.GetType().Name + ": " + exception.Message);
        }
    }

    private static BakeResult Join(BakeRequest request, ImmutableArray<WeightsFileModel> files)
    {
        NetworkSpec spec = request.Spec;
        string name = spec.Weights!;
        string typeName = spec.ClassName.TrimStart('@');
        List<WeightsFileModel> matches = files.Where(f => Matches(f.Path, name)).ToList();
        if (matches.Count == 0)
            return Failure(request, DiagnosticDescriptors.WeightsFileNotInAdditionalFiles, typeName, name);
        if (matches.Count > 1)
            return Failure(request, DiagnosticDescriptors.WeightsFileAmbiguous, typeName, name, string.Join(", ", matches.Select(m => m.Path).OrderBy(p => p, StringComparer.Ordinal)));
        WeightsFileModel file = matches[0];
        if (file.Weights is null)
            return file.ProblemId == DiagnosticDescriptors.InternalError.Id
                ? Failure(request, DiagnosticDescriptors.InternalError, typeName, $"reading the weights file '{name}': {file.Problem}")
                : Failure(request, DiagnosticDescriptors.ById(file.ProblemId!), typeName, name, file.Problem!);

        string declared = Fingerprint(spec);
        if (file.Weights.Fingerprint != declared)
            return Failure(request, DiagnosticDescriptors.WeightsArchitectureMismatch, typeName, name, file.Weights.Fingerprint, declared,
                FirstDifference(file.Weights.Fingerprint, declared));
        return new BakeResult(new BakedNetworkSpec(spec, file.Weights), EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The architecture fingerprint of a declaration, as the runtime's NetworkShape.Fingerprint() writes it.</summary>
    public static string Fingerprint(NetworkSpec spec) =>
        WeightsText.Fingerprint(spec.Inputs, spec.Loss.ToString(), spec.Layers.Select(l => (l.Units, l.Activation.ToString(), l.Tap)));

    /// <summary>Where two fingerprints first differ, e.g. "layer 2 is dense(16,Tanh) in the file, dense(8,Tanh) declared".</summary>
    private static string FirstDifference(string inFile, string declared)
    {
        string[] file = inFile.Split(';'), code = declared.Split(';');
        for (int i = 0; i < Math.Min(file.Length, code.Length); i++)
        {
            if (file[i] == code[i]) continue;
            string where = i == 0 ? "the inputs differ" : i == 1 ? "the loss differs" : $"layer {(i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} differs";
            return $"{where}: {file[i]} in the file, {code[i]} declared";
        }
        return $"the file has {(file.Length - 2).ToString(System.Globalization.CultureInfo.InvariantCulture)} layers, the declaration {(code.Length - 2).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    public static BakedWeights ToModel(WeightsDocument document)
    {
        var parameters = new List<string>();
        foreach (WeightsLayer layer in document.Layers)
        {
            parameters.AddRange(layer.Weights);
            parameters.AddRange(layer.Biases);
        }
        return new BakedWeights(document.Sha256, document.Fingerprint, new EquatableArray<string>(parameters.ToArray()),
            new EquatableArray<string>(document.Features),
            new EquatableArray<string>(document.Means ?? Array.Empty<string>()),
            new EquatableArray<string>(document.Deviations ?? Array.Empty<string>()),
            new EquatableArray<string>(document.Classes ?? Array.Empty<string>()),
            document.TargetName, document.TargetMean, document.TargetDeviation);
    }

    private static BakeResult Failure(BakeRequest request, DiagnosticDescriptor descriptor, params string[] arguments) =>
        new(null, new EquatableArray<DiagnosticInfo>(new[] { DiagnosticInfo.Create(descriptor, request.Location, arguments) }));
}
