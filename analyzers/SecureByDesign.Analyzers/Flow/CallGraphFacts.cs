using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Facts about the compilation's methods that depend on the facts of the methods they call (what a method returns,
/// what a helper reads of its parameters), computed once per compilation and the same whatever order they are asked
/// in: methods that call each other are solved together (<see cref="FactSolver"/>), with the other facts of the
/// compilation they read, and only finished components are cached.
/// </summary>
/// <typeparam name="T">The fact; compared with <c>comparer</c> to detect the fixpoint.</typeparam>
internal sealed class CallGraphFacts<T> : FactSolver.Table
    where T : class
{
    private readonly Func<IMethodSymbol, CancellationToken, IOperation?> bodyOf;
    private readonly Func<IMethodSymbol, IOperation, IEnumerable<IMethodSymbol>> calleesOf;
    private readonly Func<IMethodSymbol, IOperation, IEnumerable<FactSolver.Node>> readsOf;
    private readonly Func<IMethodSymbol, IOperation, Func<IMethodSymbol, T?>, CancellationToken, T> compute;
    private readonly T seed;
    private readonly IEqualityComparer<T> comparer;

    /// <param name="solver">The compilation's solver, shared with the facts these read.</param>
    /// <param name="rank">The table's place among the solver's tables, for a fixed order inside a component.</param>
    /// <param name="bodyOf">The body to read, or null when the method has no facts (not in the compilation, bodiless, too large).</param>
    /// <param name="calleesOf">The calls whose facts <paramref name="compute"/> reads.</param>
    /// <param name="compute">A method's fact, given the facts of its callees (null for a callee without facts).</param>
    /// <param name="seed">What a method of a cycle is assumed to be before it is computed.</param>
    /// <param name="readsOf">The solver's other facts <paramref name="compute"/> may read (fields of <c>this</c>).</param>
    public CallGraphFacts(
        FactSolver solver,
        int rank,
        Func<IMethodSymbol, CancellationToken, IOperation?> bodyOf,
        Func<IMethodSymbol, IOperation, IEnumerable<IMethodSymbol>> calleesOf,
        Func<IMethodSymbol, IOperation, Func<IMethodSymbol, T?>, CancellationToken, T> compute,
        T seed,
        IEqualityComparer<T> comparer,
        Func<IMethodSymbol, IOperation, IEnumerable<FactSolver.Node>>? readsOf = null)
        : base(solver, rank)
    {
        this.bodyOf = bodyOf;
        this.calleesOf = calleesOf;
        this.readsOf = readsOf ?? ((_, _) => Enumerable.Empty<FactSolver.Node>());
        this.compute = compute;
        this.seed = seed;
        this.comparer = comparer;
    }

    public override object Seed => seed;

    /// <summary>The fact of a method, or null when it has none.</summary>
    public T? Get(IMethodSymbol method, CancellationToken cancellationToken) => (T?)Solver.Get(this, method.OriginalDefinition, cancellationToken);

    /// <summary>The node of a method's fact, for another table's dependencies.</summary>
    public FactSolver.Node NodeOf(IMethodSymbol method) => new(this, method.OriginalDefinition);

    public override object? Open(ISymbol key, CancellationToken cancellationToken) => bodyOf((IMethodSymbol)key, cancellationToken);

    public override IEnumerable<FactSolver.Node> Dependencies(ISymbol key, object input) =>
        calleesOf((IMethodSymbol)key, (IOperation)input).Select(c => new FactSolver.Node(this, c.OriginalDefinition))
            .Concat(readsOf((IMethodSymbol)key, (IOperation)input));

    public override object Compute(ISymbol key, object input, CancellationToken cancellationToken) =>
        compute((IMethodSymbol)key, (IOperation)input, callee => Get(callee, cancellationToken), cancellationToken);

    public override bool Same(object x, object y) => comparer.Equals((T)x, (T)y);
}

internal static class CallGraphExtensions
{
    /// <summary>The methods called in a body, by every invocation.</summary>
    public static IEnumerable<IMethodSymbol> CalledMethods(this IOperation body) =>
        body.Descendants().OfType<IInvocationOperation>().Select(i => i.TargetMethod);
}
