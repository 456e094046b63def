using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers;

/// <summary>
/// Resolvers of the program that fetch nothing by default: a type of the compilation derived from <c>XmlResolver</c>
/// whose <c>GetEntity</c> override reaches a fetch (the base <c>GetEntity</c>, another resolver's, a member of
/// <c>System.Net</c> or <c>System.IO.File</c>) only in the branch of an opt-in flag of its own
/// (<c>if (ResolveExternalResources) return base.GetEntity(...);</c>), where the resolver assigned is made with that
/// flag off: not set, set to <c>false</c>, or set from a static setting of the program that is false until the
/// application sets it.
/// </summary>
public sealed partial class XmlAnalyzer
{
    private static bool FetchesNothing(IOperation value, INamedTypeSymbol resolver)
    {
        if (value is not IObjectCreationOperation { Type: INamedTypeSymbol type } creation || type.DeclaringSyntaxReferences.IsEmpty
            || value.SemanticModel?.Compilation is not { } compilation)
        {
            return false;
        }

        var getEntity = Override(type, "GetEntity");
        if (getEntity is null || getEntity.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var syntax = getEntity.DeclaringSyntaxReferences[0].GetSyntax();
        if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return false;
        }

#pragma warning disable RS1030 // Only for a resolver of the program assigned to XmlResolver: its GetEntity, once.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
        if (body is null)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (Fetches(operation, resolver) && !(OptInFlag(operation, type) is { } flag && IsOff(flag, creation)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The nearest override of the member on the type or a base type (the framework's own when none of the program's).</summary>
    private static IMethodSymbol? Override(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => m.IsOverride) is { } found)
            {
                return found;
            }

            if (current.DeclaringSyntaxReferences.IsEmpty)
            {
                // A framework resolver (XmlUrlResolver) fetches.
                return current.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault();
            }
        }

        return null;
    }

    private static bool Fetches(IOperation operation, INamedTypeSymbol resolver) => operation switch
    {
        IInvocationOperation { TargetMethod: { Name: "GetEntity" or "GetEntityAsync" } method } => method.ContainingType.InheritsFromOrEquals(resolver),
        IInvocationOperation { TargetMethod.ContainingType: { } owner } => IsFetching(owner),
        IObjectCreationOperation { Type: { } created } => IsFetching(created),
        _ => false,
    };

    private static bool IsFetching(ITypeSymbol type) =>
        type.ContainingNamespace?.ToDisplayString() is { } ns
        && (ns.StartsWith("System.Net", StringComparison.Ordinal) || ns == "System.IO" && type.Name is "File" or "FileStream" or "FileInfo" or "StreamReader");

    /// <summary>The bool property or field of the resolver itself whose true branch holds the operation, or null.</summary>
    private static ISymbol? OptInFlag(IOperation operation, INamedTypeSymbol type)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation branch && branch.WhenTrue == child
                && branch.Condition.WalkDownConversions() is IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation, Member: var member }
                && member is IPropertySymbol { Type.SpecialType: SpecialType.System_Boolean } or IFieldSymbol { Type.SpecialType: SpecialType.System_Boolean }
                && type.InheritsFromOrEquals(member.ContainingType))
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>
    /// The flag is off where the resolver is made: its declaration does not start it true, and the creation's
    /// initializer leaves it, sets it false, or sets it from a static setting of the program that starts false.
    /// </summary>
    private static bool IsOff(ISymbol flag, IObjectCreationOperation creation)
    {
        if (StartsTrue(flag))
        {
            return false;
        }

        foreach (var assignment in creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>() ?? Enumerable.Empty<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is not IMemberReferenceOperation target || !SymbolEqualityComparer.Default.Equals(target.Member, flag))
            {
                continue;
            }

            var set = assignment.Value.WalkDownConversions();
            return set.ConstantValue is { HasValue: true, Value: false }
                || set is IMemberReferenceOperation { Instance: null, Member: var setting } && setting is IPropertySymbol or IFieldSymbol
                    && !setting.DeclaringSyntaxReferences.IsEmpty && !StartsTrue(setting);
        }

        return true;
    }

    /// <summary>A property or field declared with an initializer that is not the constant false.</summary>
    private static bool StartsTrue(ISymbol member) =>
        Operations.DeclaredInitializer(member) is { } initializer && !initializer.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.FalseLiteralExpression);
}
