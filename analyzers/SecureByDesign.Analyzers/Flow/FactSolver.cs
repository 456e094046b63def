using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The facts of a compilation that depend on each other (what a method returns, which fields hold untrusted values, what
/// a helper reads of its record parameters), solved so that each is the same whatever order they are asked in, on one
/// thread or many. Each fact names the facts it may read (its dependencies, a superset known from syntax); facts that
/// depend on each other, across kinds (a method's summary reads a field whose source is decided by solving the
/// constructor that calls the method), form a strongly connected component, found with Tarjan's algorithm without
/// recursion. A component is solved alone, from each fact's seed, in source order, until nothing changes or
/// <see cref="MaxRounds"/> rounds have run; only then are its facts cached. A fact asked while its component is being
/// solved gets the current round's value, and a fact computed from such a value (one its dependencies did not name) is
/// never cached: it is recomputed in the next round and dropped when the component is done. Computations hold one lock
/// per compilation, so no thread sees a component half cached; what a fact reads (a body, bound on first read) is read
/// before the lock is taken, for the fact and every fact it may ask for, so threads bind bodies side by side and wait
/// for each other only while facts are computed.
/// </summary>
internal sealed class FactSolver
{
    /// <summary>Rounds over one component before its last results are taken: facts only grow, so this is rarely reached.</summary>
    private const int MaxRounds = 8;

    private readonly object gate = new();
    private readonly ConcurrentDictionary<Node, Box> finished = new();

    /// <summary>What each fact not yet finished reads, and the facts it may ask for: read outside the lock, once.</summary>
    private readonly ConcurrentDictionary<Node, Opened> opened = new();

    /// <summary>The facts of the components being solved (and of what was computed from them), with their current value.</summary>
    private readonly Dictionary<Node, Pin> pinned = new();

    /// <summary>The components being solved, innermost last (a fact of one can ask for a fact outside it).</summary>
    private readonly List<Round> active = new();

    /// <summary>The fact of a key in a table, or null when it has none.</summary>
    internal object? Get(Table table, ISymbol key, CancellationToken cancellationToken)
    {
        var node = new Node(table, key);
        if (finished.TryGetValue(node, out var known))
        {
            return known.Value;
        }

        if (!Monitor.IsEntered(gate))
        {
            Prepare(node, cancellationToken);
        }

        lock (gate)
        {
            if (finished.TryGetValue(node, out known))
            {
                return known.Value;
            }

            if (pinned.TryGetValue(node, out var pin))
            {
                Read(pin);
                return pin.Value;
            }

            Solve(node, cancellationToken);
            if (finished.TryGetValue(node, out known))
            {
                return known.Value;
            }

            if (pinned.TryGetValue(node, out pin))
            {
                Read(pin);
                return pin.Value;
            }

            return null;
        }
    }

    /// <summary>Reads what the fact and every unfinished fact it may ask for read, without the lock.</summary>
    private void Prepare(Node root, CancellationToken cancellationToken)
    {
        var seen = new HashSet<Node>();
        var waiting = new Stack<Node>();
        waiting.Push(root);
        while (waiting.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = waiting.Pop();
            if (!seen.Add(node) || finished.ContainsKey(node))
            {
                continue;
            }

            foreach (var next in OpenOnce(node, cancellationToken).Dependencies)
            {
                if (!seen.Contains(next) && !finished.ContainsKey(next))
                {
                    waiting.Push(next);
                }
            }
        }
    }

    private Opened OpenOnce(Node node, CancellationToken cancellationToken)
    {
        if (opened.TryGetValue(node, out var known))
        {
            return known;
        }

        var input = node.Table.Open(node.Key, cancellationToken);
        if (input is null)
        {
            // Nothing to read: no fact, whoever asks.
            finished.TryAdd(node, Box.None);
            return Opened.Nothing;
        }

        return opened.GetOrAdd(node, new Opened(input, node.Table.Dependencies(node.Key, input).ToArray()));
    }

    /// <summary>A read of a fact being solved: a component that reads another's current value must not be cached before it.</summary>
    private void Read(Pin pin)
    {
        if (active.Count == 0)
        {
            return;
        }

        var reader = active[active.Count - 1];
        if (pin.Owner == reader)
        {
            reader.ReadsItself = true;
            return;
        }

        for (var i = pin.Owner.Depth + 1; i < active.Count; i++)
        {
            active[i].DependsOn = active[i].DependsOn is { } depth ? Math.Min(depth, pin.Owner.Depth) : pin.Owner.Depth;
        }
    }

    private void Solve(Node root, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<Node, Vertex>();
        var stack = new Stack<Vertex>();
        var calls = new Stack<(Vertex Vertex, IEnumerator<Node> Dependencies)>();
        var counter = 0;

        bool Open(Node node)
        {
            var read = OpenOnce(node, cancellationToken);
            if (read.Input is null)
            {
                return false;
            }

            var vertex = new Vertex(node, read.Input, counter++);
            nodes[node] = vertex;
            stack.Push(vertex);
            calls.Push((vertex, ((IEnumerable<Node>)read.Dependencies).GetEnumerator()));
            return true;
        }

        if (!Open(root))
        {
            return;
        }

        while (calls.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (vertex, dependencies) = calls.Peek();
            if (dependencies.MoveNext())
            {
                var next = dependencies.Current;
                if (finished.ContainsKey(next) || pinned.ContainsKey(next))
                {
                    continue;
                }

                if (nodes.TryGetValue(next, out var seen))
                {
                    vertex.ReadsItsComponent |= seen == vertex;
                    if (seen.OnStack)
                    {
                        vertex.Low = Math.Min(vertex.Low, seen.Index);
                    }

                    continue;
                }

                Open(next);
                continue;
            }

            calls.Pop();
            if (calls.Count > 0)
            {
                var parent = calls.Peek().Vertex;
                parent.Low = Math.Min(parent.Low, vertex.Low);
            }

            if (vertex.Low == vertex.Index)
            {
                var component = new List<Vertex>();
                Vertex member;
                do
                {
                    member = stack.Pop();
                    member.OnStack = false;
                    component.Add(member);
                }
                while (member != vertex);

                // A fact of the component may have been solved meanwhile, through a dependency its table did not name.
                component.RemoveAll(v => finished.ContainsKey(v.Node) || pinned.ContainsKey(v.Node));
                if (component.Count > 0)
                {
                    Finish(component, cancellationToken);
                }
            }
        }
    }

    /// <summary>Solves one component to its fixpoint, in source order, and caches it unless it read a fact being solved outside it.</summary>
    private void Finish(List<Vertex> component, CancellationToken cancellationToken)
    {
        var round = new Round(active.Count);
        var ordered = component.Count == 1 ? component : component.OrderBy(v => v.Node, NodeOrder.Instance).ToList();
        foreach (var vertex in ordered)
        {
            pinned[vertex.Node] = new Pin(round, vertex.Node.Table.Seed);
        }

        active.Add(round);
        try
        {
            for (var count = 0; count < MaxRounds; count++)
            {
                var changed = false;
                foreach (var vertex in ordered)
                {
                    var pin = pinned[vertex.Node];
                    var next = vertex.Node.Table.Compute(vertex.Node.Key, vertex.Input, cancellationToken);
                    changed |= !vertex.Node.Table.Same(next, pin.Value);
                    pin.Value = next;
                }

                if (!changed || (ordered.Count == 1 && !ordered[0].ReadsItsComponent && !round.ReadsItself))
                {
                    break;
                }

                Release(round.Adopted);
            }
        }
        catch
        {
            Release(round.Adopted);
            Release(ordered.Select(v => v.Node).ToList());
            throw;
        }
        finally
        {
            active.RemoveAt(active.Count - 1);
        }

        Release(round.Adopted);
        if (round.DependsOn is { } depth)
        {
            // Computed from the current values of an enclosing component: kept for its round, then computed again.
            var owner = active[depth];
            foreach (var vertex in ordered)
            {
                var pin = pinned[vertex.Node];
                pin.Owner = owner;
                owner.Adopted.Add(vertex.Node);
            }

            return;
        }

        foreach (var vertex in ordered)
        {
            finished.TryAdd(vertex.Node, new Box(pinned[vertex.Node].Value));
            pinned.Remove(vertex.Node);
            opened.TryRemove(vertex.Node, out _);
        }
    }

    private void Release(List<Node> nodes)
    {
        foreach (var node in nodes)
        {
            pinned.Remove(node);
        }

        nodes.Clear();
    }

    /// <summary>A kind of fact: how to read a key's input, what it may depend on, and how to compute it.</summary>
    internal abstract class Table
    {
        protected Table(FactSolver solver, int rank)
        {
            Solver = solver;
            Rank = rank;
        }

        public FactSolver Solver { get; }

        /// <summary>Orders the tables' facts of one component: a fixed order, whatever asked first.</summary>
        public int Rank { get; }

        public abstract object Seed { get; }

        /// <summary>What the computation reads (a body), or null when the key has no fact.</summary>
        public abstract object? Open(ISymbol key, CancellationToken cancellationToken);

        /// <summary>Every fact the computation may ask for.</summary>
        public abstract IEnumerable<Node> Dependencies(ISymbol key, object input);

        public abstract object Compute(ISymbol key, object input, CancellationToken cancellationToken);

        public abstract bool Same(object x, object y);
    }

    internal readonly struct Node : IEquatable<Node>
    {
        public Node(Table table, ISymbol key)
        {
            Table = table;
            Key = key;
        }

        public Table Table { get; }

        public ISymbol Key { get; }

        public bool Equals(Node other) => ReferenceEquals(Table, other.Table) && SymbolEqualityComparer.Default.Equals(Key, other.Key);

        public override bool Equals(object? obj) => obj is Node other && Equals(other);

        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Key) ^ Table.Rank;
    }

    /// <summary>Source order: file, position, then table.</summary>
    private sealed class NodeOrder : IComparer<Node>
    {
        public static readonly NodeOrder Instance = new();

        public int Compare(Node x, Node y)
        {
            var a = x.Key.Locations.FirstOrDefault(l => l.IsInSource);
            var b = y.Key.Locations.FirstOrDefault(l => l.IsInSource);
            var byFile = string.CompareOrdinal(a?.SourceTree?.FilePath, b?.SourceTree?.FilePath);
            if (byFile != 0)
            {
                return byFile;
            }

            var byPosition = (a?.SourceSpan.Start ?? -1).CompareTo(b?.SourceSpan.Start ?? -1);
            return byPosition != 0 ? byPosition : x.Table.Rank.CompareTo(y.Table.Rank);
        }
    }

    private sealed class Vertex
    {
        public Vertex(Node node, object input, int index)
        {
            Node = node;
            Input = input;
            Index = index;
            Low = index;
        }

        public Node Node { get; }

        public object Input { get; }

        public int Index { get; }

        public int Low { get; set; }

        public bool OnStack { get; set; } = true;

        public bool ReadsItsComponent { get; set; }
    }

    /// <summary>A component being solved.</summary>
    private sealed class Round
    {
        public Round(int depth) => Depth = depth;

        public int Depth { get; }

        /// <summary>The outermost enclosing component whose current values it read, if any.</summary>
        public int? DependsOn { get; set; }

        public bool ReadsItself { get; set; }

        /// <summary>Facts computed from this component's current values: dropped when its round ends.</summary>
        public List<Node> Adopted { get; } = new();
    }

    private sealed class Pin
    {
        public Pin(Round owner, object value)
        {
            Owner = owner;
            Value = value;
        }

        public Round Owner { get; set; }

        public object Value { get; set; }
    }

    /// <summary>What a fact reads, and the facts it may ask for.</summary>
    private sealed class Opened
    {
        public static readonly Opened Nothing = new(null, Array.Empty<Node>());

        public Opened(object? input, Node[] dependencies)
        {
            Input = input;
            Dependencies = dependencies;
        }

        public object? Input { get; }

        public Node[] Dependencies { get; }
    }

    private sealed class Box
    {
        public static readonly Box None = new(null);

        public Box(object? value) => Value = value;

        public object? Value { get; }
    }
}
