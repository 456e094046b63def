using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Paths that stay contained when they are passed on: a local assigned a contained path (or its full form, or its
/// directory), and the result of a name transform of the compilation that checks containment itself
/// (<c>targetName = nameTransform.TransformFile(targetName)</c>, where the transform throws for a name outside its base
/// directory). A call through an interface or a virtual method counts when every implementation the call can reach
/// checks: those of the types a private field is only ever assigned instances of, or else all the compilation's.
/// </summary>
internal static partial class PathContainment
{
    private const int MaxTransformDepth = 3;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, bool>> CheckedReturns = new();

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IFieldSymbol, IReadOnlyList<INamedTypeSymbol>>> FieldTypes = new();

    /// <summary>Per method called, per private field it is called through (the method itself for any other receiver).</summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, ConcurrentDictionary<ISymbol, bool>>> Calls = new();

    /// <summary>
    /// After <c>key = value</c> (with <see cref="Carried"/> read before the store): the containment of the value becomes the key's, when the value is a contained path, its
    /// <c>Path.GetFullPath</c> or <c>Path.GetDirectoryName</c>, or the result of a transform that checks.
    /// </summary>
    public static FlowState Assigned(object key, ValueFact? contained, FlowState state) =>
        contained is null ? state : state.Refine(Key(key), contained);

    /// <summary>The containment a string value carries to the location it is stored in (read before the store).</summary>
    public static ValueFact? Carried(IOperation value, FlowState state, FlowContext context) =>
        value.Type?.SpecialType == SpecialType.System_String ? ContainedValue(value, state, context) : null;

    /// <summary>The containment fact of a value (not only of a tracked location), or null.</summary>
    public static ValueFact? ContainedValue(IOperation value, FlowState state, FlowContext context, int depth = 0)
    {
        value = Uncaptured(value, context);
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (value)
        {
            case IInvocationOperation { TargetMethod.Name: "GetFullPath" or "GetDirectoryName", TargetMethod.ContainingType.Name: "Path", Arguments.Length: 1 } derived:
                // The full form of a contained path is the same path; its directory is the root or under it.
                return ContainedValue(derived.Arguments[0].Value, state, context, depth + 1);
            case IInvocationOperation call when context.Compilation is { } compilation && ReturnsChecked(call, compilation, 0):
                return ValueFact.Constant(1);
            default:
                return FlowKey.Of(value) is { } key && state[Key(key)] is { Lower: not null } fact ? fact : null;
        }
    }

    /// <summary>
    /// True when the call returns a string its callee checked for containment: a method of the compilation whose body
    /// has a containment check of a path built from its own parameters or locals (or calls such a transform); through an
    /// interface or virtual method, every implementation the receiver can be.
    /// </summary>
    private static bool ReturnsChecked(IInvocationOperation call, Compilation compilation, int depth)
    {
        var method = call.TargetMethod.OriginalDefinition;
        if (method.ReturnType.SpecialType != SpecialType.System_String || depth > MaxTransformDepth
            || !method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String))
        {
            return false;
        }

        var field = call.Instance?.WalkDownConversions() is IFieldReferenceOperation { Field: { DeclaredAccessibility: Accessibility.Private } held } ? held.OriginalDefinition : null;
        if (depth > 0)
        {
            return AllCheck(method, field, compilation, depth);
        }

        return Calls.GetValue(compilation, _ => new(SymbolEqualityComparer.Default))
            .GetOrAdd(method, _ => new(SymbolEqualityComparer.Default))
            .GetOrAdd((ISymbol?)field ?? method, _ => AllCheck(method, field, compilation, 0));
    }

    private static bool AllCheck(IMethodSymbol method, IFieldSymbol? field, Compilation compilation, int depth)
    {
        var targets = Targets(method, field, compilation);
        return targets.Count > 0 && targets.All(target => Checks(target, compilation, depth));
    }

    /// <summary>The bodies a call may run: the method's own, or for a dispatched call, the implementations it can reach.</summary>
    private static IReadOnlyList<IMethodSymbol> Targets(IMethodSymbol method, IFieldSymbol? field, Compilation compilation)
    {
        var dispatched = method.ContainingType?.TypeKind == TypeKind.Interface || method.IsAbstract || ((method.IsVirtual || method.IsOverride) && !method.IsSealed);
        if (!dispatched)
        {
            return new[] { method };
        }

        if (field is not null
            && FieldTypes.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(field.OriginalDefinition, f => CreatedTypes(f, compilation)) is { Count: > 0 } types)
        {
            // A private field only ever assigned new T(...): the call runs T's implementation.
            var implementations = new List<IMethodSymbol>();
            foreach (var type in types)
            {
                if (Implementation(type, method) is not { } implementation)
                {
                    return Array.Empty<IMethodSymbol>();
                }

                implementations.Add(implementation);
            }

            return implementations;
        }

        var all = SourceTypes.Implementations(method, compilation).ToList();
        if (!method.IsAbstract && method.ContainingType?.TypeKind != TypeKind.Interface)
        {
            // A virtual method with a body: it and every override of it in the compilation.
            all.Add(method);
            all.AddRange(SourceTypes.Of(compilation).SelectMany(t => t.GetMembers(method.Name).OfType<IMethodSymbol>())
                .Where(m => Overrides(m, method)));
        }

        return all;
    }

    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol method)
    {
        for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The method a created type runs for an interface or virtual method; null when it cannot be told.</summary>
    private static IMethodSymbol? Implementation(INamedTypeSymbol type, IMethodSymbol method)
    {
        if (method.ContainingType?.TypeKind == TypeKind.Interface)
        {
            return type.FindImplementationForInterfaceMember(method) as IMethodSymbol;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var candidate in current.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method) || Overrides(candidate, method))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The types a private field is ever given: its initializer and every assignment in its type are <c>new T(...)</c>
    /// (or null). Empty when any store is something else (a parameter, a call, a ref argument): then it can be anything.
    /// </summary>
    private static IReadOnlyList<INamedTypeSymbol> CreatedTypes(IFieldSymbol field, Compilation compilation)
    {
        var types = new List<INamedTypeSymbol>();
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            if (!compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                return Array.Empty<INamedTypeSymbol>();
            }

#pragma warning disable RS1030 // The field's type is read once per call site of a dispatched transform.
            var model = compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
            foreach (var node in declaration.DescendantNodes())
            {
                var stored = node switch
                {
                    AssignmentExpressionSyntax assignment when Names(model, assignment.Left, field) => assignment.Right,
                    VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator when SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator), field) => initial,
                    ArgumentSyntax { RefKindKeyword.RawKind: not 0 } passed when Names(model, passed.Expression, field) => passed.Expression,
                    _ => null,
                };
                if (stored is null)
                {
                    continue;
                }

                if (stored is LiteralExpressionSyntax literal && literal.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NullLiteralExpression))
                {
                    continue;
                }

                if (stored is not (ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax) || model.GetTypeInfo(stored).Type is not INamedTypeSymbol created)
                {
                    return Array.Empty<INamedTypeSymbol>();
                }

                if (!types.Contains(created, SymbolEqualityComparer.Default))
                {
                    types.Add(created);
                }
            }
        }

        return types;
    }

    private static bool Names(SemanticModel model, ExpressionSyntax expression, IFieldSymbol field) =>
        expression is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }
        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(expression).Symbol?.OriginalDefinition, field);

    /// <summary>
    /// True when the method's body checks the containment of a path it holds in a parameter or local
    /// (<c>Path.GetFullPath(name).StartsWith(root)</c>, with a root that ends with a separator: a check against
    /// <c>/data/out</c> lets <c>/data/outside</c> through), or returns through another transform that does. Cached for the
    /// calls the analyzed code makes (depth 0), so the answer does not depend on which call asked first.
    /// </summary>
    private static bool Checks(IMethodSymbol method, Compilation compilation, int depth) =>
        depth == 0
            ? CheckedReturns.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m => ChecksUncached(m, compilation, 0))
            : ChecksUncached(method.OriginalDefinition, compilation, depth);

    private static bool ChecksUncached(IMethodSymbol m, Compilation compilation, int depth)
    {
        if (m.DeclaringSyntaxReferences.IsEmpty || m.IsAbstract || m.IsExtern
            || !SymbolEqualityComparer.Default.Equals(m.ContainingAssembly, compilation.Assembly)
            || m.DeclaringSyntaxReferences[0].GetSyntax() is not { } syntax || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return false;
        }

#pragma warning disable RS1030 // A transform's body is read once per compilation.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
        return body is not null && body.Descendants().OfType<IInvocationOperation>().Any(invocation =>
            (IsPrefixCheck(invocation) && NormalizedKeys(invocation.Instance!, compilation).Any(key => key is IParameterSymbol or ILocalSymbol)
                && RootEndsWithSeparator(invocation.Arguments[0].Value, compilation))
            || (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, m) && ReturnsChecked(invocation, compilation, depth + 1)));
    }
}
