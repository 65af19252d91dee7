using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Generator.Fuzzing;

/// <summary>
/// Random declarations, valid and invalid, through the real driver, some naming weights files (valid, damaged at
/// random, resealed, of another architecture or version, missing or twice). For every case: the generator does not
/// throw (no GeneratorRunResult.Exception, no CS8785, no AD0001, no HSG0099 internal error); generated files
/// carry no error or warning; and the case either compiles with zero errors or explains itself with an HSG
/// error or with a compiler error its own source causes (each case lists which ones it may cause).
/// Cases are batched into one compilation for speed; a failing batch is re-run case by case, and each
/// failing case is printed with its seed and source. HSG_GENERATOR_FUZZ_CASES (default 1000) sets the number
/// of cases, HSG_GENERATOR_FUZZ_SEED the first seed.
/// </summary>
public class GeneratorFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 1000;
    private const int DefaultFirstSeed = 1;
    private const int CasesPerCompilation = 100;

    [Fact]
    public void RandomDeclarationsNeverBreakTheGenerator()
    {
        int cases = EnvironmentNumber("HSG_GENERATOR_FUZZ_CASES", DefaultCases);
        int firstSeed = EnvironmentNumber("HSG_GENERATOR_FUZZ_SEED", DefaultFirstSeed);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        var seenIds = new HashSet<string>();
        var failures = new List<string>();
        int batches = (cases + CasesPerCompilation - 1) / CasesPerCompilation;
        for (int firstBatch = 0; firstBatch < batches && failures.Count < 5; firstBatch += Environment.ProcessorCount)
        {
            // A round of batches, one compilation per core; the verdicts are read in order.
            var round = Enumerable.Range(firstBatch, Math.Min(Environment.ProcessorCount, batches - firstBatch))
                .Select(b => Enumerable.Range(firstSeed + b * CasesPerCompilation, Math.Min(CasesPerCompilation, cases - b * CasesPerCompilation))
                    .Select(seed => new RandomDeclaration(seed)).ToList())
                .ToList();
            var results = new BatchResult[round.Count];
            Parallel.For(0, round.Count, b => results[b] = Check(round[b]));
            for (int b = 0; b < round.Count; b++)
            {
                BatchResult result = results[b];
                seenIds.UnionWith(result.Ids);
                foreach ((RandomDeclaration _, string outcome) in result.Outcomes)
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                // A failure is confirmed on the case alone, so a report never blames a case for its neighbours.
                IEnumerable<RandomDeclaration> suspects = result.BatchProblem is null ? result.Failures.Keys : round[b];
                int before = failures.Count;
                foreach (RandomDeclaration suspect in suspects)
                {
                    BatchResult alone = Check([suspect]);
                    string? problem = alone.BatchProblem ?? alone.Failures.GetValueOrDefault(suspect);
                    if (problem is not null)
                        failures.Add($"=== case seed {suspect.Seed} (rerun: HSG_GENERATOR_FUZZ_SEED={suspect.Seed} HSG_GENERATOR_FUZZ_CASES=1): {problem}\n{suspect}");
                }
                if (result.BatchProblem is not null && failures.Count == before)
                    failures.Add($"=== the batch from seed {round[b][0].Seed} fails only as a batch: {result.BatchProblem}");
            }
        }

        output.WriteLine($"{cases} cases from seed {firstSeed} in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach ((string outcome, int count) in outcomes.OrderBy(o => o.Key)) output.WriteLine($"  {outcome,-24} {count}");
        output.WriteLine("  diagnostic IDs seen: " + string.Join(" ", seenIds.Order()));
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        if (cases >= DefaultCases)
        {
            // The generator must have been exercised on both sides: clean output and every diagnostic it can report.
            Assert.True(outcomes.GetValueOrDefault("compiles") >= cases / 10, $"only {outcomes.GetValueOrDefault("compiles")} of {cases} cases compiled");
            string[] missing = HiddenSpace.Gen.Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id).Where(id => id != "HSG0099" && !seenIds.Contains(id)).ToArray();
            Assert.True(missing.Length == 0, "the fuzzer never produced " + string.Join(", ", missing));
        }
    }

    private sealed record BatchResult(List<(RandomDeclaration Case, string Outcome)> Outcomes, Dictionary<RandomDeclaration, string> Failures, string? BatchProblem, HashSet<string> Ids);

    private static BatchResult Check(IReadOnlyList<RandomDeclaration> batch)
    {
        var trees = new List<SyntaxTree>();
        var caseOfFile = new Dictionary<string, RandomDeclaration>();
        foreach (RandomDeclaration declaration in batch)
            for (int i = 0; i < declaration.Files.Count; i++)
            {
                trees.Add(CSharpSyntaxTree.ParseText(declaration.Files[i], GeneratorHarness.ParseOptions, path: declaration.FilePath(i), encoding: Encoding.UTF8));
                caseOfFile[declaration.FilePath(i)] = declaration;
            }
        CSharpCompilation input = GeneratorHarness.Compilation(trees);
        var additionalFiles = batch.SelectMany(c => c.AdditionalFiles).Select(f => new GeneratorHarness.InMemoryFile(f.Path, f.Text)).ToList();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(additionalFiles: additionalFiles).RunGeneratorsAndUpdateCompilation(input, out Compilation compiled, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();

        string? batchProblem = run.Exception is not null ? "the generator threw: " + run.Exception : null;
        var generatedFiles = new HashSet<string>(run.GeneratedSources.Select(s => s.SyntaxTree.FilePath));
        RandomDeclaration? OwnerOf(Diagnostic diagnostic)
        {
            string path = diagnostic.Location.GetLineSpan().Path ?? "";
            if (caseOfFile.TryGetValue(path, out RandomDeclaration? owner)) return owner;
            string hintName = Path.GetFileName(path);
            return generatedFiles.Contains(path) ? batch.SingleOrDefault(c => c.OwnsHintName(hintName)) : null;
        }

        var perCase = batch.ToDictionary(c => c, _ => new List<Diagnostic>());
        var ids = new HashSet<string>();
        foreach (Diagnostic diagnostic in generatorDiagnostics.Concat(compiled.GetDiagnostics()))
        {
            ids.Add(diagnostic.Id);
            if (diagnostic.Id is "CS8785" or "AD0001" or "HSG0099")
                batchProblem ??= $"generator failure {Describe(diagnostic)}";
            if (diagnostic.Severity < DiagnosticSeverity.Warning && diagnostic.Id != "HSG0017") continue;
            RandomDeclaration? owner = OwnerOf(diagnostic);
            if (owner is not null) perCase[owner].Add(diagnostic);
            else if (diagnostic.Severity == DiagnosticSeverity.Error) batchProblem ??= $"unattributable {Describe(diagnostic)}";
        }

        var outcomes = new List<(RandomDeclaration, string)>();
        var failures = new Dictionary<RandomDeclaration, string>();
        foreach ((RandomDeclaration declaration, List<Diagnostic> diagnostics) in perCase)
        {
            List<Diagnostic> inGenerated = diagnostics.Where(d => generatedFiles.Contains(d.Location.GetLineSpan().Path ?? "") && d.Severity >= DiagnosticSeverity.Warning).ToList();
            List<Diagnostic> errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            bool explained = errors.Any(d => d.Id.StartsWith("HSG", StringComparison.Ordinal));
            List<Diagnostic> unexplained = errors.Where(d => !d.Id.StartsWith("HSG", StringComparison.Ordinal) && !declaration.AllowedCompilerErrors.Contains(d.Id)).ToList();
            if (inGenerated.Count > 0)
                failures[declaration] = "generated code has diagnostics:\n  " + string.Join("\n  ", inGenerated.Select(Describe));
            else if (!explained && unexplained.Count > 0)
                failures[declaration] = "compiler errors without an HSG diagnostic:\n  " + string.Join("\n  ", unexplained.Select(Describe));
            outcomes.Add((declaration, errors.Count == 0 ? "compiles" : explained ? "HSG error" : "compiler error (allowed)"));
        }
        return new BatchResult(outcomes, failures, batchProblem, ids);
    }

    private static string Describe(Diagnostic diagnostic) => $"{diagnostic.Id} at {diagnostic.Location.GetLineSpan()}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";

    private static int EnvironmentNumber(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
