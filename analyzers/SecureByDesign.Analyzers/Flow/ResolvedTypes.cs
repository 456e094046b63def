using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A type resolved from a name and checked before any use: <c>var type = binder.GetType(name);</c> followed, later in the
/// same method, by an <c>if</c> that throws or returns when the type (its <c>FullName</c>, <c>Name</c>,
/// <c>AssemblyQualifiedName</c> or <c>Namespace</c>) is one the program names, or is not: <c>type.FullName.Equals("...")</c>,
/// <c>type == typeof(T)</c>, <c>Allowed.Contains(type)</c>. An allow list or a deny list; not
/// <c>IsAssignableFrom</c>, which every type implementing a common interface passes.
/// </summary>
internal static class ResolvedTypes
{
    /// <summary>True when the call's result is stored in a local that an exiting <c>if</c> after it compares with the program's names.</summary>
    public static bool CheckedAfter(IOperation invocation, SemanticModel? model)
    {
        var stored = invocation.Parent is IConversionOperation conversion ? conversion.Parent : invocation.Parent;
        ILocalSymbol? local = stored switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
        if (local is null || local.Type.Name != nameof(Type))
        {
            return false;
        }

        // The flow engine sees the method through its control flow graph: read the checks from the method's own body.
        var member = invocation.Syntax.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax);
        if (member is null || model?.GetOperation(member) is not { } top)
        {
            return false;
        }

        var names = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { local };
        return top.Descendants().OfType<IConditionalOperation>().Any(branch =>
            branch.Syntax.SpanStart > invocation.Syntax.SpanStart
            && TypeHelpers.Exits(branch.WhenTrue)
            && branch.Condition.DescendantsAndSelf().Any(c => TypeHelpers.IsNameCheck(c, names)));
    }
}
