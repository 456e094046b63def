using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What the engine tracks a fact for: a local, a parameter, a field of a local or parameter
/// (<c>state.Cursor</c>), a field of this type, or a flow capture of the control flow graph.
/// </summary>
internal static class FlowKey
{
    /// <summary>Each property's answer, asked at every read of it: once per symbol (the symbol lives as long as its compilation).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPropertySymbol, object> StoredOnce = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPropertySymbol, object> AutoProperty = new();
    private static readonly object Yes = new();
    private static readonly object No = new();

    /// <summary>The key of the storage the operation reads or writes, or null when it is not tracked.</summary>
    public static object? Of(IOperation? operation)
    {
        switch (operation?.WalkDownConversions())
        {
            case ILocalReferenceOperation local:
                return local.Local;
            case IDeclarationExpressionOperation declaration:
                return Of(declaration.Expression);
            case IParameterReferenceOperation parameter:
                return parameter.Parameter;
            case IFlowCaptureReferenceOperation capture:
                return capture.Id;
            case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field:
                return field.Field;
            case IFieldReferenceOperation field when Of(field.Instance) is { } owner:
                return new MemberKey(owner, field.Field);
            case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property: { IsIndexer: false } property } when IsStoredOnce(property):
                // Bytes { get; } = bytes: a property that only its constructor sets holds one value, like a read-only field.
                return property;
            case IPropertyReferenceOperation { Instance: { } instance, Property: { IsIndexer: false } property } when IsStoredOnce(property) && Of(instance) is { } holder:
                // header.NumFonts { get; } of a local header: stored once, by the constructor, like a read-only field of it.
                return new MemberKey(holder, property);
            case IInvocationOperation invocation:
                return Query.Of(invocation);
            case IPropertyReferenceOperation { Property.Name: "Length" or "ContentLength" or "Count" or "LongLength" or "Headers", Property.IsIndexer: false } length:
                // stream.Length, content.Headers.ContentLength: tracked so that "if (stream.Length > Max) throw" bounds it.
                return Sized(length.Instance) is { } sized ? new MemberKey(sized, length.Property) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The key of a buffer or collection whose length is compared and indexed: any tracked storage, and also an
    /// auto-property of one (<c>tag.Attributes { get; private set; }</c> of a local <c>tag</c>), read like a field of it,
    /// so that <c>for (i = 0; i &lt; tag.Attributes.Count; i++) tag.Attributes[i]</c> indexes what it counted. Only as a
    /// buffer: the property's own value is not tracked.
    /// </summary>
    public static object? Sized(IOperation? operation) =>
        Of(operation) ?? (operation?.WalkDownConversions() is IPropertyReferenceOperation { Instance: { } instance, Property: { IsIndexer: false } property }
            && IsAutoProperty(property) && Of(instance) is { } owner
            ? new MemberKey(owner, property)
            : null);

    /// <summary>
    /// A get-only (or init-only) auto-property that nothing overrides: the constructor stores it, and every read
    /// returns what was stored, as a read-only field's does.
    /// </summary>
    public static bool IsStoredOnce(IPropertySymbol property) =>
        StoredOnce.GetValue(property, p => IsStoredOnceCore(p) ? Yes : No) == Yes;

    private static bool IsStoredOnceCore(IPropertySymbol property) =>
        property.SetMethod is null or { IsInitOnly: true } && (IsAutoPropertyCore(property) || IsImmutablePair(property));

    /// <summary>
    /// <c>Tuple&lt;int, byte[]&gt;.Item1</c>, <c>KeyValuePair&lt;K, V&gt;.Key</c>: the framework's immutable pairs return
    /// what their constructor stored (their backing fields are not in the reference assemblies).
    /// </summary>
    private static bool IsImmutablePair(IPropertySymbol property) =>
        property is { IsStatic: false, IsIndexer: false, ContainingType: { ContainingNamespace: { } space } type }
        && (type.Name == "Tuple" && space.ToDisplayString() == "System" && (property.Name.StartsWith("Item", StringComparison.Ordinal) || property.Name == "Rest")
            || type.Name == "KeyValuePair" && space.ToDisplayString() == "System.Collections.Generic" && property.Name is "Key" or "Value");

    /// <summary>An auto-property nothing overrides: a read returns what was last stored, as a field's does.</summary>
    private static bool IsAutoProperty(IPropertySymbol property) =>
        AutoProperty.GetValue(property, p => IsAutoPropertyCore(p) ? Yes : No) == Yes;

    private static bool IsAutoPropertyCore(IPropertySymbol property) =>
        property is { IsVirtual: false, IsOverride: false, IsAbstract: false }
        && property.ContainingType?.GetMembers($"<{property.Name}>k__BackingField").Length > 0;

