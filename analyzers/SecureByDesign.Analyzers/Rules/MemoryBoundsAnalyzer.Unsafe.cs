using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD2005: an untrusted offset that moves a pointer or a reference where nothing checks bounds. When the buffer the
/// pointer or reference starts at is in sight (a <c>fixed</c> statement, <c>MemoryMarshal.GetReference</c>,
/// <c>ref buffer[0]</c>), the offset must be below that buffer's length, with room for the whole read; otherwise
/// below the length of some buffer.
/// </summary>
public sealed partial class MemoryBoundsAnalyzer
{
    /// <summary><c>p + offset</c>, <c>offset + p</c>, <c>p - offset</c>.</summary>
    private static void CheckPointerArithmetic(Action<Diagnostic> report, IBinaryOperation arithmetic, FlowState state, FlowContext flow)
    {
        var (pointer, offset) = arithmetic.LeftOperand.Type is IPointerTypeSymbol
            ? (arithmetic.LeftOperand, arithmetic.RightOperand)
            : (arithmetic.RightOperand, arithmetic.LeftOperand);
        // p - start: the distance between two pointers moves neither and reads nothing.
        if (offset.Type is IPointerTypeSymbol)
        {
            return;
        }

        var element = (pointer.Type as IPointerTypeSymbol)?.PointedAtType;
        var start = arithmetic.OperatorKind == BinaryOperatorKind.Add ? Start(pointer, element, flow) : null;
        if (start is not null && IsEndPointer(arithmetic, offset, start, state, flow))
        {
            return;
        }

        CheckOffset(report, offset, arithmetic, start, Pointers.Width(arithmetic, element, flow.Trust), state, flow);
    }

    /// <summary>
    /// <c>byte* end = start + data.Length</c>: a pointer one past the last element, kept or compared and not read
    /// through, is the end of a loop's walk; an offset at most the buffer's length makes one.
    /// </summary>
    private static bool IsEndPointer(IBinaryOperation arithmetic, IOperation offset, IOperation start, FlowState state, FlowContext flow)
    {
        var kept = arithmetic.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => OnlyCompared(declarator.Symbol, arithmetic.Syntax),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment => assignment.Value == arithmetic && OnlyCompared(local.Local, arithmetic.Syntax),
            IBinaryOperation comparison => IsComparison(comparison.OperatorKind),
            _ => false,
        };
        if (!kept || FlowKey.Of(start) is not { } key)
        {
            return false;
        }

