using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// Compiles a compilation (binds every method, no emit) with and without analyzers, as the compiler runs them,
    /// and measures both: the analyzers' cost is what the run with them takes beyond the run without.
    /// </summary>
    internal sealed class AnalysisRun
    {
        private AnalysisRun(ImmutableArray<Diagnostic> compilerDiagnostics, ImmutableArray<Diagnostic> findings, IReadOnlyList<string> exceptions, Cost bind, Cost withAnalyzers, IReadOnlyDictionary<DiagnosticAnalyzer, TimeSpan> callbackTimes)
        {
            CompilerDiagnostics = compilerDiagnostics;
            Findings = findings;
            AnalyzerExceptions = exceptions;
            Bind = bind;
            WithAnalyzers = withAnalyzers;
            CallbackTimes = callbackTimes;
        }

        /// <summary>The compiler's own diagnostics (errors when the sources do not build as they are); empty when the run was given its bind.</summary>
        public ImmutableArray<Diagnostic> CompilerDiagnostics { get; }

        /// <summary>The analyzers' diagnostics.</summary>
        public ImmutableArray<Diagnostic> Findings { get; }

        /// <summary>Exceptions thrown by analyzers, one line each (analyzers must never throw).</summary>
        public IReadOnlyList<string> AnalyzerExceptions { get; }

        /// <summary>Binding every method body without analyzers.</summary>
        public Cost Bind { get; }

        /// <summary>Binding every method body with the analyzers running, as the compiler does.</summary>
        public Cost WithAnalyzers { get; }

        /// <summary>The analyzers' share: <see cref="WithAnalyzers"/> minus <see cref="Bind"/>.</summary>
        public Cost Analyzers => new Cost(WithAnalyzers.Time - Bind.Time, WithAnalyzers.Allocated - Bind.Allocated, WithAnalyzers.Processor - Bind.Processor, WithAnalyzers.GcPauses - Bind.GcPauses);

        /// <summary>Time spent inside each analyzer's callbacks (summed over threads), from the analyzer driver.</summary>
        public IReadOnlyDictionary<DiagnosticAnalyzer, TimeSpan> CallbackTimes { get; }

        /// <summary>
        /// Binds a fresh copy of <paramref name="compilation"/> (warming up the compiler), runs <paramref name="analyzers"/>
        /// over another fresh copy, and binds a third without them for the comparison.
        /// </summary>
        public static AnalysisRun Run(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellation = default)
        {
            // The first bind also compiles the compiler itself (JIT): it is not measured.
            ImmutableArray<Diagnostic> compilerDiagnostics = compilation.Clone().GetDiagnostics(cancellation);
            AnalysisRun run = Run(compilation, analyzers, default, cancellation);
            return new AnalysisRun(compilerDiagnostics, run.Findings, run.AnalyzerExceptions, MeasureBind(compilation, cancellation), run.WithAnalyzers, run.CallbackTimes);
        }

        /// <summary>Binds a fresh copy of <paramref name="compilation"/>, every method body, and measures it.</summary>
        public static Cost MeasureBind(Compilation compilation, CancellationToken cancellation = default) =>
            Measure(() => compilation.Clone().GetDiagnostics(cancellation));

        /// <summary>
        /// Runs <paramref name="analyzers"/> over a fresh copy of <paramref name="compilation"/>, as the compiler does
        /// (binding included), and compares with <paramref name="bind"/>, the same compilation bound without them.
        /// Diagnostics the compilation's options suppress are left out, and so are analyzers all of whose
        /// diagnostics are suppressed (the compiler skips them).
        /// </summary>
        public static AnalysisRun Run(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, Cost bind, CancellationToken cancellation = default)
        {
            if (analyzers.IsEmpty)
            {
                return new AnalysisRun(ImmutableArray<Diagnostic>.Empty, ImmutableArray<Diagnostic>.Empty, Array.Empty<string>(), bind, bind, new Dictionary<DiagnosticAnalyzer, TimeSpan>());
            }

            var exceptions = new ConcurrentQueue<string>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message} {exception.StackTrace?.Split('\n')[0].Trim()}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false);
            CompilationWithAnalyzers withAnalyzers = compilation.Clone().WithAnalyzers(analyzers, options);
            AnalysisResult result = null!;
            Cost cost = Measure(() => result = withAnalyzers.GetAnalysisResultAsync(cancellation).GetAwaiter().GetResult());
            var callbackTimes = analyzers.ToDictionary(a => a, a => result.AnalyzerTelemetryInfo.TryGetValue(a, out AnalyzerTelemetryInfo? t) ? t.ExecutionTime : TimeSpan.Zero);
            ImmutableArray<Diagnostic> findings = result.GetAllDiagnostics().Where(d => !d.IsSuppressed).ToImmutableArray();
            return new AnalysisRun(ImmutableArray<Diagnostic>.Empty, findings, exceptions.ToArray(), bind, cost, callbackTimes);
        }

        private static Cost Measure(Action action)
        {
            // What the previous run left behind is collected now, not inside the measured run.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            TimeSpan processor = ProcessorTime();
            TimeSpan paused = GC.GetTotalPauseDuration();
            var clock = Stopwatch.StartNew();
            action();
            clock.Stop();
            return new Cost(clock.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocated, ProcessorTime() - processor, GC.GetTotalPauseDuration() - paused);
        }

        private static TimeSpan ProcessorTime()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Wall-clock time, bytes allocated, processor time (on every thread) and the time the garbage collector paused
    /// the process, by one piece of work. The processor time moves far less than the wall-clock time when something
    /// else runs on the machine; the pauses show how much of the time is the collector's, which grows with the heap
    /// the compilation keeps alive as well as with what is allocated.
    /// </summary>
    internal readonly record struct Cost(TimeSpan Time, long Allocated, TimeSpan Processor, TimeSpan GcPauses);
}
