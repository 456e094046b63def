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
}