    /// <summary>
    /// Marks a value as capped from above by something trusted (a constant, a static readonly maximum, a setting):
    /// what makes a size or count acceptable, though it proves nothing about any one buffer.
    /// </summary>
    public static readonly object Capped = new CappedMarker();

    /// <summary>Compares keys with symbol equality for symbols, value equality otherwise.</summary>
    public static readonly IEqualityComparer<object> Comparer = new KeyComparer();

    public static KeySet EmptySet => KeySet.Empty;

    /// <summary>The symbol a key is rooted in, for messages and for the fields of a local that an assignment to it invalidates.</summary>
    public static ISymbol? Root(object key) => key switch
    {
        ISymbol symbol => symbol,
        MemberKey member => Root(member.Owner),
        Query query => Root(query.Owner),
        _ => null,
    };

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) => x is ISymbol a && y is ISymbol b
            ? SymbolEqualityComparer.Default.Equals(a, b)
            : object.Equals(x, y);

        public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }

    private sealed class CappedMarker
    {
        public override string ToString() => "capped";
    }

    /// <summary>A fact's bound "at most <c>Buffer.Length - Offset</c>": what makes a (offset, length) range fit.</summary>
    internal sealed record Remainder(object Buffer, object Offset)
    {
        public bool Mentions(object key) => Comparer.Equals(Buffer, key) || Comparer.Equals(Offset, key);

        public bool Equals(Remainder? other) => other is not null && Comparer.Equals(Buffer, other.Buffer) && Comparer.Equals(Offset, other.Offset);

        public override int GetHashCode() => (Comparer.GetHashCode(Buffer), Comparer.GetHashCode(Offset)).GetHashCode();
    }

    /// <summary>
    /// A fact's bound "at most <c>Buffer.Length - Amount</c>" (Amount of 2 or more): room for a read of Amount elements
    /// at the value, from <c>offset + 4 &lt;= buffer.Length</c> or <c>offset &lt;= buffer.Length - 4</c>.
    /// </summary>
    internal sealed record Shortened(object Buffer, long Amount)
    {
        public bool Equals(Shortened? other) => other is not null && Comparer.Equals(Buffer, other.Buffer) && Amount == other.Amount;

        public override int GetHashCode() => (Comparer.GetHashCode(Buffer), Amount).GetHashCode();
    }

    /// <summary>
    /// A fact's bound "below or at most the length of <c>Buffer</c>, which was allocated with this value as its size"
    /// (<c>var a = new T[n]</c> with an n nothing caps). An index below n fits a, but a loop up to n is still a loop of
    /// the content's choosing: it is not a length of something already in memory.
    /// </summary>
    internal sealed record Allocated(object Buffer)
    {
        public bool Equals(Allocated? other) => other is not null && Comparer.Equals(Buffer, other.Buffer);

        public override int GetHashCode() => Comparer.GetHashCode(Buffer);
    }

    /// <summary>
    /// <c>name.IndexOf('\0')</c>: a search of a tracked string with constant arguments. A string does not change, so the
    /// search finds the same position each time until the variable is assigned: a test of one call
    /// (<c>if (name.IndexOf('\0') &gt;= 0)</c>) holds for the next (<c>name.Substring(0, name.IndexOf('\0'))</c>).
    /// </summary>
    internal sealed record Query(object Owner, IMethodSymbol Method, string Arguments)
    {
        public static Query? Of(IInvocationOperation invocation) =>
            invocation.TargetMethod is { Name: "IndexOf" or "LastIndexOf", IsStatic: false, ContainingType.SpecialType: SpecialType.System_String } method
            && invocation.Arguments.All(a => a.Value.ConstantValue.HasValue)
            && FlowKey.Of(invocation.Instance) is { } owner
                ? new Query(owner, method, string.Join("\u0001", invocation.Arguments.Select(a => a.Value.ConstantValue.Value?.ToString())))
                : null;

        public bool Equals(Query? other) =>
            other is not null && Comparer.Equals(Owner, other.Owner) && SymbolEqualityComparer.Default.Equals(Method, other.Method) && Arguments == other.Arguments;

        public override int GetHashCode() => (Comparer.GetHashCode(Owner), Arguments).GetHashCode();
    }

    internal sealed record MemberKey(object Owner, ISymbol Field)
    {
        public bool Equals(MemberKey? other) =>
            other is not null && Comparer.Equals(Owner, other.Owner) && SymbolEqualityComparer.Default.Equals(Field, other.Field);

        public override int GetHashCode() => (Comparer.GetHashCode(Owner), SymbolEqualityComparer.Default.GetHashCode(Field)).GetHashCode();
    }
}
