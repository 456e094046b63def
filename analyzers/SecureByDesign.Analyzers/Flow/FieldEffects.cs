using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What a call of one of the type's own methods on <c>this</c> leaves in its fields. A decoder reads a header into a
/// field in one method (<c>this.descriptor = Descriptor.Parse(buffer)</c> after <c>stream.Read(buffer)</c>) and sizes a
/// buffer from it in the caller, right after the call (<c>ReadDescriptor(stream); new byte[descriptor.Width * ...]</c>).
/// After such a call each field that the method assigns, and that holds an untrusted value when it returns, holds that
/// value in the caller, with its range and caps. Fields of a struct the compilation declares (a header record) only:
/// a number field a fill helper leaves is most often a count of what a read stored (<c>end += stream.Read(...)</c>),
/// bounded by the buffer, which the caller no longer sees. The method is a non-virtual instance method of the compilation; it is read
/// once per compilation, alone (the calls it makes leave nothing in turn), so the effect does not depend on the order
/// methods are analysed in.
/// </summary>
internal static class FieldEffects
{
    /// <summary>What the trust model takes for a field a call leaves untrusted, for docs/trust-model.md.</summary>
    public static string Description { get; } =
        "A call of the type's own method on `this` leaves what it read in the fields it assigns: after `ReadDescriptor(stream)`,\n"
        + "a non-virtual method of the compilation that does `descriptor = Descriptor.Parse(buffer)` once `stream.Read(buffer)` filled\n"
        + "the buffer, `descriptor` (and `descriptor.Width`) is untrusted in the caller, with the range and caps it had when the method\n"
        + "returned: `field 'descriptor' (set from Stream.Read (line 25) in ReadDescriptor)`. Fields of a struct the compilation\n"
        + "declares (a header record) only: a number field such a method leaves is most often a count a read\n"
        + "stored. The method is read alone, once per compilation: what the calls it makes leave in fields does not carry further. A buffer filled through a view (`stream.Read(scratch.Span)`,\n"
        + "`stream.Read(array.AsSpan(0, 9))`) or through a helper of the compilation that hands the span or array it is given (or a\n"
        + "slice of it) to a read holds content as the buffer of the read does.\n";

    private static readonly ConditionalWeakTable<MethodSummaries, ConcurrentDictionary<IMethodSymbol, ImmutableArray<(IFieldSymbol Field, ValueFact Fact)>>> Cache = new();

    /// <summary>The state after a call: the untrusted values the method left in the fields of <c>this</c>.</summary>
    public static FlowState After(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        foreach (var (field, fact) in Of(invocation, context))
        {
            state = state.Assign(field, fact);
        }

        return state;
    }

    /// <summary>Whether the call leaves an untrusted value in a field of <c>this</c> (for the prefilter).</summary>
    public static bool LeavesUntrusted(IInvocationOperation invocation, FlowContext context) => !Of(invocation, context).IsEmpty;

    private static ImmutableArray<(IFieldSymbol Field, ValueFact Fact)> Of(IInvocationOperation invocation, FlowContext context) =>
        context.WithoutFieldEffects
        || invocation.Instance is not IInstanceReferenceOperation
        || invocation.TargetMethod.OriginalDefinition is not { IsStatic: false, IsAbstract: false, IsVirtual: false, IsOverride: false, MethodKind: MethodKind.Ordinary } method
        || method.DeclaringSyntaxReferences.IsEmpty
            ? ImmutableArray<(IFieldSymbol, ValueFact)>.Empty
            : Cache.GetValue(context.Summaries, _ => new(SymbolEqualityComparer.Default))
                .GetOrAdd(method, m => Compute(m, context.Summaries, context.CancellationToken));

    private static ImmutableArray<(IFieldSymbol Field, ValueFact Fact)> Compute(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        if (summaries.Body(method, cancellationToken) is not IMethodBodyOperation body)
        {
            return ImmutableArray<(IFieldSymbol, ValueFact)>.Empty;
        }

        var assigned = body.Descendants()
            .Select(o => o is IAssignmentOperation { Target: IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: { IsStatic: false, IsConst: false } field } } ? field : null)
            .OfType<IFieldSymbol>()
            .Where(f => f.Type is { TypeKind: TypeKind.Struct } type && type.Locations.Any(l => l.IsInSource))
            .Distinct<IFieldSymbol>(SymbolEqualityComparer.Default)
            .ToList();
        if (assigned.Count == 0 || !body.Descendants().Any(o => MayBeUntrusted(o, method, summaries, cancellationToken)))
        {
            return ImmutableArray<(IFieldSymbol, ValueFact)>.Empty;
        }

        if (ExitAlone(method, body, summaries, cancellationToken) is not { } exit)
        {
            return ImmutableArray<(IFieldSymbol, ValueFact)>.Empty;
        }

        var found = ImmutableArray.CreateBuilder<(IFieldSymbol, ValueFact)>();
        foreach (var field in assigned)
        {
            if (exit[field] is { Untrusted: true } fact)
            {
                var typed = Evaluator.Typed(ValueFact.Range(fact.Lower, fact.Upper), field.Type);
                var left = ValueFact.Source($"field '{field.Name}' (set from {fact.Origin} in {method.Name})", typed.Lower, typed.Upper);
                found.Add((field, fact.AtMostLength.Contains(FlowKey.Capped) ? left.AtMost(FlowKey.Capped) : left));
            }
        }

        return found.ToImmutable();
    }

    /// <summary>
    /// The state when a method of the compilation returns normally, read alone: from its untrusted parameters only, with
    /// the calls it makes leaving nothing in fields or out arguments. Null when nothing returns or the budget ran out.
    /// </summary>
    public static FlowState? ExitAlone(IMethodSymbol method, IMethodBodyOperation body, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var context = new FlowContext(summaries.OptionsOf(method), summaries, cancellationToken) { Compilation = summaries.Compilation, WithoutFieldEffects = true };
        return FlowEngine.ExitState(ControlFlowGraph.Create(body, cancellationToken), FieldSources.Entry(method), context);
    }

    /// <summary>Whether an operation of the method can bring untrusted data: worth a solve.</summary>
    private static bool MayBeUntrusted(IOperation operation, IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken) => operation switch
    {
        IInvocationOperation invocation => TaintSources.Origin(invocation, summaries.Trust, summaries.OptionsOf(method), cancellationToken) is not null
            || summaries.Get(invocation.TargetMethod, cancellationToken) is { } summary && (summary.ReturnOrigin is not null || !summary.Fills.IsEmpty),
        IParameterReferenceOperation parameter => Annotations.IsUntrustedParameter(parameter.Parameter),
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field => Annotations.Has(field.Field, Annotations.UntrustedContent)
            || summaries.Fields.Of(field.Field, cancellationToken) is not null,
        _ => false,
    };
}
