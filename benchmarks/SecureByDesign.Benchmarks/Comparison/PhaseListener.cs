using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace SecureByDesign.Benchmarks.Comparison;

/// <summary>
/// Listens, in process, to the analyzers' opt-in <c>SecureByDesign-Analyzers</c> event source while it is alive, and
/// sums each (family, phase)'s <c>Phase</c> events: time summed over threads, and how many methods reported one.
/// </summary>
internal sealed class PhaseListener : EventListener
{
    private const string SourceName = "SecureByDesign-Analyzers";

    private readonly ConcurrentDictionary<(string Family, string Phase), (long Ticks, int Methods)> totals = new();

    /// <summary>Each (family, phase): the time summed over threads and the number of methods, engine phases first.</summary>
    public IReadOnlyList<(string Family, string Phase, TimeSpan Time, int Methods)> Totals() =>
        totals.Select(t => (t.Key.Family, t.Key.Phase, TimeSpan.FromSeconds((double)t.Value.Ticks / Stopwatch.Frequency), t.Value.Methods))
            .OrderBy(t => t.Family == "engine" ? 0 : 1)
            .ThenBy(t => t.Family == "engine" ? Array.IndexOf(EnginePhases, t.Phase) : 0)
            .ThenByDescending(t => t.Item3)
            .ToList();

    private static readonly string[] EnginePhases = { "prefilter", "graph", "solve" };

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == SourceName)
        {
            EnableEvents(source, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventSource.Name != SourceName || e.EventName != "Phase" || e.Payload is not { Count: 3 } payload)
        {
            return;
        }

        string family = (string)payload[0]!;
        string phase = (string)payload[1]!;
        long ticks = Convert.ToInt64(payload[2], CultureInfo.InvariantCulture);
        totals.AddOrUpdate((family, phase), (ticks, 1), (_, t) => (t.Ticks + ticks, t.Methods + 1));
    }

    /// <summary>Prints the totals as a table, with each phase's share of <paramref name="compile"/> seconds.</summary>
    public void Print(TextWriter output, double compile)
    {
        var rows = Totals();
        if (rows.Count == 0)
        {
            output.WriteLine("Engine phases: no events (no method reached the engine).");
            return;
        }

        output.WriteLine("SecureByDesign engine phases, one more run of all its analyzers with timing on (summed over threads; callbacks per rule family):");
        output.WriteLine();
        output.WriteLine("| Family | Phase | Time | Share of parse + bind | Methods |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var (family, phase, time, methods) in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {family} | {phase} | {time.TotalSeconds:0.00} s | {(compile == 0 ? 0 : 100 * time.TotalSeconds / compile):0}% | {methods:N0} |"));
        }
    }
}
