using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Sinks inside callees: which parameters of a method of the compilation reach one of a rule's sinks, as they were
/// given (or, for a rule that asks, computed from them), inside it or inside a method it calls (up to <see cref="MaxDepth"/> calls deep), with no check of the
/// parameter on the way. A call of such a helper is the sink, so the check is the caller's. Each rule says what its
/// sinks are, which parameters may carry one, what a check is; the walk and its cache per compilation are shared
/// (<see cref="PathHelpers"/> for file writes, the memory rules for allocation sizes). A parameter the helper itself
/// holds as untrusted (<c>[UntrustedContent]</c>, a <c>[ContentParser]</c>'s) is reported in the helper, not at its calls.
/// </summary>
internal sealed class HelperSinks
{
    public const int MaxDepth = 3;

    private readonly ConditionalWeakTable<MethodSummaries, ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<Reach>>> cache = new();
    private readonly Func<IOperation, TrustModel, DirectSink?> direct;
    private readonly Func<IParameterSymbol, bool> carries;
    private readonly Func<IMethodSymbol, IReadOnlyList<IOperation>, MethodSummaries, bool> checksAll;
    private readonly Func<IParameterSymbol, IReadOnlyList<IOperation>, bool> checks;
    private readonly Func<ImmutableArray<Role?>, bool> complete;
    private readonly bool throughConstantArithmetic;
    private readonly bool throughImplementations;
    private readonly bool throughFactors;
    private readonly bool throughDerived;

    /// <param name="direct">The rule's own sink at an operation of a body: the value it takes and what it is; null elsewhere.</param>
    /// <param name="carries">The parameters that may carry a value to a sink (by type).</param>
    /// <param name="checksAll">A helper that checks what it is given as a whole (a validator): none of its parameters reaches a sink.</param>
    /// <param name="checks">A check of the parameter inside the helper: it does not reach a sink unchecked.</param>
    /// <param name="throughConstantArithmetic">A parameter scaled or shifted by a constant (<c>count * 4</c>) still reaches the sink.</param>
    /// <param name="throughImplementations">
    /// An interface or abstract method reaches a sink when one of the compilation's implementations of it does (a pluggable
    /// binder whose default resolves the name): the parameters are matched by position.
    /// </param>
    /// <param name="throughFactors">
    /// A size that is a product of values the helper was given (<c>new T[width * height]</c>), directly or through a local
    /// assigned once (<c>long length = (long)width * height</c>), reaches the sink with each factor in a role of its own.
    /// </param>
    /// <param name="throughDerived">
    /// A value the helper computes from a parameter (decodes, parses, reads a member of what it parsed), by the engine
    /// (<see cref="DerivedParameters"/>), reaches the sink as that parameter, not only the parameter as it was given.
    /// </param>
    /// <param name="complete">
    /// Which roles of a sink must be the helper's parameters (the others may be constants or absent); null: every role
    /// the sink has (a path, a size).
    /// </param>
    public HelperSinks(
        Func<IOperation, TrustModel, DirectSink?> direct,
        Func<IParameterSymbol, bool> carries,
        Func<IMethodSymbol, IReadOnlyList<IOperation>, MethodSummaries, bool> checksAll,
        Func<IParameterSymbol, IReadOnlyList<IOperation>, bool> checks,
        bool throughConstantArithmetic,
        Func<ImmutableArray<Role?>, bool>? complete = null,
        bool throughImplementations = false,
        bool throughFactors = false,
        bool throughDerived = false)
    {
        this.throughDerived = throughDerived;
        this.throughImplementations = throughImplementations;
        this.throughFactors = throughFactors;
        this.complete = complete ?? (roles => roles.All(r => r is { Parameter: not null }));
        this.direct = direct;
        this.carries = carries;
        this.checksAll = checksAll;
        this.checks = checks;
        this.throughConstantArithmetic = throughConstantArithmetic;
    }

    /// <summary>True when the method may be a helper: declared in source, with a parameter that may carry a value (a cheap test).</summary>
    public bool MayBeHelper(IMethodSymbol method) => !method.DeclaringSyntaxReferences.IsEmpty && method.Parameters.Any(carries);

    /// <summary>The parameters of a method of the compilation that reach a sink unchecked; empty for any other method.</summary>
    public ImmutableArray<Reach> Find(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken) =>
        Find(method.OriginalDefinition, summaries, 0, cancellationToken);

