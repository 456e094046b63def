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
}
