using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;

namespace HiddenSpace.Cli;

/// <summary>The parsed options of <c>hiddenspace sweep</c>.</summary>
/// <param name="Shared">The options a sweep shares with <c>train</c> (data, training); its hidden layers, activation, bottleneck and seed are set per grid point.</param>
/// <param name="Hidden">The hidden layers to try (each a list of widths).</param>
/// <param name="Activations">The hidden-layer activations to try.</param>
/// <param name="Bottlenecks">The bottleneck widths to try.</param>
/// <param name="Seeds">How many seeds each configuration runs with: 0, 1, ….</param>
/// <param name="Parallel">Runs trained at the same time.</param>
/// <param name="Out">Output directory; null for out/&lt;data set&gt;.</param>
internal sealed record SweepArguments(TrainArguments Shared, IReadOnlyList<int[]> Hidden, IReadOnlyList<Activation> Activations, IReadOnlyList<int> Bottlenecks,
    int Seeds, int Parallel, string? Out)
{
    /// <summary>The <c>train</c> arguments of one grid point.</summary>
    public TrainArguments For(IReadOnlyList<int> hidden, Activation activation, int bottleneck, int seed) =>
        Shared with { Hidden = hidden, Activation = activation, Bottleneck = bottleneck, Seed = seed };

    /// <summary>Runs in the grid.</summary>
    public int RunCount => Hidden.Count * Activations.Count * Bottlenecks.Count * Seeds;
}

/// <summary>The options only <c>hiddenspace sweep</c> has: the grid, the parallelism and the output directory.</summary>
internal sealed class SweepOptions
{
    // With no grid options: 3 hidden-layer choices × 3 bottleneck widths × 3 seeds.
    private static readonly int[][] DefaultHidden = [[8], [16, 16], [32, 32]];
    private static readonly Activation[] DefaultActivations = [Activation.ReLU];
    private static readonly int[] DefaultBottlenecks = [1, 2, 3];
    private const int DefaultSeeds = 3;

    private delegate bool TryParse<T>(string text, out T value);

    private readonly Option<int[][]> _hidden = List<int[]>("--hidden",
        "Hidden layers to try, separated by ';' or spaces, each comma-separated widths (default: '8;16,16;32,32', the same as 8 16,16 32,32).",
        ';', TryWidths, widths => string.Join(",", widths),
        "hidden layers separated by ';' or spaces, each comma-separated widths of at least 1, such as '8;16,16;32,32'");

    private readonly Option<Activation[]> _activations = List<Activation>("--activations",
        $"Activations of the hidden layers to try, comma-separated, from {string.Join(", ", CliProgram.HiddenActivations)} (default: relu).",
        ',', TryActivation, SweepSummary.Name,
        $"activations separated by commas from {string.Join(", ", CliProgram.HiddenActivations)}");

    private readonly Option<int[]> _bottlenecks = List<int>("--bottlenecks", "Bottleneck widths to try, comma-separated (default: 1,2,3).",
        ',', TryWidth, width => width.ToString(CultureInfo.InvariantCulture),
        "widths of at least 1 separated by commas, such as 1,2,3");

    private readonly Option<int> _seeds = CliProgram.WholeNumber("--seeds", "Seeds per configuration: 0, 1, … (each seeds the data, the initial weights and the shuffling, as train's --seed).",
        DefaultSeeds, minimum: 1);

    private readonly Option<int> _parallel = CliProgram.WholeNumber("--parallel", "Runs trained at the same time, each on one thread (default: the number of cores).",
        Environment.ProcessorCount, minimum: 1);

    private readonly Option<string?> _out = CliProgram.NonBlankPath(new Option<string?>("--out") { Description = "Output directory for sweep.csv and sweep.html (default: out/<data set>)." }, CliProgram.AFolder);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _hidden, _activations, _bottlenecks, _seeds, _parallel, _out }) command.Options.Add(option);
    }

    /// <summary>The sweep's arguments from a parse of a command these options were added to.</summary>
    public SweepArguments Parse(ParseResult result, TrainArguments shared) => new(shared,
        OrDefault(result.GetValue(_hidden), DefaultHidden),
        OrDefault(result.GetValue(_activations), DefaultActivations),
        OrDefault(result.GetValue(_bottlenecks), DefaultBottlenecks),
        result.GetValue(_seeds),
        result.GetValue(_parallel),
        result.GetValue(_out));

    // A list option that was not given reads as empty (one that was given has at least one item).
    private static T[] OrDefault<T>(T[]? given, T[] defaults) => given is { Length: > 0 } ? given : defaults;

    /// <summary>
    /// An option that takes a list: items separated by <paramref name="separator"/>, in one or several tokens, each at most once.
    /// The default is left to <see cref="Parse"/> (and named in the description): help would print an array's type name.
    /// </summary>
    private static Option<T[]> List<T>(string name, string description, char separator, TryParse<T> item, Func<T, string> show, string expected) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result =>
        {
            var items = new List<T>();
            foreach (Token token in result.Tokens)
            {
                foreach (string part in token.Value.Split(separator))
                {
                    if (!item(part.Trim(), out T value))
                    {
                        result.AddError($"{name} must be {expected}; not '{token.Value}'.");
                        return [];
                    }
                    if (items.Any(seen => show(seen) == show(value)))
                    {
                        result.AddError($"{name} lists {show(value)} twice.");
                        return [];
                    }
                    items.Add(value);
                }
            }
            return [.. items];
        },
    };

    private static bool TryWidths(string text, out int[] widths)
    {
        widths = CliProgram.ParseWidths(text) ?? [];
        return widths.Length > 0;
    }

    private static bool TryWidth(string text, out int width) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out width) && width >= 1;

    private static bool TryActivation(string text, out Activation activation)
    {
        activation = default;
        return CliProgram.HiddenActivations.Contains(text) && Enum.TryParse(text, ignoreCase: true, out activation);
    }
}
