using BenchmarkDotNet.Attributes;
using SecureByDesign.Resilience.Mutation;
using SecureByDesign.Resilience.Parsers;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Benchmarks;

/// <summary>
/// Executions per second of the resilience gate on a small parser: the same 1,000 mutated inputs judged in this
/// process (the oracle alone) and through the runner process (a pipe round trip per input), which is what the
/// out-of-process design costs for a runner that can die without taking the build with it.
/// </summary>
[MemoryDiagnoser]
public class RunnerBenchmarks
{
    private const int Inputs = 1000;
    private static readonly ParserMethod Parser = new("SecureByDesign.Resilience.Benchmarks.FrameParser.Parse", typeof(FrameParser).FullName!, nameof(FrameParser.Parse), InputKind.ReadOnlySpan, Attributed: false);

    private readonly Rejections rejections = new(Array.Empty<string>());
    private byte[][] inputs = Array.Empty<byte[]>();
    private Action<byte[]> parse = _ => { };
    private RunnerProcess? runner;

    [GlobalSetup]
    public void Setup()
    {
        var mutator = new Mutator(new[] { FrameParser.Sample(8) }, shape: null, seed: 0);
        inputs = Enumerable.Range(0, Inputs).Select(_ => mutator.Next()).ToArray();
        parse = ParserInvoker.Bind(typeof(FrameParser).Assembly, Parser);
        runner = RunnerProcess.Start(RunnerCommand.ForTool(Path.Combine(AppContext.BaseDirectory, "sbd.dll")), typeof(FrameParser).Assembly.Location, Parser, rejections, 512L << 20);
    }

    [GlobalCleanup]
    public void Cleanup() => runner?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Inputs)]
    public int InProcess()
    {
        int passed = 0;
        foreach (byte[] input in inputs)
        {
            passed += Oracle.Judge(parse, input, rejections, typeof(FrameParser).Assembly).IsPass ? 1 : 0;
        }

        return passed;
    }

    [Benchmark(OperationsPerInvoke = Inputs)]
    public int OutOfProcess()
    {
        int passed = 0;
        foreach (byte[] input in inputs)
        {
            passed += runner!.Run(input, TimeSpan.FromSeconds(1)).IsPass ? 1 : 0;
        }

        return passed;
    }

    [Benchmark(OperationsPerInvoke = Inputs)]
    public int Mutate()
    {
        var mutator = new Mutator(new[] { FrameParser.Sample(8) }, shape: null, seed: 1);
        int bytes = 0;
        for (int i = 0; i < Inputs; i++)
        {
            bytes += mutator.Next().Length;
        }

        return bytes;
    }
}
