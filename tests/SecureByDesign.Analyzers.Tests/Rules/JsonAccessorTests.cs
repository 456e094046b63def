using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.JsonAccessorAnalyzer,
    SecureByDesign.Analyzers.JsonAccessorFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class JsonAccessorTests
{
    private static DiagnosticResult Accessor(int location, string api, string element, string origin, string when, string remedy) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(api, element, origin, when, remedy);

    [Fact]
    public async Task GetPropertyAndNumberAccessors_OnParsedFile_AreFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text.Json;

            class Manifest
            {
                long Read(string path)
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(path));
                    var root = document.RootElement;
                    var size = {|#0:root.GetProperty("size")|};
                    var count = {|#1:size.GetInt32()|};
                    var total = {|#2:size.GetInt64()|};
                    var ratio = {|#3:size.GetDouble()|};
                    var id = {|#4:{|#5:root.GetProperty("id")|}.GetGuid()|};
                    var stamp = {|#6:{|#7:root.GetProperty("published")|}.GetDateTime()|};
                    return count + total + (long)ratio + id.GetHashCode() + stamp.Ticks;
                }
            }
            """;
        const string origin = "File.ReadAllText (line 9)";

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Accessor(0, "JsonElement.GetProperty", "root", origin, "the property is missing", "use TryGetProperty and reject the content"),
            Accessor(1, "JsonElement.GetInt32", "size", origin, "the value is not a number that fits int", "use TryGetInt32 and reject the content"),
            Accessor(2, "JsonElement.GetInt64", "size", origin, "the value is not a number that fits long", "use TryGetInt64 and reject the content"),
            Accessor(3, "JsonElement.GetDouble", "size", origin, "the value is not a number that fits double", "use TryGetDouble and reject the content"),
            Accessor(4, "JsonElement.GetGuid", "root.GetProperty(\"id\")", origin, "the value is not a string in Guid format", "use TryGetGuid and reject the content"),
            Accessor(5, "JsonElement.GetProperty", "root", origin, "the property is missing", "use TryGetProperty and reject the content"),
            Accessor(6, "JsonElement.GetDateTime", "root.GetProperty(\"published\")", origin, "the value is not a string in DateTime format", "use TryGetDateTime and reject the content"),
            Accessor(7, "JsonElement.GetProperty", "root", origin, "the property is missing", "use TryGetProperty and reject the content"));
    }

    [Fact]
    public async Task KindOnlyAccessors_OnAnnotatedElementAndStream_AreFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text.Json;

            sealed class UntrustedContentAttribute : Attribute { }

            class Manifest
            {
                string Name([UntrustedContent] JsonElement entry) => {|#0:entry.GetString()|};

                bool Enabled(string path)
                {
                    using var document = JsonDocument.Parse(File.OpenRead(path));
                    return {|#1:document.RootElement.GetBoolean()|} && {|#2:document.RootElement.GetArrayLength()|} > 0;
                }
            }
            """;
        const string remedy = "check its ValueKind first and reject the content";

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Accessor(0, "JsonElement.GetString", "entry", "parameter 'entry'", "the value is not a string or null", remedy),
            Accessor(1, "JsonElement.GetBoolean", "document.RootElement", "File.OpenRead (line 13)", "the value is not true or false", remedy),
            Accessor(2, "JsonElement.GetArrayLength", "document.RootElement", "File.OpenRead (line 13)", "the value is not an array", remedy));
    }

    [Fact]
    public async Task TryForms_ConstantJson_CheckedKinds_AndTrustedElements_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text.Json;

            class Manifest
            {
                int Read(StreamReader reader, JsonElement configured)
                {
                    using var document = JsonDocument.Parse(reader.ReadToEnd());
                    var root = document.RootElement;
                    if (!root.TryGetProperty("size", out var size) || !size.TryGetInt32(out var count))
                    {
                        throw new InvalidDataException("size");
                    }

                    var name = root.ValueKind == JsonValueKind.String ? root.GetString() : null;
                    if (root.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw new InvalidDataException("flag");
                    var flag = root.GetBoolean();

                    using var defaults = JsonDocument.Parse("{\"size\": 4}");
                    var fixedSize = defaults.RootElement.GetProperty("size").GetInt32();
                    var trusted = configured.GetProperty("limit").GetInt32();
                    return count + fixedSize + trusted + (name?.Length ?? 0) + (flag ? 1 : 0);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task KindCheckedInTopLevelStatements_IsQuiet()
    {
        // A top-level program is one member: the ValueKind read is in another statement than the accessor.
        const string source = """
            using System;
            using System.IO;
            using System.Text.Json;

            using var document = JsonDocument.Parse(File.ReadAllText(args[0]));
            var el = document.RootElement;
            if (el.ValueKind != JsonValueKind.String) throw new InvalidDataException();
            Console.WriteLine(el.GetString());
            Console.WriteLine({|#0:document.RootElement.GetArrayLength()|});
            """;
        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Accessor(0, "JsonElement.GetArrayLength", "document.RootElement", "File.ReadAllText (line 5)", "the value is not an array", "check its ValueKind first and reject the content"));

        await VerifyCS.RunAsync(test);
    }
    [Fact]
    public async Task DeclarationAndAssignment_FixRewritesToTryForms()
    {
        const string source = """
            using System.IO;
            using System.Text.Json;

            sealed class ContentParserAttribute : System.Attribute { }

            class Manifest
            {
                private long total;

                [ContentParser]
                int Read(Stream content)
                {
                    using var document = JsonDocument.Parse(content);
                    var root = document.RootElement;
                    var size = {|#0:root.GetProperty("size")|};
                    int count = {|#1:size.GetInt32()|};
                    total = {|#2:size.GetInt64()|};
                    return count;
                }
            }
            """;
        const string fixedSource = """
            using System.IO;
            using System.Text.Json;

            sealed class ContentParserAttribute : System.Attribute { }

            class Manifest
            {
                private long total;

                [ContentParser]
                int Read(Stream content)
                {
                    using var document = JsonDocument.Parse(content);
                    var root = document.RootElement;
                    if (!root.TryGetProperty("size", out var size))
                    {
                        throw new InvalidDataException("The content has no 'size' property.");
                    }
                    if (!size.TryGetInt32(out int count))
                    {
                        throw new InvalidDataException("'size' is not a number that fits int.");
                    }
                    if (!size.TryGetInt64(out total))
                    {
                        throw new InvalidDataException("'size' is not a number that fits long.");
                    }
                    return count;
                }
            }
            """;
        const string origin = "parameter 'content'";

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                Accessor(0, "JsonElement.GetProperty", "root", origin, "the property is missing", "use TryGetProperty and reject the content"),
                Accessor(1, "JsonElement.GetInt32", "size", origin, "the value is not a number that fits int", "use TryGetInt32 and reject the content"),
                Accessor(2, "JsonElement.GetInt64", "size", origin, "the value is not a number that fits long", "use TryGetInt64 and reject the content"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task FixAll_RewritesTheOuterAccessorOfAChain_AndLeavesTheInnerFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text.Json;

            class Manifest
            {
                Guid Read(string path)
                {
                    using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                    var id = {|#0:{|#1:document.RootElement.GetProperty("id")|}.GetGuid()|};
                    var version = {|#2:document.RootElement.GetProperty("version")|};
                    return id;
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;
            using System.Text.Json;

            class Manifest
            {
                Guid Read(string path)
                {
                    using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                    if (!{|#0:document.RootElement.GetProperty("id")|}.TryGetGuid(out var id))
                    {
                        throw new InvalidDataException("'document.RootElement.GetProperty(\"id\")' is not a string in Guid format.");
                    }
                    if (!document.RootElement.TryGetProperty("version", out var version))
                    {
                        throw new InvalidDataException("The content has no 'version' property.");
                    }
                    return id;
                }
            }
            """;
        const string origin = "File.ReadAllBytes (line 9)";

        var test = new VerifyCS.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInProjectCheck | CodeFixTestBehaviors.SkipFixAllInSolutionCheck,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Accessor(0, "JsonElement.GetGuid", "document.RootElement.GetProperty(\"id\")", origin, "the value is not a string in Guid format", "use TryGetGuid and reject the content"),
            Accessor(1, "JsonElement.GetProperty", "document.RootElement", origin, "the property is missing", "use TryGetProperty and reject the content"),
            Accessor(2, "JsonElement.GetProperty", "document.RootElement", origin, "the property is missing", "use TryGetProperty and reject the content"),
        ]);
        test.FixedState.ExpectedDiagnostics.Add(
            Accessor(0, "JsonElement.GetProperty", "document.RootElement", origin, "the property is missing", "use TryGetProperty and reject the content"));
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await VerifyCS.RunAsync(test);
    }
}
