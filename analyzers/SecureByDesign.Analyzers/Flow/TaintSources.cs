using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The engine's questions about sources: the catalog's (<see cref="TrustCatalog"/>: reads from streams, readers,
/// sockets, HTTP, files, memory-mapped views, marshalling, XML readers and archives), the configured and the annotated
/// ones, and the reads of the compilation's own reader types (<see cref="ReaderTypes"/>). A source call makes its result untrusted and also the buffers it fills (<c>stream.Read(buffer)</c>).
/// </summary>
internal static class TaintSources
{
    /// <summary>The origin text when the call is a source, null otherwise.</summary>
    public static string? Origin(IInvocationOperation invocation, TrustModel trust, TrustOptions options, CancellationToken cancellationToken = default)
    {
        var method = invocation.TargetMethod;
        if (trust.Find(method, TrustRole.Source) is not null || options.IsConfiguredSource(method) || Annotations.ReturnHas(method, Annotations.UntrustedContent) || DeserializesStream(invocation, trust)
            || trust.Readers.IsRead(method, options, cancellationToken) || trust.Readers.IsTextRead(method, options))
        {
            return Describe(method, invocation.Syntax);
        }

        return null;
    }

    /// <summary>
    /// The origin text when the property is one the content names: the path of an archive entry, the framework's
    /// (<c>ZipArchiveEntry.FullName</c>/<c>Name</c>, <c>TarEntry.Name</c>/<c>LinkName</c>) or an archive library's
    /// (<c>IEntry.Key</c>, ...), or one configured in <see cref="TrustOptions.ContentNamesKey"/>, or content one of the
    /// compilation's text readers produced (its <c>Current</c> token, a string of a token: <see cref="ReaderTypes"/>), or what a
    /// web server's client sent (a request's <c>Cookies</c>, <c>Headers</c>, <c>Form</c> or <c>Query</c>: <see cref="Requests"/>); null otherwise.
    /// </summary>
    public static string? PropertyOrigin(IPropertyReferenceOperation property, TrustModel trust, TrustOptions options) =>
        trust.Find(property.Property, TrustRole.ContentName) is not null || options.IsConfiguredContentName(property.Property) || Requests.Sent(property.Property) is not null
            || (trust.Readers.IsTextContent(property.Property, property.Instance?.Type, property.Instance is IInstanceReferenceOperation) && !InTextWriter(property, trust))
            ? Describe(property.Property, property.Syntax)
            : null;

    /// <summary>The origin text when the field is a string of a token one of the compilation's text readers produced; null otherwise.</summary>
    public static string? FieldOrigin(IFieldReferenceOperation field, TrustModel trust) =>
        field.Instance is not (null or IInstanceReferenceOperation) && trust.Readers.IsTextContent(field.Field, field.Instance.Type) && !InTextWriter(field, trust)
            ? Describe(field.Field, field.Syntax)
            : null;

    /// <summary>The read is in the code of one of the compilation's text writers (an emitter): it reads the tokens it is handed to write.</summary>
    private static bool InTextWriter(IOperation read, TrustModel trust) => trust.Readers.InTextWriter(read.Syntax);

    /// <summary>
    /// A deserializer given a stream or reader reads it: JsonSerializer.Deserialize(stream), XmlSerializer.Deserialize(reader).
    /// Given a string, it is as untrusted as the string.
    /// </summary>
    private static bool DeserializesStream(IInvocationOperation invocation, TrustModel trust) =>
        trust.Find(invocation.TargetMethod, TrustRole.Deserialize) is not null
        && invocation.Arguments.Any(argument => trust.Is(argument.Value.WalkDownConversions().Type, TrustRole.ContentReader));

    /// <summary>"BinaryReader.ReadInt32 (line 12)".</summary>
    public static string Describe(ISymbol member, SyntaxNode at)
    {
        // The same source is described on every visit of its block: the text is kept with the node, for the member it
        // named, in a table per syntax tree that threads read and fill without waiting on each other.
        var tree = Descriptions.TryGetValue(at.SyntaxTree, out var found) ? found : Descriptions.GetValue(at.SyntaxTree, _ => new());
        if (tree.TryGetValue(at, out var known) && SymbolEqualityComparer.Default.Equals(known.Member, member))
        {
            return known.Text;
        }

        var text = $"{member.ContainingType?.Name}.{member.Name} (line {at.GetLocation().GetLineSpan().StartLinePosition.Line + 1})";
        if (known is null)
        {
            tree.TryAdd(at, new Description(member, text));
        }

        return text;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, Description>> Descriptions = new();

    private sealed record Description(ISymbol Member, string Text);

    /// <summary>The range of values of a type: what a byte read from anywhere can be.</summary>
    public static (long? Lower, long? Upper) RangeOf(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Byte => (byte.MinValue, byte.MaxValue),
        SpecialType.System_SByte => (sbyte.MinValue, sbyte.MaxValue),
        SpecialType.System_Int16 => (short.MinValue, short.MaxValue),
        SpecialType.System_UInt16 => (ushort.MinValue, ushort.MaxValue),
        SpecialType.System_Char => (char.MinValue, char.MaxValue),
        SpecialType.System_Int32 => (int.MinValue, int.MaxValue),
        SpecialType.System_UInt32 => (uint.MinValue, uint.MaxValue),
        SpecialType.System_Int64 => (long.MinValue, long.MaxValue),
        SpecialType.System_UInt64 => (0, null),
        SpecialType.System_Boolean => (0, 1),
        _ => (null, null),
    };
}
