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
/// data, 130 when cancelled (after writing what it had); every failure is one line on stderr.
/// </summary>
public static partial class CliProgram
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code when training diverged or a file could not be written.</summary>
    public const int Failed = 1;

    /// <summary>Exit code for bad arguments or a bad data file.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code when the run was cancelled (the files were still written).</summary>
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
        var hidden = new Option<int[]>("--hidden")
        {
            Description = "Widths of the hidden layers before the bottleneck, comma-separated.",
            DefaultValueFactory = _ => [16, 16],
            CustomParser = ParseWidths,
        };
        var bottleneck = new Option<int>("--bottleneck") { Description = "Units in the tapped layer just before the output layer (2 to scatter it).", DefaultValueFactory = _ => 2 };
        AtLeast(bottleneck, 1);
        var activation = new Option<string>("--activation") { Description = "Activation of the hidden and bottleneck layers.", DefaultValueFactory = _ => "tanh" };
        activation.AcceptOnlyFromAmong(HiddenActivations);
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training split.", DefaultValueFactory = _ => 200 };
        AtLeast(epochs, 1);
        var batch = new Option<int>("--batch") { Description = "Rows per update.", DefaultValueFactory = _ => 32 };
        AtLeast(batch, 1);
        var learningRate = new Option<double>("--lr") { Description = "Learning rate, positive.", DefaultValueFactory = _ => 0.01 };
        learningRate.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0 && double.IsFinite(value) && value <= float.MaxValue))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--lr must be a positive number, not {value}."));
        });
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum or adam.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("sgd", "momentum", "adam");
        var seed = new Option<int>("--seed") { Description = "Seeds the data, the initial weights and the shuffling.", DefaultValueFactory = _ => 0 };
        var classes = new Option<int>("--classes") { Description = $"blobs: number of classes, 2..{ClassPalette.MaxClasses}.", DefaultValueFactory = _ => 3 };
        classes.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < 2 || value > ClassPalette.MaxClasses)
                result.AddError($"--classes must be in 2..{ClassPalette.MaxClasses}, not {value}.");
        });
        var noise = new Option<double?>("--noise") { Description = "Built-in sets: noise standard deviation (blobs: cluster spread)." };
        noise.Validators.Add(result =>
        {
            double? value = result.GetValueOrDefault<double?>();
            if (value is double v && !(v >= 0 && double.IsFinite(v)))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--noise must be a number of at least 0, not {v}."));
        });
        var points = new Option<int>("--points") { Description = "Built-in sets: number of rows.", DefaultValueFactory = _ => 1000 };
        AtLeast(points, 10);
        var output = new Option<string?>("--out") { Description = "Output directory (default: out/<data set>)." };

        var train = new Command("train", "Train a network with a 2-unit bottleneck before its output layer and write summary.json, report.html and plots.")
        {
            data, label, task, hidden, bottleneck, activation, epochs, batch, learningRate, optimizer, seed, classes, noise, points, output,
        };
        train.SetAction(result =>
        {
            string? taskText = result.GetValue(task);
            var arguments = new TrainArguments(
                result.GetRequiredValue(data),
                result.GetValue(label) ?? "label",
                taskText is null ? null : taskText == "regress" ? TaskChoice.Regress : TaskChoice.Classify,
                result.GetValue(hidden) ?? [16, 16],
                result.GetValue(bottleneck),
                Enum.Parse<Activation>(result.GetValue(activation) ?? "tanh", ignoreCase: true),
                result.GetValue(epochs),
                result.GetValue(batch),
                result.GetValue(learningRate),
                Enum.Parse<OptimizerKind>(result.GetValue(optimizer) ?? "adam", ignoreCase: true),
                result.GetValue(seed),
                result.GetValue(classes),
                result.GetValue(noise),
                result.GetValue(points),
                result.GetValue(output));
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
        catch (Exception e) when (e is CliException or DataFormatException or FileNotFoundException or ArgumentException)
        {
            return Fail(stderr, BadInput, e is ArgumentException argument ? WithoutParameterName(argument) : e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, Failed, e.Message);
        }
    }

    internal static int Fail(TextWriter stderr, int exitCode, string message)
    {
        stderr.WriteLine("error: " + Whitespace().Replace(message, " ").Trim());
        return exitCode;
    }

    private static int[]? ParseWidths(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var widths = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1)
            {
                result.AddError($"--hidden must be comma-separated layer widths of at least 1, such as 16,16; not '{text}'.");
                return null;
            }
            widths.Add(width);
        }
        return [.. widths];
    }

    private static void AtLeast(Option<int> option, int minimum) =>
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum) result.AddError($"{option.Name} must be a whole number of at least {minimum}, not {value}.");
        });

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

    private static string WithoutParameterName(ArgumentException exception)
    {
        string message = exception.Message;
        int suffix = exception.ParamName is null ? -1 : message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
