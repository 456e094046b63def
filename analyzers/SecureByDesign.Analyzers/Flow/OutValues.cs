using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The range a number out parameter of one of the compilation's methods holds when the method returns normally.
/// <c>ReadTerminated(data, 0, out var end)</c>, whose body sets <c>end = data.Find(0, start)</c> and throws when
/// <c>end &lt; 0</c>, leaves <c>end &gt;= 0</c> in the caller. Only the bounds carry over: how untrusted the value is
/// stays what the call site makes it (as untrusted as what the call is given), and a relation to the callee's own
/// buffers does not reach the caller. The method is read once per compilation, alone (the calls it makes leave nothing
/// in turn), so the range does not depend on the order methods are analysed in.
/// </summary>
internal static class OutValues
{
    private static readonly ConditionalWeakTable<MethodSummaries, ConcurrentDictionary<IMethodSymbol, ImmutableArray<(int Ordinal, long? Lower, long? Upper)>>> Cache = new();

    /// <summary>The state after a call: each number out argument within the range the method leaves in its parameter.</summary>
    public static FlowState After(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        foreach (var (ordinal, lower, upper) in Of(invocation, context))
        {
            if (invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal) is { } argument && FlowKey.Of(argument.Value) is { } key)
            {
                var known = state[key] ?? Evaluator.Typed(ValueFact.Unknown, argument.Parameter!.Type);
                known = lower is { } l ? known.WithLower(l) : known;
                state = state.Refine(key, upper is { } u ? known.WithUpper(u) : known);
            }
        }

        return state;
    }

    private static ImmutableArray<(int, long?, long?)> Of(IInvocationOperation invocation, FlowContext context) =>
        context.WithoutFieldEffects
        || !HasNumberOut(invocation.TargetMethod)
        || invocation.TargetMethod.OriginalDefinition is not { IsAbstract: false, IsVirtual: false, IsOverride: false, MethodKind: MethodKind.Ordinary } method
        || method.DeclaringSyntaxReferences.IsEmpty
            ? ImmutableArray<(int, long?, long?)>.Empty
            : Cache.GetValue(context.Summaries, _ => new(SymbolEqualityComparer.Default))
                .GetOrAdd(method, m => Compute(m, context.Summaries, context.CancellationToken));

    private static ImmutableArray<(int, long?, long?)> Compute(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var outs = method.Parameters.Where(p => p.RefKind == RefKind.Out && IsNumber(p.Type)).ToList();
        if (outs.Count == 0 || summaries.Body(method, cancellationToken) is not IMethodBodyOperation body || !Tests(body, outs))
        {
            return ImmutableArray<(int, long?, long?)>.Empty;
        }

        if (FieldEffects.ExitAlone(method, body, summaries, cancellationToken) is not { } exit)
        {
            return ImmutableArray<(int, long?, long?)>.Empty;
        }

        var found = ImmutableArray.CreateBuilder<(int, long?, long?)>();
        foreach (var parameter in outs)
        {
            var (typeLower, typeUpper) = TaintSources.RangeOf(parameter.Type);
            if (exit[parameter] is { } fact && (fact.Lower > typeLower || fact.Upper < typeUpper))
            {
                found.Add((parameter.Ordinal, fact.Lower > typeLower ? fact.Lower : null, fact.Upper < typeUpper ? fact.Upper : null));
            }
        }

        return found.ToImmutable();
    }

    /// <summary>
    /// Whether the body compares one of the out parameters (<c>if (end &lt; 0) throw ...</c>), or gives it a
    /// minimum, maximum or mask: a body that only assigns them leaves no range worth a solve.
    /// </summary>
    private static bool Tests(IOperation body, List<IParameterSymbol> outs)
    {
        bool IsOut(IOperation? operand) =>
            operand?.WalkDownConversions() is IParameterReferenceOperation { Parameter: var parameter } && outs.Contains(parameter, SymbolEqualityComparer.Default);
        return body.Descendants().Any(o => o switch
        {
            IBinaryOperation binary => IsOut(binary.LeftOperand) || IsOut(binary.RightOperand),
            IIsPatternOperation pattern => IsOut(pattern.Value),
            ISimpleAssignmentOperation { Value: IInvocationOperation { TargetMethod.ContainingType.Name: "Math" } } assignment => IsOut(assignment.Target),
            _ => false,
        });
    }

    /// <summary>Whether the method has a number out parameter; the question every call the engine transfers asks, so without allocating.</summary>
    private static bool HasNumberOut(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.Out && IsNumber(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNumber(ITypeSymbol type) => TaintSources.RangeOf(type) is ({ }, _) && type.SpecialType != SpecialType.System_Boolean;
}
