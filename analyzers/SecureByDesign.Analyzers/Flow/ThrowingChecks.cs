using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>ThrowIfInvalidLength(length, max)</c> with <c>if (length &lt; 0 || length &gt; max) throw ...;</c>: a method of the
/// compilation that cannot be overridden whose block opens with <c>if</c>s that throw, each test comparisons of its
/// parameters with each other or with a constant, joined by <c>||</c>. After a call that returned, each comparison was
/// false of the arguments, as after the same <c>if</c> written at the call. A parameter compared is passed by value and
/// never assigned. When the method does anything after its checks, only arguments the call cannot change (locals,
/// parameters, constants) are refined. Cached per compilation.
/// </summary>
internal static class ThrowingChecks
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, Checks>> Cache = new();

    /// <summary>A comparison the callee throws on: <c>parameter (kind) other</c>, other a parameter or a constant.</summary>
    internal sealed record Test(int Parameter, BinaryOperatorKind Kind, int? Other, long Constant);

    /// <summary>The tests a method throws on, and whether it is nothing but them.</summary>
    internal sealed record Checks(ImmutableArray<Test> Tests, bool OnlyChecks);

    private static readonly Checks None = new(ImmutableArray<Test>.Empty, false);

    /// <summary>The comparisons a call of <paramref name="method"/> returns only when each is false.</summary>
    public static Checks Of(IMethodSymbol method, FlowContext context)
    {
        if (context.Compilation is not { } compilation || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction)
            || method.Parameters.IsEmpty || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly)
            || ((method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed))
        {
            return None;
        }

        return Cache.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m => Read(m, context));
    }

    private static Checks Read(IMethodSymbol method, FlowContext context)
    {
        // Most methods do not open with an if: the syntax says so before any binding.
        var opening = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) switch
        {
            BaseMethodDeclarationSyntax { Body.Statements: { Count: > 0 } statements } => statements[0],
            LocalFunctionStatementSyntax { Body.Statements: { Count: > 0 } statements } => statements[0],
            _ => null,
        };
        // An async method puts the exception in its task, an iterator throws at the first MoveNext: neither checks at the call.
        if (opening is not IfStatementSyntax { Else: null } guardSyntax || !MayThrow(guardSyntax.Statement) || method.IsAsync || IsIterator(method, context)
            || method.GetAttributes().Any(a => a.AttributeClass?.Name == "ConditionalAttribute")
            || context.Summaries.Body(method, context.CancellationToken) is not IMethodBodyOperation { BlockBody: { } block } body)
        {
            return None;
        }

        var tests = ImmutableArray.CreateBuilder<Test>();
        var checks = 0;
        foreach (var statement in block.Operations)
        {
            // The opening ifs that throw; the first other statement ends them.
            if (statement is not IConditionalOperation { WhenFalse: null } guard || !InputCheckedCounts.Throws(guard.WhenTrue, context))
            {
                break;
            }

            checks++;
            Disjuncts(guard.Condition, method, tests);
        }

        var assigned = body.Descendants().Select(Assigned).Where(p => p is not null).ToList();
        var kept = tests.Where(t => Stable(method.Parameters[t.Parameter], assigned) && (t.Other is not { } other || Stable(method.Parameters[other], assigned))).ToImmutableArray();
        return kept.IsEmpty ? None : new(kept, checks == block.Operations.Length);
    }

    /// <summary>The comparisons of <c>a || b || ...</c> that are a parameter against a parameter or a constant.</summary>
    private static void Disjuncts(IOperation condition, IMethodSymbol method, ImmutableArray<Test>.Builder tests)
    {
        switch (condition.WalkDownConversions())
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either:
                Disjuncts(either.LeftOperand, method, tests);
                Disjuncts(either.RightOperand, method, tests);
                break;
            case IBinaryOperation { IsLifted: false } comparison when IsComparison(comparison.OperatorKind):
                var (left, right) = (Side(comparison.LeftOperand, method), Side(comparison.RightOperand, method));
                if (left.Parameter is { } parameter && (right.Parameter is not null || right.Constant is not null))
                {
                    tests.Add(new(parameter, comparison.OperatorKind, right.Parameter, right.Constant ?? 0));
                }
                else if (right.Parameter is { } swapped && left.Constant is { } constant)
                {
                    tests.Add(new(swapped, Swap(comparison.OperatorKind), null, constant));
                }

                break;
        }
    }

    /// <summary>A parameter's ordinal (the method's own: not a primary constructor's), through implicit widening between integers only, or an integer constant.</summary>
    private static (int? Parameter, long? Constant) Side(IOperation operand, IMethodSymbol method)
    {
        if (operand.ConstantValue is { HasValue: true, Value: { } value } && Evaluator.TryGetInteger(value, out var constant))
        {
            return (null, constant);
        }

        var inner = operand;
        while (inner is IConversionOperation { IsImplicit: true, Conversion.IsNumeric: true } conversion && IsInteger(conversion.Type) && IsInteger(conversion.Operand.Type))
        {
            inner = conversion.Operand;
        }

        return inner is IParameterReferenceOperation { Parameter: { RefKind: RefKind.None or RefKind.In } parameter } && IsInteger(parameter.Type)
            && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method) && parameter.Ordinal < method.Parameters.Length
            ? (parameter.Ordinal, null)
            : (null, null);
    }

    private static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32
        or SpecialType.System_UInt64 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte;

    /// <summary>An if's statement that may end in a throw: a throw, a call (of a helper that never returns), or a block ending in either.</summary>
    private static bool MayThrow(StatementSyntax statement) => statement switch
    {
        ThrowStatementSyntax or ExpressionStatementSyntax { Expression: InvocationExpressionSyntax or ThrowExpressionSyntax } => true,
        BlockSyntax { Statements: { Count: > 0 } statements } => MayThrow(statements[statements.Count - 1]),
        _ => false,
    };

    private static bool IsIterator(IMethodSymbol method, FlowContext context) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken).DescendantNodes().Any(n => n is YieldStatementSyntax) == true;

    private static IParameterSymbol? Assigned(IOperation operation) => operation switch
    {
        IAssignmentOperation { Target: IParameterReferenceOperation target } => target.Parameter,
        IIncrementOrDecrementOperation { Target: IParameterReferenceOperation target } => target.Parameter,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } => passed.Parameter,
        _ => null,
    };

    private static bool Stable(IParameterSymbol parameter, List<IParameterSymbol?> assigned) =>
        !assigned.Any(a => SymbolEqualityComparer.Default.Equals(a, parameter));

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
        or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;

    private static BinaryOperatorKind Swap(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };
}
