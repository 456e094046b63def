using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// Rules whose every finding needs an operation that spells a member's name register no operation action when the
/// source spells none of them: the compiler then builds no operation trees for them. Counted by the analyzer driver's
/// telemetry (how many actions each analyzer registered), not timed. Beside each quiet case, the same code with the
/// name spelled, still flagged; and the case that cannot be gated by a name (a reader created through a library's
/// derived type), still flagged.
/// </summary>
public class NameGateTests
{
    private const string Parser = """
        using System.IO;

        public static class Records
        {
            static readonly int[] Table = new int[256];

            public static int Read(BinaryReader reader)
            {
                var index = reader.ReadInt32();
                if ((uint)index >= (uint)Table.Length) throw new InvalidDataException();
                return Table[index];
            }
        }
        """;

    public static TheoryData<DiagnosticAnalyzer> Gated() => new()
    {
        new DeserializationAnalyzer(),
        new DeserializedMemberAnalyzer(),
        new DeserializerLimitsAnalyzer(),
        new RegexTimeoutAnalyzer(),
    };

    [Theory]
    [MemberData(nameof(Gated))]
    public async Task WithoutTheNames_NoOperationActionIsRegistered(DiagnosticAnalyzer analyzer)
    {
        var telemetry = await TelemetryAsync(analyzer, Parser);

        Assert.Equal(0, telemetry.OperationActionsCount);
        Assert.Equal(0, telemetry.OperationBlockActionsCount);
        Assert.Equal(0, telemetry.OperationBlockStartActionsCount);
    }

    [Fact]
    public async Task WithTheNameSpelled_TheAssignmentIsStillFlagged()
    {
        const string source = """
            using System.Xml;

            public static class Settings
            {
                public static XmlReaderSettings Open() => new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse };
            }
            """;

        var telemetry = await TelemetryAsync(new XmlAnalyzer(), source);
        var diagnostics = await DiagnosticsAsync(new XmlAnalyzer(), await Compilations.CreateAsync(source));

        Assert.NotEqual(0, telemetry.OperationActionsCount);
        Assert.Equal("SBD1002", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public async Task DeserializerCallSpelled_IsStillFlagged()
    {
        const string source = """
            using System.IO;
            using System.Runtime.Serialization.Formatters.Binary;

            public static class Store
            {
            #pragma warning disable SYSLIB0011
                public static object Load(Stream stream) => new BinaryFormatter().Deserialize(stream);
            }
            """;

        var diagnostics = await DiagnosticsAsync(new DeserializationAnalyzer(), await Compilations.CreateAsync(source));

        Assert.Equal("SBD1001", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public async Task ReaderOfALibrarysDerivedType_CreatedWithoutXmlSpelled_IsStillFlagged()
    {
        const string library = """
            namespace Vendor
            {
                public class FeedReader : System.Xml.XmlTextReader
                {
                    public FeedReader(System.IO.Stream input) : base(input) { }
                }
            }
            """;
        const string program = """
            public static class Import
            {
                public static bool First(System.IO.Stream input)
                {
                    var reader = new Vendor.FeedReader(input);
                    return reader.Read();
                }

                public static bool Quiet(System.IO.Stream input) => input.CanRead;
            }
            """;
        var vendor = await Compilations.CreateAsync(library);
        var compilation = (await Compilations.CreateAsync(program)).AddReferences(vendor.ToMetadataReference());

        var diagnostics = await DiagnosticsAsync(new XmlAnalyzer(), compilation);

        var finding = Assert.Single(diagnostics);
        Assert.Equal("SBD1002", finding.Id);
        Assert.Contains("FeedReader", finding.GetMessage(), StringComparison.Ordinal);
    }

    private static async Task<Microsoft.CodeAnalysis.Diagnostics.Telemetry.AnalyzerTelemetryInfo> TelemetryAsync(DiagnosticAnalyzer analyzer, string source)
    {
        var compilation = await Compilations.CreateAsync(source);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer), new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(DiagnosticAnalyzer analyzer, Compilation compilation)
    {
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, ImmutableArray.Create(analyzer));
        Assert.Empty(exceptions);
        return diagnostics;
    }
}
