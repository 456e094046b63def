using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>What a method's integer result can be whatever its arguments are: from constants, operators and types.</summary>
internal sealed partial class MethodSummaries
{
    /// <summary>The most operations one method's returns are read through: a store graph can branch, this keeps it linear.</summary>
    private const int MaxRangeOperations = 200;

    /// <summary>
    /// <c>int Padding(int length) =&gt; length % 4 == 0 ? 0 : 4 - length % 4</c>: the lowest and highest value any return
    /// can give, whatever the arguments and the content are, when that is narrower than the return type's own range (0
    /// to 7 here). Read from constants, operators (<see cref="Arithmetic"/>), <c>?:</c>, <c>Math.Min/Max</c> and the
    /// types of everything else; a local is read as every value stored into it (not when it is stepped, compounded or
    /// passed by reference). Flow-insensitive like the rest of a summary. Null for any other method.
    /// </summary>
    private static (long Lower, long Upper)? ReturnRange(IMethodSymbol method, IOperation body, List<IOperation> operations)
    {
        if (!IsInteger(method.ReturnType) || TaintSources.RangeOf(method.ReturnType) is not { Lower: { } least, Upper: { } most }
            || !IsFinal(method) || HasRefLocals(operations))
        {
            return null;
        }

        var budget = new[] { MaxRangeOperations };
        ValueFact? all = null;
        foreach (var returned in operations.OfType<IReturnOperation>().Where(r => r.FindOwner() == body))
        {
            if (returned.ReturnedValue is not { } value)
            {
                return null;
            }

            var fact = Evaluator.Typed(RangeOf(value, operations, ImmutableHashSet.Create<ILocalSymbol>(SymbolEqualityComparer.Default), budget), method.ReturnType);
            all = all is null ? fact : Widest(all, fact);
        }

        return all is { Lower: { } lower, Upper: { } upper } && (lower > least || upper < most) ? (lower, upper) : null;
    }

    private static ValueFact RangeOf(IOperation operation, List<IOperation> operations, ImmutableHashSet<ILocalSymbol> reading, int[] budget)
    {
        var typed = Evaluator.Typed(ValueFact.Unknown, operation.Type);
        if (--budget[0] < 0)
        {
            return typed;
        }

        if (operation.ConstantValue is { HasValue: true, Value: { } constant } && Evaluator.TryGetInteger(constant, out var number))
        {
            return ValueFact.Constant(number);
        }

        ValueFact Of(IOperation part) => RangeOf(part, operations, reading, budget);
        return operation switch
        {
            IConversionOperation { OperatorMethod: null } conversion => Evaluator.Convert(Of(conversion.Operand), conversion.Operand.Type, conversion.Type),
            IBinaryOperation { OperatorMethod: null } binary when IsInteger(binary.Type) =>
                Evaluator.Typed(Arithmetic.Binary(binary.OperatorKind, Of(binary.LeftOperand), Of(binary.RightOperand), binary.Type, binary.IsChecked), binary.Type),
            IConditionalOperation { WhenFalse: { } otherwise } choice => Widest(Of(choice.WhenTrue), Of(otherwise)),
            IInvocationOperation { TargetMethod: { Name: "Min" or "Max", ContainingType.Name: "Math" } math, Arguments.Length: 2 } call =>
                math.Name == "Min" ? Arithmetic.Min(Of(call.Arguments[0].Value), Of(call.Arguments[1].Value)) : Arithmetic.Max(Of(call.Arguments[0].Value), Of(call.Arguments[1].Value)),
            ILocalReferenceOperation local when !reading.Contains(local.Local) && SimpleStores(local.Local, operations) is { Count: > 0 } stores =>
                stores.Select(s => RangeOf(s, operations, reading.Add(local.Local), budget)).Aggregate(Widest),
            _ => typed,
        };
    }

    /// <summary>The values stored into a local, when each store is its initializer or a plain assignment; null otherwise.</summary>
    private static List<IOperation>? SimpleStores(ILocalSymbol local, List<IOperation> operations)
    {
        bool Same(ISymbol? symbol) => SymbolEqualityComparer.Default.Equals(symbol, local);
        var stores = new List<IOperation>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when Same(declarator.Symbol):
                    if (declarator.Initializer?.Value is { } initial)
                    {
                        stores.Add(initial);
                    }

                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when Same(target.Local):
                    stores.Add(assignment.Value);
                    break;
                case ILocalReferenceOperation reference when Same(reference.Local) && IsOtherWrite(reference):
                case IForEachLoopOperation loop when loop.Locals.Any(Same):
                case IDeclarationPatternOperation pattern when Same(pattern.DeclaredSymbol):
                    return null; // out var, ref, +=, ++, deconstruction, foreach, pattern: not a plain value.
            }
        }

        return stores;
    }

    private static bool IsOtherWrite(ILocalReferenceOperation reference) => reference.IsDeclaration || reference.Parent switch
    {
        ICompoundAssignmentOperation compound => compound.Target == reference,
        ICoalesceAssignmentOperation coalesce => coalesce.Target == reference,
        IIncrementOrDecrementOperation => true,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        ITupleOperation tuple => IsDeconstructed(tuple),
        _ => false,
    };

    /// <summary>Whether a tuple is (part of) the target of a deconstruction: <c>(m, (n, m)) = ...</c>.</summary>
    private static bool IsDeconstructed(IOperation tuple)
    {
        var part = tuple;
        while (part.Parent is ITupleOperation or IConversionOperation)
        {
            part = part.Parent;
        }

        return part.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == part;
    }

    /// <summary>Whether the body declares a <c>ref</c> local, through which a write reaches a local without naming it.</summary>
    private static bool HasRefLocals(List<IOperation> operations) =>
        operations.Any(o => o is IVariableDeclaratorOperation { Symbol.RefKind: not RefKind.None });

    /// <summary>A method no override can replace: what its body returns is what a call returns.</summary>
    internal static bool IsFinal(IMethodSymbol method) =>
        method.ContainingType?.TypeKind != TypeKind.Interface
        && (!(method.IsVirtual || method.IsAbstract || method.IsOverride) || method.IsSealed || method.ContainingType?.IsSealed == true);

    private static ValueFact Widest(ValueFact a, ValueFact b) =>
        ValueFact.Range(a.Lower is { } x && b.Lower is { } y ? Math.Min(x, y) : null, a.Upper is { } u && b.Upper is { } v ? Math.Max(u, v) : null);

    private static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char or SpecialType.System_Int32
        or SpecialType.System_UInt32 or SpecialType.System_Int64;
}
