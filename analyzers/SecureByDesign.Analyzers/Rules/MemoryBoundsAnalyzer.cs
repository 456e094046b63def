using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// Category 2 on the flow engine: untrusted indexes (SBD2001), ranges (SBD2002), allocation sizes (SBD2003), stackalloc
/// sizes (SBD2004), unsafe offsets (SBD2005) and bounds checks that overflow (SBD2008). The engine says what is known at each use; this file
/// only names the uses and the check each one needs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class MemoryBoundsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic properties for the fixer: the index and buffer as written, and the buffer's length member.</summary>
    public const string IndexKey = "Index";
    public const string BufferKey = "Buffer";
    public const string LengthKey = "Length";

    public const string OffsetKey = "Offset";
    public const string SizeKey = "Size";
    public const string UnsignedKey = "Unsigned";
    /// <summary>The limit a fix writes: the stackalloc cap, or the largest size or count that passes the rule (from max_allocation).</summary>
    public const string CapKey = "Cap";

    /// <summary>The cap a fix of SBD2003 or SBD2007 writes when max_allocation allows it: a MiB of elements.</summary>
    private const int DefaultFixCap = 1024 * 1024;
    public const string SourceKindKey = "SourceKind";
    public const string CountKey = "Count";

    // The stack of a thread, commonly: a trusted stackalloc size bounded above it is flagged whatever the check.
    private const int DefaultStackBytes = 1 << 20;

    // A struct of unknown size: large enough that only a constant stackalloc passes.
    private const int UnknownElementSize = 1 << 20;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.UncheckedIndex,
        Descriptors.UncheckedRange,
        Descriptors.UnboundedAllocation,
        Descriptors.UncappedStackalloc,
        Descriptors.UnsafeOffset,
        Descriptors.UnboundedRead,
        Descriptors.UncappedLoop,
        Descriptors.OverflowingBoundsCheck);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => FlowRules.Register(start, new FlowFamily(
            nameof(MemoryBoundsAnalyzer),
            needs: null,
            alsoInteresting: operation => operation.Syntax is StackAllocArrayCreationExpressionSyntax,
            report => (operation, state, flow) => Inspect(report, operation, state, flow))));
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
            case IObjectCreationOperation { Constructor: { } constructor } creation when flow.Trust.Find(constructor, TrustRole.Allocate) is { Size: not null }:
                // new List<T>(capacity), new string(c, count); not new MemoryStream(buffer, index, count), which allocates nothing.
                if (AllocationSize(creation, flow.Trust) is { } capacity)
                {
                    CheckSize(report, capacity, creation, state, flow);
                }

                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                CheckHelperSizes(report, creation, constructor, creation.Arguments, state, flow);
                CheckHelperRanges(report, creation, constructor, creation.Arguments, state, flow);
                CheckHelperIndexes(report, creation, constructor, creation.Arguments, state, flow);
                break;
            case IInvocationOperation invocation when AllocationSize(invocation, flow.Trust) is { } length:
                CheckSize(report, length, invocation, state, flow);
                break;
            case IInvocationOperation invocation:
                CheckHelperSizes(report, invocation, invocation.TargetMethod, invocation.Arguments, state, flow);
                CheckHelperRanges(report, invocation, invocation.TargetMethod, invocation.Arguments, state, flow);
                CheckHelperIndexes(report, invocation, invocation.TargetMethod, invocation.Arguments, state, flow);
                CheckRanges(report, invocation, state, flow);
                CheckUnsafeCall(report, invocation, state, flow);
                CheckWholeRead(report, invocation, state, flow);
                break;
            case IBinaryOperation comparison when IsRelational(comparison.OperatorKind):
                CheckSum(report, comparison, state, flow);
                CheckLoop(report, comparison, state, flow);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } comparison:
                CheckSentinelLoop(report, comparison, state, flow);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } arithmetic
                when arithmetic.LeftOperand.Type is IPointerTypeSymbol || arithmetic.RightOperand.Type is IPointerTypeSymbol:
                CheckPointerArithmetic(report, arithmetic, state, flow);
                break;
            case var access when IsPointerElement(access):
                CheckPointerElement(report, access, state, flow);
                break;
            default:
                if (operation.Syntax is StackAllocArrayCreationExpressionSyntax stackAllocation)
                {
                    CheckStackalloc(report, operation, stackAllocation, state, flow);
                }

                break;
        }
    }

    private static bool IsRelational(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    /// <summary>Indexed by position: strings, spans, lists, not dictionaries keyed by int.</summary>
    private static bool HasLength(ITypeSymbol? type)
    {
        if (type is null || type.AllInterfaces.Any(i => i.Name is "IDictionary" or "IReadOnlyDictionary") || type.Name is "IDictionary" or "IReadOnlyDictionary")
        {
            return false;
        }

        // By name: the members of a constructed type (List<int>, Span<byte>) are made anew for each question.
        return type.GetMembers("Length").Any(m => m is IPropertySymbol) || type.GetMembers("Count").Any(m => m is IPropertySymbol)
            || type.AllInterfaces.Any(i => i.Name is "IList" or "IReadOnlyList" or "ICollection" or "IReadOnlyCollection")
            || type.Name is "IList" or "IReadOnlyList";
    }

    private static string LengthName(ITypeSymbol? type) =>
        type is IArrayTypeSymbol || type?.GetMembers("Length").Length > 0 ? "Length" : "Count";

    /// <summary>The size of an element named by syntax (a stackalloc inside a conditional has no typed operation).</summary>
    private static int ElementSize(TypeSyntax type) => type is PredefinedTypeSyntax predefined
        ? predefined.Keyword.ValueText switch
        {
            "byte" or "sbyte" or "bool" => 1,
            "short" or "ushort" or "char" => 2,
            "int" or "uint" or "float" => 4,
            "long" or "ulong" or "double" => 8,
            "decimal" => 16,
            _ => UnknownElementSize,
        }
        : UnknownElementSize;

    private static int ElementSize(ITypeSymbol? type) => type is { IsReferenceType: true } ? 8 : type?.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
        SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
        SpecialType.System_Decimal => 16,
        _ => UnknownElementSize,
    };
}
