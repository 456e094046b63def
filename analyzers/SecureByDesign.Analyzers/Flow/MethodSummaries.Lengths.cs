using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>How long the arrays a method returns can be, when its types say so.</summary>
internal sealed partial class MethodSummaries
{
    /// <summary>
    /// <c>int[] ReadIndex() { var count = ReadCard16(); if (count == 0) return []; return new int[count + 1]; }</c>: the
    /// most elements an array the method returns can have, when every return is an array whose size the types bound (a
    /// <c>ushort</c> count plus one, a constant, an empty array) or a local only ever assigned such arrays. Null for any
    /// other method. Flow-insensitive like the rest of a summary: a narrow type bounds its variable wherever it is assigned.
    /// </summary>
    private static long? MaxReturnLength(IMethodSymbol method, IOperation body, List<IOperation> operations)
    {
        if (method.ReturnType is not IArrayTypeSymbol { Rank: 1 })
        {
            return null;
        }

        long? most = null;
        foreach (var array in ReturnedArrays(body, operations))
        {
            if (ArrayLengthAtMost(array) is not { } length)
            {
                return null;
            }

            most = Math.Max(most ?? 0, length);
        }

        return most;
    }

    /// <summary>What the method's returns hand back: each returned value, or every value stored into a returned local (null for a local never stored).</summary>
    private static IEnumerable<IOperation?> ReturnedArrays(IOperation body, List<IOperation> operations) =>
        operations.OfType<IReturnOperation>().Where(r => r.FindOwner() == body).SelectMany(returned =>
            returned.ReturnedValue?.WalkDownConversions() is ILocalReferenceOperation local
                ? StoresOf(local.Local, operations).DefaultIfEmpty()
                : new[] { returned.ReturnedValue?.WalkDownConversions() });

    /// <summary>
    /// <c>byte[] GetConnectCommand() { int size = 9 + user.Length; var buffer = new byte[size]; ...; return buffer; }</c>:
    /// the fewest elements an array the method returns has, when every return is an array it makes (or a local only ever
    /// assigned one) whose size is at least a positive number from its form alone: a constant, plus lengths and counts,
    /// through a local assigned once. Null for any other method.
    /// </summary>
    private static int? MinReturnLength(IMethodSymbol method, IOperation body, List<IOperation> operations)
    {
        // An override returns what its own body does; a ref local or a deconstruction writes a local unseen by StoresOf.
        if (method.ReturnType is not IArrayTypeSymbol { Rank: 1 } || !IsFinal(method) || HasRefLocals(operations)
            || operations.Any(o => o is IDeconstructionAssignmentOperation))
        {
            return null;
        }

        long? fewest = null;
        foreach (var array in ReturnedArrays(body, operations))
        {
            if (array?.WalkDownConversions() is not IArrayCreationOperation { DimensionSizes.Length: 1 } creation
                || LowerOf(creation.DimensionSizes[0], operations, 0) is not { } least || least < 1)
            {
                return null;
            }

            fewest = Math.Min(fewest ?? least, least);
        }

        return fewest is { } found ? (int)Math.Min(found, int.MaxValue) : null;
    }

