using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using HiddenSpace.Compiler;
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

    /// <summary>The activations <c>--activation</c> and <c>--bottleneck-activation</c> accept.</summary>
    internal static readonly string[] HiddenActivations = ["tanh", "relu", "leakyrelu", "sigmoid", "softplus", "gelu", "elu", "linear"];

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

    /// <summary>Classes of the blobs set when <c>--classes</c> is not given.</summary>
    public const int DefaultBlobClasses = 3;

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var data = new Option<string>("--data")
        {
            Description = $"A built-in data set ({string.Join(", ", DataSource.BuiltInNames)}) or the path of a CSV file with a header row.",
            Required = true,
        };
        var label = new Option<string>("--label") { Description = "CSV: the column holding the class label or regression target.", DefaultValueFactory = _ => "label" };
        var ignore = new Option<string?>("--ignore") { Description = "CSV: columns that are not features (an id, a name), comma-separated; every other column but the label is one." };
        var missing = new Option<string>("--missing")
        {
            Description = "CSV: a missing value (an empty field, ?, NA, NaN, null, ...) in a feature or the label: error stops at the first, skip leaves its row out and counts them.",
            DefaultValueFactory = _ => "error",
        };
        missing.AcceptOnlyFromAmong("error", "skip");
        ignore.Validators.Add(result =>
        {
            string? text = result.GetValueOrDefault<string?>();
            if (text is not null && ParseColumns(text) is null)
                result.AddError($"--ignore must be column names separated by commas, such as id,name; not '{text}'.");
        });
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
        var activation = new Option<string>("--activation") { Description = "Activation of the hidden layers.", DefaultValueFactory = _ => "relu" };
        activation.AcceptOnlyFromAmong(HiddenActivations);
        var bottleneckActivation = new Option<string>("--bottleneck-activation")
        {
            Description = "Activation of the bottleneck layer (linear: it cannot saturate).",
            DefaultValueFactory = _ => "linear",
        };
        bottleneckActivation.AcceptOnlyFromAmong(HiddenActivations);
        Option<int> epochs = WholeNumber("--epochs", "Passes over the training split.", 300, minimum: 1);
        Option<int> batch = WholeNumber("--batch", "Rows per update.", 32, minimum: 1);
        Option<double?> learningRate = Number("--lr", "Learning rate, positive.", 0.01, "a positive number a float can hold (1.4e-45 to 3.4e38)",
            v => v > 0 && v <= float.MaxValue && (float)v > 0);
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum or adam.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("sgd", "momentum", "adam");
        Option<int> seed = WholeNumber("--seed", "Seeds the data, the initial weights and the shuffling.", 0, minimum: int.MinValue);
        Option<int> classes = WholeNumber("--classes", $"blobs: number of classes, 2..{ClassPalette.MaxClasses}.", DefaultBlobClasses, minimum: 2, maximum: ClassPalette.MaxClasses);
        Option<double?> noise = Number("--noise", "Built-in sets: noise standard deviation (blobs: cluster spread; default depends on the set).", null, "a number of at least 0", v => v >= 0);
        Option<int> points = WholeNumber("--points", "Built-in sets: number of rows.", 1000, minimum: 10);
        var output = NonBlankPath(new Option<string?>("--out") { Description = "Output directory (default: out/<data set>); the previous run's files there are replaced." }, AFolder);
        Option<int> shuffleBuffer = WholeNumber("--shuffle-buffer",
            "CSV: training rows the shuffle buffer holds (default: as many as 256 MB hold; a train split that fits trains exactly as in memory).", 0, minimum: 1);
        var engine = new Option<string>("--engine")
        {
            Description = "generated: the generator's code for this architecture, compiled at run time and cached; reference: the runtime's ReferenceNetwork (plain loops).",
            DefaultValueFactory = _ => "generated",
        };
        engine.AcceptOnlyFromAmong("generated", "reference");
        var cache = NonBlankPath(new Option<string?>("--cache")
        {
            Description = $"Folder of compiled networks (default: ${NetworkCompiler.CacheDirectoryVariable} when set, else {NetworkCompiler.DefaultCacheDirectory()}).",
        }, AFolder);

        Option<double?> l1 = Number("--l1", "L1 penalty on the weights.", 0, "a number of at least 0", v => v >= 0 && v <= float.MaxValue);
        Option<double?> l2 = Number("--l2", "L2 penalty on the weights.", 0, "a number of at least 0", v => v >= 0 && v <= float.MaxValue);
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate decay: constant, step or cosine.", DefaultValueFactory = _ => "constant" };
        schedule.AcceptOnlyFromAmong("constant", "step", "cosine");
        Option<int> warmup = WholeNumber("--warmup", "Epochs of linear learning-rate warm-up.", 0, minimum: 0);
        Option<int> stepEpochs = WholeNumber("--step-epochs", "--schedule step: epochs between decays.", 50, minimum: 1);
        Option<double?> stepFactor = Number("--step-factor", "--schedule step: factor applied at each decay.", 0.5, "a number in (0, 1]", v => v > 0 && v <= 1);
        var earlyStopping = new Option<bool>("--early-stopping")
        {
            Description = "Hold out part of the training split, stop when its loss stops falling and keep the best epoch's weights.",
        };
        Option<double?> validation = Number("--validation", "--early-stopping: share of the training split held out.", 0.2, "a number in (0, 1)", v => v > 0 && v < 1);
        Option<int> patience = WholeNumber("--patience", "--early-stopping: epochs without improvement before stopping.", 20, minimum: 1);
        Option<double?> testFraction = Number("--test-fraction", "Share of each class's rows (of all rows for regression) held out for testing; the figures are measured on it.",
            DataSource.DefaultTestFraction, "a number in (0, 1)", v => v > 0 && v < 1);
        var classWeights = new Option<string?>("--class-weights")
        {
            Description = "Weights for imbalanced labels: balanced (rows / (classes · class rows)) or one positive number per class, comma-separated.",
        };
        classWeights.Validators.Add(result =>
        {
            string? text = result.GetValueOrDefault<string?>();
            if (text is not null && text != "balanced" && ParseWeights(text) is null)
                result.AddError($"--class-weights must be 'balanced' or positive numbers separated by commas, such as 1,4; not '{text}'.");
        });

        var train = new Command("train", "Train a network with a 2-unit bottleneck before its output layer and write summary.json, report.html and plots.")
        {
            data, label, ignore, missing, task, hidden, bottleneck, activation, bottleneckActivation, epochs, batch, learningRate, optimizer, seed, classes, noise, points, output,
            l1, l2, schedule, warmup, stepEpochs, stepFactor, earlyStopping, validation, patience, classWeights, engine, cache, shuffleBuffer, testFraction,
        };
        // The arguments train and sweep share; the grid options (hidden layers, activation, bottleneck, seed) come from the caller.
        TrainArguments Arguments(ParseResult result, IReadOnlyList<int> hiddenWidths, int bottleneckUnits, Activation hiddenActivation, int seedValue, string? outputDirectory) =>
            new(
                result.GetRequiredValue(data),
                result.GetValue(label) ?? "label",
                Task(result.GetValue(task)),
                hiddenWidths,
                bottleneckUnits,
                hiddenActivation,
                result.GetValue(epochs),
                result.GetValue(batch),
                result.GetValue(learningRate) ?? 0.01,
                Enum.Parse<OptimizerKind>(result.GetValue(optimizer) ?? "adam", ignoreCase: true),
                seedValue,
                result.GetValue(classes),
                result.GetValue(noise),
                result.GetValue(points),
                outputDirectory)
            {
                BottleneckActivation = Enum.Parse<Activation>(result.GetValue(bottleneckActivation) ?? "linear", ignoreCase: true),
                Penalties = (result.GetValue(l1) ?? 0, result.GetValue(l2) ?? 0),
                Schedule = result.GetValue(schedule) is "constant" or null && result.GetValue(warmup) == 0 ? null
                    : new LearningRateSchedule(Enum.Parse<ScheduleKind>(result.GetValue(schedule) ?? "constant", ignoreCase: true),
                        result.GetValue(warmup), result.GetValue(stepEpochs), result.GetValue(stepFactor) ?? 0.5),
                EarlyStopping = result.GetValue(earlyStopping) ? new EarlyStopping(result.GetValue(validation) ?? 0.2, result.GetValue(patience)) : null,
                ClassWeights = result.GetValue(classWeights),
                Engine = Enum.Parse<EngineChoice>(result.GetValue(engine) ?? "generated", ignoreCase: true),
                Cache = result.GetValue(cache),
                ShuffleBuffer = result.GetValue(shuffleBuffer) is int rows and > 0 ? rows : null,
                Ignore = ParseColumns(result.GetValue(ignore)),
                SkipMissing = result.GetValue(missing) == "skip",
                TestFraction = result.GetValue(testFraction) ?? DataSource.DefaultTestFraction,
            };
        train.SetAction(result =>
        {
            TrainArguments arguments = Arguments(result, ParseWidths(result.GetValue(hidden) ?? "16,16") ?? [16, 16], result.GetValue(bottleneck),
                Enum.Parse<Activation>(result.GetValue(activation) ?? "relu", ignoreCase: true), result.GetValue(seed), result.GetValue(output));
            return Execute(stderr, cancellationToken, () => TrainCommand.Execute(arguments, stdout, stderr, console, cancellationToken));
        });

        // The data, --schedule and --early-stopping decide which of these options do anything: given where they do nothing, they are refused.
        Action<CommandResult> dataOptionsApply = result =>
        {
            if (result.GetValue(data) is not string dataSet) return;
            RefuseCsvOptionsUnless(result, dataSet, label, ignore, missing, shuffleBuffer);
            RefuseUnused(result, classes, DataSource.IsBlobs(dataSet), BlobsOnly(dataSet));
            RefuseUnused(result, noise, DataSource.IsBuiltIn(dataSet), BuiltInOnly(dataSet));
            RefuseUnused(result, points, DataSource.IsBuiltIn(dataSet), BuiltInOnly(dataSet));
            RefuseUnused(result, stepEpochs, result.GetValue(schedule) == "step", StepScheduleOnly);
            RefuseUnused(result, stepFactor, result.GetValue(schedule) == "step", StepScheduleOnly);
            RefuseUnused(result, validation, result.GetValue(earlyStopping), EarlyStoppingOnly);
            RefuseUnused(result, patience, result.GetValue(earlyStopping), EarlyStoppingOnly);
        };
        train.Validators.Add(dataOptionsApply);

        var grid = new SweepOptions();
        var sweep = new Command("sweep", "Train a grid of networks (hidden layers × activations × bottleneck widths × seeds) on one data set and write sweep.csv and sweep.html.");
        grid.AddTo(sweep);
        foreach (Option option in new Option[] { data, label, ignore, missing, task, bottleneckActivation, epochs, batch, learningRate, optimizer, classes, noise, points,
            l1, l2, schedule, warmup, stepEpochs, stepFactor, earlyStopping, validation, patience, classWeights, engine, cache, testFraction })
            sweep.Options.Add(option);
        sweep.Validators.Add(dataOptionsApply);
        sweep.SetAction(result =>
        {
            // Hidden layers, activation, bottleneck and seed are set per grid point.
            SweepArguments arguments = grid.Parse(result, Arguments(result, [], 0, Activation.ReLU, 0, null));
            return Execute(stderr, cancellationToken, () => SweepCommand.Execute(arguments, stdout, stderr, console, cancellationToken));
        });


        var inferFrom = new Option<string?>("--data") { Description = "Infer inputs, task and classes from this data set or CSV file (as train does)." };
        Option<int> inputs = WholeNumber("--inputs", "Input features, when no --data is given.", 2, minimum: 1);
        // No default value: without --data it is 2, with --data blobs the set's default.
        var outputClasses = new Option<int?>("--classes")
        {
            Description = $"Classes, 2..{ClassPalette.MaxClasses}: without --data, 2 (one sigmoid unit) or more (softmax); with --data blobs, its number of classes (default {DefaultBlobClasses}).",
            CustomParser = result => ParseWholeNumber(result, "--classes", minimum: 2, maximum: ClassPalette.MaxClasses),
        };
        var className = new Option<string>("--class") { Description = "Name of the generated class.", DefaultValueFactory = _ => "Network" };
        className.Validators.Add(result =>
        {
            string text = result.GetValueOrDefault<string>() ?? "";
            if (!NetworkCompiler.IsIdentifier(text))
                result.AddError($"--class must be a C# identifier (letters, digits, '_', not starting with a digit, not a keyword), not '{text}'.");
        });
        var namespaceName = new Option<string?>("--namespace") { Description = "Namespace of the generated class (default: the global namespace)." };
        namespaceName.Validators.Add(result =>
        {
            string text = result.GetValueOrDefault<string?>() ?? "";
            if (!NetworkCompiler.IsNamespace(text))
                result.AddError($"--namespace must be dot-separated C# identifiers, not '{text}'.");
        });
        var generatedOutput = NonBlankPath(new Option<string?>("--out") { Description = "Output directory for the C# files (default: out/generated)." }, AFolder);
        var generate = new Command("generate", "Print the declaration of the network train would build and write the C# the generator writes for it.")
        {
            inferFrom, label, ignore, missing, task, hidden, bottleneck, activation, bottleneckActivation, inputs, outputClasses, className, namespaceName, generatedOutput,
        };
        generate.Validators.Add(result =>
        {
            string? dataSet = result.GetValue(inferFrom);
            RefuseCsvOptionsUnless(result, dataSet, label, ignore, missing);
            if (dataSet is null) return;
            RefuseUnused(result, inputs, used: false, $"without --data only; --data {dataSet} gives the inputs");
            RefuseUnused(result, outputClasses, DataSource.IsBlobs(dataSet), BlobsOnly(dataSet));
        });
        generate.SetAction(result =>
        {
            var arguments = new GenerateArguments(
                result.GetValue(inferFrom),
                result.GetValue(label) ?? "label",
                Task(result.GetValue(task)),
                ParseWidths(result.GetValue(hidden) ?? "16,16") ?? [16, 16],
                result.GetValue(bottleneck),
                Enum.Parse<Activation>(result.GetValue(activation) ?? "relu", ignoreCase: true),
                Enum.Parse<Activation>(result.GetValue(bottleneckActivation) ?? "linear", ignoreCase: true),
                result.GetValue(inputs),
                result.GetValue(outputClasses),
                result.GetValue(className) ?? "Network",
                result.GetValue(namespaceName),
                result.GetValue(generatedOutput))
            {
                Ignore = ParseColumns(result.GetValue(ignore)),
                SkipMissing = result.GetValue(missing) == "skip",
            };
            return Execute(stderr, cancellationToken, () => GenerateCommand.Execute(arguments, stdout, cancellationToken));
        });

        var weights = NonBlankPath(new Option<string>("--weights") { Description = "The text weights file to export (train writes weights.json).", Required = true }, AFile);
        var format = new Option<string>("--format") { Description = "csharp: one standalone C# file; onnx: an ONNX model (opset 13).", DefaultValueFactory = _ => "csharp" };
        format.AcceptOnlyFromAmong("csharp", "onnx");
        var exportOut = NonBlankPath(new Option<string>("--out") { Description = "The file to write (FILE.cs or FILE.onnx); replaced atomically.", Required = true }, AFile);
        var export = new Command("export", "Write a trained network's weights file as one standalone C# file (base class library only, C# 9) or as an ONNX model.")
        {
            weights, format, className, namespaceName, exportOut,
        };
        export.SetAction(result =>
        {
            var arguments = new ExportArguments(
                result.GetRequiredValue(weights),
                result.GetValue(format) == "onnx" ? ExportFormat.Onnx : ExportFormat.CSharp,
                result.GetValue(className) ?? "Network",
                result.GetValue(namespaceName),
                result.GetRequiredValue(exportOut));
            return Execute(stderr, cancellationToken, () => ExportCommand.Execute(arguments, stdout));
        });

        var picturesOut = NonBlankPath(new Option<string>("--out") { Description = "Directory for the pictures.", DefaultValueFactory = _ => Path.Combine("docs", "images") }, AFolder);
        var pictures = new Command("pictures", "Regenerate the README's pictures: train moons, blobs (4 classes) and sineridge with the defaults and keep their SVGs.")
        {
            picturesOut,
        };
        pictures.SetAction(result => ReadmePictures.Write(result.GetValue(picturesOut) ?? Path.Combine("docs", "images"), stdout, stderr));

        return new RootCommand("hiddenspace: train small networks and see what their hidden layers did to the data.") { train, sweep, generate, export, pictures };
    }

    private static TaskChoice? Task(string? text) => text switch
    {
        null => null,
        "regress" => TaskChoice.Regress,
        _ => TaskChoice.Classify,
    };

    private static string BlobsOnly(string data) => $"to --data blobs only, not to --data {data}";

    private static string BuiltInOnly(string data) => $"to the built-in data sets only, not to --data {data}";

    private const string EarlyStoppingOnly = "with --early-stopping only; add --early-stopping or leave it out";

    private const string StepScheduleOnly = "with --schedule step only; add --schedule step or leave it out";

    /// <summary>Refuses the options that read a CSV file (<c>--label</c>, ...) unless <paramref name="data"/> is one.</summary>
    private static void RefuseCsvOptionsUnless(CommandResult result, string? data, params Option[] csvOptions)
    {
        string appliesTo = data is null ? "to a CSV file given as --data only" : $"to a CSV file only, not to --data {data}";
        foreach (Option option in csvOptions)
            RefuseUnused(result, option, data is not null && !DataSource.IsBuiltIn(data), appliesTo);
    }

    /// <summary>Refuses <paramref name="option"/> when it was given and the rest of the command line leaves it unused, rather than ignoring it.</summary>
    private static void RefuseUnused(CommandResult result, Option option, bool used, string appliesTo)
    {
        if (!used && result.GetResult(option) is { Implicit: false })
            result.AddError($"{option.Name} applies {appliesTo}.");
    }

    /// <summary>Runs a command, turning the exceptions that describe a problem into one stderr line and an exit code.</summary>
    private static int Execute(TextWriter stderr, CancellationToken cancellationToken, Func<int> command)
    {
        try
        {
            return command();
        }
        catch (CancelledException e)
        {
            return Fail(stderr, Cancelled, e.Message);
        }
        catch (DataFormatException e)
        {
            return Fail(stderr, BadInput, InToolTerms(e));
        }
        catch (Exception e) when (e is CliException or FileNotFoundException or ArgumentException)
        {
            return Fail(stderr, BadInput, e is ArgumentException argument
                ? WithoutParameterName(argument).Replace("(EarlyStopping.ValidationFraction)", "(--validation)", StringComparison.Ordinal)
                : e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(stderr, Cancelled, "cancelled; the files already written stay, and no file is left half-written.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetworkCompilerException)
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
        DataFormatProblem.TextInFeatureColumn => $"{error.Location}: {error.Detail} If {(error.Columns.Count == 1 ? "the column is not a feature, leave it" : "they are not features, leave them")} out with --ignore {string.Join(",", error.Columns)}.",
        DataFormatProblem.MissingValue => $"{error.Location}: {error.Detail} To leave out the rows with a missing value, use --missing skip.",
        DataFormatProblem.MissingIgnoredColumn => $"{error.Location}: {error.Detail.Replace("the options leave", "--ignore leaves", StringComparison.Ordinal)}",
        DataFormatProblem.NotAFile => $"--data: {error.Message}",
        _ => error.Message,
    };

    internal static int Fail(TextWriter stderr, int exitCode, string message)
    {
        stderr.WriteLine("error: " + Whitespace().Replace(message, " ").Trim());
        return exitCode;
    }

    /// <summary>"1,4.5" as class weights; null when any part is not a finite number above 0.</summary>
    internal static float[]? ParseWeights(string text)
    {
        var weights = new List<float>();
        foreach (string part in text.Split(','))
        {
            if (!float.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float weight) || !(weight > 0) || !float.IsFinite(weight)) return null;
            weights.Add(weight);
        }
        return [.. weights];
    }

    /// <summary>"id, name" as column names (trimmed, as the header's are); null for no text, or when a name is empty.</summary>
    internal static string[]? ParseColumns(string? text)
    {
        if (text is null) return null;
        string[] names = [.. text.Split(',').Select(name => name.Trim())];
        return names.Any(name => name.Length == 0) ? null : names;
    }

    /// <summary>"16,16" as widths; null when any part is not a whole number of at least 1.</summary>
    internal static int[]? ParseWidths(string text)
    {
        var widths = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1) return null;
            widths.Add(width);
        }
        return [.. widths];
    }

    internal const string AFolder = "the path of a folder", AFile = "the path of a file";

    /// <summary>
    /// <paramref name="option"/>, refusing an empty or blank path: .NET reads one as no path at all (an exception that
    /// names no option) or as the current folder (where generate and pictures would write unasked).
    /// </summary>
    internal static T NonBlankPath<T>(T option, string expected) where T : Option
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: string text }] && string.IsNullOrWhiteSpace(text))
                result.AddError($"{option.Name} must be {expected}, not '{text}'.");
        });
        return option;
    }

    // Own parsers rather than validators: S.CL's validators throw on a value that did not convert ("--epochs x").
    internal static Option<int> WholeNumber(string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseWholeNumber(result, name, minimum, maximum) ?? defaultValue,
    };

    /// <summary>The option's value as a whole number in <paramref name="minimum"/>..<paramref name="maximum"/>; null, with the error added to <paramref name="result"/>, for anything else.</summary>
    private static int? ParseWholeNumber(ArgumentResult result, string name, int minimum, int maximum)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum)
            return value;
        string range = maximum < int.MaxValue ? $" in {minimum}..{maximum}" : minimum > int.MinValue ? $" of at least {minimum}" : "";
        result.AddError($"{name} must be a whole number{range}, not '{text}'.");
        return null;
    }

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
