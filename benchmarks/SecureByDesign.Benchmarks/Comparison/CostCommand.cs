using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;
using SecureByDesign.Tool.Scanning;

namespace SecureByDesign.Benchmarks.Comparison;

/// <summary>
/// <c>cost [--lines N,N,...] [--one-file] [--folder DIR]... [--repeat N] [--no-families] [--only-secure]</c>: compiles the same code
/// with no analyzers, with SecureByDesign, with the .NET analyzers' security rules and with Security Code Scan, and
/// prints each set's time and allocations beside the compiler's parse + bind, then each SecureByDesign rule family
/// alone. <c>--only-secure</c> measures SecureByDesign and the three floors alone (for before/after runs of one change). Processor time (all
/// threads, the process's) is printed beside the wall-clock time: it moves far less when something else runs.
/// Generated code is written to a temp folder (files of about 1,000 lines; <c>--one-file</c> writes one class in one
/// file) and compiled exactly as <c>sbd scan</c> compiles a folder.
/// </summary>
internal static class CostCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        var lines = new List<int>();
        var folders = new List<string>();
        int repeat = 1;
        bool families = true;
        bool onlySecure = false;
        bool oneFile = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--lines" when i + 1 < args.Length:
                    lines.AddRange(args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
                    break;
                case "--folder" when i + 1 < args.Length:
                    folders.Add(Path.GetFullPath(args[++i]));
                    break;
                case "--repeat" when i + 1 < args.Length:
                    repeat = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--no-families":
                    families = false;
                    break;
                case "--only-secure":
                    onlySecure = true;
                    break;
                case "--one-file":
                    oneFile = true;
                    break;
                default:
                    Console.Error.WriteLine($"usage: cost [--lines 10000,100000,1000000] [--folder DIR]... [--one-file] [--repeat N] [--no-families] [--only-secure] (unknown: {args[i]})");
                    return 2;
            }
        }

        if (lines.Count == 0 && folders.Count == 0)
        {
            lines.AddRange(new[] { 10_000, 100_000, 1_000_000 });
        }

        IReadOnlyList<AnalyzerSet> sets = AnalyzerSets(output);
        if (onlySecure)
        {
            sets = sets.Take(4).ToList();
        }

        WarmUp(sets);
        foreach (int size in lines)
        {
            string folder = Path.Combine(Path.GetTempPath(), $"sbd-corpus-{size}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            try
            {
                WriteCorpus(folder, size, oneFile);
                Measure($"generated parser code, {size:N0} lines{(oneFile ? ", one file" : "")}", folder, restore: false, sets, repeat, families, output);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        foreach (string folder in folders)
        {
            Measure(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), folder, restore: true, sets, repeat, families, output);
        }

        return 0;
    }

    private static void WriteCorpus(string folder, int lines, bool oneFile)
    {
        if (oneFile)
        {
            File.WriteAllText(Path.Combine(folder, "Records.cs"), ParserCorpus.Generate(lines));
            return;
        }

        foreach ((string name, string text) in ParserCorpus.GenerateFiles(lines))
        {
            File.WriteAllText(Path.Combine(folder, name), text);
        }
    }

    /// <summary>
    /// Parses, binds and analyzes a small generated corpus with every set, unmeasured, so that the first code measured
    /// runs compiled code as a build server does (the compiler and the analyzers stay loaded there between builds),
    /// not the first calls of the just-in-time compiler: measured cold, the first folder's parse and bind took three
    /// times as long as warm, the analyzers half again as long, and their share of it looked half what it is.
    /// </summary>
    private static void WarmUp(IReadOnlyList<AnalyzerSet> sets)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"sbd-warm-up-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "Records.cs"), ParserCorpus.Generate(2_000));
            FolderCompilation warm = FolderCompilation.Build(folder, SourceSet.DefaultExclusions, restore: false);
            foreach (AnalyzerSet set in sets)
            {
                AnalysisRun.Run(set.Configure(warm.Compilation), set.Analyzers);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IReadOnlyList<AnalyzerSet> AnalyzerSets(TextWriter output)
    {
        IReadOnlyList<AnalyzerSet> sets = AnalyzerSet.Load(output);
        output.WriteLine($"# Analyzer cost beside the compiler's parse + bind (.NET {Environment.Version}, {Environment.ProcessorCount} cores, concurrent build and analysis)");
        return sets;
    }

    private static void Measure(string name, string folder, bool restore, IReadOnlyList<AnalyzerSet> sets, int repeat, bool families, TextWriter output)
    {
        FolderCompilation input = FolderCompilation.Build(folder, SourceSet.DefaultExclusions, restore);
        var errors = input.Compilation.Clone().GetDiagnostics().Count(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Cost bind = Median(repeat, () => AnalysisRun.MeasureBind(input.Compilation), c => c.Time);
        double compile = (input.ParseTime + bind.Time).TotalSeconds;
        output.WriteLine();
        output.WriteLine($"## {name}: {input.Sources.Files.Count:N0} files, {input.Lines:N0} lines, {errors:N0} compile errors");
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compiler: parse {input.ParseTime.TotalSeconds:0.00} s + bind {bind.Time.TotalSeconds:0.00} s = {compile:0.00} s, {Megabytes(bind.Allocated)} allocated, {bind.Processor.TotalSeconds:0.00} s of processor time and {bind.GcPauses.TotalSeconds:0.00} s of garbage collector pauses in the bind."));
        output.WriteLine();
        output.WriteLine("| Analyzers | Time | Share of parse + bind | Processor time | GC pauses | Allocated | Findings | Analyzer exceptions |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        AnalysisRun? secureByDesign = null;
        foreach (AnalyzerSet set in sets)
        {
            AnalysisRun run = Paired(repeat, set.Configure(input.Compilation), set.Analyzers);
            secureByDesign ??= run;
            output.WriteLine(Row(set.Name, run.Analyzers, compile, run.Findings.Length.ToString("N0", CultureInfo.InvariantCulture), run.AnalyzerExceptions.Count));
        }

        if (secureByDesign is not null)
        {
            // The allocations move far less between runs than the times: exact, for comparing two builds of the analyzers.
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sets[0].Name}: {secureByDesign.Analyzers.Allocated:N0} bytes allocated."));
        }

        if (families && secureByDesign is not null)
        {
            output.WriteLine();
            output.WriteLine("SecureByDesign per rule family, each analyzer alone (callbacks: time inside its callbacks, summed over threads, in the run of all of them):");
            output.WriteLine();
            output.WriteLine("| Family | Time | Share of parse + bind | Processor time | GC pauses | Allocated | Findings | Analyzer exceptions | Callbacks |");
            output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach ((DiagnosticAnalyzer analyzer, TimeSpan callbacks) in secureByDesign.CallbackTimes)
            {
                DiagnosticAnalyzer alone = (DiagnosticAnalyzer)Activator.CreateInstance(analyzer.GetType())!;
                AnalysisRun run = Paired(repeat, input.Compilation, ImmutableArray.Create(alone));
                string ids = string.Join(" ", analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct());
                output.WriteLine(Row($"{analyzer.GetType().Name} ({ids})", run.Analyzers, compile, run.Findings.Length.ToString("N0", CultureInfo.InvariantCulture), run.AnalyzerExceptions.Count)
                    + string.Create(CultureInfo.InvariantCulture, $" {callbacks.TotalSeconds:0.00} s |"));
            }
        }

        output.WriteLine();
        EnginePhases(input.Compilation, sets[0], compile, output);
    }

    /// <summary>
    /// The engine's own phases (prefilter, graph, solve, and each family's callbacks), from one more run of
    /// SecureByDesign with its event source on; kept out of the timed runs above, which run with it off.
    /// </summary>
    private static void EnginePhases(Microsoft.CodeAnalysis.Compilation compilation, AnalyzerSet secureByDesign, double compile, TextWriter output)
    {
        using var listener = new PhaseListener();
        AnalysisRun.Run(secureByDesign.Configure(compilation), secureByDesign.Analyzers);
        listener.Print(output, compile);
    }

    private static string Row(string name, Cost cost, double compile, string findings, int exceptions) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {cost.Time.TotalSeconds:0.00} s | {(compile == 0 ? 0 : 100 * cost.Time.TotalSeconds / compile):0}% | {cost.Processor.TotalSeconds:0.00} s | {cost.GcPauses.TotalSeconds:0.00} s | {Megabytes(cost.Allocated)} | {findings} | {exceptions} |");

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000.0:N0} MB");

    /// <summary>
    /// Each run with analyzers right after a bind without them, so that both see the same load on the machine;
    /// the run whose difference is the median of <paramref name="repeat"/>.
    /// </summary>
    private static AnalysisRun Paired(int repeat, Microsoft.CodeAnalysis.Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers) =>
        Median(repeat, () => AnalysisRun.Run(compilation, analyzers, AnalysisRun.MeasureBind(compilation)), r => r.Analyzers.Time);

    private static T Median<T>(int repeat, Func<T> measure, Func<T, TimeSpan> key) =>
        Enumerable.Range(0, repeat).Select(_ => measure()).OrderBy(key).ElementAt(repeat / 2);
}