    private ImmutableArray<Reach> Find(IMethodSymbol method, MethodSummaries summaries, int depth, CancellationToken cancellationToken) =>
        depth >= MaxDepth || !MayBeHelper(method)
            ? ImmutableArray<Reach>.Empty
            : cache.GetValue(summaries, _ => new()).GetOrAdd((method, depth), key => Walk(key.Item1, summaries, key.Item2, cancellationToken));

    private ImmutableArray<Reach> Walk(IMethodSymbol method, MethodSummaries summaries, int depth, CancellationToken cancellationToken)
    {
        if (summaries.Body(method, cancellationToken) is not { } body)
        {
            return throughImplementations ? Implemented(method, summaries, depth, cancellationToken) : ImmutableArray<Reach>.Empty;
        }

        var operations = body.Descendants().ToList();
        if (checksAll(method, operations, summaries))
        {
            return ImmutableArray<Reach>.Empty;
        }

        var found = ImmutableArray.CreateBuilder<Reach>();
        if (throughImplementations && method is { IsVirtual: true, IsSealed: false, ContainingType.IsSealed: false })
        {
            // A virtual method reaches a sink when its own body or one of its overrides does.
            found.AddRange(Implemented(method, summaries, depth, cancellationToken));
        }

        foreach (var operation in operations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (direct(operation, summaries.Trust) is { } sink)
            {
                Add(found, method, operations, sink.Values, new Reach(ImmutableArray<Role?>.Empty, sink.Sink, sink.Method, ImmutableArray<IOperation>.Empty), summaries, cancellationToken);
                continue;
            }

            var (target, arguments) = operation switch
            {
                IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
                IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments),
                _ => ((IMethodSymbol?)null, ImmutableArray<IArgumentOperation>.Empty),
            };
            if (target is null || SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method))
            {
                continue;
            }

