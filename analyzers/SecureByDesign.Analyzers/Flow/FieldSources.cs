using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Sources kept in fields, read through <c>this</c> in another method: (1) the content of a reader type
/// (<see cref="ReaderTypes"/>): its byte-buffer field, given to the constructor or filled from what it reads, whose
/// elements its helpers read (<c>buffer[position++]</c>), unless the type writes that buffer itself (a writer's
/// buffer is the type's own bytes); (2) stored values: a number, enum or string field that only the constructors (and
/// the methods they call) assign, and that holds an untrusted value when the constructor returns (a header count read
/// by the constructor), with the range it had there. Decided once per type and compilation, from the type's own syntax
/// and a solve of its constructors; a type whose constructors call methods that read its fields (or another type's,
/// whose constructors do the same) is decided with them, to their common fixpoint (<see cref="FactSolver"/>).
/// </summary>
internal sealed partial class FieldSources : FactSolver.Table
{
    /// <summary>What the trust model takes for a field source, for docs/trust-model.md.</summary>
    public static string Description { get; } =
        "A field read through `this` is a source in two shapes, decided once per type and compilation:\n"
        + "\n"
        + "- **Content bytes.** In a reader type (above), an instance field of type `byte[]` or a span, memory or sequence of bytes\n"
        + "  that only the constructors assign (the bytes the reader was given, or a buffer it fills from its stream) holds untrusted\n"
        + "  bytes: its elements, read in any method (`buffer[position++]`, `buffer[i] | buffer[i + 1] << 8`), are untrusted, and so are\n"
        + "  the results of the private helpers that return them. Not content: a buffer the type writes itself (an element assigned,\n"
        + "  or the buffer passed to a `Write*`, `Copy`, `BlockCopy`, `CopyTo`, `GetBytes` or `Fill` call) or assigns outside its\n"
        + "  constructors (a buffer it grows): that is a writer's own output.\n"
        + "- **Stored values.** An instance field of a number, enum or string type of a type declared in the compilation, assigned\n"
        + "  only in its constructors and the methods they call, that holds an untrusted value when the constructor returns (a count\n"
        + "  read from a `BinaryReader`), is untrusted where another method reads it, with the range it had there: a value checked\n"
        + "  before it is stored, or clamped, stays within its check. The origin names the field and where it was set:\n"
        + "  `field 'count' (set from BinaryReader.ReadInt32 (line 12) in the constructor)`. Not sources: a field set from a constant\n"
        + "  or a trusted parameter, or assigned in any other method.\n";

    private static readonly Dictionary<IFieldSymbol, ValueFact> None = new(SymbolEqualityComparer.Default);

    private readonly MethodSummaries summaries;

    public FieldSources(MethodSummaries summaries, int rank)
        : base(summaries.Solver, rank) => this.summaries = summaries;

    public override object Seed => None;

    /// <summary>The fact of an instance field read through <c>this</c> when it is a source; null otherwise.</summary>
    public ValueFact? Of(IFieldSymbol field, CancellationToken cancellationToken) =>
        Owner(field) is { } owner
        && Solver.Get(this, owner, cancellationToken) is Dictionary<IFieldSymbol, ValueFact> facts
        && facts.TryGetValue(field.OriginalDefinition, out var fact)
            ? fact
            : null;

    /// <summary>The node of the decision for a field's type, for the dependencies of another fact; null when the field cannot be a source.</summary>
    public FactSolver.Node? NodeOf(IFieldSymbol field) => Owner(field) is { } owner ? new FactSolver.Node(this, owner) : null;

    private INamedTypeSymbol? Owner(IFieldSymbol field) =>
        field.IsStatic || field.IsConst || field.ContainingType?.OriginalDefinition is not { } owner
        || !summaries.Trust.Readers.IsData(field.Type)
        || !owner.Locations.Any(l => l.IsInSource)
            ? null
            : owner;

