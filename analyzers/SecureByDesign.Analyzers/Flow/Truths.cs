using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Two tests of the same thing, related: a <c>bool</c> local or parameter, or a pure <c>bool</c> property of one
/// (<c>entry.IsFile</c>), has on each branch of a test the truth the test gave it, until something writes it. Where
/// paths merge, a containment proved on one path only is kept under the condition that tells the paths apart
/// (<see cref="Guard"/>: "the path is contained when entry.IsFile is true"), and a later test of the same condition
/// brings it back: <c>if (entry.IsFile) target = transform.TransformFile(target); ... if (entry.IsFile) Write(target);</c>.
/// Only containment (<see cref="PathContainment"/>) is kept this way. What the callers of a private method tested
/// before calling it (<see cref="CallerTests"/>) holds at its entry the same way (Truths.Preconditions.cs).
/// </summary>
internal static partial class Truths
{
    /// <summary>The most conditions one guard joins ("a and b and c").</summary>
    private const int MaxAtoms = 3;

    /// <summary>The most guards kept for one path.</summary>
    private const int MaxGuards = 6;

    private const int MaxPurityDepth = 3;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IPropertySymbol, bool>> Purity = new();

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, bool>> PureMethods = new();

    /// <summary>A test's subject and the truth it has: <c>entry.IsFile</c> is true.</summary>
    internal sealed record Atom(object Key, bool Value)
    {
        public bool Equals(Atom? other) => other is not null && Value == other.Value && FlowKey.Comparer.Equals(Key, other.Key);

        public override int GetHashCode() => (FlowKey.Comparer.GetHashCode(Key), Value).GetHashCode();
    }

    /// <summary>"<see cref="Path"/> is contained when every atom of <see cref="When"/> holds": the key of such a fact.</summary>
    internal sealed record Guard(object Path, ImmutableHashSet<Atom> When)
    {
        public bool Equals(Guard? other) => other is not null && FlowKey.Comparer.Equals(Path, other.Path) && When.SetEquals(other.When);

        public override int GetHashCode() => When.Aggregate(FlowKey.Comparer.GetHashCode(Path), (hash, atom) => hash ^ atom.GetHashCode());

        public bool Mentions(object assigned) => FactKey.Rooted(Path, assigned) || When.Any(atom => FactKey.Rooted(atom.Key, assigned));
    }

    public static FactKey TruthKey(object atom) => new(FactKey.Truth, atom);

    /// <summary>
    /// The subject of a test that can be related to another test of it: a <c>bool</c> local or parameter, or a pure
    /// <c>bool</c> property of a local or parameter. Null for anything else.
    /// </summary>
    public static object? AtomOf(IOperation condition, FlowContext context)
    {
        condition = context.Resolve(condition.WalkDownConversions()).WalkDownConversions();
        if (!context.RelatesTests || condition.Type?.SpecialType != SpecialType.System_Boolean)
        {
            return null;
        }

        return condition switch
        {
            ILocalReferenceOperation { Local.IsRef: false } local => local.Local,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
            IPropertyReferenceOperation { Instance: ILocalReferenceOperation or IParameterReferenceOperation, Property: { IsIndexer: false, IsStatic: false } property } read
                when context.Compilation is { } compilation && IsPure(property, compilation) && FlowKey.Of(read.Instance) is { } owner
                => new FlowKey.MemberKey(owner, property.OriginalDefinition),
            _ => null,
        };
    }

    /// <summary>On the branch where the atom has <paramref name="value"/>: records it, and brings back what was contained under it.</summary>
    public static FlowState Learn(object atom, bool value, FlowState state) => Learn(atom, value, state, 0);

    private static FlowState Learn(object atom, bool value, FlowState state, int depth)
    {
        state = state.Refine(TruthKey(atom), ValueFact.Constant(value ? 1 : 0));
        var held = new Atom(atom, value);
        List<KeyValuePair<object, ValueFact>>? found = null;
        foreach (var entry in state.Facts)
        {
            if (entry.Key is FactKey { Kind: FactKey.ContainedWhen, Of: Guard guard } && guard.When.Contains(held))
            {
                var rest = guard.When.Remove(held);
                object key = rest.IsEmpty ? PathContainment.Key(guard.Path) : new FactKey(FactKey.ContainedWhen, guard with { When = rest });
                (found ??= new()).Add(new(key, entry.Value));
            }
        }

        foreach (var entry in found ?? Enumerable.Empty<KeyValuePair<object, ValueFact>>())
        {
            if (state[entry.Key] is not { Lower: not null })
            {
                state = state.Refine(entry.Key, entry.Value);
            }
        }

        return Entailed(atom, state, depth);
    }

