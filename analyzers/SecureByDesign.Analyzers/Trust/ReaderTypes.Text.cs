using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// The compilation's own text readers, scanners and parsers, and the tokens they produce. A class or struct declared in
/// source is a text reader when a constructor takes the text it reads and uses it: a <c>TextReader</c> (or a derived
/// reader), another of the compilation's text readers, or an interface one of them implements (a parser built on its
/// scanner), or a scanner over a string (<c>ReaderTypes.Scanners.cs</c>). Its reads return content: the methods named
/// <c>Read*</c>, <c>TryRead*</c>, <c>Peek*</c>, <c>Next*</c>, <c>Consume*</c>, <c>Scan*</c>, <c>Parse*</c>, <c>Deserialize*</c>,
/// <c>Decode*</c> or <c>Get*</c> and its <c>Current</c> property, when they return a string, an <c>object</c> or one of the
/// compilation's types. The types they return are its tokens (events, documents,
/// values), and so are the types derived from them: a string property or field of a token is content wherever it is read
/// (a YAML event's tag, a document value's string). Found once per compilation, in one pass over its types.
/// </summary>
internal sealed partial class ReaderTypes
{
    private static readonly string[] TextReads = { "Read", "TryRead", "Peek", "Next", "Consume", "Scan", "Parse", "Deserialize", "Decode", "Get" };

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> tokens = new(SymbolEqualityComparer.Default);
    private TextModel? text;

    /// <summary>What the trust model takes for a text reader and its tokens, for docs/trust-model.md.</summary>
    public static string TextDescription { get; } =
        "A class or struct declared in the compilation is a text reader (a scanner, tokenizer or parser) when a constructor\n"
        + "takes the text it reads and uses it: a `TextReader` (or a derived reader), another of the compilation's text readers,\n"
        + "or an interface one of them implements. Its public and internal instance methods named `Read*`, `TryRead*`, `Peek*`,\n"
        + "`Next*`, `Consume*`, `Scan*`, `Parse*`, `Deserialize*`, `Decode*` or `Get*`, and its `Current` property, are sources\n"
        + "when they return a string, an `object` (a parsed document) or a type declared in the compilation. Those types, and the\n"
        + "types derived from them, are its tokens (events, documents, values): a string property or field of a token is content\n"
        + "wherever it is read, a YAML event's `Tag` or a document value's `AsString`, whoever handed the token over. Not\n"
        + "sources: a member marked `[ContentValidator]`, the reader's other properties (its settings), and the SecureByDesign\n"
        + "libraries' own types. Nor a token's string read through `this` in the token's own code (a document's byte count or\n"
        + "hash runs on the values the program builds too; the caller's read of the token is judged), nor one read in a text\n"
        + "writer's code: a class or struct, no text reader, whose constructor takes a `TextWriter` (or a derived writer) and\n"
        + "uses it, such as an emitter, writes the tokens the program hands it. Nor, in a method that builds a text reader itself\n"
        + "(`new Tokenizer(pattern)` in a local) over arguments it does not trace to content and that are no `TextReader`, stream\n"
        + "or text reader, that reader's reads and its tokens' strings: it reads the program's text. Found once per compilation.\n";

    /// <summary>True when the method is a read of one of the compilation's text readers that returns a string or a token.</summary>
    public bool IsTextRead(IMethodSymbol method, TrustOptions options)
    {
        if (method.IsStatic
            || method.MethodKind != MethodKind.Ordinary
            || method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
            || !StartsWithAny(method.Name, TextReads)
            || method.ContainingType is not { } owner
            || !owner.Locations.Any(l => l.IsInSource)
            || Annotations.IsValidator(method, options))
        {
            return false;
        }

        var model = Text();
        return model.Readers.Contains(owner.OriginalDefinition) && model.Reads(method);
    }