    /// <summary>The least an int size can be from its form alone: a constant, a length or count, a sum of such, either arm of a <c>?:</c>, a local assigned once.</summary>
    private static long? LowerOf(IOperation operation, List<IOperation> operations, int depth)
    {
        if (operation.ConstantValue is { HasValue: true, Value: int constant })
        {
            return constant;
        }

        return operation switch
        {
            _ when depth > 4 => null,
            IConversionOperation { IsImplicit: true } conversion => LowerOf(conversion.Operand, operations, depth + 1),
            // A string's or array's Length, a framework list's or set's Count: never negative.
            IPropertyReferenceOperation { Property.Name: "Length" or "Count", Type.SpecialType: SpecialType.System_Int32, Instance.Type: { } owner }
                when owner.SpecialType == SpecialType.System_String || owner is IArrayTypeSymbol || Evaluator.IsArrayBackedCollection(owner) => 0,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum when LowerOf(sum.LeftOperand, operations, depth + 1) is { } left
                && LowerOf(sum.RightOperand, operations, depth + 1) is { } right => left + right,
            IConditionalOperation { WhenFalse: { } otherwise } choice when LowerOf(choice.WhenTrue, operations, depth + 1) is { } first
                && LowerOf(otherwise, operations, depth + 1) is { } second => Math.Min(first, second),
            ILocalReferenceOperation local when StoresOf(local.Local, operations) is { Count: 1 } stores && stores[0] is { } only
                && !operations.Any(o => o is IIncrementOrDecrementOperation { Target: ILocalReferenceOperation stepped } && SymbolEqualityComparer.Default.Equals(stepped.Local, local.Local)) =>
                LowerOf(only, operations, depth + 1),
            _ => null,
        };
    }

