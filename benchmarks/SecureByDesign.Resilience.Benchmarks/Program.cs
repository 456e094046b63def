using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In process, like the analyzer benchmarks: the out-of-process cost measured is the runner's, not BenchmarkDotNet's.
var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(10), logOutput: true);
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(toolchain).WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1));
BenchmarkSwitcher.FromAssembly(typeof(SecureByDesign.Resilience.Benchmarks.RunnerBenchmarks).Assembly).Run(args, config);