    // A loop, not LINQ: asked of every call the engine meets, and a lambda over the name allocates on each.
    private static bool StartsWithAny(string name, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the property or field is content a text reader produced: the reader's <c>Current</c>, or a string member
    /// of one of its tokens (read through a token, or declared on one). A token's string read through <c>this</c>, in
    /// the token's own code, is not: what it holds is whatever the caller's token holds, content or a value the program
    /// built (a document's byte count, a value's hash), and the caller's read judges it.
    /// </summary>
    public bool IsTextContent(ISymbol member, ITypeSymbol? receiver, bool throughThis = false)
    {
        var type = member switch
        {
            IPropertySymbol { IsStatic: false, IsIndexer: false } property => property.Type,
            IFieldSymbol { IsStatic: false, IsConst: false } field => field.Type,
            _ => null,
        };
        if (type is null || member.ContainingType is not { } owner || !owner.Locations.Any(l => l.IsInSource))
        {
            return false;
        }

        var model = Text();
        if (model.Readers.Count == 0)
        {
            return false;
        }

        if (member is IPropertySymbol { Name: "Current" } current && model.Readers.Contains(owner.OriginalDefinition))
        {
            return model.Reads(current);
        }

        return type.SpecialType == SpecialType.System_String
            && !throughThis
            && (IsToken(owner, model) || (receiver is INamedTypeSymbol named && IsToken(named, model)));
    }

    /// <summary>True when the type is one of the compilation's text readers, or one of their tokens (or derived from one).</summary>
    public bool IsTextReaderOrToken(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named || Text() is not { Readers.Count: > 0 } model)
        {
            return false;
        }

        return model.Readers.Contains(named.OriginalDefinition) || IsToken(named, model);
    }

