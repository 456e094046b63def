using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.XmlAnalyzer,
    SecureByDesign.Analyzers.XmlFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class XmlTests
{
    private const string Parse = "processes the DTDs of the content, which can expand entities without bound or read local files";
    private const string Resolver = "lets the DTD and entities of the content fetch local files and URLs";
    private const string LoadAdvice = "load through XmlReader.Create with default settings";

    [Fact]
    public async Task DtdProcessingParse_IsFlagged()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content)
                {
                    var settings = new XmlReaderSettings();
                    settings.DtdProcessing = {|#0:DtdProcessing.Parse|};
                    return XmlReader.Create(content, settings);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "'settings.DtdProcessing = DtdProcessing.Parse'", Parse, "set DtdProcessing.Prohibit"));
    }

    [Fact]
    public async Task NonNullResolverInInitializer_IsFlagged()
    {
        const string source = """
            using System.Xml;

            class Policy
            {
                XmlReaderSettings Settings() => new XmlReaderSettings { XmlResolver = {|#0:new XmlUrlResolver()|} };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "'XmlResolver = new XmlUrlResolver()'", Resolver, "set XmlResolver = null"));
    }

    [Fact]
    public async Task ProhibitDtdFalse_IsFlagged()
    {
        const string source = """
            using System.Xml;

            class Policy
            {
            #pragma warning disable CS0618
                void Configure(XmlReaderSettings settings) => settings.ProhibitDtd = {|#0:false|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "'settings.ProhibitDtd = false'", Parse, "set DtdProcessing.Prohibit"));
    }

    [Fact]
    public async Task XmlTextReaderAtDefaults_IsFlagged()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content) => {|#0:new XmlTextReader(content)|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "'new XmlTextReader(content)'", "processes the DTDs of the content by default", "set DtdProcessing = DtdProcessing.Prohibit on it"));
    }

    [Fact]
    public async Task XmlTextReaderWithProhibitOrIgnore_IsQuiet()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content) => new XmlTextReader(content) { DtdProcessing = DtdProcessing.Prohibit };

                XmlReader OpenLater(Stream content)
                {
                    var reader = new XmlTextReader(content);
                    reader.DtdProcessing = DtdProcessing.Ignore;
                    return reader;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task XmlTextReaderWithParseSetLater_IsFlaggedAtTheAssignmentOnly()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content)
                {
                    var reader = new XmlTextReader(content);
                    reader.DtdProcessing = {|#1:DtdProcessing.Parse|};
                    return reader;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("'reader.DtdProcessing = DtdProcessing.Parse'", Parse, "set DtdProcessing.Prohibit"));
    }

    [Fact]
    public async Task XmlDocumentLoadOfRawInput_IsFlagged_EvenWithNullResolver()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlDocument Load(Stream content, string text, XmlDocument given)
                {
                    var document = new XmlDocument { XmlResolver = null };
                    {|#0:document.Load(content)|};
                    {|#1:given.LoadXml(text)|};
                    return document;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'document.Load(content)'", "parses content with DTD processing", LoadAdvice),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("'given.LoadXml(text)'", "parses text with DTD processing", LoadAdvice));
    }

    [Fact]
    public async Task XmlDocumentLoadXmlOfAConstant_IsQuiet_ButNotOfTextBuiltWithContent()
    {
        const string source = """
            using System.Xml;

            class Session
            {
                const string Close = "<rpc message-id=\"1\"><close-session/></rpc>";

                void Hello(string serverHello)
                {
                    var client = new XmlDocument();
                    client.LoadXml("<?xml version=\"1.0\"?>" +
                                   "<hello><capabilities/></hello>");
                    var close = new XmlDocument();
                    close.LoadXml(Close);
                    var server = new XmlDocument();
                    {|#0:server.LoadXml("<?xml version=\"1.0\"?>" + serverHello)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'server.LoadXml(\"<?xml version=\\\"1.0\\\"?>\" + serverHello)'", "parses \"<?xml version=\\\"1.0\\\"?>\" + serverHello with DTD processing", LoadAdvice));
    }

    [Fact]
    public async Task DtdProcessingFromAVariable_IsFlagged()
    {
        const string source = """
            using System.Xml;

            class Policy
            {
                XmlReaderSettings Settings(DtdProcessing configured) => new XmlReaderSettings { DtdProcessing = {|#0:configured|} };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "'DtdProcessing = configured'", "may process the DTDs of the content (the value is not a constant)", "set DtdProcessing.Prohibit"));
    }

    [Fact]
    public async Task ReadersWithDefaultSettingsAndSafeSettings_AreQuiet()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlDocument LoadThroughReader(Stream content)
                {
                    var document = new XmlDocument();
                    document.Load(XmlReader.Create(content));
                    return document;
                }

                XmlReaderSettings Safe() => new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
                XmlReaderSettings Ignoring() => new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = XmlResolver.ThrowingResolver };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task DtdProcessingParse_FixProhibits()
    {
        const string source = """
            using System.Xml;

            class Policy
            {
                XmlReaderSettings Settings() => new XmlReaderSettings { DtdProcessing = {|#0:DtdProcessing.Parse|}, XmlResolver = {|#1:new XmlUrlResolver()|} };
            }
            """;
        const string fixedSource = """
            using System.Xml;

            class Policy
            {
                XmlReaderSettings Settings() => new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("'DtdProcessing = DtdProcessing.Parse'", Parse, "set DtdProcessing.Prohibit"),
                VerifyCS.Diagnostic().WithLocation(1).WithArguments("'XmlResolver = new XmlUrlResolver()'", Resolver, "set XmlResolver = null"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task XmlTextReader_FixAddsProhibitToInitializer()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content) => {|#0:new XmlTextReader(content)|};
                XmlReader OpenNamespaced(Stream content) => {|#1:new XmlTextReader(content) { Namespaces = false }|};
            }
            """;
        const string fixedSource = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content) => new XmlTextReader(content) { DtdProcessing = DtdProcessing.Prohibit };
                XmlReader OpenNamespaced(Stream content) => new XmlTextReader(content) { Namespaces = false, DtdProcessing = DtdProcessing.Prohibit };
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("'new XmlTextReader(content)'", "processes the DTDs of the content by default", "set DtdProcessing = DtdProcessing.Prohibit on it"),
                VerifyCS.Diagnostic().WithLocation(1).WithArguments("'new XmlTextReader(content) { Namespaces = false }'", "processes the DTDs of the content by default", "set DtdProcessing = DtdProcessing.Prohibit on it"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task ParseInReaderInitializer_IsFlaggedOnce_AndFixAllCompiles()
    {
        const string source = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content) => new XmlTextReader(content) { DtdProcessing = {|#0:DtdProcessing.Parse|}, XmlResolver = {|#1:new XmlUrlResolver()|} };
            }
            """;
        const string fixedSource = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlReader Open(Stream content) => new XmlTextReader(content) { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("'DtdProcessing = DtdProcessing.Parse'", Parse, "set DtdProcessing.Prohibit"),
                VerifyCS.Diagnostic().WithLocation(1).WithArguments("'XmlResolver = new XmlUrlResolver()'", Resolver, "set XmlResolver = null"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task XmlDocumentLoad_FixLoadsThroughXmlReader()
    {
        const string source = """
            using System.Xml;

            class Policy
            {
                XmlDocument Load(System.IO.Stream content, string text)
                {
                    var document = new XmlDocument();
                    {|#0:document.Load(content)|};
                    {|#1:document.LoadXml(text)|};
                    return document;
                }
            }
            """;
        const string fixedSource = """
            using System.IO;
            using System.Xml;

            class Policy
            {
                XmlDocument Load(System.IO.Stream content, string text)
                {
                    var document = new XmlDocument();
                    document.Load(XmlReader.Create(content));
                    document.Load(XmlReader.Create(new StringReader(text)));
                    return document;
                }
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("'document.Load(content)'", "parses content with DTD processing", LoadAdvice),
                VerifyCS.Diagnostic().WithLocation(1).WithArguments("'document.LoadXml(text)'", "parses text with DTD processing", LoadAdvice),
            ],
            fixedSource);
    }

    [Fact]
    public async Task ResolverThatFetchesOnlyWhenOptedIn_IsQuiet_WhereTheFlagIsOff_AndFlaggedWhereItIsOnOrUnguarded()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Xml;

            class EmbeddedResolver : XmlUrlResolver
            {
                public bool AllowExternal { get; set; }

                public override object GetEntity(Uri absoluteUri, string role, Type ofObjectToReturn)
                {
                    if (absoluteUri.AbsolutePath.EndsWith(".dtd"))
                    {
                        return new MemoryStream(new byte[0]);
                    }

                    if (AllowExternal)
                    {
                        return base.GetEntity(absoluteUri, role, ofObjectToReturn);
                    }

                    return new MemoryStream();
                }
            }

            class AlwaysResolver : XmlUrlResolver
            {
                public override object GetEntity(Uri absoluteUri, string role, Type ofObjectToReturn) =>
                    absoluteUri.AbsolutePath.EndsWith(".dtd") ? new MemoryStream() : base.GetEntity(absoluteUri, role, ofObjectToReturn);
            }

            class Document
            {
                public static bool ResolveExternal { get; set; }

                public static bool Trusting { get; set; } = true;

                static XmlReaderSettings Off() => new XmlReaderSettings { XmlResolver = new EmbeddedResolver() };
                static XmlReaderSettings SetFalse() => new XmlReaderSettings { XmlResolver = new EmbeddedResolver { AllowExternal = false } };
                static XmlReaderSettings Setting() => new XmlReaderSettings { XmlResolver = new EmbeddedResolver { AllowExternal = ResolveExternal } };

                static XmlReaderSettings On() => new XmlReaderSettings { XmlResolver = {|#0:new EmbeddedResolver { AllowExternal = true }|} };
                static XmlReaderSettings OnByDefault() => new XmlReaderSettings { XmlResolver = {|#1:new EmbeddedResolver { AllowExternal = Trusting }|} };
                static XmlReaderSettings Unguarded() => new XmlReaderSettings { XmlResolver = {|#2:new AlwaysResolver()|} };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'XmlResolver = new EmbeddedResolver { AllowExternal = true }'", Resolver, "set XmlResolver = null"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("'XmlResolver = new EmbeddedResolver { AllowExternal = Trus...'", Resolver, "set XmlResolver = null"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("'XmlResolver = new AlwaysResolver()'", Resolver, "set XmlResolver = null"));
    }
}
