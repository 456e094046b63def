using Microsoft.CodeAnalysis;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// The facts the engine caches while it recurses (method summaries, field sources, helper demands, helper sinks,
/// derived verifiers) are the same whichever is asked first: each cache is driven through a cycle across two types in
/// several orders, and the analyzers are run over many such cycles concurrently and sequentially.
/// </summary>
public class DeterminismTests
{
    /// <summary>
    /// Header's count is set from Body.Parse, whose result is Body's length (read by a private helper), which Body's
    /// constructor sets from Header.Size, whose result is Header's count (read by a private helper): the summaries of
    /// four methods and the field sources of two types form one cycle, with a source on the way.
    /// </summary>
    private const string HeaderType = """
        using System.IO;

        class Header
        {
            private readonly int count;

            public Header(BinaryReader reader) { count = Body.Parse(reader, this); }

            public int Size() => Count();

            private int Count() => count;
        }
        """;

    private const string BodyType = """
        using System.IO;

        class Body
        {
            private readonly int length;

            public Body(BinaryReader reader, Header header) { length = header.Size() + reader.ReadInt32(); }

            public static int Parse(BinaryReader reader, Header header) => new Body(reader, header).Length();

            public int Length() => Measured();

            private int Measured() => length;
        }
        """;

    private static readonly string FieldCycle = HeaderType + "\n" + BodyType.Replace("using System.IO;", string.Empty);

