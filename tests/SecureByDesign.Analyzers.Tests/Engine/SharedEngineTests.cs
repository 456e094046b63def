using System.Text;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// The engine as every rule family shares it: one solve per method for all of them, summaries with the options of the
/// callee's own tree, and the same diagnostics whatever order the compiler's threads ask for them in.
/// </summary>
public class SharedEngineTests
{
    private const string SourcesKey = "secure_by_design.untrusted_sources";

    [Fact]
    public async Task Summary_UsesTheOptionsOfTheCalleesTree()
    {
        const string caller = """
            class Agent
            {
                int Run(Vendor.Feed feed, int[] table) => table[Vendor.Helper.Next(feed)];
            }
            """;
        const string callee = """
            namespace Vendor
            {
                public class Feed { public int Read() => 0; }
                public static class Helper { public static int Next(Feed feed) => feed.Read(); }
            }
            """;
        var compilation = await Compilations.CreateAsync(caller, callee);
        var options = new TreeOptions(new() { ["Source1.cs"] = new() { [SourcesKey] = "M:Vendor.Feed.Read" } });

        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers, options, concurrent: true);

        Assert.Empty(exceptions);
        var index = Assert.Single(diagnostics);
        Assert.Equal("SBD2001", index.Id);
        Assert.Equal("Source0.cs", index.Location.SourceTree?.FilePath);
    }

    [Fact]
    public async Task ConcurrentAnalysis_GivesExactlyTheSequentialDiagnostics_EveryTime()
    {
        // Methods that call each other, in several trees, with per-tree options: the summary of B (which returns what A
        // returns) must not depend on whether A or B was asked first.
        var sources = Enumerable.Range(0, 8).Select(Recursive).Append(
            "namespace Vendor { public class Feed { public int Read() => 0; } }").ToArray();
        var options = new TreeOptions(new() { ["Source3.cs"] = new() { [SourcesKey] = "M:Vendor.Feed.Read" } });

        var sequential = await RunAsync(sources, options, concurrent: false);
        Assert.Contains(sequential, d => d.StartsWith("SBD2001 Source0.cs", StringComparison.Ordinal) && d.Contains("Index 'B(3)'", StringComparison.Ordinal));
        Assert.Contains(sequential, d => d.StartsWith("SBD1003 Source0.cs", StringComparison.Ordinal) && d.Contains("at least 4", StringComparison.Ordinal));
        Assert.Contains(sequential, d => d.StartsWith("SBD2001 Source3.cs", StringComparison.Ordinal) && d.Contains("Configured(feed)", StringComparison.Ordinal));
        Assert.DoesNotContain(sequential, d => d.StartsWith("SBD2001 Source0.cs", StringComparison.Ordinal) && d.Contains("Configured(feed)", StringComparison.Ordinal));
        for (var run = 0; run < 12; run++)
        {
            Assert.Equal(sequential, await RunAsync(sources, options, concurrent: true));
        }
    }

    [Fact]
    public async Task LambdaInsideATryOfItsMethod_IsAnalyzedWithoutException()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Reader
            {
                void Run(BinaryReader reader, int[] table, List<int> items)
                {
                    foreach (var item in items)
                    {
                        Func<int, int> read = i => table[reader.ReadInt32()] + i;
                    }
                }
            }
            """;
        var compilation = await Compilations.CreateAsync(source);

        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers);

        Assert.Empty(exceptions);
        Assert.Equal("SBD2001", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public async Task Prefilter_KeepsSourcesReachedOnlyThroughCallees_AndTheCalleesSkippedAsRoots()
    {
        // Loud and Parsed see their source only through a callee's summary (Next, Line); Passed through a callee that has
        // nothing untrusted in sight itself (Pass, skipped as a root, but its summary says its parameter is returned).
        // Quiet and Plain have nothing untrusted in sight: skipped, and quiet.
        const string source = """
            using System.IO;

            class Parser
            {
                static BinaryReader R = null!;
                static TextReader T = null!;

                int Loud(int[] table) => table[Next()];
                int Passed(int[] table, BinaryReader reader) => table[Pass(reader.ReadInt32())];
                int Parsed() => int.Parse(Line());
                int Quiet(int[] table, int i) => table[i];
                int Plain(string s) => int.Parse(s);

                private static int Next() => Read();
                private static int Read() => R.ReadInt32();
                private static int Pass(int value) => value;
                private static string Line() => T.ReadLine()!;
            }
            """;
        var compilation = await Compilations.CreateAsync(source);

        // All families (one inspects every body, so the untrusted test goes first), and each alone (the bounds family
        // inspects every body; the parse family only bodies with a parse, so what it inspects goes first).
        var all = await FindingsAsync(compilation, Catalog.Analyzers);
        var bounds = await FindingsAsync(compilation, Catalog.Analyzers.Where(a => a is MemoryBoundsAnalyzer).ToImmutableArray());
        var parse = await FindingsAsync(compilation, Catalog.Analyzers.Where(a => a is ThrowingParseAnalyzer).ToImmutableArray());

        Assert.Equal(new[] { "SBD2001 8", "SBD2001 9" }, bounds);
        Assert.Equal(new[] { "SBD1004 10" }, parse);
        Assert.Equal(bounds.Concat(parse).OrderBy(s => s, StringComparer.Ordinal), all);
    }

    private static async Task<List<string>> FindingsAsync(Compilation compilation, ImmutableArray<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> analyzers)
    {
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, analyzers);
        Assert.Empty(exceptions);
        return diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan().StartLinePosition.Line + 1}").OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    /// <summary>Mutually recursive summaries and helpers; the index is flagged in every user.</summary>
    private static string Recursive(int i) => $$"""
        using System.IO;

        class Chain{{i}}
        {
            static BinaryReader R = null!;

            static int A(int n) => n > 0 ? B(n - 1) : R.ReadInt32();
            static int B(int n) => n > 0 ? A(n - 1) : 0;
            static int Configured(Vendor.Feed feed) => feed.Read();

            void UseA{{i}}(int[] t) { t[A(3)] = 1; }
            void UseB{{i}}(int[] t) { t[B(3)] = 1; }
            void UseConfigured{{i}}(Vendor.Feed feed, int[] t) { t[Configured(feed)] = 1; }

            string Fields{{i}}(TextReader r) => First(r.ReadLine()!.Split(','), 2);
            private static string First(string[] f, int n) => n > 0 ? Second(f, n - 1) : f[1];
            private static string Second(string[] f, int n) => n > 0 ? First(f, n - 1) : f[3];
        }
        """;

    private static async Task<List<string>> RunAsync(string[] sources, TreeOptions options, bool concurrent)
    {
        var compilation = await Compilations.CreateAsync(sources);
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers, options, concurrent);
        Assert.Empty(exceptions);
        return diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()}").OrderBy(s => s, StringComparer.Ordinal).ToList();
    }
}
