using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Where a pointer or a reference points, for the offsets moved from it: the buffer whose first element it is (what a
/// <c>fixed</c> statement pinned, <c>MemoryMarshal.GetReference(span)</c>, <c>ref buffer[0]</c>, a <c>ref</c> local
/// holding one of these), and how many elements of that buffer a use reads (one, or a whole <c>T</c> when the address
/// is cast to <c>T*</c> or handed to <c>Unsafe.ReadUnaligned&lt;T&gt;</c>).
/// </summary>
internal static class Pointers
{
    private const int MaxDepth = 4;

    /// <summary>The tracked buffer whose first element <paramref name="address"/> is, when that is in sight, and its element type.</summary>
    public static (IOperation Buffer, ITypeSymbol Element)? BufferOf(IOperation address, FlowContext context, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (address.WalkDownConversions())
        {
            case ILocalReferenceOperation local when Initializers.ValueOf(local.Local, context.Compilation, context.Model) is { } value:
                // fixed (byte* p = buffer), ref byte start = ref MemoryMarshal.GetReference(span).
                return ElementOf(value.WalkDownConversions().Type) is { } pinned && FlowKey.Of(value) is not null
                    ? (value.WalkDownConversions(), pinned)
                    : BufferOf(value, context, depth + 1);
            case var stack when Records.StackallocLength(stack) is not null && (stack.Type as IPointerTypeSymbol)?.PointedAtType is { } stackElement:
                // byte* table = stackalloc byte[16]: a buffer of a known size, with no name to check the length of.
                return (stack, stackElement);
            case IAddressOfOperation addressOf:
                return BufferOf(addressOf.Reference, context, depth + 1);
            case IInvocationOperation call when context.Trust.Find(call.TargetMethod, TrustRole.BufferStart) is { } start:
                return TrustEntry.Argument(call, start.Buffer)?.WalkDownConversions() is { } buffer && FlowKey.Of(buffer) is not null && ElementOf(buffer.Type) is { } type
                    ? (buffer, type)
                    : null;
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when IsZero(element.Indices[0]):
                return FlowKey.Of(element.ArrayReference) is not null && ElementOf(element.ArrayReference.Type) is { } arrayElement
                    ? (element.ArrayReference.WalkDownConversions(), arrayElement)
                    : null;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } span, Arguments.Length: 1 } indexer when IsZero(indexer.Arguments[0].Value):
                return FlowKey.Of(span) is not null && ElementOf(span.Type) is { } spanElement ? (span.WalkDownConversions(), spanElement) : null;
            default:
                return null;
        }
    }

    /// <summary>The element type of an array, a span or a string; null for anything else.</summary>
    public static ITypeSymbol? ElementOf(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
        INamedTypeSymbol { SpecialType: SpecialType.System_String } text => Char(text),
        INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span => span.TypeArguments[0],
        _ => null,
    };

    /// <summary>
    /// How many elements of <paramref name="element"/> a use of <paramref name="address"/> reads or writes: a whole
    /// <c>T</c> when the address is cast to <c>T*</c> or given to a reinterpreting call (<c>Unsafe.ReadUnaligned&lt;T&gt;</c>,
    /// <c>Unsafe.As&lt;TFrom, TTo&gt;</c>), one element otherwise or when a size is unknown.
    /// </summary>
    public static int Width(IOperation address, ITypeSymbol? element, TrustModel trust)
    {
        var use = address;
        while (use.Parent is IConversionOperation or IParenthesizedOperation)
        {
            use = use.Parent;
        }

        ITypeSymbol? read = null;
        if (use.Parent is IArgumentOperation { Parent: IInvocationOperation call } argument
            && trust.Find(call.TargetMethod, TrustRole.Reinterpret) is { } entry
            && TrustEntry.Argument(call, entry.Data) == argument.Value)
        {
            read = call.TargetMethod.TypeArguments.LastOrDefault();
        }
        else if (use != address && use.Type is IPointerTypeSymbol { PointedAtType.SpecialType: not SpecialType.System_Void } pointer)
        {
            read = pointer.PointedAtType;
        }

        return SizeOf(read) is { } bytes && SizeOf(element) is { } each && bytes > each ? (bytes + each - 1) / each : 1;
    }

    /// <summary>The size in bytes of a primitive, an enum or a pointer; null for anything else.</summary>
    public static int? SizeOf(ITypeSymbol? type) => type switch
    {
        IPointerTypeSymbol => 8,
        INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying } => SizeOf(underlying),
        _ => type?.SpecialType switch
        {
            SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
            SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double or SpecialType.System_IntPtr or SpecialType.System_UIntPtr => 8,
            SpecialType.System_Decimal => 16,
            _ => null,
        },
    };

    private static bool IsZero(IOperation index) => index.ConstantValue is { HasValue: true, Value: { } value } && Evaluator.TryGetInteger(value, out var number) && number == 0;

    private static ITypeSymbol? Char(INamedTypeSymbol text) =>
        text.GetMembers("get_Chars").OfType<IMethodSymbol>().FirstOrDefault()?.ReturnType;
}
