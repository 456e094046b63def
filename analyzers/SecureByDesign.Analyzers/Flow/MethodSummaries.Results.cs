using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>What a summary says of a method's result beyond where it comes from: how long it is, what it indexes.</summary>
internal sealed partial class MethodSummaries
{
    /// <summary>
    /// <c>byte[] ReadBytes(int n) { var b = new byte[n]; ...; return b; }</c>: the parameter whose value is the length of
    /// every array the method returns: each return is <c>new T[n]</c> or a local only ever assigned <c>new T[n]</c>, and
    /// nothing assigns n. Or, for an array or any type with a <c>Count</c> or <c>Length</c>, the parameter the method
    /// checks its one result against just before it returns it (<see cref="CheckedLengthParameter"/>). Null for any other method.
    /// </summary>
    private static int? LengthParameter(IMethodSymbol method, IOperation body, List<IOperation> operations)
    {
        if (!IsFinal(method) || HasRefLocals(operations))
        {
            return null; // An override returns what its own body does; a ref local writes unseen.
        }

        if (CheckedLengthParameter(method, body, operations) is { } checkedLength)
        {
            return checkedLength;
        }

        if (method.ReturnType is not IArrayTypeSymbol { Rank: 1 })
        {
            return null;
        }

        IParameterSymbol? length = null;
        bool SameLength(IOperation? value)
        {
            if (value?.WalkDownConversions() is not IArrayCreationOperation { DimensionSizes.Length: 1 } creation
                || creation.DimensionSizes[0] is not IParameterReferenceOperation { Parameter: var parameter }
                || (length is not null && !SymbolEqualityComparer.Default.Equals(length, parameter)))
            {
                return false;
            }

            length = parameter;
            return true;
        }

        var returns = operations.OfType<IReturnOperation>().Where(r => r.FindOwner() == body).ToList();
        foreach (var returned in returns)
        {
            var value = returned.ReturnedValue?.WalkDownConversions();
            if (value is ILocalReferenceOperation local)
            {
                var stores = StoresOf(local.Local, operations);
                if (stores.Count == 0 || !stores.All(SameLength))
                {
                    return null;
                }
            }
            else if (!SameLength(value))
            {
                return null;
            }
        }

        var assigned = length is not null && Assigned(length, operations);
        return returns.Count > 0 && length is not null && !assigned && length.RefKind == RefKind.None ? length.Ordinal : null;
    }

    /// <summary>
    /// <c>var data = ReadBlock(n); if (data.Count != n) throw ...; return data;</c>: the method's last two statements
    /// throw unless its one returned local has at least n elements (<c>!=</c>, <c>&lt;</c>), and nothing assigns n. The
    /// ordinal of n; null for any other method.
    /// </summary>
    private static int? CheckedLengthParameter(IMethodSymbol method, IOperation body, List<IOperation> operations)
    {
        if (body is not IMethodBodyOperation { BlockBody.Operations: { Length: >= 2 } statements }
            || statements[statements.Length - 1] is not IReturnOperation { ReturnedValue: { } returned }
            || returned.WalkDownConversions() is not ILocalReferenceOperation result
            || statements[statements.Length - 2] is not IConditionalOperation { WhenFalse: null, Condition: IBinaryOperation test } check
            || !Throws(check.WhenTrue)
            || operations.OfType<IReturnOperation>().Count(r => r.FindOwner() == body) != 1)
        {
            return null;
        }

        static IPropertyReferenceOperation? LengthOf(IOperation side) =>
            side.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Count" or "Length" or "LongLength", Instance: ILocalReferenceOperation } length ? length : null;
        static IParameterSymbol? ParameterOf(IOperation side) =>
            side.WalkDownConversions() is IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter } ? parameter : null;

        // data.Count != n, n != data.Count, data.Count < n, n > data.Count.
        var (length, parameter) = test.OperatorKind switch
        {
            BinaryOperatorKind.NotEquals => LengthOf(test.LeftOperand) is { } left ? (left, ParameterOf(test.RightOperand)) : (LengthOf(test.RightOperand), ParameterOf(test.LeftOperand)),
            BinaryOperatorKind.LessThan => (LengthOf(test.LeftOperand), ParameterOf(test.RightOperand)),
            BinaryOperatorKind.GreaterThan => (LengthOf(test.RightOperand), ParameterOf(test.LeftOperand)),
            _ => (null, null),
        };
        if (length?.Instance is not ILocalReferenceOperation checkedLocal || !SymbolEqualityComparer.Default.Equals(checkedLocal.Local, result.Local)
            || parameter is null || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method))
        {
            return null;
        }

        var assigned = Assigned(parameter, operations);
        return assigned ? null : parameter.Ordinal;
    }

    /// <summary>Whether a statement only throws: <c>throw ...;</c>, or a block of that.</summary>
    private static bool Throws(IOperation statement) => statement switch
    {
        IExpressionStatementOperation { Operation: IThrowOperation } or IThrowOperation => true,
        IBlockOperation { Operations.Length: 1 } block => Throws(block.Operations[0]),
        _ => false,
    };

    /// <summary>
    /// <c>int Find(T[] items, T key) => Array.BinarySearch(items, key, comparer);</c>: the parameter every return of the
    /// method searches with one of the base library's searches for one element (<see cref="SearchResults"/>), when
    /// nothing assigns it; null for any other method.
    /// </summary>
    private static int? SearchedParameter(IMethodSymbol method, IOperation body, List<IOperation> operations)
    {
        if (method.ReturnType.SpecialType != SpecialType.System_Int32)
        {
            return null;
        }

        IParameterSymbol? searched = null;
        foreach (var returned in operations.OfType<IReturnOperation>().Where(r => r.FindOwner() == body))
        {
            var parameter = SearchResults.SearchedParameter(method, returned.ReturnedValue);
            if (parameter is null || (searched is not null && !SymbolEqualityComparer.Default.Equals(parameter, searched)))
            {
                return null;
            }

            searched = parameter;
        }

        var assigned = searched is not null && Assigned(searched, operations);
        return searched is { RefKind: RefKind.None } && !assigned ? searched.Ordinal : null;
    }

    /// <summary>
    /// Whether the body gives the parameter another value: by assignment, <c>++</c>/<c>--</c>, as a <c>ref</c>/<c>out</c>
    /// argument, in a deconstruction (<c>(count, _) = ...</c>), or through a <c>ref</c> alias of it (<c>ref int c = ref count</c>).
    /// </summary>
    internal static bool Assigned(IParameterSymbol parameter, List<IOperation> operations) =>
        operations.OfType<IParameterReferenceOperation>().Any(reference => SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter) && reference.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == reference || assignment is ISimpleAssignmentOperation { IsRef: true },
            IIncrementOrDecrementOperation => true,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            ITupleOperation tuple => IsDeconstructed(tuple),
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: not RefKind.None } } => true,
            _ => false,
        });
}
