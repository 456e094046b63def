using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Tests.Trust;

public class TrustModelTests
{
    private const string Vendor = """
        namespace Vendor
        {
            public class Feed
            {
                public int Next() => 0;
                public int Next(int skip) => skip;
                public int Peek() => 0;
            }

            public class Wire
            {
                public byte Read() => 0;
                public static byte[] Frame() => null;
            }

            public class Other
            {
                public int Read() => 0;
                public int Write() => 0;
            }
        }
        """;

    private static DiagnosticResult Probe(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int location, params object[] arguments) =>
        new DiagnosticResult(descriptor).WithLocation(location).WithArguments(arguments);

    private static async Task RunAsync(string source, (string Path, string Text)? config, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TrustProbeAnalyzer, DefaultVerifier> { ReferenceAssemblies = ReferenceAssemblies.Net.Net80 };
        test.TestState.Sources.Add(source);
        test.TestState.Sources.Add(("Vendor.cs", Vendor));
        if (config is { } file)
        {
            test.TestState.AnalyzerConfigFiles.Add(file);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await ReferencePackages.EnsureAsync(test.ReferenceAssemblies);
        await test.RunAsync();
    }

    [Fact]
    public async Task UntrustedSources_FromEditorConfig_MatchMethodsOverloadsTypesAndBareNames()
    {
        const string source = """
            class Agent
            {
                void Run(Vendor.Feed feed, Vendor.Wire wire, Vendor.Other other)
                {
                    {|#0:feed.Next()|};
                    {|#1:feed.Next(2)|};
                    feed.Peek();
                    {|#2:wire.Read()|};
                    {|#3:Vendor.Wire.Frame()|};
                    {|#4:other.Read()|};
                    other.Write();
                }
            }
            """;

        await RunAsync(
            source,
            ("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.untrusted_sources = M:Vendor.Feed.Next, T:Vendor.Wire,Vendor.Other.Read\n"),
            Probe(TrustProbeAnalyzer.Source, 0, "Next"),
            Probe(TrustProbeAnalyzer.Source, 1, "Next"),
            Probe(TrustProbeAnalyzer.Source, 2, "Read"),
            Probe(TrustProbeAnalyzer.Source, 3, "Frame"),
            Probe(TrustProbeAnalyzer.Source, 4, "Read"));
    }

    [Fact]
    public async Task UntrustedSources_OneOverloadById_AndFromGlobalConfig()
    {
        const string source = """
            class Agent
            {
                void Run(Vendor.Feed feed)
                {
                    feed.Next();
                    {|#0:feed.Next(2)|};
                }
            }
            """;

        await RunAsync(
            source,
            ("/.globalconfig", "is_global = true\nsecure_by_design.untrusted_sources = M:Vendor.Feed.Next(System.Int32)\n"),
            Probe(TrustProbeAnalyzer.Source, 0, "Next"));
    }

    [Fact]
    public async Task NoConfiguration_NoConfiguredSources_DefaultLimits()
    {
        const string source = """
            class Agent
            {
                void Run(Vendor.Feed feed) => feed.Next();
                void {|#0:Limits|}() { }
            }
            """;

        await RunAsync(source, null, Probe(TrustProbeAnalyzer.Limits, 0, TrustOptions.DefaultMaxAllocation, TrustOptions.DefaultMaxStackallocBytes));
    }

    [Fact]
    public async Task Limits_FromEditorConfig_InvalidValuesFallBackToDefaults()
    {
        const string source = """
            class Agent
            {
                void {|#0:Limits|}() { }
            }
            """;

        await RunAsync(
            source,
            ("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.max_allocation = 4096\nsecure_by_design.max_stackalloc_bytes = -5\n"),
            Probe(TrustProbeAnalyzer.Limits, 0, 4096, TrustOptions.DefaultMaxStackallocBytes));
    }

    [Fact]
    public async Task Annotations_AreMatchedBySimpleName_InAnyNamespace()
    {
        const string source = """
            using System;

            namespace Vendor.Own
            {
                [AttributeUsage(AttributeTargets.All)] sealed class UntrustedContentAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.All)] sealed class ContentParserAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.All)] sealed class ContentValidator : Attribute { }
                [AttributeUsage(AttributeTargets.All)] sealed class UpdateVerifierAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.All)] sealed class TrustedContentAttribute : Attribute { }

                class Agent
                {
                    [UntrustedContent] byte[] {|#0:buffer|};
                    [UntrustedContent] int {|#1:Count|} { get; set; }
                    [TrustedContent] int count;

                    void Apply([UntrustedContent] byte[] {|#2:record|}, byte[] trusted) { }

                    [ContentParser]
                    static void Parse(byte[] {|#3:content|}, int {|#4:length|}) { }

                    [ContentValidator]
                    static void {|#5:Validate|}(byte[] content) { }

                    [UpdateVerifier]
                    static bool {|#6:Verify|}(byte[] content) => false;

                    [return: UntrustedContent]
                    static byte[] {|#7:Receive|}() => null;

                    [TrustedContent]
                    static void Plain([TrustedContent] byte[] content) { }
                }
            }
            """;

        await RunAsync(
            source,
            null,
            Probe(TrustProbeAnalyzer.Marked, 0, "buffer", "UntrustedContentAttribute"),
            Probe(TrustProbeAnalyzer.Marked, 1, "Count", "UntrustedContentAttribute"),
            Probe(TrustProbeAnalyzer.Parameter, 2, "record"),
            Probe(TrustProbeAnalyzer.Parameter, 3, "content"),
            Probe(TrustProbeAnalyzer.Parameter, 4, "length"),
            Probe(TrustProbeAnalyzer.Marked, 5, "Validate", "ContentValidatorAttribute"),
            Probe(TrustProbeAnalyzer.Marked, 6, "Verify", "UpdateVerifierAttribute"),
            Probe(TrustProbeAnalyzer.Marked, 7, "Receive", "return: UntrustedContentAttribute"));
    }
}
