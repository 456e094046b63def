using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD2003 through a helper of the compilation: a method, constructor or extension that allocates with one of its
/// integer parameters as it was given (<c>new byte[count]</c>, <c>new List&lt;T&gt;(capacity)</c>, <c>ArrayPool.Rent(size)</c>),
/// itself or a few calls deeper, and compares it with nothing: the call is the allocation, reported at the argument.
/// Through an abstract, interface or virtual method (a pluggable allocator's <c>Allocate(length)</c>) when one of the
/// compilation's implementations allocates so; a size the helper multiplies (<c>width * height</c>) is reported with
/// each factor it was given.
/// </summary>
public sealed partial class MemoryBoundsAnalyzer
{
    private static readonly HelperSinks AllocationHelpers = new(
        DirectAllocation,
        parameter => IsIntegral(parameter.Type),
        (_, _, _) => false,
        BoundedInside,
        throughConstantArithmetic: true,
        throughImplementations: true,
        throughFactors: true);

    // Roles of a range: the buffer, the offset and the length; the buffer and one of the others are the helper's parameters.
    private static readonly HelperSinks RangeHelpers = new(
        DirectRange,
        parameter => IsIntegral(parameter.Type) || IsBuffer(parameter.Type),
        (_, _, _) => false,
        BoundedInside,
        throughConstantArithmetic: false,
        roles => roles.Length == 3 && roles[0] is { Parameter: not null } && (roles[1] is { Parameter: not null } || roles[2] is { Parameter: not null }));

    // Roles of an index: the buffer and the index, both the helper's parameters.
    private static readonly HelperSinks IndexHelpers = new(
        DirectIndex,
        parameter => IsIntegral(parameter.Type) || HasLength(parameter.Type),
        (_, _, _) => false,
        BoundedInside,
        throughConstantArithmetic: false);