    /// <summary>The values stored into a local: its initializer, its assignments, and itself where it is passed by ref or out (not an array's length then).</summary>
    private static List<IOperation?> StoresOf(ILocalSymbol local, List<IOperation> operations) =>
        operations.Select(o => o switch
        {
            IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
            IAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local) => target,
            _ => null,
        }).Where(v => v is not null).ToList();

    private static long? ArrayLengthAtMost(IOperation? value) => value?.WalkDownConversions() switch
    {
        IArrayCreationOperation { DimensionSizes.Length: 1 } creation => UpperOf(creation.DimensionSizes[0]),
        IInvocationOperation { TargetMethod: { Name: "Empty", ContainingType.SpecialType: SpecialType.System_Array } } => 0,
        { Syntax: CollectionExpressionSyntax { Elements.Count: 0 } } => 0,
        _ => null,
    };

    /// <summary>
    /// The largest value an integer expression can have, from its types alone: a constant, a variable of a type no wider
    /// than <c>ushort</c>, a sum of such, a mask with a constant. Null when the types do not bound it.
    /// </summary>
    private static long? UpperOf(IOperation operation)
    {
        if (operation.ConstantValue is { HasValue: true, Value: var constant and (int or long or short or ushort or byte or sbyte or uint or char) })
        {
            return Convert.ToInt64(constant, CultureInfo.InvariantCulture);
        }

        long? upper = operation switch
        {
            IConversionOperation conversion => UpperOf(conversion.Operand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum when UpperOf(sum.LeftOperand) is { } left && UpperOf(sum.RightOperand) is { } right => left + right,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.And, RightOperand.ConstantValue: { HasValue: true, Value: int mask and >= 0 } } => mask,
            _ when TaintSources.RangeOf(operation.Type) is { Lower: { } lower, Upper: { } narrow and <= ushort.MaxValue } && lower >= short.MinValue => narrow,
            _ => null,
        };

        // A value past its own type's range wraps: only an upper bound its type can hold is one.
        return upper is { } value && TaintSources.RangeOf(operation.Type).Upper is { } most && value > most ? null : upper;
    }

    /// <summary>
    /// <c>ulong FetchDirectory(ulong offset, out Entry[] entries) { ...; var dir = new Entry[count]; ...; entries = dir;
    /// return count; }</c>: the <c>out</c> array parameter that has at least as many elements as the method returns.
    /// Every return gives 0 (or a constant below it) or the local the array was made with; the parameter is only ever
    /// given null or that array (directly, or through a local only ever given it or null); the size local is written
    /// only before the array is made, and the array is not made in a loop. Null for any other method.
    /// </summary>
    private static int? OutLengthParameter(IMethodSymbol method, IOperation body, List<IOperation> operations)
    {
        if (!IsInteger(method.ReturnType) && method.ReturnType.SpecialType != SpecialType.System_UInt64
            || !IsFinal(method) || HasRefLocals(operations) || operations.Any(o => o is IBranchOperation { BranchKind: BranchKind.GoTo }))
        {
            return null; // An override returns what its own body does; a ref local or a goto writes the count unseen.
        }

        var returns = operations.OfType<IReturnOperation>().Where(r => r.FindOwner() == body).ToList();
        foreach (var parameter in method.Parameters.Where(p => p.RefKind == RefKind.Out && p.Type is IArrayTypeSymbol { Rank: 1 }))
        {
            if (MadeSize(parameter, operations) is { } made && returns.Count > 0
                && returns.All(r => r.ReturnedValue?.WalkDownConversions() is { } value
                    && (value.ConstantValue is { HasValue: true, Value: { } constant } && Evaluator.TryGetInteger(constant, out var number) && number <= 0
                        || value is ILocalReferenceOperation returned && SymbolEqualityComparer.Default.Equals(returned.Local, made.Size)))
                && WrittenOnlyBefore(made.Size, made.Creation, operations))
            {
                return parameter.Ordinal;
            }
        }

        return null;
    }

    /// <summary>The one array creation the out parameter can be given, with the local it is sized by; null when there is none or more.</summary>
    private static (IArrayCreationOperation Creation, ILocalSymbol Size)? MadeSize(IParameterSymbol parameter, List<IOperation> operations)
    {
        var values = new List<IOperation?>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IParameterReferenceOperation target } store when SymbolEqualityComparer.Default.Equals(target.Parameter, parameter):
                    var value = store.Value.WalkDownConversions();
                    values.AddRange(value is ILocalReferenceOperation local ? StoresOf(local.Local, operations) : new List<IOperation?> { value });
                    break;
                case IParameterReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)
                    && reference.Parent is not ISimpleAssignmentOperation:
                    if (reference.Parent is IArgumentOperation or ICompoundAssignmentOperation or ICoalesceAssignmentOperation
                        || reference.Parent is ITupleOperation tuple && IsDeconstructed(tuple))
                    {
                        return null; // Passed on by reference, or given a value some other way.
                    }

                    break;
            }
        }

        IArrayCreationOperation? made = null;
        foreach (var value in values)
        {
            switch (value?.WalkDownConversions())
            {
                case { ConstantValue: { HasValue: true, Value: null } }:
                    continue;
                case IArrayCreationOperation { DimensionSizes.Length: 1 } creation when made is null || creation == made:
                    made = creation;
                    continue;
                default:
                    return null;
            }
        }

        var sized = made?.DimensionSizes[0];
        while (sized is IConversionOperation { Conversion.IsImplicit: true } widening)
        {
            sized = widening.Operand; // (byte)count is another number; an implicit widening is the same one.
        }

        return sized is ILocalReferenceOperation { Local: var size } ? (made!, size) : null;
    }

    /// <summary>Whether every write of the local comes before the operation in the text, and the operation is in no loop.</summary>
    private static bool WrittenOnlyBefore(ILocalSymbol local, IOperation operation, List<IOperation> operations)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation)
            {
                return false;
            }
        }

        // A lambda or local function that uses the local may run after the array is made, whatever its place in the text.
        if (operations.OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, local)
            && InFunction(r)))
        {
            return false;
        }

        var start = operation.Syntax.SpanStart;
        return operations.OfType<ILocalReferenceOperation>()
            .Where(r => SymbolEqualityComparer.Default.Equals(r.Local, local) && IsWrite(r))
            .All(r => r.Syntax.SpanStart < start)
            && operations.OfType<IVariableDeclaratorOperation>().Where(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local)).All(d => d.Syntax.SpanStart < start);
    }

    private static bool InFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWrite(ILocalReferenceOperation reference) => reference.IsDeclaration || reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference,
        IIncrementOrDecrementOperation => true,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        ITupleOperation tuple => IsDeconstructed(tuple),
        _ => false,
    };
}
