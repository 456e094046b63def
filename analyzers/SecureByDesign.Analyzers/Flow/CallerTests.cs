using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What every caller of a private method tested of the arguments it passes: <c>if (entry.IsFile) Extract(entry); else
/// if (entry.IsDirectory) Extract(entry);</c> calls <c>Extract</c> only in the cases "IsFile" and "not IsFile,
/// IsDirectory", so in <c>Extract</c> a path where the entry is neither cannot run. A private method can only be called
/// from its own type's declarations, so those are all its callers; each call must be a plain call (no method group or
/// delegate), and each must pass, for some parameter, a local or parameter it tested with a pure <c>bool</c> property
/// (<see cref="Truths.AtomOf"/>) on the way to the call (an enclosing <c>if</c>, <c>&amp;&amp;</c> or <c>||</c>, or an
/// earlier <c>if (...) continue;</c> of the same block), with nothing between the test and the call that assigns it or
/// gives it to a call that may change it. Any other method, or a caller that tested nothing, gives no cases. Computed
/// once per method and compilation from syntax alone (it reads no other method's facts), so the same in any order.
/// </summary>
internal static class CallerTests
{
    /// <summary>The most calls a method may have for its callers' tests to be read.</summary>
    private const int MaxCalls = 8;

    /// <summary>The most truths kept of one case.</summary>
    private const int MaxTruths = 4;

    /// <summary>The most cases kept of a method (of all its calls).</summary>
    private const int MaxCases = 8;

    /// <summary>The most enclosing statements and expressions walked up from a call.</summary>
    private const int MaxLevels = 24;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, Truths.Cases?>> Known = new();

    /// <summary>The names of each type's private methods, as they appear in its declarations.</summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, Dictionary<string, List<SimpleNameSyntax>>>> Names = new();

    /// <summary>The cases the method is called in, or null when its callers are not all known or one tested nothing.</summary>
    public static Truths.Cases? Of(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (!Candidate(method))
        {
            return null;
        }

        var table = Known.GetValue(compilation, _ => new(SymbolEqualityComparer.Default));
        if (table.TryGetValue(method, out var known))
        {
            return known;
        }

        var cases = Compute(method, compilation, cancellationToken);
        return table.GetOrAdd(method, cases);
    }

    private static bool Candidate(IMethodSymbol method) =>
        method is { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private, IsVirtual: false, IsAbstract: false, IsOverride: false, IsExtern: false, Parameters.IsEmpty: false }
        && method.ExplicitInterfaceImplementations.IsEmpty && method.ContainingType is not null;

    private static Truths.Cases? Compute(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        var names = NamesOf(method.ContainingType, compilation, cancellationToken);
        if (names is null || !names.TryGetValue(method.Name, out var uses))
        {
            return null;
        }

        var each = ImmutableArray.CreateBuilder<ImmutableHashSet<Truths.Atom>>();
        var calls = 0;
        foreach (var name in uses)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = compilation.GetSemanticModel(name.SyntaxTree);
            var info = model.GetSymbolInfo(name, cancellationToken);
            if (info.Symbol is null)
            {
                if (info.CandidateSymbols.Any(s => SymbolEqualityComparer.Default.Equals(s.OriginalDefinition, method)))
                {
                    return null;
                }

                continue;
            }

            if (!SymbolEqualityComparer.Default.Equals(info.Symbol.OriginalDefinition, method))
            {
                continue;
            }

            // Only a call: a method group (a delegate, an event handler) can be called from anywhere.
            SyntaxNode callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            if (++calls > MaxCalls || callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee
                || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation call)
            {
                return null;
            }

            var cases = CasesAt(call, compilation);
            if (cases is null || cases.Any(c => c.IsEmpty) || each.Count + cases.Count > MaxCases)
            {
                return null;
            }

            each.AddRange(cases.Where(c => !each.Any(known => known.SetEquals(c))));
        }