    [Fact]
    public async Task SummariesAndFieldSources_InACycleAcrossTypes_AreTheSameWhicheverIsAskedFirst()
    {
        var compilation = await Compilations.CreateAsync(FieldCycle);
        var header = compilation.GetTypeByMetadataName("Header")!;
        var body = compilation.GetTypeByMetadataName("Body")!;
        var members = new ISymbol[]
        {
            header.GetMembers("Size").Single(), header.GetMembers("Count").Single(), header.GetMembers("count").Single(),
            body.GetMembers("Parse").Single(), body.GetMembers("Length").Single(), body.GetMembers("Measured").Single(), body.GetMembers("length").Single(),
        };

        var facts = new List<List<string>>();
        foreach (var first in members.Concat(members.Reverse()))
        {
            var summaries = new MethodSummaries(compilation, null);
            Describe(summaries, first);
            facts.Add(members.Select(m => Describe(summaries, m)).ToList());
        }

        // Every order gives the same facts, origins included, and the source reaches both fields.
        Assert.All(facts, f => Assert.Equal(facts[0], f));
        Assert.Contains(facts[0], f => f.StartsWith("count: untrusted", StringComparison.Ordinal));
        Assert.Contains(facts[0], f => f.StartsWith("length: untrusted", StringComparison.Ordinal));
        Assert.Contains(facts[0], f => f.StartsWith("Size: field 'count'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FieldCycle_DiagnosticsAreTheSame_WhicheverTypeIsAnalyzedFirst()
    {
        var files = new[]
        {
            ("Header.cs", HeaderType),
            ("Body.cs", BodyType),
            ("ByHeader.cs", "class ByHeader { int Run(Header header, int[] table) => table[header.Size()]; }"),
            ("ByBody.cs", "class ByBody { int Run(Body body, int[] table) => table[body.Length()]; }"),
        };

        var all = await InEveryOrderAsync(files);

        Assert.All(all, d => Assert.Equal(all[0], d));
        Assert.Equal(2, all[0].Count(d => d.StartsWith("SBD2001 By", StringComparison.Ordinal)));
    }

    /// <summary>Helpers of two types that hand a record to each other: what each demands is the same whichever is asked first.</summary>
    [Fact]
    public async Task HelperDemands_InACycleAcrossTypes_AreTheSameWhicheverIsAnalyzedFirst()
    {
        var files = new[]
        {
            ("Left.cs", "class Left { internal static int First(string[] fields, int depth) => depth > 0 ? Right.Second(fields, depth - 1) : int.Parse(fields[2]); }"),
            ("Right.cs", "class Right { internal static int Second(string[] fields, int depth) => depth > 0 ? Left.First(fields, depth - 1) : int.Parse(fields[4]); }"),
            ("ByLeft.cs", "class ByLeft { int Run(System.IO.TextReader reader) { var fields = reader.ReadLine()!.Split(','); return fields.Length > 1 ? Left.First(fields, 3) : 0; } }"),
            ("ByRight.cs", "class ByRight { int Run(System.IO.TextReader reader) { var fields = reader.ReadLine()!.Split(','); return fields.Length > 1 ? Right.Second(fields, 3) : 0; } }"),
        };

        var all = await InEveryOrderAsync(files);

        Assert.Equal(2, all[0].Count(d => d.StartsWith("SBD1003 By", StringComparison.Ordinal) && d.Contains("at least 5", StringComparison.Ordinal)));
        Assert.All(all, d => Assert.Equal(all[0], d));
    }

    /// <summary>Path helpers of two types that call each other before writing: a sink a few calls deep, whichever is asked first.</summary>
    [Fact]
    public async Task HelperSinks_InACycleAcrossTypes_AreTheSameWhicheverIsAnalyzedFirst()
    {
        var files = new[]
        {
            ("Store.cs", "class Store { internal static void Save(string path, byte[] data, int depth) { if (depth > 0) Disk.Put(path, data, depth - 1); else System.IO.File.WriteAllBytes(path, data); } }"),
            ("Disk.cs", "class Disk { internal static void Put(string path, byte[] data, int depth) { if (depth > 0) Store.Save(path, data, depth - 1); else System.IO.File.WriteAllBytes(path, data); } }"),
            ("ByStore.cs", "class ByStore { void Run(System.IO.Compression.ZipArchiveEntry entry, string root) => Store.Save(System.IO.Path.Combine(root, entry.FullName), new byte[1], 2); }"),
            ("ByDisk.cs", "class ByDisk { void Run(System.IO.Compression.ZipArchiveEntry entry, string root) => Disk.Put(System.IO.Path.Combine(root, entry.FullName), new byte[1], 2); }"),
        };

        var all = await InEveryOrderAsync(files);

        Assert.Equal(2, all[0].Count(d => d.StartsWith("SBD1006 By", StringComparison.Ordinal)));
        Assert.All(all, d => Assert.Equal(all[0], d));
    }

    /// <summary>
    /// A method that returns true only where a check held is a verifier when its own folder configures the check as one,
    /// for callers in every folder; a caller's folder that configures the check does not make it one. Whichever caller
    /// asks first.
    /// </summary>
    [Fact]
    public async Task DerivedVerifier_IsReadWithTheOptionsOfItsOwnTree_WhicheverCallerAsksFirst()
    {
        var files = new[]
        {
            ("Gate.cs", "class Gate { public static bool Check(byte[] data) => data.Length > 0; public static bool Trusted(byte[] data) { if (!Check(data)) return false; return true; } }"),
            ("Caller.cs", "class Caller { bool Run(byte[] data) => Gate.Trusted(data); }"),
            ("Other.cs", "class Other { bool Run(byte[] data) => Gate.Trusted(data); }"),
        };
        const string VerifiersKey = "secure_by_design.update_verifiers";

        foreach (var (configured, expected) in new[] { ("Gate.cs", Verification.Kind.ReturnsResult), ("Caller.cs", Verification.Kind.None) })
        {
            var provider = new TreeOptions(new() { [configured] = new() { [VerifiersKey] = "M:Gate.Check" } });
            var options = new Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, provider);
            foreach (var first in new[] { "Caller.cs", "Other.cs" })
            {
                var compilation = await Compilations.CreateAsync(files);
                var trust = TrustModel.For(compilation);
                var callers = new[] { first, first == "Caller.cs" ? "Other.cs" : "Caller.cs" };
                foreach (var path in callers)
                {
                    var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
                    var call = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>().Single();
                    var invocation = (Microsoft.CodeAnalysis.Operations.IInvocationOperation)compilation.GetSemanticModel(tree).GetOperation(call)!;
                    Assert.Equal(expected, Verification.KindOf(invocation, trust, TrustOptions.For(options, tree), TrustOptions.OfTrees(options, compilation)));
                }
            }
        }
    }

    /// <summary>
    /// A callee in a folder whose .editorconfig names a source is summarised with its own folder's options, for callers in
    /// folders without them; and the same method in a folder without the setting gives nothing, whichever is asked first.
    /// </summary>
    [Fact]
    public async Task FieldSource_UsesTheOptionsOfTheConstructorsTree_WhicheverTreeAsksFirst()
    {
        const string vendor = """
            namespace Vendor
            {
                public class Feed { public int Read() => 0; }

                public class Counted
                {
                    private readonly int count;
                    public Counted(Feed feed) { count = feed.Read(); }
                    public int Size() => Count();
                    private int Count() => count;
                }
            }
            """;
        const string user = """
            class User
            {
                int Run(Vendor.Counted counted, int[] table) => table[counted.Size()];
            }
            """;
        var options = new TreeOptions(new() { ["Source0.cs"] = new() { ["secure_by_design.untrusted_sources"] = "M:Vendor.Feed.Read" } });

        foreach (var concurrent in new[] { false, true })
        {
            var compilation = await Compilations.CreateAsync(vendor, user);
            var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers, options, concurrent);
            Assert.Empty(exceptions);
            var index = Assert.Single(diagnostics);
            Assert.Equal("SBD2001", index.Id);
            Assert.Equal("Source1.cs", index.Location.SourceTree?.FilePath);
            Assert.Contains("field 'count'", index.GetMessage(), StringComparison.Ordinal);

            // The same vendor code under a folder that names no source: nothing.
            var (quiet, _) = await Compilations.AnalyzeAsync(await Compilations.CreateAsync(vendor, user), Catalog.Analyzers, new TreeOptions(new() { ["Source1.cs"] = new() { ["secure_by_design.untrusted_sources"] = "M:Vendor.Feed.Read" } }), concurrent);
            Assert.Empty(quiet);
        }
    }

    /// <summary>
    /// Fifty copies of the field cycle, each with users, several of them per tree and trees with their own options: the
    /// analyzers run concurrently give exactly the sequential diagnostics (ids, locations, messages, additional
    /// locations), every time.
    /// </summary>
    [Fact]
    public async Task ConcurrentAnalysis_OverManyCyclesOfSummariesAndFields_GivesExactlyTheSequentialDiagnostics_EveryTime()
    {
        var sources = Enumerable.Range(0, 10).Select(tree => string.Join("\n", Enumerable.Range(0, 5).Select(i => Cycle(tree * 5 + i)))).ToArray();
        var options = new TreeOptions(new() { ["Source3.cs"] = new() { ["secure_by_design.untrusted_sources"] = "M:Vendor.Feed.Read" } });
        sources = sources.Append("namespace Vendor { public class Feed { public int Read() => 0; } }").ToArray();

        var sequential = await RunAsync(sources, options, concurrent: false);
        for (var run = 0; run < 20; run++)
        {
            Assert.Equal(sequential, await RunAsync(sources, options, concurrent: true));
        }

        Assert.Equal(200, sequential.Count);
        Assert.Contains(sequential, d => d.StartsWith("SBD2001 Source3.cs", StringComparison.Ordinal) && d.Contains("set from Feed.Read", StringComparison.Ordinal));
        Assert.DoesNotContain(sequential, d => d.StartsWith("SBD2001 Source2.cs", StringComparison.Ordinal) && d.Contains("set from Feed.Read", StringComparison.Ordinal));
    }

    /// <summary>One copy of the cycle: two types whose field sources and summaries depend on each other, and four methods that use them.</summary>
    private static string Cycle(int i) => $$"""
        namespace Cycle{{i}}
        {
            using System.IO;

            class Header
            {
                private readonly int count;
                public Header(BinaryReader reader) { count = Body.Parse(reader, this); }
                public int Size() => Count();
                private int Count() => count;
            }

            class Body
            {
                private readonly int length;
                public Body(BinaryReader reader, Header header) { length = header.Size() + reader.ReadInt32(); }
                public static int Parse(BinaryReader reader, Header header) => new Body(reader, header).Length();
                public int Length() => Measured();
                private int Measured() => length;
            }

            class Configured
            {
                private readonly int total;
                public Configured(Vendor.Feed feed, Header header) { total = feed.Read() + header.Size(); }
                public int Total() => Sum();
                private int Sum() => total;
            }

            class Users
            {
                int ByHeader(Header header, int[] table) => table[header.Size()];
                int ByBody(Body body, int[] table) => table[body.Length()];
                int ByConfigured(Configured configured, int[] table) => table[configured.Total()];
                int[] Allocated(Header header) => new int[header.Size()];
            }
        }
        """;

    private static string Describe(MethodSummaries summaries, ISymbol member) => member switch
    {
        IMethodSymbol method => summaries.Get(method, CancellationToken.None) is { } summary
            ? $"{method.Name}: {summary.ReturnOrigin ?? "trusted"} [{string.Join(",", summary.ParametersToReturn)}]"
            : $"{method.Name}: none",
        IFieldSymbol field => summaries.Fields.Of(field, CancellationToken.None) is { } fact
            ? $"{field.Name}: {(fact.Untrusted ? "untrusted" : "trusted")} {fact.Origin} {fact.Lower} {fact.Upper}"
            : $"{field.Name}: none",
        _ => string.Empty,
    };

    /// <summary>
    /// The diagnostics of a sequential analysis of the files, compiled in each of several orders (forwards, backwards, and
    /// each file first): the analysis meets the methods, and asks for their facts, in that order.
    /// </summary>
    private static async Task<List<List<string>>> InEveryOrderAsync((string Path, string Source)[] files)
    {
        var orders = new List<(string, string)[]> { files, files.Reverse().ToArray() };
        orders.AddRange(files.Select((first, i) => files.Skip(i).Concat(files.Take(i)).ToArray()));
        var all = new List<List<string>>();
        foreach (var order in orders)
        {
            var compilation = await Compilations.CreateAsync(order);
            var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers, null, concurrent: false);
            Assert.Empty(exceptions);
            all.Add(diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()}").OrderBy(d => d, StringComparer.Ordinal).ToList());
        }

        return all;
    }

    private static async Task<List<string>> RunAsync(string[] sources, TreeOptions options, bool concurrent)
    {
        var compilation = await Compilations.CreateAsync(sources);
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers, options, concurrent);
        Assert.Empty(exceptions);
        return diagnostics
            .Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()} [{string.Join("; ", d.AdditionalLocations.Select(l => l.GetLineSpan().ToString()))}]")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
    }
}
