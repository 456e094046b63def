using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Opt-in timing of the engine's phases, for benchmarks and <c>sbd scan</c>: an <see cref="EventSource"/> named
/// <c>SecureByDesign-Analyzers</c> whose <c>Phase</c> event carries (family, phase, elapsed Stopwatch ticks) once per
/// method and phase. Phases: <c>prefilter</c> (the syntax- and symbol-level scan that decides whether a method gets a
/// graph), <c>graph</c> (building it), <c>solve</c> (the dataflow, summaries of callees included) under the family
/// <c>engine</c>, and <c>callbacks</c> under each rule family. Nothing is measured unless a listener (an in-process
/// <c>EventListener</c>, dotnet-trace, dotnet-counters) enables the source: the check is one field read.
/// </summary>
[EventSource(Name = "SecureByDesign-Analyzers")]
internal sealed class EngineEvents : EventSource
{
    public const string Engine = "engine";

    public static readonly EngineEvents Log = new();

    /// <summary>A timestamp when timing is on, 0 otherwise.</summary>
    public static long Start() => Log.IsEnabled() ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Reports the time since <paramref name="started"/>, when timing is on.</summary>
    public static void Stop(string family, string phase, long started)
    {
        if (started != 0 && Log.IsEnabled())
        {
            Log.Phase(family, phase, Stopwatch.GetTimestamp() - started);
        }
    }

    [Event(1, Level = EventLevel.Informational)]
    public void Phase(string family, string phase, long ticks) => WriteEvent(1, family, phase, ticks);
}
