using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Methods that never return: <c>[DoesNotReturn]</c> (not <c>[Conditional]</c>: <c>Debug.Fail</c> is gone from a
/// release build), or a method of the compilation that cannot be overridden whose body is one throw
/// (<c>static void ThrowProtoException(string message) =&gt; throw new ProtoException(message);</c>), not async (its
/// exception goes into the task it returns). Read from the
/// attributes and the declaration's syntax, without binding the body.
/// </summary>
internal static class NeverReturning
{
    public static bool Is(IMethodSymbol method, Compilation? compilation)
    {
        if (method.GetAttributes().Any(a => a.AttributeClass?.Name == "ConditionalAttribute"))
        {
            return false;
        }

        if (method.GetAttributes().Any(a => a.AttributeClass?.Name == "DoesNotReturnAttribute"))
        {
            return true;
        }

        method = method.OriginalDefinition;
        if (compilation is null || method.IsAsync || method.DeclaringSyntaxReferences.Length != 1 || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly)
            || ((method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed))
        {
            return false;
        }

        return method.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            BaseMethodDeclarationSyntax declaration => OneThrow(declaration.ExpressionBody, declaration.Body),
            LocalFunctionStatementSyntax local => OneThrow(local.ExpressionBody, local.Body),
            _ => false,
        };
    }

    /// <summary>
    /// A block of the graph that ends in a statement calling a method that never returns (<c>default:
    /// ThrowHelper.ThrowProtoException(...); break;</c>): the path through it goes no further.
    /// </summary>
    public static bool Ends(BasicBlock block, Compilation? compilation) =>
        block.Operations.LastOrDefault() is IExpressionStatementOperation { Operation: IInvocationOperation call }
        && Is(call.TargetMethod, compilation);

    private static bool OneThrow(ArrowExpressionClauseSyntax? expression, BlockSyntax? body) =>
        expression?.Expression is ThrowExpressionSyntax || body is { Statements.Count: 1 } block && block.Statements[0] is ThrowStatementSyntax;
}
