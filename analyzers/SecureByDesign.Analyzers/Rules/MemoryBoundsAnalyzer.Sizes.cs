using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>SBD2003, SBD2004, SBD2006, SBD2007, SBD2008: where an untrusted size or count decides how much memory or work.</summary>
public sealed partial class MemoryBoundsAnalyzer
{
    private static void CheckSize(Action<Diagnostic> report, IOperation size, IOperation allocation, FlowState state, FlowContext flow)
    {
        var fact = Evaluator.Eval(size, state, flow);
        // An array of structs the analyzer cannot size counts as 16 bytes an element; everything else by its size.
        var elementSize = allocation is IArrayCreationOperation { Type: IArrayTypeSymbol array } ? Math.Min(ElementSize(array.ElementType), 16) : 1;
        if (IsBoundedSize(size, fact, elementSize, flow)
            || (WithinMemory(fact) && allocation is IArrayCreationOperation { Type: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } }))
        {
            // Bytes no more than a buffer already in memory holds (n <= data.Length - position): the copy costs what reading it did.
            return;
        }

        // A count an earlier loop read an element of the input for, once per value: the input already paid for it.
        if (ConsumedCounts.Before(allocation, size, flow))
        {
            return;
        }

        // The fix's cap: one that passes this check (a MiB of elements unless max_allocation allows fewer).
        var cap = Math.Min(DefaultFixCap, flow.Options.MaxAllocation / elementSize);
        report(Diagnostic.Create(Descriptors.UnboundedAllocation, size.Syntax.GetLocation(), Size(size).Add(CapKey, Text(cap)), size.Describe(), fact.Origin, allocation.Describe()));
    }

    /// <summary>A size that passes SBD2003: trusted, constant, capped, bounded within max_allocation, or the length of what is in memory.</summary>
    private static bool IsBoundedSize(IOperation size, ValueFact fact, int elementSize, FlowContext flow) =>
        !fact.Untrusted
        || size.ConstantValue.HasValue
        || fact.AtMostLength.Contains(FlowKey.Capped)
        || (fact.Upper is { } upper && upper <= flow.Options.MaxAllocation / elementSize)
        || IsLengthOfInMemory(size);

    private static void CheckStackalloc(Action<Diagnostic> report, IOperation operation, StackAllocArrayCreationExpressionSyntax syntax, FlowState state, FlowContext flow)
    {
        // A conversion to ReadOnlySpan wraps the stackalloc with the same syntax: report the innermost only.
        if (operation.ChildOperations.Any(child => child.Syntax == syntax))
        {
            return;
        }

        if (syntax.Type is not ArrayTypeSyntax { RankSpecifiers.Count: 1 } arrayType
            || arrayType.RankSpecifiers[0].Sizes.Count != 1
            || arrayType.RankSpecifiers[0].Sizes[0] is not { } sizeSyntax
            || sizeSyntax is OmittedArraySizeExpressionSyntax
            || operation.DescendantsAndSelf().FirstOrDefault(o => o.Syntax == sizeSyntax) is not { } size
            || size.ConstantValue.HasValue)
        {
            return;
        }

        var elementSize = operation.Type switch
        {
            INamedTypeSymbol { TypeArguments.Length: 1 } span => ElementSize(span.TypeArguments[0]),
            IPointerTypeSymbol pointer => ElementSize(pointer.PointedAtType),
            _ => ElementSize(arrayType.ElementType),
        };
        var cap = flow.Options.MaxStackallocBytes;
        var fact = Evaluator.Eval(size, state, flow);
        if ((fact.Upper is { } upper && upper * elementSize <= cap) || GuardedByConditional(syntax, sizeSyntax) is { } guard && (guard * elementSize <= cap || !fact.Untrusted))
        {
            return;
        }

        // A size the code chose and bounded (checked against a constant before, or clamped to one): the bound is the
        // code's own decision, not the content's. It counts when it is below what the size's type allows (the type
        // alone is no check) and within a thread's default stack (a bound above it, or against a non-constant
        // maximum, proves nothing useful).
        if (!fact.Untrusted && fact.Upper is { } bounded && bounded * elementSize <= DefaultStackBytes
            && !(TaintSources.RangeOf(size.WalkDownConversions().Type).Upper is { } typeMost && bounded >= typeMost))
        {
            return;
        }

        // A size that is not the content's and that nothing bounds (a parameter, a collection's length) is the caller's
        // choice: flagged only when the project asks for it (secure_by_design.check_trusted_stackalloc_sizes).
        if (!fact.Untrusted && !flow.Options.CheckTrustedStackallocSizes)
        {
            return;
        }

        var origin = fact.Untrusted ? $" (from {fact.Origin})" : string.Empty;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(CapKey, Text(cap / elementSize));
        report(Diagnostic.Create(Descriptors.UncappedStackalloc, syntax.GetLocation(), properties, size.Describe(), origin, cap));
    }

    private static void CheckSum(Action<Diagnostic> report, IBinaryOperation comparison, FlowState state, FlowContext flow)
    {
        var (sum, other) = comparison.LeftOperand.WalkDownConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } left
            ? (left, comparison.RightOperand)
            : (comparison.RightOperand.WalkDownConversions() as IBinaryOperation, comparison.LeftOperand);
        if (sum is not { OperatorKind: BinaryOperatorKind.Add, IsChecked: false, Type.SpecialType: SpecialType.System_Int32 }
            || other.WalkDownConversions() is not IPropertyReferenceOperation { Property.Name: "Length" or "Count" })
        {
            return;
        }

        var a = Evaluator.Eval(sum.LeftOperand, state, flow);
        var b = Evaluator.Eval(sum.RightOperand, state, flow);
        var cannotWrap = a.Upper is { } x && b.Upper is { } y && x + y <= int.MaxValue && a.Lower is { } lx && b.Lower is { } ly && lx + ly >= int.MinValue;
        if (!(a.Untrusted || b.Untrusted) || cannotWrap)
        {
            return;
        }

        var untrusted = a.Untrusted && b.Untrusted
            ? $"'{sum.LeftOperand.Describe()}' and '{sum.RightOperand.Describe()}'"
            : $"'{(a.Untrusted ? sum.LeftOperand : sum.RightOperand).Describe()}'";
        report(Diagnostic.Create(
            Descriptors.OverflowingBoundsCheck,
            comparison.Syntax.GetLocation(),
            comparison.Describe(),
            untrusted,
            a.Untrusted ? a.Origin : b.Origin));
    }

    /// <summary>ReadToEnd, CopyTo(MemoryStream), HttpContent.ReadAs*Async and JsonDocument.Parse(stream) of an untrusted source.</summary>
    private static void CheckWholeRead(Action<Diagnostic> report, IInvocationOperation invocation, FlowState state, FlowContext flow)
    {
        var method = invocation.TargetMethod;
        if (flow.Trust.Find(method, TrustRole.ReadWhole) is not { } entry || TrustEntry.Argument(invocation, entry.Data) is not { } source)
        {
            return;
        }

        // A copy reads the whole stream into memory only into a MemoryStream; JsonDocument.Parse reads it only from a stream.
        var types = flow.Trust.Types;
        var destination = invocation.Arguments.FirstOrDefault()?.Value.WalkDownConversions();
        var intoMemory = destination?.Type.InheritsFromOrEquals(types.Get("System.IO.MemoryStream")) == true && !OverAnArray(destination, flow);
        if ((method.Name.StartsWith("CopyTo", StringComparison.Ordinal) && !intoMemory)
            || (entry.Data != TrustEntry.Receiver && !IsStream(source.WalkDownConversions().Type, types)))
        {
            return;
        }

        var fact = Evaluator.Eval(source, state, flow);
        if (!fact.Untrusted || IsLengthBounded(source, state, flow.Options.MaxAllocation))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(CapKey, Text(flow.Options.MaxAllocation))
            .Add(SizeKey, source.WalkDownConversions() is ILocalReferenceOperation or IParameterReferenceOperation ? source.Syntax.ToString() : null)
            .Add(SourceKindKey, entry.Type == "System.Net.Http.HttpContent" ? "HttpContent" : IsStream(source.Type, types) ? "Stream" : "Reader");
        report(Diagnostic.Create(Descriptors.UnboundedRead, invocation.Syntax.GetLocation(), properties, invocation.Describe(), $"'{source.Describe()}' (from {fact.Origin})"));
    }

    /// <summary>
    /// <c>new MemoryStream(buffer)</c>, directly or through a local nothing assigns again: a stream over an array the code
    /// made cannot grow, so a copy into it stops at the array's length (a write past it throws). Its size is the array's.
    /// </summary>
    private static bool OverAnArray(IOperation? destination, FlowContext flow) =>
        (destination as IObjectCreationOperation ?? Verification.Initial(destination, flow.Model) as IObjectCreationOperation) is { Arguments.Length: > 0 } creation
        && creation.Constructor?.ContainingType.Name == "MemoryStream"
        && creation.Arguments[0].Value.WalkDownConversions().Type is IArrayTypeSymbol;

    private static bool IsStream(ITypeSymbol? type, WellKnownTypes types) => type.InheritsFromOrEquals(types.Get("System.IO.Stream"));

    /// <summary>"if (stream.Length &gt; Max) throw" or "if (content.Headers.ContentLength is not &lt;= Max) throw" dominates the read.</summary>
    private static bool IsLengthBounded(IOperation source, FlowState state, long max)
    {
        if (FlowKey.Of(source) is not { } key)
        {
            return false;
        }

        return state.Facts.Any(entry => entry.Key is FlowKey.MemberKey { Field.Name: "Length" or "ContentLength" or "LongLength" } length
            && (FlowKey.Comparer.Equals(length.Owner, key) || length.Owner is FlowKey.MemberKey { Field.Name: "Headers" } headers && FlowKey.Comparer.Equals(headers.Owner, key))
            && entry.Value.Upper is { } upper && upper <= max);
    }

    /// <summary>
    /// <c>var start = reader.Position; while (reader.Position &lt; start + length)</c>: the loop walks from where it
    /// started to <c>length</c> past it, so <c>length</c> is its count, whatever the position is. The start is a local
    /// nothing assigns again, initialized with what the other side reads (as written); null for any other condition.
    /// </summary>
    private static IOperation? Distance(IBinaryOperation condition, IOperation side, IOperation other, FlowContext flow)
    {
        var upward = condition.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
            ? side == condition.RightOperand
            : condition.OperatorKind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual && side == condition.LeftOperand;
        if (!upward || side.WalkDownConversions() is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum)
        {
            return null;
        }

        foreach (var (start, length) in new[] { (sum.LeftOperand, sum.RightOperand), (sum.RightOperand, sum.LeftOperand) })
        {
            if (start.WalkDownConversions() is ILocalReferenceOperation && Verification.Initial(start, flow.Model) is { } initial
                && Microsoft.CodeAnalysis.CSharp.SyntaxFactory.AreEquivalent(initial.Syntax, other.WalkDownConversions().Syntax))
            {
                return length;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>bufferPtr + read - 16</c> of a <c>fixed</c> pointer: the address is the code's (a fixed pointer never moves), so
    /// the loop goes as far as the integer terms say, and the content moves it only through them. Null for any other value.
    /// </summary>
    private static ValueFact? PointerReach(IOperation side, FlowState state, FlowContext flow)
    {
        var value = side.WalkDownConversions();
        if (value.Type is not IPointerTypeSymbol)
        {
            return null;
        }

        if (value is ILocalReferenceOperation { Local.IsFixed: true })
        {
            return ValueFact.Range(0, 0);
        }

        if (value is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } step)
        {
            return null;
        }

        var (pointer, offset) = step.LeftOperand.Type is IPointerTypeSymbol ? (step.LeftOperand, step.RightOperand) : (step.RightOperand, step.LeftOperand);
        return offset.Type is IPointerTypeSymbol || (step.OperatorKind == BinaryOperatorKind.Subtract && pointer != step.LeftOperand)
            || PointerReach(pointer, state, flow) is not { } start
            ? null
            : Arithmetic.Binary(step.OperatorKind, start, Evaluator.Eval(offset, state, flow), offset.Type, isChecked: false);
    }

    /// <summary>A loop condition that compares with an untrusted count no check has capped, around allocation or I/O.</summary>
    private static void CheckLoop(Action<Diagnostic> report, IBinaryOperation condition, FlowState state, FlowContext flow)
    {
        if (WorkingLoop(condition) is not { } loop)
        {
            return;
        }

        var changed = AssignedIn(loop);
        foreach (var side in new[] { condition.LeftOperand, condition.RightOperand })
        {
            var other = side == condition.LeftOperand ? condition.RightOperand : condition.LeftOperand;
            if (side.WalkDownConversions() is ILocalReferenceOperation local && changed.Contains(local.Local.Name) && !other.ConstantValue.HasValue
                || side.WalkDownConversions() is IAssignmentOperation)
            {
                continue; // An induction variable, or what the loop reads each time: the other side bounds the loop.
            }

            // A bare fixed pointer (q > p, q-- from p + count) is judged as before: the count is in the other side's start.
            var fact = (side.WalkDownConversions() is IBinaryOperation ? PointerReach(side, state, flow) : null)
                ?? Evaluator.Eval(Distance(condition, side, other, flow) ?? side, state, flow);
            if (fact.Untrusted && !side.ConstantValue.HasValue && !fact.AtMostLength.Contains(FlowKey.Capped) && !WithinMemory(fact) && (fact.Upper is null || fact.Upper > flow.Options.MaxAllocation)
                && !ConsumingLoops.Consumes(loop, side, flow) && !ConsumedCounts.Before(condition, side, flow)
                && !SizedCounts.Before(loop, side, flow, allocation => AllocationSize(allocation, flow.Trust)))
            {
                var counted = side.WalkDownConversions() is IIncrementOrDecrementOperation step ? step.Target : side;
                report(Diagnostic.Create(Descriptors.UncappedLoop, condition.Syntax.GetLocation(), Size(counted).Add(CapKey, Text(Math.Min(DefaultFixCap, flow.Options.MaxAllocation))), side.Describe(), fact.Origin));
                return;
            }
        }
    }

    /// <summary>At most the length of a string, array or collection already in memory: the loop costs what reading it did.</summary>
    private static bool WithinMemory(ValueFact fact) =>
        fact.BelowLength.Concat(fact.AtMostLength).Any(buffer => buffer is not (FlowKey.Remainder or FlowKey.Allocated) && buffer != FlowKey.Capped);

    /// <summary>The <c>for</c>, <c>while</c> or <c>do</c> loop whose whole condition this is, when it allocates or does I/O; null otherwise.</summary>
    private static SyntaxNode? WorkingLoop(IBinaryOperation condition)
    {
        var loop = condition.Syntax.Parent switch
        {
            ForStatementSyntax f when f.Condition == condition.Syntax => (SyntaxNode)f,
            WhileStatementSyntax w when w.Condition == condition.Syntax => w,
            DoStatementSyntax d when d.Condition == condition.Syntax => d,
            _ => null,
        };
        return loop is not null && AllocatesOrDoesIo(loop) ? loop : null;
    }

    private static bool AllocatesOrDoesIo(SyntaxNode loop) =>
        loop.DescendantNodes().Any(node => node switch
        {
            ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax => true,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => TrustCatalog.IsLoopWork(access.Name.Identifier.ValueText),
            _ => false,
        });

    private static HashSet<string> AssignedIn(SyntaxNode loop)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in loop.DescendantNodes())
        {
            var target = node switch
            {
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                PrefixUnaryExpressionSyntax prefix when prefix.OperatorToken.ValueText is "++" or "--" => prefix.Operand,
                AssignmentExpressionSyntax assignment => assignment.Left,
                _ => null,
            };
            if (target is IdentifierNameSyntax identifier)
            {
                names.Add(identifier.Identifier.ValueText);
            }
        }

        return names;
    }

    /// <summary>
    /// <c>n &lt;= 256 ? stackalloc T[n] : new T[n]</c>: the bound the conditional puts on the stackalloc branch. Read from
    /// syntax, because the compiler gives no operations for a stackalloc inside a conditional.
    /// </summary>
    private static long? GuardedByConditional(SyntaxNode stackAllocation, ExpressionSyntax size)
    {
        var node = stackAllocation;
        while (node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        if (node.Parent is not ConditionalExpressionSyntax conditional
            || conditional.Condition is not BinaryExpressionSyntax { Right: LiteralExpressionSyntax { Token.Value: int limit } } test
            || !SyntaxFactory.AreEquivalent(test.Left, size))
        {
            return null;
        }

        var onTrue = conditional.WhenTrue == node;
        return (test.Kind(), onTrue) switch
        {
            (SyntaxKind.LessThanOrEqualExpression, true) or (SyntaxKind.GreaterThanExpression, false) => limit,
            (SyntaxKind.LessThanExpression, true) or (SyntaxKind.GreaterThanOrEqualExpression, false) => limit - 1,
            _ => null,
        };
    }

    /// <summary>
    /// <c>data.Length</c> of an array, string, span or memory, a sum of such lengths and constants not negative
    /// (<c>a.Length + b.Length</c>, <c>data.Length + 4</c>), or such a size divided by a positive constant
    /// (<c>hex.Length / 2</c>, <c>(n.Length + 1) &gt;&gt; 1</c>): no more than is already in memory, plus a constant.
    /// </summary>
    private static bool IsLengthOfInMemory(IOperation size) => size.WalkDownConversions() switch
    {
        IPropertyReferenceOperation length => Transfer.IsLengthOfInMemory(length) || IsCountOfCollection(length),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_Int32 } sum =>
            (IsLengthOfInMemory(sum.LeftOperand) && (IsLengthOfInMemory(sum.RightOperand) || IsHeaderConstant(sum.RightOperand)))
            || (IsHeaderConstant(sum.LeftOperand) && IsLengthOfInMemory(sum.RightOperand)),
        // points.Count / dimension, whatever the dimension: no larger than the count (or negative, and the allocation throws).
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide, Type.SpecialType: SpecialType.System_Int32 } part => IsLengthOfInMemory(part.LeftOperand),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.RightShift, Type.SpecialType: SpecialType.System_Int32 } part =>
            IsLengthOfInMemory(part.LeftOperand) && part.RightOperand.ConstantValue is { HasValue: true, Value: int by } && by is >= 0 and < 32,
        // points.Count / dimension * dimension: the count less its remainder.
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply, Type.SpecialType: SpecialType.System_Int32, LeftOperand: var whole, RightOperand: var by }
            when whole.WalkDownConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } quotient
            && Microsoft.CodeAnalysis.CSharp.SyntaxFactory.AreEquivalent(quotient.RightOperand.Syntax, by.Syntax) && IsPlainValue(by) => IsLengthOfInMemory(quotient),
        _ => false,
    };

    /// <summary><c>points.Count</c> of a framework list, set, queue or stack: elements already held.</summary>
    private static bool IsCountOfCollection(IPropertyReferenceOperation count) =>
        count is { Property: { Name: "Count", ContainingType: { } owner } }
        && owner.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
        && owner.Name is "List" or "HashSet" or "Queue" or "Stack" or "LinkedList" or "SortedSet"
        && !owner.Locations.Any(l => l.IsInSource);

    /// <summary>A local, parameter or field read: the same value where it is written twice in one expression.</summary>
    private static bool IsPlainValue(IOperation operation) =>
        operation.WalkDownConversions() is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation { Field.IsReadOnly: true } or IFieldReferenceOperation { Field.IsConst: true }
        || operation.ConstantValue.HasValue;

    private static bool IsHeaderConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: int value } && value is >= 0 and <= 4096;

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ImmutableDictionary<string, string?> Size(IOperation size) => ImmutableDictionary<string, string?>.Empty
        .Add(SizeKey, size.Syntax.ToString())
        .Add(UnsignedKey, size.Type?.SpecialType == SpecialType.System_Int64 ? "ulong" : "uint");
}
