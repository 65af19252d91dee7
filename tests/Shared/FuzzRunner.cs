using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Xunit.Sdk;

namespace HiddenSpace.Tests.Fuzzing;

/// <summary>
/// Runs generated cases one after another on a watched worker thread. A case fails when it throws an
/// exception whose exact type is not on the allowed list, or runs longer than the per-case timeout (a hang).
/// Case i is generated from seed i alone, so the failure message is enough to reproduce it.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>Environment variable that overrides the number of cases, e.g. HSG_FUZZ_CASES=100000.</summary>
    public const string CasesVariable = "HSG_FUZZ_CASES";

    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10); // generous: CI machines are shared

    public static int Cases(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), out int cases) && cases > 0 ? cases : ciDefault;

    public static void Run<TInput>(int cases, Func<int, TInput> generate, Action<TInput> run, Func<TInput, string> describe, params Type[] allowed)
    {
        int current = -1;
        long caseStarted = 0;
        TInput? currentInput = default;
        string? failure = null;
        var worker = new Thread(() =>
        {
            for (int i = 0; i < cases; i++)
            {
                TInput input = generate(i);
                currentInput = input;
                Volatile.Write(ref caseStarted, Stopwatch.GetTimestamp());
                Volatile.Write(ref current, i);
                try
                {
                    run(input);
                }
                catch (Exception e) when (Array.IndexOf(allowed, e.GetType()) >= 0)
                {
                }
                catch (Exception e)
                {
                    failure = $"Case {i} threw {e.GetType().Name}, not one of {string.Join(", ", allowed.Select(t => t.Name))}. Input: {describe(input)}\n{e}";
                    return;
                }
            }
        })
        { IsBackground = true, Name = "fuzz worker" };
        worker.Start();
        while (!worker.Join(50))
        {
            int running = Volatile.Read(ref current);
            if (running >= 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref caseStarted)) > CaseTimeout && Volatile.Read(ref current) == running)
                throw new XunitException($"Case {running} ran longer than {CaseTimeout.TotalSeconds} s (a hang). Input: {describe(currentInput!)}");
        }
        if (failure is not null) throw new XunitException(failure);
    }

    public static string Escape(string text) =>
        string.Concat(text.Select(c => c switch
        {
            '\r' => "\\r",
            '\n' => "\\n",
            '\t' => "\\t",
            '"' => "\\\"",
            '\\' => "\\\\",
            < ' ' or > '~' => $"\\u{(int)c:X4}",
            _ => c.ToString(),
        }));
}
