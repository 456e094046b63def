using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What a check proved about one element at a constant index (<c>data[0]</c>): today, the range <c>Enum.IsDefined</c>
/// puts it in. Kept under a <see cref="FactKey"/> of the buffer, so the fact goes when the buffer is assigned; it also
/// goes when any element of the buffer is written or the buffer is handed to a call that may fill it.
/// </summary>
internal static class Elements
{
    private const string Prefix = "element ";

    /// <summary>
    /// The key of <c>buffer[k]</c> for a constant k and a tracked array or span; null otherwise (a list or dictionary can
    /// change through its own methods, which are not followed).
    /// </summary>
    public static FactKey? Key(IOperation operation) => operation.WalkDownConversions() switch
    {
        IArrayElementReferenceOperation { Indices.Length: 1 } element when Index(element.Indices[0]) is { } index && FlowKey.Of(element.ArrayReference) is { } owner =>
            new FactKey(Prefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture), owner),
        IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { Type.Name: "Span" or "ReadOnlySpan" } instance } indexer
            when Index(indexer.Arguments[0].Value) is { } index && FlowKey.Of(instance) is { } owner =>
            new FactKey(Prefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture), owner),
        _ => null,
    };

    /// <summary>An element read: what the buffer says of it, narrowed by what a check proved of this element.</summary>
    public static ValueFact Refined(IOperation element, ValueFact fact, FlowState state)
    {
        if (Key(element) is not { } key || state[key] is not { } known)
        {
            return fact;
        }

        fact = known.Lower is { } lower ? fact.WithLower(lower) : fact;
        return known.Upper is { } upper ? fact.WithUpper(upper) : fact;
    }

    /// <summary>Drops what was proved of the elements of a buffer that is written to (<c>data[i] = ...</c>, <c>stream.Read(data)</c>).</summary>
    public static FlowState Forget(object owner, FlowState state) =>
        state.RefineAll(
            static (key, buffer) => key is FactKey fact && fact.Kind.StartsWith(Prefix, StringComparison.Ordinal) && FlowKey.Comparer.Equals(fact.Of, buffer),
            owner,
            ValueFact.Unknown);

    /// <summary>The buffer whose element an assignment target is (<c>data[i]</c>), or null.</summary>
    public static object? OwnerOf(IOperation target) => target.WalkDownConversions() switch
    {
        IArrayElementReferenceOperation element => FlowKey.Of(element.ArrayReference),
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } => FlowKey.Of(instance),
        _ => null,
    };

    private static long? Index(IOperation index) =>
        index.ConstantValue is { HasValue: true, Value: { } constant } && Evaluator.TryGetInteger(constant, out var value) && value >= 0 ? value : null;
}
