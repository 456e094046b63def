using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SecureByDesign.Benchmarks.Comparison;

// "cost": the analyzer sets side by side on the same compilations (see CostCommand).
if (args.Length > 0 && args[0] == "cost")
{
    return CostCommand.Run(args[1..], Console.Out);
}

// In process: the benchmark project shares the repository's build settings, and nothing is generated or built
// beside it. Few iterations: one run over a million lines takes seconds, and the spread is small.
var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true);
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(toolchain).WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1));
BenchmarkSwitcher.FromAssembly(typeof(SecureByDesign.Benchmarks.AnalyzerBenchmarks).Assembly).Run(args, config);
return 0;