            foreach (var inner in Find(target.OriginalDefinition, summaries, depth + 1, cancellationToken))
            {
                var values = inner.Roles.Select(role => role switch
                {
                    { Parameter: { } name } => arguments.Argument(name)?.Value,
                    { Constant: { } constant } => constant,
                    _ => null,
                }).ToImmutableArray();
                if (!values.Where((value, i) => value is null && inner.Roles[i] is not null).Any())
                {
                    Add(found, method, operations, values, inner with { Chain = inner.Chain.Insert(0, operation) }, summaries, cancellationToken);
                }
            }
        }

        return found.ToImmutable();
    }

    /// <summary>
    /// The reaches of the compilation's implementations of an interface, abstract or virtual method, in terms of its own
    /// parameters. Going from the method to an implementation is no call of its own: the implementation is read at the
    /// method's depth.
    /// </summary>
    private ImmutableArray<Reach> Implemented(IMethodSymbol method, MethodSummaries summaries, int depth, CancellationToken cancellationToken)
    {
        var found = ImmutableArray.CreateBuilder<Reach>();
        foreach (var implementation in SourceTypes.Implementations(method, summaries.Compilation, overrides: true))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var inner in Find(implementation.OriginalDefinition, summaries, depth, cancellationToken))
            {
                var roles = inner.Roles.Select(role => role is { Parameter: { } name }
                    && implementation.Parameters.FirstOrDefault(p => p.Name == name) is { } parameter
                    && parameter.Ordinal < method.Parameters.Length
                        ? new Role(method.Parameters[parameter.Ordinal].Name, null)
                        : role).ToImmutableArray();
                if (!found.Any(r => r.Roles.SequenceEqual(roles)))
                {
                    found.Add(inner with { Roles = roles });
                }
            }
        }

        return found.ToImmutable();
    }

    /// <summary>Records the sink when each of its values is a parameter the helper does not check, a constant, or absent, as the rule requires.</summary>
    private void Add(ImmutableArray<Reach>.Builder found, IMethodSymbol method, IReadOnlyList<IOperation> operations, ImmutableArray<IOperation?> values, Reach reach, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var roles = ImmutableArray.CreateBuilder<Role?>(values.Length);
        foreach (var value in values.SelectMany(v => v is null ? new IOperation?[] { null } : Factors(v, operations, 0).Select(f => (IOperation?)f)))
        {
            if (value is null)
            {
                roles.Add(null);
            }
            else if (ParameterOf(value) is { } parameter && Carried(parameter, method, operations))
            {
                roles.Add(new Role(parameter.Name, null));
            }
            else if (value.ConstantValue.HasValue)
            {
                roles.Add(new Role(null, value));
            }
            else if (throughDerived && ParameterOf(value) is null
                && DerivedParameters.Of(method, value, summaries, cancellationToken) is { } derived && Carried(derived, method, operations))
            {
                roles.Add(new Role(derived.Name, null));
            }
            else
            {
                return;
            }
        }

        var complete = roles.ToImmutable();
        if (this.complete(complete) && !found.Any(r => r.Roles.SequenceEqual(complete)))
        {
            found.Add(reach with { Roles = complete });
        }
    }

    /// <summary>A parameter of the helper that carries a value to the sink unchecked: by value, of a type that may, assigned and checked nowhere.</summary>
    private bool Carried(IParameterSymbol parameter, IMethodSymbol method, IReadOnlyList<IOperation> operations) =>
        parameter.RefKind == RefKind.None
        && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method)
        && carries(parameter)
        && !Annotations.IsUntrustedParameter(parameter)
        && !Assigned(parameter, operations)
        && !checks(parameter, operations);

    /// <summary>
    /// The factors of a size, when the helper multiplies what it was given (<c>width * height</c>, or a local assigned once
    /// with it); otherwise the value itself. A factor that is a constant stays with its product (<c>count * 4</c>).
    /// </summary>
    private IEnumerable<IOperation> Factors(IOperation value, IReadOnlyList<IOperation> operations, int depth)
    {
        var inner = value.WalkDownConversions();
        if (!throughFactors || depth > 4)
        {
            return new[] { value };
        }

        if (inner is ILocalReferenceOperation local && AssignedOnce(local.Local, operations) is { } initial)
        {
            return Factors(initial, operations, depth + 1);
        }

        return inner is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product
            && !product.LeftOperand.ConstantValue.HasValue && !product.RightOperand.ConstantValue.HasValue
                ? Factors(product.LeftOperand, operations, depth + 1).Concat(Factors(product.RightOperand, operations, depth + 1))
                : new[] { value };
    }

    /// <summary>The initial value of a local that nothing else assigns (no assignment, increment or ref/out pass).</summary>
    private static IOperation? AssignedOnce(ILocalSymbol local, IReadOnlyList<IOperation> operations)
    {
        IOperation? initial = null;
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    initial = value;
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation stepped } when SymbolEqualityComparer.Default.Equals(stepped.Local, local):
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed } when SymbolEqualityComparer.Default.Equals(passed.Local, local):
                    return null;
            }
        }

        return initial;
    }

    /// <summary>The parameter a value is, through conversions (and, for sizes, a constant factor or offset).</summary>
    private IParameterSymbol? ParameterOf(IOperation value)
    {
        value = value.WalkDownConversions();
        if (throughConstantArithmetic && value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply or BinaryOperatorKind.Add or BinaryOperatorKind.LeftShift } arithmetic)
        {
            value = arithmetic.RightOperand.ConstantValue.HasValue ? arithmetic.LeftOperand.WalkDownConversions()
                : arithmetic.LeftOperand.ConstantValue.HasValue ? arithmetic.RightOperand.WalkDownConversions()
                : value;
        }

        return value is IParameterReferenceOperation reference ? reference.Parameter : null;
    }

    /// <summary>True when any operation of the list mentions the parameter.</summary>
    public static bool Mentions(IOperation operation, IParameterSymbol parameter) =>
        operation.DescendantsAndSelf().Any(o => o is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter));

    private static bool Assigned(IParameterSymbol parameter, IReadOnlyList<IOperation> operations) =>
        operations.Any(o => o is IAssignmentOperation { Target: IParameterReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Parameter, parameter)
            || o is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } && SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter));

    /// <summary>A rule's own sink: the values it takes, by role (null: the sink has none in that role), the operation, and the catalogued method when it is a call.</summary>
    internal sealed record DirectSink(ImmutableArray<IOperation?> Values, IOperation Sink, IMethodSymbol? Method)
    {
        public DirectSink(IOperation value, IOperation sink, IMethodSymbol? method)
            : this(ImmutableArray.Create<IOperation?>(value), sink, method)
        {
        }
    }

    /// <summary>What a role of a sink is at the helper's call: the parameter that carries it, or a constant inside the helper.</summary>
    internal sealed record Role(string? Parameter, IOperation? Constant);

    /// <summary>Parameters that reach a sink, by role: the sink (in the helper or deeper), its catalogued method, and the calls on the way there.</summary>
    internal sealed record Reach(ImmutableArray<Role?> Roles, IOperation Sink, IMethodSymbol? Method, ImmutableArray<IOperation> Chain)
    {
        /// <summary>The parameter of the first role (a path's, a size's).</summary>
        public string Parameter => Roles.FirstOrDefault()?.Parameter ?? string.Empty;
    }
}
