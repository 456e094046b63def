using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
/// and one solve of its constructors; no whole-program fixpoint.
/// </summary>
internal sealed partial class FieldSources
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

    /// <summary>
    /// The facts decided so far, by field symbol, for what a state joins in without a context (<see cref="FlowState"/>:
    /// a path that never assigned the field). A field is only in a state after the engine read it, so its fact is decided.
    /// </summary>
    private static readonly ConditionalWeakTable<IFieldSymbol, ValueFact> Decided = new();

    [ThreadStatic]
    private static HashSet<INamedTypeSymbol>? computing;

    private readonly ConcurrentDictionary<INamedTypeSymbol, Dictionary<IFieldSymbol, ValueFact>> types = new(SymbolEqualityComparer.Default);
    private readonly MethodSummaries summaries;

    public FieldSources(MethodSummaries summaries) => this.summaries = summaries;

    /// <summary>The fact of an instance field read through <c>this</c> when it is a source; null otherwise.</summary>
    public ValueFact? Of(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (field.IsStatic || field.IsConst || field.ContainingType?.OriginalDefinition is not { } owner
            || !summaries.Trust.Readers.IsData(field.Type)
            || !owner.Locations.Any(l => l.IsInSource))
        {
            return null;
        }

        if (!types.TryGetValue(owner, out var facts))
        {
            computing ??= new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            if (!computing.Add(owner))
            {
                // Asked again while the type's constructors are being solved: no field of it is a source yet.
                return null;
            }

            try
            {
                facts = types.GetOrAdd(owner, Compute(owner, cancellationToken));
                foreach (var pair in facts)
                {
                    Decided.GetValue(pair.Key, _ => pair.Value);
                }
            }
            finally
            {
                computing.Remove(owner);
            }
        }

        return facts.TryGetValue(field.OriginalDefinition, out var fact) ? fact : null;
    }

    /// <summary>The fact decided for a field that is a source, null when it is not one (or not decided yet).</summary>
    public static ValueFact? DecidedFor(IFieldSymbol field) => Decided.TryGetValue(field.OriginalDefinition, out var fact) ? fact : null;

    private Dictionary<IFieldSymbol, ValueFact> Compute(INamedTypeSymbol owner, CancellationToken cancellationToken)
    {
        var found = new Dictionary<IFieldSymbol, ValueFact>(SymbolEqualityComparer.Default);
        var fields = owner.GetMembers().OfType<IFieldSymbol>()
            .Where(f => !f.IsStatic && !f.IsConst && !f.IsImplicitlyDeclared && summaries.Trust.Readers.IsData(f.Type))
            .ToDictionary(f => f.Name, f => f, StringComparer.Ordinal);
        if (fields.Count == 0)
        {
            return found;
        }

        var writes = Writes.Of(owner, owner.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).Select(f => f.Name), cancellationToken);
        var bytes = fields.Values.Where(f => summaries.Trust.Readers.IsBytes(f.Type)).ToList();
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

        var stored = fields.Values
            .Where(f => !summaries.Trust.Readers.IsBytes(f.Type) && writes.Assigned.ContainsKey(f.Name) && writes.OnlyIn(f.Name, writes.Initializers))
            .ToList();
        if (stored.Count > 0)
        {
            Stored(owner, stored, writes, found, cancellationToken);
        }

        return found;
    }

    /// <summary>Solves each constructor (and each method a constructor calls) that assigns a candidate field, and keeps the untrusted ones.</summary>
    private void Stored(INamedTypeSymbol owner, List<IFieldSymbol> candidates, Writes writes, Dictionary<IFieldSymbol, ValueFact> found, CancellationToken cancellationToken)
    {
        var facts = new Dictionary<IFieldSymbol, (ValueFact Fact, string Where)>(SymbolEqualityComparer.Default);
        var trusted = new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
        foreach (var method in owner.GetMembers().OfType<IMethodSymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var isConstructor = method.MethodKind == MethodKind.Constructor && !method.IsStatic;
            var assigned = candidates.Where(c => writes.Assigned[c.Name].Contains(isConstructor ? Writes.Constructor : method.Name)).ToList();
            if (!(isConstructor || (method.MethodKind == MethodKind.Ordinary && writes.Initializers.Contains(method.Name)))
                || assigned.Count == 0
                || summaries.Body(method, cancellationToken) is not { } body)
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

    private static FlowState Entry(IMethodSymbol method)
    {
        var state = FlowState.Empty;
        foreach (var parameter in method.Parameters.Where(Annotations.IsUntrustedParameter))
        {
            state = state.Assign(parameter, Evaluator.ParameterSource(parameter));
        }

        return state;
    }
}