        return each.Count == 0 ? null : new Truths.Cases(each.ToImmutable());
    }

    /// <summary>Every use of the names of a type's private methods in its declarations (types nested in them included).</summary>
    private static Dictionary<string, List<SimpleNameSyntax>>? NamesOf(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken) =>
        Names.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(type, t =>
        {
            var wanted = new HashSet<string>(t.GetMembers().OfType<IMethodSymbol>().Where(Candidate).Select(m => m.Name), StringComparer.Ordinal);
            var found = new Dictionary<string, List<SimpleNameSyntax>>(StringComparer.Ordinal);
            foreach (var reference in t.DeclaringSyntaxReferences)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!compilation.ContainsSyntaxTree(reference.SyntaxTree))
                {
                    return null!;
                }

                foreach (var name in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    if (wanted.Contains(name.Identifier.ValueText))
                    {
                        if (!found.TryGetValue(name.Identifier.ValueText, out var list))
                        {
                            found[name.Identifier.ValueText] = list = new();
                        }

                        list.Add(name);
                    }
                }
            }

            return found;
        });

    /// <summary>
    /// The cases the caller tested on the way to the call, as the callee's atoms ("one of these sets of truths holds"):
    /// one case with no truths when it tested nothing of what it passes, none when the call cannot run, null when there
    /// are too many.
    /// </summary>
    private static List<ImmutableHashSet<Truths.Atom>>? CasesAt(IInvocationOperation call, Compilation compilation)
    {
        var passed = new List<(ISymbol Variable, IParameterSymbol Parameter)>();
        foreach (var argument in call.Arguments)
        {
            if (argument is { ArgumentKind: ArgumentKind.Explicit, Parameter: { RefKind: RefKind.None } parameter }
                && argument.Value.WalkDownConversions() switch
                {
                    ILocalReferenceOperation { Local.IsRef: false } local => (ISymbol)local.Local,
                    IParameterReferenceOperation { Parameter.RefKind: RefKind.None } given => given.Parameter,
                    _ => null,
                } is { } variable)
            {
                passed.Add((variable, parameter.OriginalDefinition));
            }
        }

        List<ImmutableHashSet<Truths.Atom>>? cases = Anything();
        var child = (IOperation)call;
        var levels = 0;
        for (var parent = call.Parent; parent is not null && passed.Count > 0 && cases is not null && levels++ < MaxLevels; child = parent, parent = parent.Parent)
        {
            // A lambda or local function runs later, after whatever the code around it did; and what runs between the
            // tests found further out and the call must leave what it passes as it was tested.
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation || Changes(child, passed, call, compilation))
            {
                break;
            }

            switch (parent)
            {
                case IConditionalOperation conditional when (child == conditional.WhenTrue || child == conditional.WhenFalse) && !Changes(conditional.Condition, passed, call, compilation):
                    cases = And(cases, Cases(conditional.Condition, child == conditional.WhenTrue, passed, compilation));
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical
                    when child == logical.RightOperand && !Changes(logical.LeftOperand, passed, call, compilation):
                    cases = And(cases, Cases(logical.LeftOperand, logical.OperatorKind == BinaryOperatorKind.ConditionalAnd, passed, compilation));
                    break;
                case IBlockOperation block:
                    // if (!entry.IsFile) continue; ... Extract(entry): the statements before the call, from the nearest.
                    for (var i = block.Operations.IndexOf(child) - 1; i >= 0 && cases is not null; i--)
                    {
                        var statement = block.Operations[i];
                        if (statement is IConditionalOperation { WhenFalse: null } guard && Exits(guard.WhenTrue) && !Changes(guard.Condition, passed, call, compilation))
                        {
                            cases = And(cases, Cases(guard.Condition, false, passed, compilation));
                        }

                        if (Changes(statement, passed, call, compilation))
                        {
                            break;
                        }
                    }

                    break;
            }
        }

        return cases;
    }

    /// <summary>
    /// The cases in which a condition has <paramref name="holds"/>, over the pure <c>bool</c> properties of what the call
    /// passes (each as the callee's parameter): anything else in it is not known, so it allows anything.
    /// </summary>
    private static List<ImmutableHashSet<Truths.Atom>>? Cases(IOperation condition, bool holds, List<(ISymbol Variable, IParameterSymbol Parameter)> passed, Compilation compilation)
    {
        switch (condition.WalkDownConversions())
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                return Cases(negation.Operand, !holds, passed, compilation);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical:
                var left = Cases(logical.LeftOperand, holds, passed, compilation);
                var right = Cases(logical.RightOperand, holds, passed, compilation);
                return (logical.OperatorKind == BinaryOperatorKind.ConditionalAnd) == holds ? And(left, right) : Or(left, right);
            case IPropertyReferenceOperation { Property: { IsIndexer: false, IsStatic: false, Type.SpecialType: SpecialType.System_Boolean } property } read
                when Truths.IsPure(property, compilation):
                var atoms = passed.Where(p => IsVariable(read.Instance, p.Variable)).Select(p => new Truths.Atom(new FlowKey.MemberKey(p.Parameter, property.OriginalDefinition), holds));
                return new() { ImmutableHashSet.CreateRange(atoms) };
            default:
                return Anything();
        }
    }

    private static List<ImmutableHashSet<Truths.Atom>> Anything() => new() { ImmutableHashSet<Truths.Atom>.Empty };

    /// <summary>Both: each case of one with each of the other, less those that contradict themselves (null when too many).</summary>
    private static List<ImmutableHashSet<Truths.Atom>>? And(List<ImmutableHashSet<Truths.Atom>>? first, List<ImmutableHashSet<Truths.Atom>>? second)
    {
        if (first is null || second is null)
        {
            return null;
        }

        var both = new List<ImmutableHashSet<Truths.Atom>>();
        foreach (var a in first)
        {
            foreach (var b in second)
            {
                // Fewer truths is a weaker case, never a wrong one.
                var joined = a.Count + b.Count > MaxTruths ? a : a.Union(b);
                if (!joined.Any(atom => joined.Contains(atom with { Value = !atom.Value })) && !both.Any(known => known.SetEquals(joined)))
                {
                    both.Add(joined);
                }
            }
        }

        return both.Count > MaxCases ? null : both;
    }

    /// <summary>Either: the cases of both (a case with no truths allows anything).</summary>
    private static List<ImmutableHashSet<Truths.Atom>>? Or(List<ImmutableHashSet<Truths.Atom>>? first, List<ImmutableHashSet<Truths.Atom>>? second)
    {
        if (first is null || second is null)
        {
            return null;
        }

        var either = first.Concat(second.Where(b => !first.Any(a => a.SetEquals(b)))).ToList();
        return either.Any(c => c.IsEmpty) ? Anything() : either.Count > MaxCases ? null : either;
    }

    /// <summary>A statement that always leaves its block: return, throw, break, continue (or a block ending in one).</summary>
    private static bool Exits(IOperation statement) => statement switch
    {
        IReturnOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } => true,
        IBlockOperation { Operations.Length: > 0 } block => Exits(block.Operations[block.Operations.Length - 1]),
        _ => false,
    };

    /// <summary>
    /// True when the code may change the variable or what its properties read: it assigns it or a member of it, passes
    /// it by reference, or gives it to a call (other than the one the tests are for) that is not pure.
    /// </summary>
    private static bool Changes(IOperation code, List<(ISymbol Variable, IParameterSymbol Parameter)> passed, IOperation call, Compilation compilation) =>
        passed.Any(p => Changes(code, p.Variable, call, compilation));

    private static bool Changes(IOperation code, ISymbol variable, IOperation call, Compilation compilation)
    {
        foreach (var operation in code.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IAssignmentOperation assignment when Rooted(assignment.Target, variable):
                case IIncrementOrDecrementOperation step when Rooted(step.Target, variable):
                case IDeconstructionAssignmentOperation:
                    return true;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byReference when Rooted(byReference.Value, variable):
                    return true;
                case IInvocationOperation invocation when invocation != call
                    && (IsVariable(invocation.Instance, variable) || invocation.Arguments.Any(a => IsVariable(a.Value, variable)))
                    && !Truths.IsPureCall(invocation.TargetMethod, compilation):
                    return true;
                case IObjectCreationOperation creation when creation.Arguments.Any(a => IsVariable(a.Value, variable)):
                    return true;
            }
        }

        return false;
    }

    private static bool IsVariable(IOperation? operation, ISymbol variable) => operation?.WalkDownConversions() switch
    {
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
        _ => false,
    };

    private static bool Rooted(IOperation? target, ISymbol variable) => target?.WalkDownConversions() switch
    {
        IMemberReferenceOperation member => Rooted(member.Instance, variable),
        IArrayElementReferenceOperation element => Rooted(element.ArrayReference, variable),
        var other => IsVariable(other, variable),
    };
}
