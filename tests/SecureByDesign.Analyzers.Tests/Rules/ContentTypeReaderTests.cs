using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.ContentTypeAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD1011 inside a library that parses the content itself: the tokens its own scanners and parsers produce (a YAML
/// event's tag, a document's type field) are content, wherever they are read, so a type they name is the content's choice.
/// </summary>
public class ContentTypeReaderTests
{
    private const string ByName = "resolves the type the name names, loading its assembly";

    /// <summary>A scanner over a TextReader producing tag tokens, and a parser over the scanner producing node events.</summary>
    private const string Yaml = """

        abstract class Token { }

        sealed class TagToken : Token
        {
            public TagToken(string handle, string suffix) { Handle = handle; Suffix = suffix; }
            public string Handle { get; }
            public string Suffix { get; }
        }

        class Scanner
        {
            private readonly TextReader input;
            public Scanner(TextReader input) { this.input = input; }
            public Token Current { get; private set; }
            public bool MoveNext()
            {
                var line = input.ReadLine();
                Current = line is null ? null : new TagToken("!", line);
                return line is not null;
            }
        }

        abstract class ParsingEvent { }

        class NodeEvent : ParsingEvent
        {
            public NodeEvent(string tag) { Tag = tag; }
            public string Tag { get; }
        }

        class Parser
        {
            private readonly Scanner scanner;
            public Parser(TextReader input) { scanner = new Scanner(input); }
            public ParsingEvent Current { get; private set; }
            public bool MoveNext()
            {
                if (!scanner.MoveNext()) return false;
                var tag = (TagToken)scanner.Current;
                Current = new NodeEvent(tag.Handle + tag.Suffix);
                return true;
            }
        }

        interface INodeTypeResolver
        {
            bool Resolve(NodeEvent nodeEvent, ref Type currentType);
        }
        """;

    [Fact]
    public async Task TagOfAParsersEvent_NamingTheType_IsFlagged_AndAnAllowListOfTagsIsNot()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            sealed class TypeNameInTagResolver : INodeTypeResolver
            {
                bool INodeTypeResolver.Resolve(NodeEvent nodeEvent, ref Type currentType)
                {
                    if (!string.IsNullOrEmpty(nodeEvent.Tag))
                    {
                        currentType = {|#0:Type.GetType(nodeEvent.Tag.Substring(1), false)|};
                        return currentType != null;
                    }

                    return false;
                }
            }

            sealed class KnownTagResolver : INodeTypeResolver
            {
                private static readonly Dictionary<string, string> Known = new() { ["!point"] = "Shapes.Point, Shapes" };

                bool INodeTypeResolver.Resolve(NodeEvent nodeEvent, ref Type currentType)
                {
                    var tag = nodeEvent.Tag;
                    if (tag is not null && Known.TryGetValue(tag, out var name))
                    {
                        currentType = Type.GetType(name);
                        return true;
                    }

                    return false;
                }
            }

            sealed class Builder
            {
                public List<INodeTypeResolver> Resolvers = new() { new TypeNameInTagResolver(), new KnownTagResolver() };
            }
            """ + Yaml;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Type name 'nodeEvent.Tag.Substring(1)'", "NodeEvent.Tag (line 11)", "Type.GetType(nodeEvent.Tag.Substring(1), false)", ByName));
    }

    [Fact]
    public async Task TagResolver_TheLibraryRetired_IsQuiet_UnlessItStillCreatesIt()
    {
        const string resolver = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            [Obsolete("Register the tags explicitly.")]
            sealed class TypeNameInTagResolver : INodeTypeResolver
            {
                bool INodeTypeResolver.Resolve(NodeEvent nodeEvent, ref Type currentType)
                {
                    currentType = {|#0:Type.GetType(nodeEvent.Tag.Substring(1), false)|};
                    return currentType != null;
                }
            }

            sealed class RejectUnknownTags : INodeTypeResolver
            {
                bool INodeTypeResolver.Resolve(NodeEvent nodeEvent, ref Type currentType) =>
                    string.IsNullOrEmpty(nodeEvent.Tag) ? false : throw new InvalidDataException(nodeEvent.Tag);
            }

            """;

        await VerifyCS.VerifyAnalyzerAsync(
            resolver.Replace("{|#0:", string.Empty).Replace("false)|}", "false)") + """
                sealed class Builder
                {
                    public List<INodeTypeResolver> Resolvers = new() { new RejectUnknownTags() };
                }
                """ + Yaml);

        await VerifyCS.VerifyAnalyzerAsync(
            resolver + """
                sealed class Builder
                {
                #pragma warning disable CS0618
                    public List<INodeTypeResolver> Resolvers = new() { new TypeNameInTagResolver() };
                #pragma warning restore CS0618
                }
                """ + Yaml,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Type name 'nodeEvent.Tag.Substring(1)'", "NodeEvent.Tag (line 10)", "Type.GetType(nodeEvent.Tag.Substring(1), false)", ByName));
    }

    /// <summary>A JSON reader over a TextReader producing document values; a document is a value with named fields.</summary>
    private const string Documents = """

        class BsonValue
        {
            public BsonValue(object value) { RawValue = value; }
            public object RawValue { get; }
            public bool IsString => RawValue is string;
            public string AsString => (string)RawValue;
            public BsonDocument AsDocument => this as BsonDocument;
        }

        class BsonDocument : BsonValue
        {
            private readonly Dictionary<string, BsonValue> fields = new();
            public BsonDocument() : base(null) { }
            public bool TryGetValue(string key, out BsonValue value) => fields.TryGetValue(key, out value);
        }

        class JsonReader
        {
            private readonly TextReader reader;
            public JsonReader(TextReader reader) { this.reader = reader; }
            public BsonValue Deserialize() => new BsonValue(reader.ReadLine());
        }

        interface ITypeNameBinder
        {
            Type GetType(string name);
        }

        sealed class DefaultTypeNameBinder : ITypeNameBinder
        {
            public Type GetType(string name) => Type.GetType(name);
        }
        """;

    [Fact]
    public async Task TypeFieldOfADocument_ThroughTheDefaultBinder_IsFlagged_UnlessTheResolvedTypeIsChecked()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Mapper
            {
                private readonly ITypeNameBinder binder = new DefaultTypeNameBinder();

                public object Deserialize(Type type, BsonValue value)
                {
                    var doc = value.AsDocument;
                    if (doc.TryGetValue("_type", out var typeField) && typeField.IsString)
                    {
                        type = {|#0:binder.GetType(typeField.AsString)|};
                        if (type == null) throw new InvalidDataException(typeField.AsString);
                    }

                    return Activator.CreateInstance(type);
                }

                public object OnlyAssignable(Type type, BsonValue value)
                {
                    var doc = value.AsDocument;
                    if (doc.TryGetValue("_type", out var typeField) && typeField.IsString)
                    {
                        var actualType = {|#1:binder.GetType(typeField.AsString)|};
                        if (actualType == null) throw new InvalidDataException(typeField.AsString);
                        if (!type.IsAssignableFrom(actualType)) throw new InvalidDataException(actualType.FullName);
                        type = actualType;
                    }

                    return Activator.CreateInstance(type);
                }

                public object Denied(Type type, BsonValue value)
                {
                    var doc = value.AsDocument;
                    if (doc.TryGetValue("_type", out var typeField) && typeField.IsString)
                    {
                        var actualType = binder.GetType(typeField.AsString);
                        if (actualType == null) throw new InvalidDataException(typeField.AsString);
                        if (actualType.FullName.Equals("System.Diagnostics.Process", StringComparison.OrdinalIgnoreCase))
                        {
                            throw new InvalidDataException(actualType.FullName);
                        }

                        type = actualType;
                    }

                    return Activator.CreateInstance(type);
                }
            }
            """ + Documents;

        const string through = "passes it to 'Type.GetType(name)', which resolves the type the name names, loading its assembly";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithSpan(83, 41, 83, 59).WithArguments("Type name 'typeField.AsString'", "BsonValue.AsString (line 14)", "binder.GetType(typeField.AsString)", through),
            VerifyCS.Diagnostic().WithLocation(1).WithSpan(83, 41, 83, 59).WithArguments("Type name 'typeField.AsString'", "BsonValue.AsString (line 26)", "binder.GetType(typeField.AsString)", through));
    }

    [Fact]
    public async Task TypeNameFromAJsonReader_ReachingAHelper_IsFlagged_AndADenyListInTheHelperIsACheck()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            static class Types
            {
                private static readonly List<string> Denied = new() { "system.diagnostics.process", "system.windows.data.objectdataprovider" };

                internal static Type FromName(string typename) => Type.GetType(typename);

                internal static Type FromNameChecked(string typename, bool denyListChecking)
                {
                    if (denyListChecking)
                    {
                        var tn = typename.Trim().ToLowerInvariant();
                        foreach (var denied in Denied)
                            if (tn.StartsWith(denied))
                                throw new InvalidDataException("Denied type: " + typename);
                    }

                    return Type.GetType(typename);
                }
            }

            class Deserializer
            {
                public object Read(TextReader text)
                {
                    var value = new JsonReader(text).Deserialize();
                    var name = value.AsDocument is { } doc && doc.TryGetValue("$type", out var field) ? field.AsString : null;
                    return Activator.CreateInstance({|#0:Types.FromName(name)|});
                }

                public object ReadChecked(TextReader text)
                {
                    var value = new JsonReader(text).Deserialize();
                    var name = value.AsDocument is { } doc && doc.TryGetValue("$type", out var field) ? field.AsString : null;
                    return Activator.CreateInstance(Types.FromNameChecked(name, denyListChecking: true));
                }
            }
            """ + Documents;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithSpan(9, 55, 9, 77).WithArguments("Type name 'name'", "BsonValue.AsString (line 30)", "Types.FromName(name)", "passes it to 'Type.GetType(typename)', which resolves the type the name names, loading its assembly"));
    }

    /// <summary>A hand-written JSON scanner over a string: it keeps the text and walks it by a position of its own.</summary>
    private const string Scanner = """

        sealed class JsonScanner
        {
            private readonly char[] json;
            private int index;

            internal JsonScanner(string json) { this.json = json.ToCharArray(); }

            public object Decode() => ParseValue();

            private object ParseValue()
            {
                SkipWhite();
                return json[index] == '{' ? ParseObject() : ParseString();
            }

            private Dictionary<string, object> ParseObject()
            {
                var table = new Dictionary<string, object>();
                index++;
                while (json[index] != '}')
                {
                    var name = ParseString();
                    SkipWhite();
                    index++;
                    table[name] = ParseValue();
                    SkipWhite();
                    if (json[index] == ',') index++;
                }

                index++;
                return table;
            }

            private string ParseString()
            {
                SkipWhite();
                var start = ++index;
                while (json[index] != '"') index++;
                return new string(json, start, index++ - start);
            }

            private void SkipWhite()
            {
                while (char.IsWhiteSpace(json[index])) index++;
            }
        }

        static class TypeCache
        {
            private static readonly Dictionary<string, Type> Cache = new();
            private static readonly string[] Denied = { "System.Diagnostics.Process", "System.Windows.Data.ObjectDataProvider" };

            internal static bool DenyListChecking = true;

            internal static Type FromCache(string typename)
            {
                if (Cache.TryGetValue(typename, out var known)) return known;
                var type = Type.GetType(typename);
                Cache.Add(typename, type);
                return type;
            }

            internal static Type FromCheckedCache(string typename)
            {
                if (Cache.TryGetValue(typename, out var known)) return known;
                if (DenyListChecking)
                {
                    foreach (var denied in Denied)
                        if (typename.StartsWith(denied, StringComparison.Ordinal))
                            throw new InvalidDataException("Denied type " + typename);
                }

                var type = Type.GetType(typename);
                Cache.Add(typename, type);
                return type;
            }
        }
        """;

    [Fact]
    public async Task TypeNameInAScannedDocument_ReadByARecursiveWalker_IsFlagged_AndADenyListBesideTheCacheIsACheck()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            public static class Json
            {
                public static object ToObject(string json) => new Deserializer().ToObject(json);

                public static object ToCheckedObject(string json) => new CheckedDeserializer().ToObject(json);
            }

            internal sealed class Deserializer
            {
                public object ToObject(string json)
                {
                    var parsed = new JsonScanner(json).Decode();
                    return parsed is Dictionary<string, object> document ? ParseDictionary(document) : parsed;
                }

                internal object ParseDictionary(Dictionary<string, object> d)
                {
                    if (!d.TryGetValue("$type", out var tn)) return d;
                    var created = Activator.CreateInstance({|#0:TypeCache.FromCache((string)tn)|});
                    foreach (var pair in d)
                        if (pair.Value is Dictionary<string, object> inner) ParseDictionary(inner);
                    return created;
                }
            }

            internal sealed class CheckedDeserializer
            {
                public object ToObject(string json) => ParseDictionary(new JsonScanner(json).Decode() as Dictionary<string, object>);

                private object ParseDictionary(Dictionary<string, object> d) =>
                    d.TryGetValue("$type", out var tn) ? Activator.CreateInstance(TypeCache.FromCheckedCache((string)tn)) : d;
            }
            """ + Scanner;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithSpan(94, 20, 94, 42).WithArguments(
                "Type name '(string)tn'",
                "parameter 'd' (JsonScanner.Decode (line 16) given by ToObject)",
                "TypeCache.FromCache((string)tn)",
                "passes it to 'Type.GetType(typename)', which resolves the type the name names, loading its assembly"));
    }

    [Fact]
    public async Task DocumentTheProgramBuilds_OrAStringNoScannerWalks_IsQuiet()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            sealed class TypeSpec
            {
                private readonly string name;
                private int uses;

                internal TypeSpec(string name) { this.name = name; }

                public string GetName()
                {
                    uses++;
                    return name;
                }
            }

            public sealed class Defaults
            {
                public object Create() => Build(new Dictionary<string, object> { ["$type"] = "Shapes.Point, Shapes" });

                public object FromSpec(string typeName) => Activator.CreateInstance(TypeCache.FromCache(new TypeSpec(typeName).GetName()));

                private object Build(Dictionary<string, object> d) =>
                    d.TryGetValue("$type", out var tn) ? Activator.CreateInstance(TypeCache.FromCache((string)tn)) : d;
            }
            """ + Scanner;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }
}
