using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What an element access that did not throw proves: past <c>data[i]</c>, i is in range of data until either changes;
/// past <c>data[3]</c>, data has at least four elements. An access out of range throws, so the statements after it run only
/// when it was in range, and a second access of the same element is not a second way to fail (the first is reported).
/// Arrays, lists and spans only (<see cref="Records.IsIndexable"/>): a dictionary's indexer takes keys, not positions.
/// </summary>
internal static class Accesses
{
    public static FlowState Done(IOperation operation, FlowState state, FlowContext context)
    {
        var (record, index) = operation switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } indexer
                when Records.IsIndexable(instance.Type) && indexer.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 => (instance, indexer.Arguments[0].Value),
            _ => ((IOperation?)null, (IOperation?)null),
        };
        if (record is null || index is null || FlowKey.Of(record) is not { } buffer)
        {
            return state;
        }

        if (index.ConstantValue is { HasValue: true, Value: int k } && k >= 0)
        {
            // Kept apart from the checks of its Length (a read is not a check, and messages say which there was).
            var reached = new FactKey(FactKey.Reached, buffer);
            return state[reached]?.Lower >= k + 1L ? state : state.Refine(reached, ValueFact.Range(k + 1L, null));
        }

        if (Position(index) is not { } position)
        {
            return state;
        }

        // Kept apart from the index's own value: a loop's next pass has a new index, and a read is not a check of it.
        var key = new FactKey(FactKey.InRange, position);
        var known = state[key] ?? ValueFact.Unknown;
        return known.BelowLength.Contains(buffer) ? state : state.Refine(key, known.Below(buffer));
    }

    /// <summary>Whether <paramref name="index"/> was used on <paramref name="buffer"/> before, with nothing assigned to either since.</summary>
    public static bool Reached(IOperation index, object buffer, FlowState state) =>
        Position(index) is { } position && state[new FactKey(FactKey.InRange, position)] is { } known && known.BelowLength.Contains(buffer);

    /// <summary>The tracked variable an index is: data[(int)position] of a long position says nothing of position past int.MaxValue, so only through widening conversions.</summary>
    private static object? Position(IOperation index) =>
        index is IConversionOperation { IsImplicit: false } ? null : FlowKey.Of(index);
}
