using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.DeserializedMemberAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class DeserializedMemberTests
{
    private const string Model = """

        public sealed class Config
        {
            public System.Collections.Generic.List<Rule> Rules { get; set; } = new();
            public Rule[] Extra { get; set; } = System.Array.Empty<Rule>();
            public string Name = "";
            public int Version { get; set; }
        }

        public sealed class Rule
        {
            public string? Pattern { get; set; }
        }
        """;

    private static DiagnosticResult Member(int location, string value, string origin, string use) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(value, origin, use);

    [Fact]
    public async Task MembersOfDeserializedObject_DereferencedUnchecked_AreFlagged()
    {
        const string source = """
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                int Load(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    var count = {|#1:{|#0:config|}.Rules|}.Count;
                    return count + {|#5:{|#2:config.Rules[0]|}!.Pattern|}!.Length;
                }

                int Forgiven(string path)
                {
                    var rule = JsonSerializer.Deserialize<Rule>(File.ReadAllText(path));
                    return {|#4:{|#3:rule|}!.Pattern|}!.Length;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Member(0, "config", "JsonSerializer.Deserialize (line 8)", "config.Rules"),
            Member(1, "config.Rules", "JsonSerializer.Deserialize (line 8)", "config.Rules.Count"),
            Member(2, "config.Rules[0]", "JsonSerializer.Deserialize (line 8)", "config.Rules[0]!.Pattern"),
            Member(3, "rule", "JsonSerializer.Deserialize (line 15)", "rule!.Pattern"),
            Member(4, "rule!.Pattern", "JsonSerializer.Deserialize (line 15)", "rule!.Pattern!.Length"),
            Member(5, "config.Rules[0]!.Pattern", "JsonSerializer.Deserialize (line 8)", "config.Rules[0]!.Pattern!.Length"));
    }

    [Fact]
    public async Task ForeachAndArrayElements_AreFlagged()
    {
        const string source = """
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                int Load(Stream stream)
                {
                    var config = JsonSerializer.Deserialize<Config>(stream) ?? throw new InvalidDataException();
                    var total = 0;
                    foreach (var rule in {|#0:config.Rules|})
                    {
                        total += {|#1:rule|}.Pattern?.Length ?? 0;
                    }

                    return total + {|#2:{|#3:config.Extra|}[0]|}.GetHashCode();
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Member(0, "config.Rules", "JsonSerializer.Deserialize (line 8)", "foreach over config.Rules"),
            Member(1, "rule", "JsonSerializer.Deserialize (line 8)", "rule.Pattern"),
            Member(2, "config.Extra[0]", "JsonSerializer.Deserialize (line 8)", "config.Extra[0].GetHashCode()"),
            Member(3, "config.Extra", "JsonSerializer.Deserialize (line 8)", "config.Extra[0]"));
    }

    [Fact]
    public async Task LinqOverDeserializedCollection_IsFlagged()
    {
        const string source = """
            using System.IO;
            using System.Linq;
            using System.Text.Json;

            class Loader
            {
                int Count(Stream stream)
                {
                    var config = JsonSerializer.Deserialize<Config>(stream) ?? throw new InvalidDataException();
                    var named = {|#0:config.Rules|}.Count(r => r.Pattern != null);
                    return named + config.Rules.Count;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(source, Member(0, "config.Rules", "JsonSerializer.Deserialize (line 9)", "config.Rules.Count(r => r.Pattern != null)"));
    }

    [Fact]
    public async Task NewtonsoftAndXmlSerializer_AreFlagged()
    {
        const string source = """
            using System.IO;
            using System.Xml.Serialization;
            using Newtonsoft.Json;

            class Loader
            {
                int Json(string p) => {|#0:JsonConvert.DeserializeObject<Config>(File.ReadAllText(p))|}!.Version;

                string Xml(string path)
                {
                    var config = (Config)new XmlSerializer(typeof(Config)).Deserialize(File.OpenRead(path))!;
                    return {|#1:config|}.Name;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Newtonsoft,
            Member(0, "JsonConvert.DeserializeObject<Config>(File.ReadAllText(p))", "JsonConvert.DeserializeObject (line 7)", "JsonConvert.DeserializeObject<Config>(File.ReadAllText(p)..."),
            Member(1, "config", "XmlSerializer.Deserialize (line 11)", "config.Name"));
    }

    [Fact]
    public async Task SameValueTwiceInOneStatement_IsFlaggedOnce()
    {
        const string source = """
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                string Describe(Stream stream)
                {
                    var config = JsonSerializer.Deserialize<Config>(stream);
                    var text = $"{{|#0:config|}!.Version} {config.Name}";
                    return text + {|#1:config.Name|}.Length;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Member(0, "config", "JsonSerializer.Deserialize (line 8)", "config!.Version"),
            Member(1, "config.Name", "JsonSerializer.Deserialize (line 8)", "config.Name.Length"));
    }

    [Fact]
    public async Task NullChecksThatDominate_AreQuiet()
    {
        const string source = """
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                int EarlyExit(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is null || config.Rules == null) return 0;
                    return config.Rules.Count;
                }

                int Patterns(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is not { } loaded) throw new InvalidDataException();
                    if (loaded.Rules is not null && config.Name != null)
                    {
                        return loaded.Rules.Count + config.Name.Length;
                    }

                    return 0;
                }

                int Conditional(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    return (config?.Rules?.Count ?? 0) + (config?.Name ?? "").Length;
                }

                int Coalesced(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? new Config();
                    var rules = config.Rules ?? new();
                    return rules.Count + config.Version;
                }

                int Replaced(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? throw new InvalidDataException();
                    config.Rules = new();
                    return config.Rules.Count;
                }

                int CoalescedMember(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? throw new InvalidDataException();
                    config.Rules = config.Rules ?? new();
                    return config.Rules.Count;
                }

                int CoalescingAssignment(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? throw new InvalidDataException();
                    config.Rules ??= new();
                    return config.Rules.Count;
                }

                int ConditionalTest(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config?.Rules is null) return 0;
                    return config.Rules.Count + config.Version;
                }

                int Trusted(Config config) => config.Rules.Count;
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ContentValidatorCall_IsQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text.Json;

            [AttributeUsage(AttributeTargets.Method)]
            sealed class ContentValidatorAttribute : Attribute { }

            class Loader
            {
                [ContentValidator]
                static void Validate(Config? config) { if (config?.Rules is null) throw new InvalidDataException(); }

                [ContentValidator]
                static bool IsValid(Config? config) => config?.Rules is not null;

                int Void(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    Validate(config);
                    return config!.Rules.Count;
                }

                int Bool(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (!IsValid(config)) return 0;
                    return config!.Rules.Count;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task NullCheckThatDoesNotDominate_IsFlagged()
    {
        const string source = """
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                int OneBranch(string path, bool strict)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (strict && config is null) throw new InvalidDataException();
                    return {|#0:config|}.Version;
                }

                int DeclaredByPattern(string path)
                {
                    if (JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) is { } loaded)
                    {
                        return {|#3:loaded.Rules|}.Count;
                    }

                    return 0;
                }

                int AfterTheUse(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    var version = {|#1:config|}.Version;
                    if (config is null) return 0;
                    return version;
                }

                int OtherMember(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is null || config.Name is null) return 0;
                    return {|#2:config.Rules|}.Count;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Member(0, "config", "JsonSerializer.Deserialize (line 8)", "config.Version"),
            Member(3, "loaded.Rules", "JsonSerializer.Deserialize (line 15)", "loaded.Rules.Count"),
            Member(1, "config", "JsonSerializer.Deserialize (line 25)", "config.Version"),
            Member(2, "config.Rules", "JsonSerializer.Deserialize (line 33)", "config.Rules.Count"));
    }

    [Fact]
    public async Task NullableAttributesOfCalledMethods_AreHonoured()
    {
        // [NotNullWhen(false)] on string.IsNullOrEmpty, [NotNull] on ThrowIfNull, [NotNullWhen(true)] on a helper.
        // Debug.Assert is compiled out of release builds: it checks nothing.
        const string source = """
            using System;
            using System.Diagnostics;
            using System.Diagnostics.CodeAnalysis;
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                int Empty(string path)
                {
                    var cfg = JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? throw new InvalidDataException();
                    if (string.IsNullOrEmpty(cfg.Name)) throw new InvalidDataException();
                    return cfg.Name.Length;
                }

                int WhiteSpace(string path)
                {
                    var cfg = JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? throw new InvalidDataException();
                    return string.IsNullOrWhiteSpace(cfg.Name) ? 0 : cfg.Name.Length;
                }

                int ThrowIfNull(string path)
                {
                    var cfg = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    ArgumentNullException.ThrowIfNull(cfg);
                    return cfg.Version;
                }

                static bool Present([NotNullWhen(true)] object? value) => value is not null;

                int Helper(string path)
                {
                    var cfg = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    return Present(cfg) ? cfg.Version : 0;
                }

                int Asserted(string path)
                {
                    var cfg = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    Debug.Assert(cfg is not null);
                    return {|#0:cfg|}.Version;
                }

                int WrongBranch(string path)
                {
                    var cfg = JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? throw new InvalidDataException();
                    return string.IsNullOrEmpty(cfg.Name) ? {|#1:cfg.Name|}.Length : 0;
                }

                static void Require([DoesNotReturnIf(false)] bool condition)
                {
                    if (!condition) throw new InvalidDataException();
                }

                int Required(string path)
                {
                    var cfg = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    Require(cfg is not null);
                    return cfg.Version;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Member(0, "cfg", "JsonSerializer.Deserialize (line 39)", "cfg.Version"),
            Member(1, "cfg.Name", "JsonSerializer.Deserialize (line 46)", "cfg.Name.Length"));
    }

    [Fact]
    public async Task PropertyPatterns_ProveTheirMembers()
    {
        const string source = """
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                int NotNull(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is not { Rules: not null, Name: { } }) return 0;
                    return config.Rules.Count + config.Name.Length;
                }

                int Nested(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is { Extra: { Length: > 0 } }) return config.Extra.Length;
                    return 0;
                }

                int OtherMember(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is { Name: not null }) return {|#0:config.Rules|}.Count;
                    return 0;
                }

                int MayBeNull(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is { Name: null or "" }) return 0;
                    return {|#1:config|}.Version;
                }
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Member(0, "config.Rules", "JsonSerializer.Deserialize (line 22)", "config.Rules.Count"),
            Member(1, "config", "JsonSerializer.Deserialize (line 29)", "config.Version"));
    }
    [Fact]
    public async Task TrustedInput_IsQuiet()
    {
        const string source = """
            using System.Text.Json;

            class Loader
            {
                const string Defaults = "{}";

                int Load() => JsonSerializer.Deserialize<Config>(Defaults)!.Rules.Count;
            }
            """ + Model;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }
}
