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

    /// <summary>The most truths kept of one call.</summary>
    private const int MaxTruths = 4;

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
            if (each.Count == MaxCalls || callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee
                || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation call)
            {
                return null;
            }

            var truths = TruthsAt(call, compilation);
            if (truths.IsEmpty)
            {
                return null;
            }

            each.Add(truths);
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

    /// <summary>The truths of the call's arguments' properties that its caller tested on the way to it, as the callee's atoms.</summary>
    private static ImmutableHashSet<Truths.Atom> TruthsAt(IInvocationOperation call, Compilation compilation)
    {
        var truths = ImmutableHashSet<Truths.Atom>.Empty;
        foreach (var argument in call.Arguments)
        {
            if (argument is { ArgumentKind: ArgumentKind.Explicit, Parameter: { RefKind: RefKind.None } parameter }
                && argument.Value.WalkDownConversions() switch
                {
                    ILocalReferenceOperation { Local.IsRef: false } local => (ISymbol)local.Local,
                    IParameterReferenceOperation { Parameter.RefKind: RefKind.None } passed => passed.Parameter,
                    _ => null,
                } is { } variable)
            {
                foreach (var (property, value) in Tested(call, variable, compilation))
                {
                    if (truths.Count < MaxTruths)
                    {
                        truths = truths.Add(new Truths.Atom(new FlowKey.MemberKey(parameter.OriginalDefinition, property), value));
                    }
                }
            }
        }

        return truths;
    }

    /// <summary>The pure <c>bool</c> properties of <paramref name="variable"/> tested on the way to the call, with the truth each has there.</summary>
    private static List<(IPropertySymbol Property, bool Value)> Tested(IOperation call, ISymbol variable, Compilation compilation)
    {
        var found = new List<(IPropertySymbol, bool)>();
        var child = call;
        var levels = 0;
        for (var parent = call.Parent; parent is not null && levels++ < MaxLevels; child = parent, parent = parent.Parent)
        {
            // A lambda or local function runs later, after whatever the code around it did.
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
            {
                break;
            }

            // What runs between the tests found further out and the call must leave the variable as it was tested.
            if (Changes(child, variable, call, compilation))
            {
                break;
            }

            switch (parent)
            {
                case IConditionalOperation conditional when child == conditional.WhenTrue || child == conditional.WhenFalse:
                    if (!Changes(conditional.Condition, variable, call, compilation))
                    {
                        Collect(conditional.Condition, child == conditional.WhenTrue, variable, compilation, found);
                    }

                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical when child == logical.RightOperand:
                    if (!Changes(logical.LeftOperand, variable, call, compilation))
                    {
                        Collect(logical.LeftOperand, logical.OperatorKind == BinaryOperatorKind.ConditionalAnd, variable, compilation, found);
                    }

                    break;
                case IBlockOperation block:
                    // if (!entry.IsFile) continue; ... Extract(entry): the statements before the call, from the nearest.
                    var index = block.Operations.IndexOf(child);
                    for (var i = index - 1; i >= 0; i--)
                    {
                        var statement = block.Operations[i];
                        if (statement is IConditionalOperation { WhenFalse: null } guard && Exits(guard.WhenTrue) && !Changes(guard.Condition, variable, call, compilation))
                        {
                            Collect(guard.Condition, false, variable, compilation, found);
                        }

                        if (Changes(statement, variable, call, compilation))
                        {
                            break;
                        }
                    }

                    break;
            }
        }

        return found;
    }

    /// <summary>The truths a condition gives the variable's pure <c>bool</c> properties where it has <paramref name="holds"/>.</summary>
    private static void Collect(IOperation condition, bool holds, ISymbol variable, Compilation compilation, List<(IPropertySymbol, bool)> found)
    {
        switch (condition.WalkDownConversions())
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                Collect(negation.Operand, !holds, variable, compilation, found);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when holds:
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when !holds:
                var logical = (IBinaryOperation)condition.WalkDownConversions();
                Collect(logical.LeftOperand, holds, variable, compilation, found);
                Collect(logical.RightOperand, holds, variable, compilation, found);
                break;
            case IPropertyReferenceOperation { Property: { IsIndexer: false, IsStatic: false, Type.SpecialType: SpecialType.System_Boolean } property } read
                when IsVariable(read.Instance, variable) && Truths.IsPure(property, compilation):
                found.Add((property.OriginalDefinition, holds));
                break;
        }
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