        var fact = Evaluator.Eval(offset, state, flow);
        return fact.IsNonNegative && (fact.AtMostLength.Contains(key) || fact.BelowLength.Contains(key));
    }

    private static bool IsComparison(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    private static SyntaxNode Outside(SyntaxNode node)
    {
        while (node.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized;
        }

        return node;
    }

    /// <summary>The end pointer's local is only ever compared in its method (<c>p != end</c>), never read through, moved or passed on.</summary>
    private static bool OnlyCompared(ILocalSymbol local, SyntaxNode use)
    {
        var body = use.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax);
        return body is not null && body.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == local.Name).All(name =>
            Outside(name).Parent is BinaryExpressionSyntax comparison
            && comparison.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression or SyntaxKind.LessThanExpression
                or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression);
    }

    /// <summary><c>p[offset]</c> on a pointer: an operation with no interface of its own, the pointer and the index as children.</summary>
    private static void CheckPointerElement(Action<Diagnostic> report, IOperation access, FlowState state, FlowContext flow)
    {
        var children = access.ChildOperations.ToList();
        if (children.Count != 2 || children[0].Type is not IPointerTypeSymbol pointerType)
        {
            return;
        }

        CheckOffset(report, children[1], access, Start(children[0], pointerType.PointedAtType, flow), 1, state, flow);
    }

    /// <summary>Marshal.ReadInt32(p, ofs), Unsafe.Add(ref r, offset), MemoryMarshal.CreateSpan(ref r, length).</summary>
    private static void CheckUnsafeCall(Action<Diagnostic> report, IInvocationOperation invocation, FlowState state, FlowContext flow)
    {
        foreach (var unsafeOffset in flow.Trust.FindAll(invocation.TargetMethod, TrustRole.Index))
        {
            if (invocation.Arguments.Argument(unsafeOffset.Offset!) is not { } offset)
            {
                continue;
            }

            // Unsafe.Add(ref start, i) counts elements of T; Unsafe.AddByteOffset bytes, the same only for one-byte elements.
            var method = invocation.TargetMethod;
            var element = method.TypeArguments.FirstOrDefault();
            var moves = method.ContainingType?.Name == "Unsafe" && (method.Name == "Add" || (method.Name == "AddByteOffset" && Pointers.SizeOf(element) == 1));
            var start = moves && invocation.Arguments.Argument("source") is { } source ? Start(source.Value, element, flow) : null;
            CheckOffset(report, offset.Value, invocation, start, Pointers.Width(invocation, element, flow.Trust), state, flow);
        }

        CheckReinterpret(report, invocation, state, flow);
    }

    /// <summary>
    /// <c>Unsafe.ReadUnaligned&lt;int&gt;(ref buffer[offset])</c>: the element access is checked (SBD2001), the three bytes
    /// after it are not, so the offset needs room for the whole read.
    /// </summary>
    private static void CheckReinterpret(Action<Diagnostic> report, IInvocationOperation invocation, FlowState state, FlowContext flow)
    {
        if (flow.Trust.Find(invocation.TargetMethod, TrustRole.Reinterpret) is not { } entry
            || TrustEntry.Argument(invocation, entry.Data) is not { } data)
        {
            return;
        }

        var (buffer, index) = data.WalkDownConversions() switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } span, Arguments.Length: 1 } indexer => (span, indexer.Arguments[0].Value),
            _ => ((IOperation?)null, (IOperation?)null),
        };
        if (buffer is null || index is null || FlowKey.Of(buffer) is null || Pointers.ElementOf(buffer.Type) is not { } elementType)
        {
            return;
        }

        var width = Pointers.Width(data.WalkDownConversions(), elementType, flow.Trust);
        if (width > 1)
        {
            CheckOffset(report, index, invocation, buffer.WalkDownConversions(), width, state, flow);
        }
    }

    /// <summary>The buffer a pointer or reference starts at, when its elements are the ones the offset counts.</summary>
    private static IOperation? Start(IOperation address, ITypeSymbol? element, FlowContext flow) =>
        Pointers.BufferOf(address, flow) is var (buffer, bufferElement) && Pointers.SizeOf(bufferElement) is { } size && size == Pointers.SizeOf(element)
            ? buffer
            : null;

    /// <summary>
    /// An offset into memory nothing checks. With the buffer in sight: proven when it is non-negative and leaves room for
    /// <paramref name="width"/> elements of that buffer. Without: when it is non-negative and below the length of a buffer.
    /// </summary>
    private static void CheckOffset(Action<Diagnostic> report, IOperation offset, IOperation use, IOperation? buffer, int width, FlowState state, FlowContext flow)
    {
        var fact = Evaluator.Eval(offset, state, flow);
        // A counter the content drives (top++ in a loop over codes from the content) is as untrusted as the loop.
        if (!fact.Untrusted && !offset.ConstantValue.HasValue)
        {
            fact = LoopCounters.ContentDriven(offset, buffer is null ? null : FlowKey.Of(buffer), fact, state, flow) ?? fact;
        }

        if (!fact.Untrusted || offset.ConstantValue.HasValue)
        {
            return;
        }

        var key = buffer is null ? null : FlowKey.Of(buffer);
        var room = key is null ? 0 : fact.RoomIn(key);
        var size = buffer is null ? null : Evaluator.Eval(buffer, state, flow).ConstantLength;
        var fitsConstant = fact.Upper is { } high && size is { } known && high + width <= known;
        var inside = buffer is null ? fact.BelowLength.Count > 0 : room >= width || fitsConstant;
        if (fact.IsNonNegative && inside)
        {
            return;
        }

        var why = (buffer, key, size) switch
        {
            (null, _, _) => "with no check that it stays inside the buffer",
            (_, null, { } elements) when !inside => $"which can be past the {elements} elements of '{buffer.Describe()}'",
            (_, null, _) => inside ? "with no check that it is not negative" : "with no check that it stays inside the buffer",
            _ => Why(offset, buffer, key, width, room, inside, fact),
        };
        var properties = ImmutableDictionary<string, string?>.Empty.Add(OffsetKey, offset.Syntax.ToString());
        if (key is not null)
        {
            // For the fixer: the buffer in sight, and the elements the read needs.
            properties = properties.Add(BufferKey, buffer!.Syntax.ToString()).Add(SizeKey, width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        report(Diagnostic.Create(Descriptors.UnsafeOffset, use.Syntax.GetLocation(), properties, offset.Describe(), fact.Origin, use.Describe(), why));
    }

    private static string Why(IOperation offset, IOperation buffer, object key, int width, long room, bool inside, ValueFact fact)
    {
        var length = $"'{buffer.Describe()}.{LengthName(buffer.Type)}'";
        var needs = $"'{offset.Describe()} + {width} <= {buffer.Describe()}.{LengthName(buffer.Type)}'";
        if (inside)
        {
            return "with no check that it is not negative";
        }

        if (room >= 1)
        {
            return $"with a check that leaves room for {room} of the {width} elements it reads{(room == width - 1 ? " (one short)" : "")}; it needs {needs}";
        }

        if (fact.AtMostLength.Contains(key))
        {
            return width == 1
                ? $"with a check that lets it equal {length} (one short: use <, not <=)"
                : $"with a check that lets it equal {length}; the {width}-element read needs {needs}";
        }

        if (fact.BelowLength.Concat(fact.AtMostLength).Select(Bounded).FirstOrDefault(s => s is not null) is { } other)
        {
            return $"with a check against '{other.Name}.{LengthName(buffer.Type)}', not {length}";
        }

        return width == 1 ? $"with no check against {length}" : $"with no check that {needs}";
    }

    /// <summary>The buffer a bound is about, for naming a check against the wrong one.</summary>
    private static ISymbol? Bounded(object bound) => bound switch
    {
        FlowKey.Shortened shortened => FlowKey.Root(shortened.Buffer),
        FlowKey.Remainder or FlowKey.MemberKey => null,
        _ when bound == FlowKey.Capped => null,
        _ => FlowKey.Root(bound),
    };

    /// <summary>A pointer element access, <c>p[i]</c>: in syntax, since the operation has no interface.</summary>
    private static bool IsPointerElement(IOperation operation) =>
        operation.Kind == OperationKind.None && operation.Syntax is ElementAccessExpressionSyntax;
}
