using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers;

/// <summary>SBD1001: a TypeNameHandling constant handed to a method that only compares with it sets nothing.</summary>
public sealed partial class DeserializationAnalyzer
{
    private const int MaxTestDepth = 3;

    /// <summary>
    /// A parameter of a method of this compilation that the body only tests (<c>HasFlag(handling, flag)</c>,
    /// <c>(value &amp; flag) == flag</c>, a switch, an <c>is</c> pattern), or hands on to a parameter that does: a
    /// constant passed to it is a question, not a setting. A body that could be replaced (virtual, abstract, extern)
    /// or that stores, returns or passes the value anywhere else is taken to set it.
    /// </summary>
    private static bool OnlyTested(IParameterSymbol parameter, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxTestDepth
            || parameter.ContainingSymbol is not IMethodSymbol { IsVirtual: false, IsAbstract: false, IsOverride: false, IsExtern: false } method
            || method.DeclaringSyntaxReferences.Length != 1
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
        {
            return false;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return false;
        }

#pragma warning disable RS1030 // Read only for a constant other than None passed to a method of the compilation: rare.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
#pragma warning restore RS1030
        if (body is null)
        {
            return false;
        }

        var uses = body.Descendants().OfType<IParameterReferenceOperation>()
            .Where(reference => SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter.OriginalDefinition))
            .ToList();
        return uses.Count > 0 && uses.All(use => IsTest(use, compilation, depth, cancellationToken));
    }

    private static bool IsTest(IOperation use, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        var parent = use.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            use = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.And } and => IsTest(and, compilation, depth, cancellationToken),
            IIsPatternOperation or ISwitchOperation or ISwitchExpressionOperation => true,
            IInvocationOperation { TargetMethod.Name: "HasFlag", TargetMethod.ContainingType.SpecialType: SpecialType.System_Enum } => true,
            IArgumentOperation { Parameter: { } next, Parent: IInvocationOperation { TargetMethod.Name: "HasFlag", TargetMethod.ContainingType.SpecialType: SpecialType.System_Enum } } => true,
            IArgumentOperation { Parameter: { } next } => OnlyTested(next, compilation, depth + 1, cancellationToken),
            _ => false,
        };
    }
}
