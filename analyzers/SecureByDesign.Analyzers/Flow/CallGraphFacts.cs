using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Facts about the compilation's methods that depend on the facts of the methods they call (what a method returns,
/// what a helper reads of its parameters), computed once per compilation and the same whatever order they are asked
/// in: methods that call each other (a strongly connected component of the call graph, found with Tarjan's algorithm
/// without recursion, so a deep call chain cannot overflow the stack) are solved together, from <c>seed</c>, in source
/// order, until nothing changes; only finished components are cached.
/// </summary>
/// <typeparam name="T">The fact; compared with <c>comparer</c> to detect the fixpoint.</typeparam>
internal sealed class CallGraphFacts<T>
    where T : class
{
    /// <summary>Rounds over one component before its last results are taken: facts only grow, so this is rarely reached.</summary>
    private const int MaxRounds = 8;

    private readonly ConcurrentDictionary<IMethodSymbol, Box> cache = new(SymbolEqualityComparer.Default);
    private readonly Func<IMethodSymbol, CancellationToken, IOperation?> bodyOf;
    private readonly Func<IMethodSymbol, IOperation, IEnumerable<IMethodSymbol>> calleesOf;
    private readonly Func<IMethodSymbol, IOperation, Func<IMethodSymbol, T?>, CancellationToken, T> compute;
    private readonly T seed;
    private readonly IEqualityComparer<T> comparer;

    /// <param name="bodyOf">The body to read, or null when the method has no facts (not in the compilation, bodiless, too large).</param>
    /// <param name="calleesOf">The calls whose facts <paramref name="compute"/> reads.</param>
    /// <param name="compute">A method's fact, given the facts of its callees (null for a callee without facts).</param>
    /// <param name="seed">What a method of a cycle is assumed to be before it is computed.</param>
    public CallGraphFacts(
        Func<IMethodSymbol, CancellationToken, IOperation?> bodyOf,
        Func<IMethodSymbol, IOperation, IEnumerable<IMethodSymbol>> calleesOf,
        Func<IMethodSymbol, IOperation, Func<IMethodSymbol, T?>, CancellationToken, T> compute,
        T seed,
        IEqualityComparer<T> comparer)
    {
        this.bodyOf = bodyOf;
        this.calleesOf = calleesOf;
        this.compute = compute;
        this.seed = seed;
        this.comparer = comparer;
    }

    /// <summary>The fact of a method, or null when it has none.</summary>
    public T? Get(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (cache.TryGetValue(method, out var known))
        {
            return known.Value;
        }

        Solve(method, cancellationToken);
        return cache.TryGetValue(method, out known) ? known.Value : null;
    }

    private void Solve(IMethodSymbol root, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<IMethodSymbol, Node>(SymbolEqualityComparer.Default);
        var stack = new Stack<Node>();
        var calls = new Stack<(Node Node, IEnumerator<IMethodSymbol> Callees)>();
        var counter = 0;

        bool Open(IMethodSymbol method)
        {
            if (bodyOf(method, cancellationToken) is not { } body)
            {
                cache.TryAdd(method, Box.None);
                return false;
            }

            var node = new Node(method, body, counter++);
            nodes[method] = node;
            stack.Push(node);
            calls.Push((node, calleesOf(method, body).Select(c => c.OriginalDefinition).GetEnumerator()));
            return true;
        }

        if (!Open(root))
        {
            return;
        }

        while (calls.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (node, callees) = calls.Peek();
            if (callees.MoveNext())
            {
                var callee = callees.Current;
                if (cache.ContainsKey(callee))
                {
                    continue;
                }

                if (nodes.TryGetValue(callee, out var seen))
                {
                    node.CallsItsComponent |= seen == node;
                    if (seen.OnStack)
                    {
                        node.Low = Math.Min(node.Low, seen.Index);
                    }

                    continue;
                }

                Open(callee);
                continue;
            }

            calls.Pop();
            if (calls.Count > 0)
            {
                var parent = calls.Peek().Node;
                parent.Low = Math.Min(parent.Low, node.Low);
            }

            if (node.Low == node.Index)
            {
                var component = new List<Node>();
                Node member;
                do
                {
                    member = stack.Pop();
                    member.OnStack = false;
                    component.Add(member);
                }
                while (member != node);

                Finish(component, cancellationToken);
            }
        }
    }

    /// <summary>Solves one component to its fixpoint, in source order, and caches it.</summary>
    private void Finish(List<Node> component, CancellationToken cancellationToken)
    {
        var cycle = component.Count > 1 || component[0].CallsItsComponent;
        var current = new Dictionary<IMethodSymbol, T>(SymbolEqualityComparer.Default);
        foreach (var node in component)
        {
            current[node.Method] = seed;
        }

        T? Lookup(IMethodSymbol callee) =>
            cache.TryGetValue(callee.OriginalDefinition, out var known) ? known.Value
            : current.TryGetValue(callee.OriginalDefinition, out var assumed) ? assumed
            : Get(callee, cancellationToken);

        var ordered = cycle ? component.OrderBy(n => n.Body.Syntax.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(n => n.Body.Syntax.SpanStart).ToList() : component;
        for (var round = 0; round < MaxRounds; round++)
        {
            var changed = false;
            foreach (var node in ordered)
            {
                var next = compute(node.Method, node.Body, Lookup, cancellationToken);
                changed |= !comparer.Equals(next, current[node.Method]);
                current[node.Method] = next;
            }

            if (!cycle || !changed)
            {
                break;
            }
        }

        foreach (var pair in current)
        {
            cache.TryAdd(pair.Key, new Box(pair.Value));
        }
    }

    private sealed class Node
    {
        public Node(IMethodSymbol method, IOperation body, int index)
        {
            Method = method;
            Body = body;
            Index = index;
            Low = index;
        }

        public IMethodSymbol Method { get; }

        public IOperation Body { get; }

        public int Index { get; }

        public int Low { get; set; }

        public bool OnStack { get; set; } = true;

        public bool CallsItsComponent { get; set; }
    }

    private sealed class Box
    {
        public static readonly Box None = new(null);

        public Box(T? value) => Value = value;

        public T? Value { get; }
    }
}

internal static class CallGraphExtensions
{
    /// <summary>The methods called in a body, by every invocation.</summary>
    public static IEnumerable<IMethodSymbol> CalledMethods(this IOperation body) =>
        body.Descendants().OfType<IInvocationOperation>().Select(i => i.TargetMethod);
}