    /// <summary>After <c>flag = true</c> (or false): the local's truth is known.</summary>
    public static FlowState Assigned(object key, IOperation value, FlowState state) =>
        key is ILocalSymbol or IParameterSymbol && value.WalkDownConversions().ConstantValue is { HasValue: true, Value: bool constant }
            ? state.Refine(TruthKey(key), ValueFact.Constant(constant ? 1 : 0))
            : state;

    /// <summary>
    /// A call given a local or parameter (as its receiver or an argument) may change the object: what was known of its
    /// properties' truth goes. A member assigned (<c>entry.Flags = ...</c>) does the same.
    /// </summary>
    public static FlowState Touched(IOperation? value, FlowState state)
    {
        if (value is null || FlowKey.Of(value) is not ({ } owner and (ILocalSymbol or IParameterSymbol)))
        {
            return state;
        }

        return Forget(state, (key, root) => key is FactKey { Kind: FactKey.Truth, Of: FlowKey.MemberKey member } && FactKey.Rooted(member, root)
            || key is FactKey { Kind: FactKey.ContainedWhen, Of: Guard guard } && guard.When.Any(atom => atom.Key is FlowKey.MemberKey held && FactKey.Rooted(held, root))
            || key is FactKey { Kind: FactKey.OneOf, Of: Cases cases } && cases.Mentions(root), owner);
    }

    /// <summary>A local passed by <c>ref</c> or <c>out</c>: its truth goes.</summary>
    public static FlowState Passed(IOperation value, FlowState state) =>
        FlowKey.Of(value) is { } key and (ILocalSymbol or IParameterSymbol)
            ? Forget(state, (fact, passed) => FactKey.DependsOn(fact, passed) && fact is FactKey { Kind: FactKey.Truth or FactKey.ContainedWhen or FactKey.OneOf }, key)
            : state;

    private static FlowState Forget(FlowState state, Func<object, object, bool> matches, object argument)
    {
        List<object>? gone = null;
        foreach (var entry in state.Facts)
        {
            if (entry.Key is FactKey { Kind: FactKey.Truth or FactKey.ContainedWhen or FactKey.OneOf } && matches(entry.Key, argument))
            {
                (gone ??= new()).Add(entry.Key);
            }
        }

        return gone is null ? state : state.Without(gone);
    }

    /// <summary>
    /// The guards after two paths merge, written into <paramref name="result"/> (the plain join of both): a guard of one
    /// path that the other implies (it holds the path contained, has a weaker guard, or has an atom of it false) stays; a
    /// containment or guard the other path lacks is kept under the negation of one of that path's known truths.
    /// </summary>
    public static void Join(IReadOnlyDictionary<object, ValueFact> first, IReadOnlyDictionary<object, ValueFact> second, FactTable result)
    {
        if (JoinInfeasible(first, second, result))
        {
            return;
        }

        // Guards are made again below; a truth known on one path only is not known after the merge.
        foreach (var key in result.Where(e => e.Key is FactKey { Kind: FactKey.ContainedWhen } || (e.Key is FactKey { Kind: FactKey.Truth } && !(e.Value.Lower is { } l && l == e.Value.Upper))).Select(e => e.Key).ToList())
        {
            result.Remove(key);
        }

        var perPath = new Dictionary<object, int>(FlowKey.Comparer);
        void Add(Guard guard, ValueFact fact)
        {
            var key = new FactKey(FactKey.ContainedWhen, guard);
            if (result.TryGetValue(key, out var known))
            {
                result[key] = known.Join(fact);
                return;
            }

            perPath.TryGetValue(guard.Path, out var count);
            if (count < MaxGuards)
            {
                perPath[guard.Path] = count + 1;
                result[key] = fact;
            }
        }

        foreach (var (from, other) in new[] { (first, second), (second, first) })
        {
            List<Atom>? truths = null;
            Dictionary<object, List<Guard>>? guards = null;
            foreach (var entry in other)
            {
                if (entry.Key is FactKey { Kind: FactKey.Truth, Of: var atom } && entry.Value is { Lower: { } lower, Upper: { } upper } && lower == upper)
                {
                    (truths ??= new()).Add(new Atom(atom, lower != 0));
                }
                else if (entry.Key is FactKey { Kind: FactKey.ContainedWhen, Of: Guard guard })
                {
                    guards ??= new(FlowKey.Comparer);
                    if (!guards.TryGetValue(guard.Path, out var list))
                    {
                        guards[guard.Path] = list = new();
                    }

                    list.Add(guard);
                }
            }

            foreach (var entry in from)
            {
                Guard guard;
                if (entry.Key is FactKey { Kind: FactKey.Contained, Of: var path } && entry.Value.Lower is not null)
                {
                    if (other.TryGetValue(entry.Key, out var theirs) && theirs.Lower is not null)
                    {
                        continue;
                    }

                    guard = new Guard(path, ImmutableHashSet<Atom>.Empty);
                }
                else if (entry.Key is FactKey { Kind: FactKey.ContainedWhen, Of: Guard conditional })
                {
                    guard = conditional;
                    if (Implies(other, truths, guards, guard))
                    {
                        Add(guard, entry.Value);
                        continue;
                    }
                }
                else
                {
                    continue;
                }

                if (guard.When.Count >= MaxAtoms || truths is null)
                {
                    continue;
                }

                foreach (var truth in truths)
                {
                    if (!guard.When.Any(atom => FlowKey.Comparer.Equals(atom.Key, truth.Key)))
                    {
                        Add(guard with { When = guard.When.Add(new Atom(truth.Key, !truth.Value)) }, entry.Value);
                    }
                }
            }
        }
    }

