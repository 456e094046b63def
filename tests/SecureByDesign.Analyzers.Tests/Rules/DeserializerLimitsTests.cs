using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.DeserializerLimitsAnalyzer,
    SecureByDesign.Analyzers.DeserializerLimitsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class DeserializerLimitsTests
{
    private const string NewtonsoftOff = "turns off the nesting limit of Newtonsoft.Json, and deeply nested content can overflow the stack";
    private const string EntitiesOff = "turns off the bound on characters from entity expansion, and a few lines of DTD can expand to gigabytes";

    private static string TooDeep(int depth) => $"lets content nest {depth} levels deep, past 256, and deeply nested content can overflow the stack";

    private static DiagnosticResult Limit(int location, string assignment, string problem, string remedy = "set MaxDepth = 64") =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(assignment, problem, remedy);

    [Fact]
    public async Task SystemTextJsonMaxDepthAboveThreshold_IsFlagged()
    {
        const string source = """
            using System.Text.Json;

            class Settings
            {
                void Configure(JsonSerializerOptions shared)
                {
                    var serializer = new JsonSerializerOptions { MaxDepth = {|#0:1000|} };
                    var document = new JsonDocumentOptions { MaxDepth = {|#1:int.MaxValue|} };
                    var reader = new JsonReaderOptions();
                    reader.MaxDepth = {|#2:257|};
                    shared.MaxDepth = {|#3:4096|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Limit(0, "MaxDepth = 1000", TooDeep(1000)),
            Limit(1, "MaxDepth = int.MaxValue", TooDeep(int.MaxValue)),
            Limit(2, "reader.MaxDepth = 257", TooDeep(257)),
            Limit(3, "shared.MaxDepth = 4096", TooDeep(4096)));
    }

    [Fact]
    public async Task NewtonsoftMaxDepthNullOrAboveThreshold_IsFlagged()
    {
        const string source = """
            using System.IO;
            using Newtonsoft.Json;

            class Settings
            {
                void Configure(JsonSerializer serializer, TextReader text)
                {
                    var settings = new JsonSerializerSettings { MaxDepth = {|#0:null|} };
                    serializer.MaxDepth = {|#1:null|};
                    var reader = new JsonTextReader(text) { MaxDepth = {|#2:10000|} };
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Verifier<DeserializerLimitsAnalyzer, DeserializerLimitsFixer>.Newtonsoft,
            Limit(0, "MaxDepth = null", NewtonsoftOff),
            Limit(1, "serializer.MaxDepth = null", NewtonsoftOff),
            Limit(2, "MaxDepth = 10000", TooDeep(10000)));
    }

    [Fact]
    public async Task XmlEntityExpansionLimitOff_IsFlagged()
    {
        const string source = """
            using System.Xml;

            class Settings
            {
                XmlReaderSettings Create()
                {
                    var settings = new XmlReaderSettings { MaxCharactersFromEntities = {|#0:0|} };
                    settings.MaxCharactersFromEntities = {|#1:0L|};
                    return settings;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Limit(0, "MaxCharactersFromEntities = 0", EntitiesOff, "set MaxCharactersFromEntities = 10_000_000"),
            Limit(1, "settings.MaxCharactersFromEntities = 0L", EntitiesOff, "set MaxCharactersFromEntities = 10_000_000"));
    }

    [Fact]
    public async Task BoundedSettings_DefaultZeroAndNonConstants_AreQuiet()
    {
        const string source = """
            using System.Text.Json;
            using System.Xml;
            using Newtonsoft.Json;

            class Settings
            {
                void Configure(int configured)
                {
                    var defaults = new JsonSerializerOptions { MaxDepth = 0 };
                    var bounded = new JsonDocumentOptions { MaxDepth = 256 };
                    var reader = new JsonReaderOptions { MaxDepth = 64 };
                    var fromConfig = new JsonSerializerOptions { MaxDepth = configured };
                    var newtonsoft = new JsonSerializerSettings { MaxDepth = 64 };
                    var newtonsoftDefault = new JsonSerializerSettings();
                    var xml = new XmlReaderSettings { MaxCharactersFromEntities = 1024, MaxCharactersInDocument = 0 };
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Verifier<DeserializerLimitsAnalyzer, DeserializerLimitsFixer>.Newtonsoft);
    }

    [Fact]
    public async Task Fix_SetsTheBound()
    {
        const string source = """
            using System.Text.Json;
            using System.Xml;

            class Settings
            {
                void Configure()
                {
                    var options = new JsonSerializerOptions { MaxDepth = {|#0:1000|} };
                    var xml = new XmlReaderSettings();
                    xml.MaxCharactersFromEntities = {|#1:0|};
                }
            }
            """;
        const string fixedSource = """
            using System.Text.Json;
            using System.Xml;

            class Settings
            {
                void Configure()
                {
                    var options = new JsonSerializerOptions { MaxDepth = 64 };
                    var xml = new XmlReaderSettings();
                    xml.MaxCharactersFromEntities = 10_000_000;
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                Limit(0, "MaxDepth = 1000", TooDeep(1000)),
                Limit(1, "xml.MaxCharactersFromEntities = 0", EntitiesOff, "set MaxCharactersFromEntities = 10_000_000"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task FixAll_BoundsEveryLimitOfTheDocument()
    {
        const string source = """
            using Newtonsoft.Json;

            class Settings
            {
                JsonSerializerSettings A() => new JsonSerializerSettings { MaxDepth = {|#0:null|} };
                JsonSerializerSettings B() => new JsonSerializerSettings { MaxDepth = {|#1:512|} };
            }
            """;
        const string fixedSource = """
            using Newtonsoft.Json;

            class Settings
            {
                JsonSerializerSettings A() => new JsonSerializerSettings { MaxDepth = 64 };
                JsonSerializerSettings B() => new JsonSerializerSettings { MaxDepth = 64 };
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Limit(0, "MaxDepth = null", NewtonsoftOff),
                Limit(1, "MaxDepth = 512", TooDeep(512)),
            ],
            fixedSource,
            Verifier<DeserializerLimitsAnalyzer, DeserializerLimitsFixer>.Newtonsoft);
    }
}
