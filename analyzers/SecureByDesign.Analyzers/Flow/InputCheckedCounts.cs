using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>int count = ReadHeader(); ThrowUnless(this.reader.Remaining &gt;= count); return count;</c>: a reader method of the
/// compilation that, before it returns the count it read, checks it against what is left of its own input (a member
/// named <c>Remaining</c> or <c>BytesRemaining</c> reached from <c>this</c>, the count possibly scaled by a
/// 64-bit product with a constant), and throws otherwise: the local is stored once, and checked by a statement of the
/// method's own block before any return. The count is then at most the bytes the input still holds: an array or loop of that
/// many elements costs what the input did, times the size of one element, as after a loop that read each one
/// (<see cref="ConsumedCounts"/>). The check is an <c>if</c> that throws, or a call of a method of the compilation that
/// throws unless its one <c>bool</c> parameter is true. Cached per compilation.
/// </summary>
internal static class InputCheckedCounts
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, bool>> Checked = new();

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, bool>> Throwers = new();

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, int?>> Capping = new();

    /// <summary>True when every value the method returns is one local, checked against the input left before it returns.</summary>
    public static bool Returns(IMethodSymbol method, FlowContext context) =>
        context.Compilation is { } compilation && method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32
        && Checked.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m => Of(m, context));

    /// <summary>
    /// <c>int ReadNumField(BinaryReader reader, int reasonable = int.MaxValue) { int num = reader.ReadInt32(); if (num &lt; 0
    /// || num &gt; reasonable) throw ...; return num; }</c>: the ordinal of the parameter every returned count is checked
    /// against, as above, when nothing assigns it; null for any other method. A call that gives it a trusted argument
    /// gets a count capped by it, as by a check at the call.
    /// </summary>
    public static int? CappedParameter(IMethodSymbol method, FlowContext context) =>
        context.Compilation is { } compilation && method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32
            ? Capping.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m => ParameterOf(m, context))
            : null;

    private static bool Of(IMethodSymbol method, FlowContext context) =>
        !method.IsStatic && CheckedBefore(method, context, (comparison, count) => Guards(comparison, count, IsInputLeft, context));

    private static int? ParameterOf(IMethodSymbol method, FlowContext context)
    {
        IParameterSymbol? capping = null;
        bool IsCap(IOperation operation)
        {
            if (operation.WalkDownConversions() is not IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter }
                || (capping is not null && !SymbolEqualityComparer.Default.Equals(capping, parameter)))
            {
                return false;
            }

            capping = parameter;
            return true;
        }

        if (!CheckedBefore(method, context, (comparison, count) => Guards(comparison, count, IsCap, context)) || capping is null
            || context.Summaries.Body(method, context.CancellationToken) is not { } body
            || MethodSummaries.Assigned(capping, body.Descendants().ToList()))
        {
            return null;
        }

        return capping.Ordinal;
    }

    /// <summary>Whether every return hands back one local, stored once, that a comparison checks in a statement of the method's own block before any return.</summary>
    private static bool CheckedBefore(IMethodSymbol method, FlowContext context, Func<IBinaryOperation, ILocalSymbol, bool> guards)
    {
        // An override returns what its own body does; a ref local or a deconstruction writes the count unseen.
        if (!MethodSummaries.IsFinal(method) || context.Summaries.Body(method, context.CancellationToken) is not IMethodBodyOperation { BlockBody: { } block } body
            || body.Descendants().Any(o => o is IDeconstructionAssignmentOperation or IVariableDeclaratorOperation { Symbol.RefKind: not RefKind.None }))
        {
            return false;
        }

        // Every return hands back one local, unconverted but for an implicit widening or a cast to its own type.
        ILocalSymbol? returned = null;
        var exits = body.Descendants().OfType<IReturnOperation>().Where(r => r.FindOwner() == body).ToList();
        foreach (var exit in exits)
        {
            var value = exit.ReturnedValue is IConversionOperation { Operand: var operand } conversion && (conversion.IsImplicit || conversion.Conversion.IsIdentity)
                ? operand
                : exit.ReturnedValue;
            if (value is not ILocalReferenceOperation local || (returned is not null && !SymbolEqualityComparer.Default.Equals(returned, local.Local)))
            {
                return false;
            }

            returned = local.Local;
        }

        // Stored once, then checked by a statement of the method's own block that runs before any return.
        if (returned is null || Store(returned, body) is not { } store)
        {
            return false;
        }

        return body.Descendants().OfType<IBinaryOperation>().Any(c => guards(c, returned)
            && StatementOf(c) is { } statement && statement.Parent == block
            && statement.Syntax.SpanStart >= store.Syntax.Span.End
            && exits.All(e => e.Syntax.SpanStart >= statement.Syntax.Span.End));
    }

    /// <summary>The one store of the local: its initializer, an assignment or an out argument; null for none or more.</summary>
    private static IOperation? Store(ILocalSymbol local, IOperation body)
    {
        var stores = body.Descendants().Where(o => o switch
        {
            IVariableDeclaratorOperation { Initializer: not null } declarator => SymbolEqualityComparer.Default.Equals(declarator.Symbol, local),
            IAssignmentOperation { Target: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, local),
            IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, local),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed } => SymbolEqualityComparer.Default.Equals(passed.Local, local),
            IArgumentOperation { Parameter.RefKind: RefKind.Out, Value: IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } } => SymbolEqualityComparer.Default.Equals(declared.Local, local),
            _ => false,
        }).Take(2).ToList();
        return stores.Count == 1 ? stores[0] : null;
    }

    private static IOperation? StatementOf(IOperation operation)
    {
        while (operation.Parent is { } parent and not IBlockOperation)
        {
            operation = parent;
        }

        return operation.Parent is IBlockOperation ? operation : null;
    }

    /// <summary>A comparison of the count with the input left that the code goes past only when the count is at most it.</summary>
    private static bool Guards(IBinaryOperation comparison, ILocalSymbol count, Func<IOperation, bool> isBound, FlowContext context)
    {
        var countLeft = IsCount(comparison.LeftOperand, count) && isBound(comparison.RightOperand);
        var countRight = !countLeft && IsCount(comparison.RightOperand, count) && isBound(comparison.LeftOperand);
        if (!countLeft && !countRight)
        {
            return false;
        }

        // What must hold past the check: count <= left, written with the count on either side.
        var passesWhenTrue = comparison.OperatorKind switch
        {
            BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.LessThan => countLeft,
            BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.GreaterThan => countRight,
            _ => (bool?)null,
        };
        if (passesWhenTrue is null)
        {
            return false;
        }

        // if (count < 0 || count > left) throw ...: the throw runs when either side holds, so past it neither does.
        IOperation checkedAs = comparison.WalkUp();
        while (passesWhenTrue == false && checkedAs.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either)
        {
            checkedAs = either.WalkUp();
        }

        var parent = checkedAs.Parent is IParenthesizedOperation parenthesized ? parenthesized.Parent : checkedAs.Parent;
        return parent switch
        {
            // ThrowUnless(remaining >= count): the call throws when its argument is false.
            IArgumentOperation { Parent: IInvocationOperation call } when passesWhenTrue == true => ThrowsUnless(call.TargetMethod, context),
            // if (count > remaining) throw ...;
            IConditionalOperation { WhenFalse: null, WhenTrue: var exit } conditional when passesWhenTrue == false && conditional.Condition == checkedAs => Throws(exit, context),
            _ => false,
        };
    }

    private static IOperation WalkUp(this IOperation operation) => operation.Parent is IParenthesizedOperation parenthesized ? parenthesized : operation;

    /// <summary>The count, through conversions and a product with a positive constant (<c>(long)count * 2</c>).</summary>
    private static bool IsCount(IOperation operation, ILocalSymbol count)
    {
        var value = operation.WalkDownConversions();
        // (long)count * 2: a 64-bit product of a 32-bit count cannot wrap; an int product can.
        if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply, Type.SpecialType: SpecialType.System_Int64 or SpecialType.System_UInt64 } product)
        {
            var (other, constant) = product.RightOperand.ConstantValue.HasValue ? (product.LeftOperand, product.RightOperand) : (product.RightOperand, product.LeftOperand);
            value = constant.ConstantValue.Value is { } factor && Evaluator.TryGetInteger(factor, out var times) && times > 0 ? other.WalkDownConversions() : null;
        }

        return value is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, count)
            && (local.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32 || operation.WalkDownConversions() == local);
    }

    /// <summary><c>this.reader.Remaining</c>, <c>BytesRemaining</c>: what is left of the reader's own input.</summary>
    private static bool IsInputLeft(IOperation operation)
    {
        if (operation.WalkDownConversions() is not IMemberReferenceOperation { Member.Name: "Remaining" or "BytesRemaining" } member)
        {
            return false;
        }

        for (var instance = member.Instance; instance is not null; instance = (instance as IMemberReferenceOperation)?.Instance)
        {
            if (instance is IInstanceReferenceOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A method of the compilation with one <c>bool</c> parameter whose body throws when it is false.</summary>
    private static bool ThrowsUnless(IMethodSymbol method, FlowContext context) =>
        context.Compilation is { } compilation && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean
        && Throwers.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m =>
            !m.GetAttributes().Any(a => a.AttributeClass?.Name == "ConditionalAttribute")
            && context.Summaries.Body(m, context.CancellationToken) is IMethodBodyOperation { BlockBody: { } block }
            && block.Operations.OfType<IConditionalOperation>().Any(c => c.WhenFalse is null
                && c.Condition.WalkDownConversions() is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IParameterReferenceOperation }
                && Throws(c.WhenTrue, context)));

    /// <summary>A branch that ends in a throw, or in a call of a method that never returns.</summary>
    internal static bool Throws(IOperation branch, FlowContext context)
    {
        // A return, or a goto, break or continue that leaves the branch, skips the throw.
        if (branch.DescendantsAndSelf().Any(o => o is IReturnOperation or IBranchOperation { BranchKind: BranchKind.GoTo or BranchKind.Break or BranchKind.Continue }))
        {
            return false;
        }

        var last = branch is IBlockOperation block ? block.Operations.LastOrDefault() : branch;
        return last switch
        {
            IThrowOperation => true,
            IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IExpressionStatementOperation { Operation: IInvocationOperation call } => NeverReturning.Is(call.TargetMethod, context.Compilation),
            _ => false,
        };
    }
}