    /// <summary>True when the type is one of the compilation's text readers.</summary>
    public bool IsTextReaderType(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && Text() is { Readers.Count: > 0 } model && model.Readers.Contains(named.OriginalDefinition);

    /// <summary>True when the type is what a text reader reads from: a TextReader (or derived), a text reader, or an interface one implements.</summary>
    public bool IsReadText(ITypeSymbol? type) => type is not null && Text() is { } model && textReader is not null && IsText(type, model.Readers);

    /// <summary>
    /// True when the syntax is in the code of one of the compilation's text writers or emitters (the nearest type
    /// declaration around it): a constructor takes a <c>TextWriter</c> (or a derived writer) and uses it, and the type is
    /// no text reader. The tokens read in its code are the ones the program hands it to write (events it built from its
    /// own objects), not content. Read from the syntax: the engine's graph operations have no semantic model.
    /// </summary>
    public bool InTextWriter(SyntaxNode node)
    {
        if (Text() is not { Readers.Count: > 0, Writers.Count: > 0 } model
            || node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
        {
            return false;
        }

        return model.Writers.Any(writer => writer.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == declaration.SyntaxTree && r.Span == declaration.Span));
    }

    private bool IsToken(INamedTypeSymbol type, TextModel model) =>
        model.Tokens.Count > 0 && tokens.GetOrAdd(type.OriginalDefinition, t =>
        {
            for (var current = t; current is not null; current = current.BaseType)
            {
                if (model.Tokens.Contains(current.OriginalDefinition))
                {
                    return true;
                }
            }

            return t.AllInterfaces.Any(i => model.Tokens.Contains(i.OriginalDefinition));
        });

    private TextModel Text()
    {
        if (text is { } known)
        {
            return known;
        }

        var built = BuildText();
        Interlocked.CompareExchange(ref text, built, null);
        return text!;
    }

    /// <summary>The text readers (to a fixed point: a parser over a scanner over a TextReader) and the token types their reads return.</summary>
    private TextModel BuildText()
    {
        var all = SourceTypes.Of(compilation).Where(t => !IsOwn(t)).ToList();
        var readers = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        if (textReader is null)
        {
            return new TextModel(readers, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default));
        }

        // A hand-written scanner over a string is a text reader too: the text it walks is its document.
        readers.UnionWith(all.Where(ScansText));
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var type in all)
            {
                if (!readers.Contains(type) && type.InstanceConstructors.Any(c => c.Parameters.Any(p => IsText(p.Type, readers) && Uses(c, p))))
                {
                    readers.Add(type);
                    changed = true;
                }
            }
        }

        var model = new TextModel(readers, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default));
        if (textWriter is not null)
        {
            foreach (var type in all)
            {
                if (!readers.Contains(type) && type.InstanceConstructors.Any(c => c.Parameters.Any(p => Derives(p.Type, textWriter) && Uses(c, p))))
                {
                    model.Writers.Add(type);
                }
            }
        }

        foreach (var reader in readers)
        {
            foreach (var member in reader.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && TextReads.Any(p => method.Name.StartsWith(p, StringComparison.Ordinal)) && IsReadable(method))
                {
                    model.AddTokens(method.ReturnType, readers);
                }
                else if (member is IPropertySymbol { Name: "Current" } current && IsReadable(current))
                {
                    model.AddTokens(current.Type, readers);
                }
            }
        }

        return model;
    }

    private static bool IsReadable(ISymbol member) =>
        !member.IsStatic && member.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static bool Derives(ITypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a text reader is given: a TextReader, one of the compilation's text readers, or an interface one implements.</summary>
    private bool IsText(ITypeSymbol type, HashSet<INamedTypeSymbol> readers)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        for (var current = named; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, textReader) || readers.Contains(current.OriginalDefinition))
            {
                return true;
            }
        }

        return named.TypeKind == TypeKind.Interface && readers.Any(r => r.AllInterfaces.Contains(named.OriginalDefinition, SymbolEqualityComparer.Default));
    }

    /// <summary>The constructor uses the parameter (stores it, or builds what it stores from it); a primary constructor's members do.</summary>
    private static bool Uses(IMethodSymbol constructor, IParameterSymbol parameter)
    {
        foreach (var reference in constructor.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            if (syntax is ConstructorDeclarationSyntax declaration
                && declaration.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name => name.Identifier.ValueText == parameter.Name && name.Parent is not ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } }))
            {
                return true;
            }
        }

        return UsedByMembers(constructor, parameter, CancellationToken.None);
    }

    /// <summary>The text readers of the compilation and the token types their reads return.</summary>
    private sealed class TextModel
    {
        public TextModel(HashSet<INamedTypeSymbol> readers, HashSet<INamedTypeSymbol> tokens)
        {
            Readers = readers;
            Tokens = tokens;
        }

        public HashSet<INamedTypeSymbol> Readers { get; }

        public HashSet<INamedTypeSymbol> Tokens { get; }

        /// <summary>The text writers and emitters: a constructor takes a TextWriter and uses it, and the type reads no text.</summary>
        public HashSet<INamedTypeSymbol> Writers { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>A read returns a string or a type of the compilation (a type parameter: its constraints).</summary>
        public bool Reads(IMethodSymbol method) => Produces(method.ReturnType);

        public bool Reads(IPropertySymbol property) => Produces(property.Type);

        private static bool Produces(ITypeSymbol type) =>
            type.SpecialType is SpecialType.System_String or SpecialType.System_Object
            || (type is ITypeParameterSymbol parameter && parameter.ConstraintTypes.Any(c => c.Locations.Any(l => l.IsInSource)))
            || (type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Interface or TypeKind.Struct } named && named.Locations.Any(l => l.IsInSource));

        public void AddTokens(ITypeSymbol type, HashSet<INamedTypeSymbol> readers)
        {
            var candidates = type is ITypeParameterSymbol parameter ? parameter.ConstraintTypes : ImmutableArray.Create(type);
            foreach (var candidate in candidates)
            {
                if (candidate is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Interface or TypeKind.Struct } named
                    && named.Locations.Any(l => l.IsInSource)
                    && !readers.Contains(named.OriginalDefinition))
                {
                    Tokens.Add(named.OriginalDefinition);
                }
            }
        }
    }
}