    /// <summary>True when the guard holds on a path: it has the path contained, a guard of it with fewer conditions, or one of the conditions false.</summary>
    private static bool Implies(IReadOnlyDictionary<object, ValueFact> facts, List<Atom>? truths, Dictionary<object, List<Guard>>? guards, Guard guard) =>
        (facts.TryGetValue(PathContainment.Key(guard.Path), out var contained) && contained.Lower is not null)
        || (truths is not null && truths.Any(truth => guard.When.Contains(truth with { Value = !truth.Value })))
        || (guards is not null && guards.TryGetValue(guard.Path, out var list) && list.Any(weaker => weaker.When.IsSubsetOf(guard.When)));

    /// <summary>
    /// A <c>bool</c> property whose reading changes nothing: an auto-property, or a getter of the compilation that assigns
    /// nothing and calls only such getters and non-virtual methods of its own type that assign nothing either.
    /// </summary>
    internal static bool IsPure(IPropertySymbol property, Compilation compilation) =>
        Purity.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(property.OriginalDefinition, p => PureGetter(p, compilation, 0));

    /// <summary>
    /// A call that only answers a question: a non-virtual method of the compilation that returns a value and whose body is
    /// pure as a getter's must be (<c>entry.IsCompressionMethodSupported()</c>). Giving a value to it leaves what was
    /// known of its properties. A method that returns nothing is called for what it does, and is never taken as one.
    /// </summary>
    internal static bool IsPureCall(IMethodSymbol method, Compilation? compilation) =>
        compilation is not null && method is { MethodKind: MethodKind.Ordinary, ReturnsVoid: false, ReturnsByRef: false, IsVirtual: false, IsAbstract: false, IsOverride: false, ContainingType: not null }
        && PureMethods.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m => PureBody(m, m.ContainingType, compilation, 0));

    private static bool PureGetter(IPropertySymbol property, Compilation compilation, int depth)
    {
        if ((property.IsVirtual || property.IsAbstract || property.IsOverride) && !property.IsSealed)
        {
            return false;
        }

        if (property.ContainingType.GetMembers($"<{property.Name}>k__BackingField").Length > 0)
        {
            return true;
        }

        return property.GetMethod is { } getter && PureBody(getter, property.ContainingType, compilation, depth);
    }

    private static bool PureBody(IMethodSymbol method, INamedTypeSymbol owner, Compilation compilation, int depth)
    {
        if (depth > MaxPurityDepth || method.DeclaringSyntaxReferences.IsEmpty || method.DeclaringSyntaxReferences[0].GetSyntax() is not { } syntax
            || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return false;
        }

#pragma warning disable RS1030 // A getter's body is read once per compilation.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
        return body is not null && body.Descendants().All(operation => operation switch
        {
            IAssignmentOperation { Target: ILocalReferenceOperation } or IIncrementOrDecrementOperation { Target: ILocalReferenceOperation } => true,
            IAssignmentOperation or IIncrementOrDecrementOperation or IObjectCreationOperation or IEventAssignmentOperation => false,
            IInvocationOperation { TargetMethod: var called } => called.ContainingType?.SpecialType == SpecialType.System_String
                || (SymbolEqualityComparer.Default.Equals(called.ContainingType?.OriginalDefinition, owner.OriginalDefinition)
                    && !called.IsVirtual && !called.IsAbstract && !called.IsOverride
                    && PureBody(called.OriginalDefinition, owner, compilation, depth + 1)),
            IPropertyReferenceOperation { Property: var read } when SymbolEqualityComparer.Default.Equals(read.ContainingType?.OriginalDefinition, owner.OriginalDefinition) =>
                read.IsIndexer ? false : PureGetter(read.OriginalDefinition, compilation, depth + 1),
            _ => true,
        });
    }
}
