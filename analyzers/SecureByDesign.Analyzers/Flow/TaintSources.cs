using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The default taint sources of the trust model: reads from streams, readers, sockets, HTTP, files,
/// memory-mapped views, marshalling, JSON and XML readers and archives, plus the configured and annotated
/// ones. A source call makes its result untrusted and also the buffers it fills (<c>stream.Read(buffer)</c>).
/// </summary>
internal static class TaintSources
{
    // Declaring type (by name, checked along the base types) and the method-name prefixes that read content.
    private static readonly ImmutableDictionary<string, ImmutableArray<string>> Readers = ImmutableDictionary<string, ImmutableArray<string>>.Empty
        .Add("Stream", ImmutableArray.Create("Read", "CopyTo"))
        .Add("BinaryReader", ImmutableArray.Create("Read"))
        .Add("TextReader", ImmutableArray.Create("Read"))
        .Add("Socket", ImmutableArray.Create("Receive"))
        .Add("HttpClient", ImmutableArray.Create("Get", "Send"))
        .Add("HttpContent", ImmutableArray.Create("ReadAs"))
        .Add("WebClient", ImmutableArray.Create("Download"))
        .Add("File", ImmutableArray.Create("ReadAll", "OpenRead", "ReadLines"))
        .Add("MemoryMappedViewAccessor", ImmutableArray.Create("Read"))
        .Add("UnmanagedMemoryAccessor", ImmutableArray.Create("Read"))
        .Add("Marshal", ImmutableArray.Create("PtrToStructure", "Read"))
        .Add("XmlReader", ImmutableArray.Create("Read", "GetAttribute"))
        .Add("ZipArchiveEntry", ImmutableArray.Create("Open"))
        .Add("TarReader", ImmutableArray.Create("GetNextEntry"))
        .Add("TextFieldParser", ImmutableArray.Create("ReadFields", "ReadLine"));

    /// <summary>The origin text when the call is a source, null otherwise.</summary>
    public static string? Origin(IInvocationOperation invocation, TrustOptions options)
    {
        var method = invocation.TargetMethod;
        if (IsReader(method) || options.IsConfiguredSource(method) || Annotations.ReturnHas(method, Annotations.UntrustedContent) || DeserializesStream(invocation))
        {
            return Describe(method, invocation.Syntax);
        }

        return null;
    }

    /// <summary>
    /// The origin text when the property is one the content names: the path of a zip or tar entry
    /// (<c>ZipArchiveEntry.FullName</c>/<c>Name</c>, <c>TarEntry.Name</c>/<c>LinkName</c>), null otherwise.
    /// </summary>
    public static string? PropertyOrigin(IPropertyReferenceOperation property)
    {
        var name = property.Property.Name;
        for (var type = property.Property.ContainingType; type is not null; type = type.BaseType)
        {
            if ((type.Name == "ZipArchiveEntry" && name is "FullName" or "Name") || (type.Name == "TarEntry" && name is "Name" or "LinkName"))
            {
                return Describe(property.Property, property.Syntax);
            }
        }

        return null;
    }

    /// <summary>
    /// A deserializer given a stream or reader reads it: JsonSerializer.Deserialize(stream), XmlSerializer.Deserialize(reader).
    /// Given a string, it is as untrusted as the string.
    /// </summary>
    private static bool DeserializesStream(IInvocationOperation invocation)
    {
        if (!NullStates.IsDeserializer(invocation.TargetMethod))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            for (var type = argument.Value.WalkDownConversions().Type; type is not null; type = type.BaseType)
            {
                if (type.Name is "Stream" or "TextReader" or "XmlReader" or "JsonReader")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>"BinaryReader.ReadInt32 (line 12)".</summary>
    public static string Describe(ISymbol member, SyntaxNode at) =>
        $"{member.ContainingType?.Name}.{member.Name} (line {at.GetLocation().GetLineSpan().StartLinePosition.Line + 1})";

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

    private static bool IsReader(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (Readers.TryGetValue(type.Name, out var prefixes) && prefixes.Any(p => method.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
