using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.ContentTypeAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>SBD1011: type names (and types) from content reaching the calls that resolve and create types.</summary>
public class ContentTypeTests
{
    private const string ByName = "resolves the type the name names, loading its assembly";
    private const string Creates = "creates an instance of the type the name names";

    private static DiagnosticResult Type(int location, string value, string origin, string call, string note) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(value, origin, call, note);

    [Fact]
    public async Task NamesFromContent_ReachingTypeResolution_AreFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Reflection;
            using System.Text.Json;

            sealed class UntrustedContentAttribute : Attribute { }

            sealed class Envelope
            {
                public string Kind;
                public string Assembly;
            }

            class Loader
            {
                object FromCookie([UntrustedContent] string cookie) => Activator.CreateInstance({|#0:Type.GetType(cookie)|});

                object FromTag(StreamReader reader)
                {
                    var tag = reader.ReadLine();
                    var type = {|#1:typeof(Loader).Assembly.GetType(tag)|};
                    return Activator.CreateInstance(type);
                }

                object FromDocument(Stream body)
                {
                    var envelope = JsonSerializer.Deserialize<Envelope>(body);
                    var kind = envelope.Kind;
                    return {|#2:Activator.CreateInstance(envelope.Assembly, kind)|}?.Unwrap();
                }

                object InDomain([UntrustedContent] string name) =>
                    {|#3:AppDomain.CurrentDomain.CreateInstanceAndUnwrap("Plugins", name)|};

                object ByAssembly([UntrustedContent] string name) => {|#4:typeof(Loader).Assembly.CreateInstance(name)|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Type(0, "Type name 'cookie'", "parameter 'cookie'", "Type.GetType(cookie)", ByName),
            Type(1, "Type name 'tag'", "StreamReader.ReadLine (line 20)", "typeof(Loader).Assembly.GetType(tag)", "resolves the type the name names"),
            Type(2, "Type name 'kind'", "JsonSerializer.Deserialize (line 27)", "Activator.CreateInstance(envelope.Assembly, kind)", Creates),
            Type(3, "Type name 'name'", "parameter 'name'", "AppDomain.CurrentDomain.CreateInstanceAndUnwrap(\"Plugins\"...", Creates),
            Type(4, "Type name 'name'", "parameter 'name'", "typeof(Loader).Assembly.CreateInstance(name)", Creates));
    }

    [Fact]
    public async Task TypeFromContent_CreatedWithActivator_IsFlagged_AndAnInterfaceCheckIsNotEnough()
    {
        const string source = """
            using System;

            sealed class UntrustedContentAttribute : Attribute { }

            interface IPlugin { }

            sealed class Message
            {
                public Type Handler { get; set; }
            }

            class Loader
            {
                object Deserialized([UntrustedContent] Message message)
                {
                    var handler = message.Handler;
                    return {|#0:Activator.CreateInstance(handler)|};
                }

                object Assignable([UntrustedContent] string name)
                {
                    var type = {|#1:Type.GetType(name, throwOnError: true)|};
                    if (!typeof(IPlugin).IsAssignableFrom(type)) throw new InvalidOperationException();
                    return Activator.CreateInstance(type);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Type(0, "Type 'handler'", "parameter 'message'", "Activator.CreateInstance(handler)", "creates an instance of the type"),
            Type(1, "Type name 'name'", "parameter 'name'", "Type.GetType(name, throwOnError: true)", ByName));
    }

    [Fact]
    public async Task NamesCheckedAgainstAnAllowList_AreQuiet()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using System.Linq;

            sealed class UntrustedContentAttribute : Attribute { }
            sealed class ContentValidatorAttribute : Attribute { }

            class Loader
            {
                static readonly HashSet<string> Known = new() { "Plugins.Csv, Plugins", "Plugins.Json, Plugins" };
                static readonly ImmutableHashSet<string> KnownImmutable = ImmutableHashSet.Create("Plugins.Csv, Plugins");
                static readonly Dictionary<string, string> Aliases = new() { ["csv"] = "Plugins.Csv, Plugins" };
                static readonly string[] KnownArray = { "Plugins.Csv, Plugins" };

                object InSet([UntrustedContent] string name)
                {
                    if (!Known.Contains(name)) throw new InvalidOperationException("unknown type");
                    return Activator.CreateInstance(Type.GetType(name));
                }

                object InImmutableSet([UntrustedContent] string name) =>
                    KnownImmutable.Contains(name) ? Activator.CreateInstance(Type.GetType(name)) : null;

                object InArray([UntrustedContent] string name) =>
                    KnownArray.Contains(name) ? Activator.CreateInstance(Type.GetType(name)) : null;

                object Key([UntrustedContent] string name)
                {
                    if (Aliases.ContainsKey(name)) return Type.GetType(name);
                    return null;
                }

                object Mapped([UntrustedContent] string alias) =>
                    Aliases.TryGetValue(alias, out var name) ? Activator.CreateInstance(Type.GetType(name)) : null;

                object Equal([UntrustedContent] string name)
                {
                    if (name == "Plugins.Csv, Plugins" || string.Equals(name, "Plugins.Json, Plugins", StringComparison.Ordinal))
                    {
                        return Activator.CreateInstance(Type.GetType(name));
                    }

                    return null;
                }

                object Switched([UntrustedContent] string name)
                {
                    switch (name)
                    {
                        case "Plugins.Csv, Plugins":
                        case "Plugins.Json, Plugins":
                            return Activator.CreateInstance(Type.GetType(name));
                        default:
                            throw new InvalidOperationException("unknown type");
                    }
                }

                object Pattern([UntrustedContent] string name) =>
                    name is "Plugins.Csv, Plugins" or "Plugins.Json, Plugins" ? Activator.CreateInstance(Type.GetType(name)) : null;

                object SwitchExpression([UntrustedContent] string name) => name switch
                {
                    "Plugins.Csv, Plugins" or "Plugins.Json, Plugins" => Activator.CreateInstance(Type.GetType(name)),
                    _ => null,
                };

                object Validated([UntrustedContent] string name)
                {
                    Check(name);
                    return Type.GetType(name);
                }

                [ContentValidator]
                static void Check(string name) { if (!Known.Contains(name)) throw new InvalidOperationException(); }

                object Constant() => Activator.CreateInstance(Type.GetType("Plugins.Csv, Plugins"));

                object Given(Type type) => Activator.CreateInstance(type);

                object Typed() => Activator.CreateInstance(typeof(Loader));
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ACheckOnTheWrongName_OrAnUntrustedList_DoesNotQuietIt()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            sealed class UntrustedContentAttribute : Attribute { }

            class Loader
            {
                static readonly HashSet<string> Known = new() { "Plugins.Csv, Plugins" };

                object OtherName([UntrustedContent] string name, [UntrustedContent] string other)
                {
                    if (!Known.Contains(other)) throw new InvalidOperationException();
                    return {|#0:Type.GetType(name)|};
                }

                object ListFromContent([UntrustedContent] string name, StreamReader reader)
                {
                    var names = new List<string>(reader.ReadLine().Split(','));
                    if (!names.Contains(name)) throw new InvalidOperationException();
                    return {|#1:Type.GetType(name)|};
                }

                object NotEqual([UntrustedContent] string name)
                {
                    if (name != "Plugins.Csv, Plugins") return {|#2:Type.GetType(name)|};
                    return null;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Type(0, "Type name 'name'", "parameter 'name'", "Type.GetType(name)", ByName),
            Type(1, "Type name 'name'", "parameter 'name'", "Type.GetType(name)", ByName),
            Type(2, "Type name 'name'", "parameter 'name'", "Type.GetType(name)", ByName));
    }

    [Fact]
    public async Task HelperWithATypeCache_IsFlagged_AndAnAllowListBesideTheCacheIsACheck()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            sealed class TypeCache
            {
                private static readonly HashSet<string> Allowed = new() { "Shapes.Point, Shapes", "Shapes.Line, Shapes" };
                private readonly Dictionary<string, Type> cache = new();
                private readonly Dictionary<string, Type> checkedCache = new();

                internal Type FromCache(string typename)
                {
                    if (cache.TryGetValue(typename, out var known))
                        return known;

                    var type = Type.GetType(typename);
                    cache.Add(typename, type);
                    return type;
                }

                internal Type FromAllowedCache(string typename)
                {
                    if (checkedCache.TryGetValue(typename, out var known))
                        return known;

                    if (!Allowed.Contains(typename))
                        throw new InvalidDataException("Unknown type " + typename);

                    var type = Type.GetType(typename);
                    checkedCache[typename] = type;
                    return type;
                }
            }

            class Reader
            {
                private readonly TypeCache types = new();

                public Type Read(TextReader text) => {|#0:types.FromCache(text.ReadLine())|};

                public Type ReadChecked(TextReader text) => types.FromAllowedCache(text.ReadLine());
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Type(0, "Type name 'text.ReadLine()'", "TextReader.ReadLine (line 39)", "types.FromCache(text.ReadLine())", "passes it to 'Type.GetType(typename)', which resolves the type the name names, loading its assembly")
                .WithSpan(16, 20, 16, 42));
    }

    [Fact]
    public async Task ValueFoundUnderAContentKey_IsTheMapsValue_AndOneFoundInAContentDocumentIsContent()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Text.Json;

            class Loader
            {
                static readonly Dictionary<string, string> Aliases = new() { ["point"] = "Shapes.Point, Shapes" };

                object ByAlias(StreamReader reader)
                {
                    Aliases.TryGetValue(reader.ReadLine(), out var typeName);
                    return Activator.CreateInstance(Type.GetType(typeName ?? "Shapes.Line, Shapes"));
                }

                object ByField(Stream body)
                {
                    var document = JsonSerializer.Deserialize<Dictionary<string, string>>(body);
                    document.TryGetValue("type", out var typeName);
                    return Activator.CreateInstance({|#0:Type.GetType(typeName)|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Type(0, "Type name 'typeName'", "JsonSerializer.Deserialize (line 18)", "Type.GetType(typeName)", ByName));
    }
}
