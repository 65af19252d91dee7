using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Spectre.Console;

namespace HiddenSpace.Cli;

/// <summary>
/// The <c>hiddenspace</c> command line. <see cref="Run"/> is the whole program, testable in-process:
/// exit code 0 on success, 1 when training diverged or a file could not be written, 2 for bad arguments or
/// data (found before any training), 130 when cancelled; every failure is one line on stderr.
/// </summary>
public static partial class CliProgram
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code when training diverged or a file could not be written.</summary>
    public const int Failed = 1;

    /// <summary>Exit code for bad arguments or a bad data file.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code when the run was cancelled (128 + SIGINT, as shells report Ctrl+C).</summary>
    public const int Cancelled = 130;

    private static readonly string[] HiddenActivations = ["tanh", "relu", "leakyrelu", "sigmoid", "softplus", "gelu", "elu", "linear"];

    /// <summary>
    /// Runs the command line. Plain text goes to <paramref name="stdout"/>; tables and the progress bar go to
    /// <paramref name="console"/> (by default a non-interactive console writing to <paramref name="stdout"/>).
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        console ??= AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        RootCommand root = BuildCommand(stdout, stderr, console, cancellationToken);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
            return Fail(stderr, BadInput, Describe(parsed.Errors[0]));
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var data = new Option<string>("--data")
        {
            Description = $"A built-in data set ({string.Join(", ", DataSource.BuiltInNames)}) or the path of a CSV file with a header row.",
            Required = true,
        };
        var label = new Option<string>("--label") { Description = "CSV: the column holding the class label or regression target.", DefaultValueFactory = _ => "label" };
        var task = new Option<string?>("--task") { Description = "classify or regress (default: regress for sineridge, else classify)." };
        task.AcceptOnlyFromAmong("classify", "regress");
        var hidden = new Option<string>("--hidden")
        {
            Description = "Widths of the hidden layers before the bottleneck, comma-separated.",
            DefaultValueFactory = _ => "16,16",
        };
        hidden.Validators.Add(result =>
        {
            string text = result.GetValueOrDefault<string>() ?? "";
            if (ParseWidths(text) is null)
                result.AddError($"--hidden must be comma-separated layer widths of at least 1, such as 16,16; not '{text}'.");
        });
        Option<int> bottleneck = WholeNumber("--bottleneck", "Units in the tapped layer just before the output layer (2 to scatter it).", 2, minimum: 1);
        var activation = new Option<string>("--activation") { Description = "Activation of the hidden and bottleneck layers.", DefaultValueFactory = _ => "tanh" };
        activation.AcceptOnlyFromAmong(HiddenActivations);
        Option<int> epochs = WholeNumber("--epochs", "Passes over the training split.", 200, minimum: 1);
        Option<int> batch = WholeNumber("--batch", "Rows per update.", 32, minimum: 1);
        Option<double?> learningRate = Number("--lr", "Learning rate, positive.", 0.01, "a positive number a float can hold (1.4e-45 to 3.4e38)",
            v => v > 0 && v <= float.MaxValue && (float)v > 0);
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum or adam.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("sgd", "momentum", "adam");
        Option<int> seed = WholeNumber("--seed", "Seeds the data, the initial weights and the shuffling.", 0, minimum: int.MinValue);
        Option<int> classes = WholeNumber("--classes", $"blobs: number of classes, 2..{ClassPalette.MaxClasses}.", 3, minimum: 2, maximum: ClassPalette.MaxClasses);
        Option<double?> noise = Number("--noise", "Built-in sets: noise standard deviation (blobs: cluster spread; default depends on the set).", null, "a number of at least 0", v => v >= 0);
        Option<int> points = WholeNumber("--points", "Built-in sets: number of rows.", 1000, minimum: 10);
        var output = new Option<string?>("--out") { Description = "Output directory (default: out/<data set>); the previous run's files there are replaced." };
        Option<int> shuffleBuffer = WholeNumber("--shuffle-buffer",
            "CSV: training rows the shuffle buffer holds (default: as many as 256 MB hold; a train split that fits trains exactly as in memory).", 0, minimum: 1);

        var train = new Command("train", "Train a network with a 2-unit bottleneck before its output layer and write summary.json, report.html and plots.")
        {
            data, label, task, hidden, bottleneck, activation, epochs, batch, learningRate, optimizer, seed, classes, noise, points, output, shuffleBuffer,
        };
        train.SetAction(result =>
        {
            string? taskText = result.GetValue(task);
            var arguments = new TrainArguments(
                result.GetRequiredValue(data),
                result.GetValue(label) ?? "label",
                taskText is null ? null : taskText == "regress" ? TaskChoice.Regress : TaskChoice.Classify,
                ParseWidths(result.GetValue(hidden) ?? "16,16") ?? [16, 16],
                result.GetValue(bottleneck),
                Enum.Parse<Activation>(result.GetValue(activation) ?? "tanh", ignoreCase: true),
                result.GetValue(epochs),
                result.GetValue(batch),
                result.GetValue(learningRate) ?? 0.01,
                Enum.Parse<OptimizerKind>(result.GetValue(optimizer) ?? "adam", ignoreCase: true),
                result.GetValue(seed),
                result.GetValue(classes),
                result.GetValue(noise),
                result.GetValue(points),
                result.GetValue(output),
                result.GetValue(shuffleBuffer) is int rows and > 0 ? rows : null);
            return Execute(arguments, stdout, stderr, console, cancellationToken);
        });

        return new RootCommand("hiddenspace: train small networks and see what their hidden layers did to the data.") { train };
    }

    private static int Execute(TrainArguments arguments, TextWriter stdout, TextWriter stderr, IAnsiConsole console, CancellationToken cancellationToken)
    {
        try
        {
            return TrainCommand.Execute(arguments, stdout, stderr, console, cancellationToken);
        }
        catch (DataFormatException e)
        {
            return Fail(stderr, BadInput, InToolTerms(e));
        }
        catch (Exception e) when (e is CliException or FileNotFoundException or ArgumentException)
        {
            return Fail(stderr, BadInput, e is ArgumentException argument ? WithoutParameterName(argument) : e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(stderr, Cancelled, "cancelled; the files already written stay, and no file is left half-written.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, Failed, e.Message);
        }
        catch (OutOfMemoryException)
        {
            return Fail(stderr, Failed, "out of memory; use a smaller --shuffle-buffer, narrower --hidden layers or fewer --points.");
        }
    }

    /// <summary>A data file's error with the fix named as this tool's option rather than the library's setting.</summary>
    private static string InToolTerms(DataFormatException error) => error.Problem switch
    {
        DataFormatProblem.MissingLabelColumn => $"{error.Location}: {error.Detail} Name the label column with --label.",
        DataFormatProblem.FractionalLabel => $"{error.Location}: {error.Detail} For a real-valued target use --task regress.",
        _ => error.Message,
    };

    internal static int Fail(TextWriter stderr, int exitCode, string message)
    {
        stderr.WriteLine("error: " + Whitespace().Replace(message, " ").Trim());
        return exitCode;
    }

    /// <summary>"16,16" as widths; null when any part is not a whole number of at least 1.</summary>
    private static int[]? ParseWidths(string text)
    {
        var widths = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1) return null;
            widths.Add(width);
        }
        return [.. widths];
    }

    // Own parsers rather than validators: S.CL's validators throw on a value that did not convert ("--epochs x").
    private static Option<int> WholeNumber(string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum)
                return value;
            string range = maximum < int.MaxValue ? $"in {minimum}..{maximum}" : minimum > int.MinValue ? $"of at least {minimum}" : "";
            result.AddError($"{name} must be a whole number {range}, not '{text}'.".Replace("  ", " ", StringComparison.Ordinal));
            return defaultValue;
        },
    };

    private static Option<double?> Number(string name, string description, double? defaultValue, string expected, Func<double, bool> isValid)
    {
        var option = new Option<double?>(name)
        {
            Description = description,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && isValid(value))
                    return value;
                result.AddError($"{name} must be {expected}, not '{text}'.");
                return defaultValue;
            },
        };
        if (defaultValue is double fallback) option.DefaultValueFactory = _ => fallback;
        return option;
    }

    // S.CL's messages can span lines (lists of allowed values) and may not say which option they concern.
    private static string Describe(ParseError error)
    {
        string message = Whitespace().Replace(error.Message, " ").Trim();
        string? option = error.SymbolResult switch
        {
            OptionResult optionResult => optionResult.Option.Name,
            ArgumentResult { Parent: OptionResult optionResult } => optionResult.Option.Name,
            _ => null,
        };
        return option is not null && !message.Contains(option, StringComparison.Ordinal) ? $"{option}: {message}" : message;
    }

    /// <summary>An argument exception's message without the " (Parameter 'x')" the framework appends.</summary>
    internal static string WithoutParameterName(ArgumentException exception)
    {
        string message = exception.Message;
        int suffix = exception.ParamName is null ? -1 : message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