    /// <summary>The type's fields that may be sources, where it writes them, and the bodies of the constructors and the methods they call.</summary>
    public override object? Open(ISymbol key, CancellationToken cancellationToken)
    {
        var owner = (INamedTypeSymbol)key;
        var fields = owner.GetMembers().OfType<IFieldSymbol>()
            .Where(f => !f.IsStatic && !f.IsConst && !f.IsImplicitlyDeclared && summaries.Trust.Readers.IsData(f.Type))
            .ToDictionary(f => f.Name, f => f, StringComparer.Ordinal);
        if (fields.Count == 0)
        {
            return null;
        }

        var writes = Writes.Of(owner, owner.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).Select(f => f.Name), cancellationToken);
        var bodies = new List<(IMethodSymbol Method, IOperation Body)>();
        foreach (var method in owner.GetMembers().OfType<IMethodSymbol>())
        {
            if (((method.MethodKind == MethodKind.Constructor && !method.IsStatic) || (method.MethodKind == MethodKind.Ordinary && writes.Initializers.Contains(method.Name)))
                && summaries.Body(method, cancellationToken) is { } body)
            {
                bodies.Add((method, body));
            }
        }

        return new Prepared(owner, fields, writes, bodies);
    }

    /// <summary>The summaries of what the constructors call, and the fields of <c>this</c> they read.</summary>
    public override IEnumerable<FactSolver.Node> Dependencies(ISymbol key, object input) =>
        ((Prepared)input).Bodies.SelectMany(b => b.Body.Descendants()).Select(o => o switch
        {
            IInvocationOperation invocation => summaries.NodeOf(invocation.TargetMethod),
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field => NodeOf(field.Field),
            _ => null,
        }).OfType<FactSolver.Node>();

    public override object Compute(ISymbol key, object input, CancellationToken cancellationToken)
    {
        var prepared = (Prepared)input;
        var owner = prepared.Owner;
        var writes = prepared.Writes;
        var found = new Dictionary<IFieldSymbol, ValueFact>(SymbolEqualityComparer.Default);
        var bytes = prepared.Fields.Values.Where(f => summaries.Trust.Readers.IsBytes(f.Type)).ToList();
        if (bytes.Count > 0 && summaries.Trust.Readers.IsReaderType(owner, cancellationToken))
        {
            foreach (var field in bytes)
            {
                if (!writes.SelfFilled.Contains(field.Name) && !writes.Checked.Contains(field.Name) && writes.OnlyIn(field.Name, writes.Constructors))
                {
                    found[field] = ValueFact.Source($"field '{field.Name}', the bytes {owner.Name} reads", null, null);
                }
            }
        }

        var stored = prepared.Fields.Values
            .Where(f => !summaries.Trust.Readers.IsBytes(f.Type) && writes.Assigned.ContainsKey(f.Name) && writes.OnlyIn(f.Name, writes.Initializers))
            .ToList();
        if (stored.Count > 0)
        {
            Stored(prepared, stored, found, cancellationToken);
        }

        return found;
    }

    public override bool Same(object x, object y)
    {
        var a = (Dictionary<IFieldSymbol, ValueFact>)x;
        var b = (Dictionary<IFieldSymbol, ValueFact>)y;
        return a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && other.Equals(p.Value));
    }

    /// <summary>Solves each constructor (and each method a constructor calls) that assigns a candidate field, and keeps the untrusted ones.</summary>
    private void Stored(Prepared prepared, List<IFieldSymbol> candidates, Dictionary<IFieldSymbol, ValueFact> found, CancellationToken cancellationToken)
    {
        var (owner, writes) = (prepared.Owner, prepared.Writes);
        var facts = new Dictionary<IFieldSymbol, (ValueFact Fact, string Where)>(SymbolEqualityComparer.Default);
        var trusted = new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
        foreach (var (method, body) in prepared.Bodies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var isConstructor = method.MethodKind == MethodKind.Constructor;
            var assigned = candidates.Where(c => writes.Assigned[c.Name].Contains(isConstructor ? Writes.Constructor : method.Name)).ToList();
            if (assigned.Count == 0)
            {
                continue;
            }

            if (!body.Descendants().Any(o => MayBeUntrusted(o, method, cancellationToken)))
            {
                // A constructor that sets the field from what it was given: instances are built from trusted values too.
                trusted.UnionWith(assigned.Where(f => body.Descendants().Any(o => o is IAssignmentOperation { Target: IFieldReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Field, f))));
                continue;
            }

            var graph = body switch
            {
                IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
                IMethodBodyOperation ordinary => ControlFlowGraph.Create(ordinary, cancellationToken),
                _ => null,
            };
            var context = new FlowContext(summaries.OptionsOf(method), summaries, cancellationToken) { Compilation = summaries.Compilation };
            if (graph is null || FlowEngine.ExitState(graph, Entry(method), context) is not { } exit)
            {
                continue;
            }

            var where = isConstructor ? "the constructor" : $"{method.Name}, called from the constructor";
            foreach (var field in assigned)
            {
                if (exit[field] is { Untrusted: false } && body.Descendants().Any(o => o is IAssignmentOperation { Target: IFieldReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Field, field)))
                {
                    trusted.Add(field);
                }
                else if (exit[field] is { Untrusted: true } fact)
                {
                    facts[field] = facts.TryGetValue(field, out var known) ? (known.Fact.Join(fact), known.Where) : (fact, where);
                }
            }
        }

        foreach (var pair in facts.Where(p => !trusted.Contains(p.Key)))
        {
            var (fact, where) = pair.Value;
            var typed = Evaluator.Typed(ValueFact.Range(fact.Lower, fact.Upper), pair.Key.Type);
            var stored = ValueFact.Source($"field '{pair.Key.Name}' (set from {fact.Origin} in {where})", typed.Lower, typed.Upper);

            // A check against a named maximum holds wherever the field is read, and so does a bound by an array field only the
            // constructors assign (words = new uint[size]); bounds by the constructor's locals do not.
            stored = fact.AtMostLength.Contains(FlowKey.Capped) ? stored.AtMost(FlowKey.Capped) : stored;
            bool Kept(object key) => (key is FlowKey.Allocated { Buffer: IFieldSymbol allocated } ? allocated : key) is IFieldSymbol array
                && SymbolEqualityComparer.Default.Equals(array.ContainingType?.OriginalDefinition, owner) && writes.OnlyIn(array.Name, writes.Initializers);
            stored = fact.AtMostLength.Where(Kept).Aggregate(stored, (kept, key) => kept.AtMost(key));
            found[pair.Key] = fact.BelowLength.Where(Kept).Aggregate(stored, (kept, key) => kept.Below(key));
        }
    }

    /// <summary>Whether a constructor's operation can bring untrusted data: worth a solve.</summary>
    private bool MayBeUntrusted(IOperation operation, IMethodSymbol method, CancellationToken cancellationToken) => operation switch
    {
        IInvocationOperation invocation => TaintSources.Origin(invocation, summaries.Trust, summaries.OptionsOf(method), cancellationToken) is not null
            || summaries.Get(invocation.TargetMethod, cancellationToken)?.ReturnOrigin is not null,
        IParameterReferenceOperation parameter => Annotations.IsUntrustedParameter(parameter.Parameter),
        IFieldReferenceOperation field => Annotations.Has(field.Field, Annotations.UntrustedContent),
        _ => false,
    };

    /// <summary>A method's state on entry, read alone: its parameters marked untrusted are sources.</summary>
    internal static FlowState Entry(IMethodSymbol method)
    {
        var state = FlowState.Empty;
        foreach (var parameter in method.Parameters.Where(Annotations.IsUntrustedParameter))
        {
            state = state.Assign(parameter, Evaluator.ParameterSource(parameter));
        }

        return state;
    }

    private sealed record Prepared(INamedTypeSymbol Owner, Dictionary<string, IFieldSymbol> Fields, Writes Writes, List<(IMethodSymbol Method, IOperation Body)> Bodies);
}
