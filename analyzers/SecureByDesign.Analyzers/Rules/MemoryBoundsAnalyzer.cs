using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// Category 2 on the flow engine: untrusted indexes (SBD2001), allocation sizes (SBD2003), stackalloc sizes
/// (SBD2004) and bounds checks that overflow (SBD2008). The engine says what is known at each use; this file
/// only names the uses and the check each one needs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MemoryBoundsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic properties for the fixer: the index and buffer as written, and the buffer's length member.</summary>
    public const string IndexKey = "Index";
    public const string BufferKey = "Buffer";
    public const string LengthKey = "Length";

    public const string OffsetKey = "Offset";
    public const string CountKey = "Count";

    // The slicing and copying APIs: declaring type, and (buffer, offset, length) parameter names; "" is the receiver.
    private static readonly ImmutableArray<(string Type, string Buffer, string Offset, string Length)> Ranges = ImmutableArray.Create(
        ("Span", "", "start", "length"),
        ("ReadOnlySpan", "", "start", "length"),
        ("Memory", "", "start", "length"),
        ("ReadOnlyMemory", "", "start", "length"),
        ("ArraySegment", "", "index", "count"),
        ("String", "", "startIndex", "length"),
        ("MemoryExtensions", "array", "start", "length"),
        ("MemoryExtensions", "text", "start", "length"),
        ("Encoding", "bytes", "index", "count"),
        ("Stream", "buffer", "offset", "count"),
        ("Array", "sourceArray", "sourceIndex", "length"),
        ("Array", "destinationArray", "destinationIndex", "length"),
        ("Buffer", "src", "srcOffset", "count"),
        ("Buffer", "dst", "dstOffset", "count"),
        ("Marshal", "source", "startIndex", "length"),
        ("Marshal", "destination", "startIndex", "length"));

    private static readonly ImmutableHashSet<string> CapacityTypes = ImmutableHashSet.Create("List", "StringBuilder", "HashSet", "Dictionary", "Queue", "Stack", "MemoryStream");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.UncheckedIndex, Descriptors.UncheckedRange, Descriptors.UnboundedAllocation, Descriptors.UncappedStackalloc, Descriptors.OverflowingBoundsCheck);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var tree = start.Compilation.SyntaxTrees.FirstOrDefault();
            var options = tree is null ? TrustOptions.Default : TrustOptions.For(start.Options, tree);
            var summaries = new MethodSummaries(start.Compilation, options);
            start.RegisterOperationBlockAction(block => FlowDriver.Analyze(
                block,
                summaries,
                operation => operation.Syntax is StackAllocArrayCreationExpressionSyntax,
                (operation, state, flow) => Inspect(block.ReportDiagnostic, operation, state, flow)));
        });
    }

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow)
    {
        switch (operation)
        {
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                CheckIndex(report, element.Indices[0], element.ArrayReference, element, state, flow);
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } indexer
                when indexer.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 && HasLength(instance.Type):
                CheckIndex(report, indexer.Arguments[0].Value, instance, indexer, state, flow);
                break;
            case IArrayCreationOperation { DimensionSizes.Length: 1 } creation:
                CheckSize(report, creation.DimensionSizes[0], creation, state, flow);
                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation when CapacityTypes.Contains(constructor.ContainingType.Name) || constructor.ContainingType.SpecialType == SpecialType.System_String:
                if (creation.Arguments.FirstOrDefault(a => a.Parameter?.Name is "capacity" or "count" && a.Value.Type?.SpecialType == SpecialType.System_Int32) is { } capacity)
                {
                    CheckSize(report, capacity.Value, creation, state, flow);
                }

                break;
            case IInvocationOperation invocation when IsAllocation(invocation.TargetMethod) && invocation.Arguments.FirstOrDefault(a => a.Value.Type?.SpecialType == SpecialType.System_Int32) is { } length:
                CheckSize(report, length.Value, invocation, state, flow);
                break;
            case IInvocationOperation invocation:
                CheckRanges(report, invocation, state, flow);
                break;
            case IBinaryOperation comparison when IsRelational(comparison.OperatorKind):
                CheckSum(report, comparison, state, flow);
                break;
            default:
                if (operation.Syntax is StackAllocArrayCreationExpressionSyntax stackAllocation)
                {
                    CheckStackalloc(report, operation, stackAllocation, state, flow);
                }

                break;
        }
    }

    private static void CheckIndex(Action<Diagnostic> report, IOperation index, IOperation bufferOperation, IOperation access, FlowState state, FlowContext flow)
    {
        var fact = Evaluator.Eval(index, state, flow);
        if (!fact.Untrusted || index.ConstantValue.HasValue)
        {
            return;
        }

        var buffer = FlowKey.Of(bufferOperation);
        var bufferFact = Evaluator.Eval(bufferOperation, state, flow);
        var belowBuffer = buffer is not null && fact.BelowLength.Contains(buffer);
        var belowConstant = fact.Upper is { } upper && bufferFact.ConstantLength is { } constantLength && upper < constantLength;
        if (fact.IsNonNegative && (belowBuffer || belowConstant))
        {
            return;
        }

        var length = LengthName(bufferOperation.Type);
        var bufferText = bufferOperation.Describe();
        string why;
        if (belowBuffer || belowConstant)
        {
            why = $"with no check that it is not negative (it is checked against '{bufferText}.{length}' only from above)";
        }
        else if (buffer is not null && fact.AtMostLength.Contains(buffer))
        {
            why = $"with a check that lets it equal '{bufferText}.{length}' (one short: use <, not <=)";
        }
        else if (fact.BelowLength.Count > 0 || fact.AtMostLength.Count > 0)
        {
            var other = fact.BelowLength.Concat(fact.AtMostLength).Select(FlowKey.Root).FirstOrDefault(s => s is not null)?.Name ?? "another buffer";
            why = $"with a check against '{other}.{length}', not '{bufferText}.{length}'";
        }
        else if (bufferFact.ConstantLength is { } known && fact.Upper is { } high)
        {
            why = $"which can be {high}, past the {known} elements of '{bufferText}'";
        }
        else
        {
            why = $"with no check against '{bufferText}.{length}'";
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(IndexKey, index.Syntax.ToString())
            .Add(BufferKey, bufferOperation.Syntax.ToString())
            .Add(LengthKey, length);
        report(Diagnostic.Create(Descriptors.UncheckedIndex, access.Syntax.GetLocation(), properties, index.Describe(), fact.Origin, access.Describe(), why));
    }

    private static void CheckRanges(Action<Diagnostic> report, IInvocationOperation invocation, FlowState state, FlowContext flow)
    {
        foreach (var (type, bufferName, offsetName, lengthName) in Ranges)
        {
            if (!DeclaredIn(invocation.TargetMethod, type))
            {
                continue;
            }

            var buffer = bufferName.Length == 0 ? invocation.Instance : invocation.Arguments.Argument(bufferName)?.Value;
            var offset = invocation.Arguments.Argument(offsetName)?.Value;
            var length = invocation.Arguments.Argument(lengthName)?.Value;
            if (buffer is null || offset is null || buffer.Type is IPointerTypeSymbol || buffer.Type?.SpecialType == SpecialType.System_IntPtr)
            {
                continue;
            }

            var offsetFact = Evaluator.Eval(offset, state, flow);
            var lengthFact = length is null ? null : Evaluator.Eval(length, state, flow);
            if (!offsetFact.Untrusted && lengthFact?.Untrusted != true)
            {
                continue;
            }

            var bufferKey = FlowKey.Of(buffer);
            var bufferFact = Evaluator.Eval(buffer, state, flow);
            if (Fits(offsetFact, lengthFact, offset, bufferKey, bufferFact))
            {
                continue;
            }

            var range = length is null ? offset.Describe() : $"{offset.Describe()}, {length.Describe()}";
            var origin = offsetFact.Untrusted ? offsetFact.Origin : lengthFact!.Origin;
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(BufferKey, buffer.Syntax.ToString())
                .Add(OffsetKey, offset.Syntax.ToString())
                .Add(CountKey, length?.Syntax.ToString())
                .Add(LengthKey, LengthName(buffer.Type));
            report(Diagnostic.Create(Descriptors.UncheckedRange, invocation.Syntax.GetLocation(), properties, range, origin, invocation.Describe(), $"{buffer.Describe()}.{LengthName(buffer.Type)}"));
        }
    }

    /// <summary>offset in [0, Length] and length in [0, Length - offset], from facts or constant sizes.</summary>
    private static bool Fits(ValueFact offset, ValueFact? length, IOperation offsetOperation, object? buffer, ValueFact bufferFact)
    {
        var constantLength = bufferFact.ConstantLength;
        var offsetFits = offset.IsNonNegative
            && ((buffer is not null && (offset.BelowLength.Contains(buffer) || offset.AtMostLength.Contains(buffer)))
                || (offset.Upper is { } high && constantLength is { } n && high <= n));
        if (!offsetFits || length is null)
        {
            return offsetFits;
        }

        var offsetKey = FlowKey.Of(offsetOperation);
        var isZero = offset.Lower == 0 && offset.Upper == 0;
        return length.IsNonNegative
            && ((buffer is not null && offsetKey is not null && length.AtMostLength.Contains(new FlowKey.Remainder(buffer, offsetKey)))
                || (isZero && buffer is not null && (length.BelowLength.Contains(buffer) || length.AtMostLength.Contains(buffer)))
                || (length.Upper is { } most && offset.Upper is { } start && constantLength is { } size && most + start <= size));
    }

    private static bool DeclaredIn(IMethodSymbol method, string typeName)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.Name == typeName)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckSize(Action<Diagnostic> report, IOperation size, IOperation allocation, FlowState state, FlowContext flow)
    {
        var fact = Evaluator.Eval(size, state, flow);
        if (!fact.Untrusted || size.ConstantValue.HasValue || fact.Upper is { } upper && upper <= flow.Options.MaxAllocation)
        {
            return;
        }

        report(Diagnostic.Create(Descriptors.UnboundedAllocation, size.Syntax.GetLocation(), size.Describe(), fact.Origin, allocation.Describe()));
    }

    private static void CheckStackalloc(Action<Diagnostic> report, IOperation operation, StackAllocArrayCreationExpressionSyntax syntax, FlowState state, FlowContext flow)
    {
        if (syntax.Type is not ArrayTypeSyntax { RankSpecifiers.Count: 1 } arrayType
            || arrayType.RankSpecifiers[0].Sizes.Count != 1
            || arrayType.RankSpecifiers[0].Sizes[0] is not { } sizeSyntax
            || sizeSyntax is OmittedArraySizeExpressionSyntax
            || operation.DescendantsAndSelf().FirstOrDefault(o => o.Syntax == sizeSyntax) is not { } size
            || size.ConstantValue.HasValue)
        {
            return;
        }

        var elementSize = ElementSize(operation.Type switch
        {
            INamedTypeSymbol { TypeArguments.Length: 1 } span => span.TypeArguments[0],
            IPointerTypeSymbol pointer => pointer.PointedAtType,
            _ => null,
        });
        var cap = flow.Options.MaxStackallocBytes;
        var fact = Evaluator.Eval(size, state, flow);
        if (fact.Upper is { } upper && upper * elementSize <= cap)
        {
            return;
        }

        var origin = fact.Untrusted ? $" (from {fact.Origin})" : string.Empty;
        report(Diagnostic.Create(Descriptors.UncappedStackalloc, syntax.GetLocation(), size.Describe(), origin, cap));
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

        report(Diagnostic.Create(
            Descriptors.OverflowingBoundsCheck,
            comparison.Syntax.GetLocation(),
            comparison.Describe(),
            sum.LeftOperand.Describe(),
            sum.RightOperand.Describe(),
            a.Untrusted ? a.Origin : b.Origin));
    }

    private static bool IsAllocation(IMethodSymbol method) => (method.ContainingType?.Name, method.Name) switch
    {
        ("ArrayPool", "Rent") => true,
        ("GC", "AllocateUninitializedArray" or "AllocateArray") => true,
        ("BinaryReader", "ReadBytes" or "ReadChars") => true,
        ("Array", "Resize") => true,
        _ => false,
    };

    private static bool IsRelational(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    private static bool HasLength(ITypeSymbol? type) =>
        type is not null && type.GetMembers().Any(m => m is IPropertySymbol { Name: "Length" or "Count" })
        || type?.AllInterfaces.Any(i => i.Name is "IList" or "IReadOnlyList") == true;

    private static string LengthName(ITypeSymbol? type) =>
        type is IArrayTypeSymbol || type?.GetMembers("Length").Length > 0 ? "Length" : "Count";

    private static int ElementSize(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
        SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
        SpecialType.System_Decimal => 16,
        _ => 16,
    };
}