    /// <summary>The size an allocation takes: an array's length, a catalogued constructor's capacity or method's count.</summary>
    private static IOperation? AllocationSize(IOperation operation, TrustModel trust) => operation switch
    {
        IArrayCreationOperation { DimensionSizes.Length: 1 } creation => creation.DimensionSizes[0],
        IObjectCreationOperation { Constructor: { } constructor } creation when trust.Find(constructor, TrustRole.Allocate) is { Size: { } sizeParameter } =>
            creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == sizeParameter && a.Value.Type?.SpecialType == SpecialType.System_Int32)?.Value,
        IInvocationOperation invocation when trust.Find(invocation.TargetMethod, TrustRole.Allocate) is not null =>
            invocation.Arguments.FirstOrDefault(a => a.Value.Type?.SpecialType == SpecialType.System_Int32)?.Value,
        _ => null,
    };

    private static HelperSinks.DirectSink? DirectAllocation(IOperation operation, TrustModel trust) =>
        AllocationSize(operation, trust) is { ConstantValue.HasValue: false } size
            ? new HelperSinks.DirectSink(size, operation, (operation as IInvocationOperation)?.TargetMethod)
            : null;

    /// <summary>A catalogued slice inside a helper: its buffer, offset and length (either may be absent).</summary>
    private static HelperSinks.DirectSink? DirectRange(IOperation operation, TrustModel trust)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        foreach (var slice in trust.FindAll(invocation.TargetMethod, TrustRole.Slice))
        {
            var buffer = TrustEntry.Argument(invocation, slice.Buffer);
            var offset = invocation.Arguments.Argument(slice.Offset!)?.Value;
            var length = invocation.Arguments.Argument(slice.Length!)?.Value;
            if (buffer is not null && (offset is not null || length is not null) && IsBuffer(buffer.WalkDownConversions().Type))
            {
                return new HelperSinks.DirectSink(ImmutableArray.Create(buffer, offset, length), invocation, invocation.TargetMethod);
            }
        }

        return null;
    }

    /// <summary>An element access inside a helper: the buffer and the index.</summary>
    private static HelperSinks.DirectSink? DirectIndex(IOperation operation, TrustModel trust) => operation switch
    {
        IArrayElementReferenceOperation { Indices.Length: 1 } element => new HelperSinks.DirectSink(ImmutableArray.Create<IOperation?>(element.ArrayReference, element.Indices[0]), element, null),
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } indexer
            when indexer.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 && HasLength(instance.Type) =>
            new HelperSinks.DirectSink(ImmutableArray.Create<IOperation?>(instance, indexer.Arguments[0].Value), indexer, null),
        _ => null,
    };

    private static bool IsBuffer(ITypeSymbol? type) =>
        type is IArrayTypeSymbol || type?.SpecialType == SpecialType.System_String || type?.Name is "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory";

    private static bool IsIntegral(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Int16 or SpecialType.System_UInt16;

    /// <summary>
    /// A bound on the parameter inside the helper: a comparison with anything but a small constant (<c>count &gt; Max</c>,
    /// <c>offset + count &gt; buffer.Length</c>; not <c>count &lt; 0</c>, not a loop's condition), an exact size
    /// (<c>length != 13</c>), a relational pattern,
    /// <c>Math.Min</c>/<c>Math.Clamp</c>, or <c>ThrowIfGreaterThan</c>.
    /// </summary>
    private static bool BoundedInside(IParameterSymbol parameter, IReadOnlyList<IOperation> operations) =>
        operations.Any(operation => operation switch
        {
            IBinaryOperation comparison when IsRelational(comparison.OperatorKind) && !IsLoopCondition(comparison) =>
                HelperSinks.Mentions(comparison.LeftOperand, parameter) && !IsSmallConstant(comparison.RightOperand)
                || HelperSinks.Mentions(comparison.RightOperand, parameter) && !IsSmallConstant(comparison.LeftOperand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } equality =>
                HelperSinks.Mentions(equality.LeftOperand, parameter) && IsConstantAbove1(equality.RightOperand)
                || HelperSinks.Mentions(equality.RightOperand, parameter) && IsConstantAbove1(equality.LeftOperand),
            IIsPatternOperation pattern => HelperSinks.Mentions(pattern.Value, parameter) && pattern.Pattern.DescendantsAndSelf().Any(p => p is IRelationalPatternOperation),
            IInvocationOperation { TargetMethod: { Name: "Min" or "Clamp", ContainingType.Name: "Math" } } clamp => clamp.Arguments.Any(a => HelperSinks.Mentions(a.Value, parameter)),
            IInvocationOperation throwIf when throwIf.TargetMethod.Name.StartsWith("ThrowIfGreaterThan", StringComparison.Ordinal) =>
                throwIf.Arguments.Any(a => HelperSinks.Mentions(a.Value, parameter)),
            _ => false,
        });

    /// <summary>An exact size (<c>if (length != 13) throw</c>): a constant other than 0 and 1, which only test for emptiness.</summary>
    private static bool IsConstantAbove1(IOperation operation) => operation.ConstantValue is { HasValue: true, Value: { } value } && Evaluator.TryGetInteger(value, out var n) && n > 1;

    private static bool IsSmallConstant(IOperation operation) => operation.ConstantValue is { HasValue: true, Value: { } value } && Evaluator.TryGetInteger(value, out var n) && n <= 1;

    private static bool IsLoopCondition(IOperation comparison) => comparison.Syntax.Parent switch
    {
        ForStatementSyntax loop => loop.Condition == comparison.Syntax,
        WhileStatementSyntax loop => loop.Condition == comparison.Syntax,
        DoStatementSyntax loop => loop.Condition == comparison.Syntax,
        _ => false,
    };

    /// <summary>A call of a helper that allocates with what it is given: each such argument needs the bound an allocation does.</summary>
    private static void CheckHelperSizes(Action<Diagnostic> report, IOperation call, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, FlowState state, FlowContext flow)
    {
        if (!AllocationHelpers.MayBeHelper(method.OriginalDefinition))
        {
            return;
        }

        foreach (var reach in AllocationHelpers.Find(method, flow.Summaries, flow.CancellationToken))
        {
            // Each role is a factor of the size: the argument it names, or a constant inside the helper.
            var factors = reach.Roles.Select(role => role?.Parameter is { } name ? arguments.Argument(name)?.Value : role?.Constant).ToList();
            if (factors.Count == 0 || factors.Any(f => f is null) || factors.All(f => f!.ConstantValue.HasValue))
            {
                continue;
            }

            var size = factors.First(f => !f!.ConstantValue.HasValue)!;
            var fact = factors.Select(f => Evaluator.Eval(f!, state, flow))
                .Aggregate((product, factor) => Arithmetic.Binary(BinaryOperatorKind.Multiply, product, factor, null, isChecked: false));
            var elementSize = reach.Sink is IArrayCreationOperation { Type: IArrayTypeSymbol array } ? Math.Min(ElementSize(array.ElementType), 16) : 1;
            if (factors.Count == 1 ? IsBoundedSize(size, fact, elementSize, flow) : !fact.Untrusted || (fact.Upper is { } upper && upper <= flow.Options.MaxAllocation / elementSize))
            {
                continue;
            }

            var cap = Math.Min(DefaultFixCap, flow.Options.MaxAllocation / elementSize);
            var through = $"{method.ShortName()}', which allocates '{reach.Sink.Describe()}";
            var locations = reach.Chain.Select(c => c.Syntax.GetLocation()).Append(reach.Sink.Syntax.GetLocation());
            var described = string.Join(" * ", factors.Select(f => f!.Describe()));
            var properties = factors.Count == 1 ? Size(size) : ImmutableDictionary<string, string?>.Empty;
            report(Diagnostic.Create(Descriptors.UnboundedAllocation, size.Syntax.GetLocation(), locations, properties.Add(CapKey, Text(cap)), described, fact.Origin, through));
        }
    }

    /// <summary>A call of a helper that slices a buffer it is given with an offset or length it is given: the call takes the range.</summary>
    private static void CheckHelperRanges(Action<Diagnostic> report, IOperation call, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, FlowState state, FlowContext flow)
    {
        if (!RangeHelpers.MayBeHelper(method.OriginalDefinition))
        {
            return;
        }

        foreach (var reach in RangeHelpers.Find(method, flow.Summaries, flow.CancellationToken))
        {
            IOperation? At(HelperSinks.Role? role) => role?.Parameter is { } name ? arguments.Argument(name)?.Value : role?.Constant;

            if (At(reach.Roles[0]) is not { } buffer || buffer.Type is IPointerTypeSymbol)
            {
                continue;
            }

            var locations = reach.Chain.Select(c => c.Syntax.GetLocation()).Append(reach.Sink.Syntax.GetLocation());
            CheckRange(report, call, buffer, At(reach.Roles[1]), At(reach.Roles[2]), $"{method.ShortName()}', which takes it with '{reach.Sink.Describe()}", locations, state, flow);
        }
    }

    /// <summary>A call of a helper that indexes a buffer it is given with an index it is given: the call takes the index.</summary>
    private static void CheckHelperIndexes(Action<Diagnostic> report, IOperation call, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, FlowState state, FlowContext flow)
    {
        if (!IndexHelpers.MayBeHelper(method.OriginalDefinition))
        {
            return;
        }

        foreach (var reach in IndexHelpers.Find(method, flow.Summaries, flow.CancellationToken))
        {
            if (arguments.Argument(reach.Roles[0]!.Parameter!)?.Value is { } buffer && arguments.Argument(reach.Roles[1]!.Parameter!)?.Value is { } index)
            {
                var locations = reach.Chain.Select(c => c.Syntax.GetLocation()).Append(reach.Sink.Syntax.GetLocation());
                CheckIndex(report, index, buffer, call, state, flow, $"{method.ShortName()}', which reads it with '{reach.Sink.Describe()}", locations);
            }
        }
    }
}
