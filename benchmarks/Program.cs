using BenchmarkDotNet.Running;

// Pick benchmarks with --filter and a job with --job (e.g. --filter '*TrainStep*' --job short).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
