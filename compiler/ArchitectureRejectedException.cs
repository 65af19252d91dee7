using System;

namespace HiddenSpace.Compiler;

/// <summary>
/// The generator refused the architecture: it is the error a build would report for the same declaration, with
/// the same diagnostic id (HSG0001...) and message.
/// </summary>
public sealed class ArchitectureRejectedException : ArgumentException
{
    /// <summary>An exception for the generator diagnostic <paramref name="diagnosticId"/>.</summary>
    public ArchitectureRejectedException(string diagnosticId, string diagnosticMessage)
        : base($"{diagnosticId}: {diagnosticMessage}")
    {
        DiagnosticId = diagnosticId;
        DiagnosticMessage = diagnosticMessage;
    }

    /// <summary>The generator's diagnostic id, e.g. HSG0019.</summary>
    public string DiagnosticId { get; }

    /// <summary>The generator's message, as a build would print it.</summary>
    public string DiagnosticMessage { get; }
}

/// <summary>
/// The generator's output for an architecture it accepted does not compile or load: a bug in HiddenSpace.Gen.
/// The generated files are kept in <see cref="KeptFilesDirectory"/> for the bug report.
/// </summary>
public sealed class NetworkCompilerException : InvalidOperationException
{
    /// <summary>An exception for a failed build whose files were kept in <paramref name="keptFilesDirectory"/>.</summary>
    public NetworkCompilerException(string message, string? keptFilesDirectory, Exception? inner = null)
        : base(message, inner) => KeptFilesDirectory = keptFilesDirectory;

    /// <summary>Where the declaration and generated files were written, or null when they could not be written.</summary>
    public string? KeptFilesDirectory { get; }
}
