using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// The compilation's own readers: a class or struct declared in source whose constructor takes the bytes to read (a
/// <c>Stream</c>, <c>BinaryReader</c>, <c>byte[]</c>, or a span, memory or sequence of bytes) and keeps them (a field of
/// such a type, or a primary constructor parameter its members use). Their <c>Read*</c>, <c>TryRead*</c> and
/// <c>Peek*</c> methods that return a number, an enum, a string or bytes, or give one as an <c>out</c> value, are sources
/// with no configuration, as <c>BinaryReader.Read*</c> is. Decided once per type and compilation.
/// </summary>
internal sealed partial class ReaderTypes
{
    private static readonly string[] Prefixes = { "Read", "TryRead", "Peek" };

    /// <summary>What the trust model takes for a reader type, for docs/trust-model.md.</summary>
    public static string Description { get; } =
        "A class, struct or ref struct declared in the compilation is a reader when a constructor takes the bytes it reads, a `Stream`\n"
        + "(or a derived stream), a `BinaryReader`, a `byte[]`, or a `ReadOnlySpan<byte>`, `Span<byte>`, `ReadOnlyMemory<byte>`,\n"
        + "`Memory<byte>` or `ReadOnlySequence<byte>`, and the type keeps them: an instance field or property of one of these types\n"
        + "(or a `SequenceReader<byte>`), or a primary constructor parameter its members use. Its public and internal instance\n"
        + "methods named `Read*`, `TryRead*` or `Peek*` that return a number, an enum, a string or bytes, or give one in an `out`\n"
        + "argument, are sources, as `BinaryReader.Read*` is, wherever they are called (inside the reader too): the origin names\n"
        + "the method (`SpanReader.ReadUInt32`). Not sources: a method marked `[ContentValidator]` (or configured as a validator),\n"
        + "reads that return `bool` or nothing and fill no `out` value, types whose constructor takes no such bytes or does not\n"
        + "keep them, a `params byte[]` parameter (a list the call sites write out: `new CodedIndex(tables, 0x02, 0x01)`), and the\n"
        + "SecureByDesign libraries' own types. Decided once per type and compilation, with no configuration.\n";

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> readers = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? stream;
    private readonly INamedTypeSymbol? binaryReader;
    private readonly INamedTypeSymbol?[] byteBuffers;
    private readonly INamedTypeSymbol? sequenceReader;
    private readonly INamedTypeSymbol? textReader;
    private readonly INamedTypeSymbol? textWriter;
    private readonly Compilation compilation;

    public ReaderTypes(WellKnownTypes types, Compilation compilation)
    {
        this.compilation = compilation;
        textReader = types.Get("System.IO.TextReader");
        textWriter = types.Get("System.IO.TextWriter");
        stream = types.Get("System.IO.Stream");
        binaryReader = types.Get("System.IO.BinaryReader");
        sequenceReader = types.Get("System.Buffers.SequenceReader`1");
        byteBuffers = new[]
        {
            types.Get("System.ReadOnlySpan`1"),
            types.Get("System.Span`1"),
            types.Get("System.ReadOnlyMemory`1"),
            types.Get("System.Memory`1"),
            types.Get("System.Buffers.ReadOnlySequence`1"),
        };
    }

    /// <summary>True when the method is a read of one of the compilation's reader types (the name is checked first: most calls are not).</summary>
    public bool IsRead(IMethodSymbol method, TrustOptions options, CancellationToken cancellationToken)
    {
        if (method.IsStatic
            || method.MethodKind != MethodKind.Ordinary
            || method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
            || !Prefixes.Any(p => method.Name.StartsWith(p, StringComparison.Ordinal))
            || !(IsData(method.ReturnType) || method.Parameters.Any(p => p.RefKind == RefKind.Out && IsData(p.Type)))
            || method.ContainingType is not { } owner
            || Annotations.IsValidator(method, options))
        {
            return false;
        }

        return IsReaderType(owner, cancellationToken);
    }

    /// <summary>True when the type is one of the compilation's readers: its constructor takes the bytes it reads and keeps them.</summary>
    public bool IsReaderType(INamedTypeSymbol owner, CancellationToken cancellationToken)
    {
        var type = owner.OriginalDefinition;
        if (readers.TryGetValue(type, out var known))
        {
            return known;
        }

        // Not cached when cancelled: the decision throws before it is stored.
        return readers.GetOrAdd(type, IsReader(type, cancellationToken));
    }

    private bool IsReader(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || !type.Locations.Any(l => l.IsInSource)
            || IsOwn(type))
        {
            return false;
        }

        var keepsBytes = type.GetMembers().Any(m => !m.IsStatic && m switch
        {
            IFieldSymbol field => IsWrapped(field.Type) || IsSequenceReader(field.Type),
            IPropertySymbol property => IsWrapped(property.Type) || IsSequenceReader(property.Type),
            _ => false,
        });

        foreach (var constructor in type.InstanceConstructors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var parameter in constructor.Parameters)
            {
                // A params array (new CodedIndex(tables, 0x02, 0x01)) is a list the call sites write out, not bytes read.
                if (!parameter.IsParams && IsWrapped(parameter.Type) && (keepsBytes || UsedByMembers(constructor, parameter, cancellationToken)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A primary constructor's parameter its members read: the compiler keeps it in a field.</summary>
    private static bool UsedByMembers(IMethodSymbol constructor, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (var reference in constructor.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && declaration.Members.Any(member => member.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name => name.Identifier.ValueText == parameter.Name)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The project's own types (the update runtime's verified content) are not untrusted readers.</summary>
    private static bool IsOwn(INamedTypeSymbol type)
    {
        var root = type.ContainingNamespace;
        while (root?.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            root = parent;
        }

        return root?.Name == "SecureByDesign";
    }

    /// <summary>What a reader wraps: bytes, a stream (or a derived one) or a BinaryReader.</summary>
    private bool IsWrapped(ITypeSymbol type)
    {
        if (IsBytes(type))
        {
            return true;
        }

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, stream) || SymbolEqualityComparer.Default.Equals(current, binaryReader))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>byte[]</c>, or a span, memory or sequence of bytes.</summary>
    public bool IsBytes(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }
        || (type is INamedTypeSymbol { IsGenericType: true } named
            && named.TypeArguments.Length == 1
            && named.TypeArguments[0].SpecialType == SpecialType.System_Byte
            && byteBuffers.Contains(named.OriginalDefinition, SymbolEqualityComparer.Default));

    private bool IsSequenceReader(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, sequenceReader);

    /// <summary>What a read returns: a number, an enum, a string or bytes.</summary>
    public bool IsData(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Char or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
            or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal
            or SpecialType.System_String => true,
        _ => type.TypeKind == TypeKind.Enum || IsBytes(type),
    };
}
