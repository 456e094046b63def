using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A cache is no list of the program's names: <c>if (cache.TryGetValue(name, out var t)) return t; t = Type.GetType(name);
/// cache.Add(name, t);</c> finds a name only because the same method put it there the first time it came, whatever it was.
/// A membership call (<c>Contains</c>, <c>ContainsKey</c>, <c>TryGetValue</c>) on a collection that the method also fills
/// with the name (<c>Add</c>, <c>TryAdd</c>, <c>GetOrAdd</c>, <c>AddOrUpdate</c>, or <c>cache[name] = ...</c>) is a lookup
/// in a cache, not a check. A collection the program builds from its own names (a static list, a dictionary of known types)
/// is not filled with the name, and stays a check.
/// </summary>
internal static class Caches
{
    /// <summary>True when the operation is a membership call on a collection that one of <paramref name="operations"/> fills with one of the names.</summary>
    public static bool IsLookup(IOperation operation, ISet<ISymbol> names, IReadOnlyList<IOperation> operations) =>
        operation is IInvocationOperation { TargetMethod.Name: "Contains" or "ContainsKey" or "TryGetValue", Instance: { } collection }
        && StorageOf(collection) is { } stored
        && operations.Any(o => Fills(o, stored, names));

    private static bool Fills(IOperation operation, ISymbol collection, ISet<ISymbol> names) => operation switch
    {
        IInvocationOperation { TargetMethod.Name: "Add" or "TryAdd" or "GetOrAdd" or "AddOrUpdate", Instance: { } instance } add =>
            add.Arguments.Length > 0 && Same(instance, collection) && IsName(add.Arguments[0].Value, names),
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer } =>
            indexer.Arguments.Length > 0 && Same(instance, collection) && IsName(indexer.Arguments[0].Value, names),
        _ => false,
    };

    private static bool Same(IOperation instance, ISymbol collection) =>
        StorageOf(instance) is { } symbol && SymbolEqualityComparer.Default.Equals(symbol, collection);

    private static ISymbol? StorageOf(IOperation operation) => operation.WalkDownConversions() switch
    {
        IFieldReferenceOperation field => field.Field.OriginalDefinition,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IPropertyReferenceOperation { Property.IsIndexer: false } property => property.Property.OriginalDefinition,
        _ => null,
    };

    private static bool IsName(IOperation operation, ISet<ISymbol> names) => operation.WalkDownConversions() switch
    {
        IParameterReferenceOperation parameter => names.Contains(parameter.Parameter),
        ILocalReferenceOperation local => names.Contains(local.Local),
        _ => false,
    };
}
