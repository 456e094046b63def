using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers;

/// <summary>SBD1001: a TypeNameHandling constant handed to a method that only compares with it sets nothing.</summary>
public sealed partial class DeserializationAnalyzer
{
    /// <summary>
    /// Parameters of methods of this compilation that the body only tests (<c>HasFlag(handling, flag)</c>,
    /// <c>(value &amp; flag) == flag</c>, a switch or <c>is</c> pattern that declares nothing), or hands on to a parameter
    /// that does, at most <see cref="MaxDepth"/> calls deep: a constant passed to one is a question, not a setting. A body
    /// that could be replaced (virtual, abstract, extern), or that stores, returns or passes the value anywhere else,
    /// is taken to set it. Each answer is worked out once per compilation and depth.
    /// </summary>
    private sealed class TestedParameters
    {
        private const int MaxDepth = 3;

        private readonly Compilation compilation;
        private readonly ConcurrentDictionary<(IParameterSymbol Parameter, int Depth), bool> answers = new();

        public TestedParameters(Compilation compilation) => this.compilation = compilation;

        public bool OnlyTested(IParameterSymbol parameter, int depth, CancellationToken cancellationToken) =>
            depth <= MaxDepth && answers.GetOrAdd((parameter.OriginalDefinition, depth), key => Work(key.Parameter, key.Depth, cancellationToken));

        private bool Work(IParameterSymbol parameter, int depth, CancellationToken cancellationToken)
        {
            if (parameter.RefKind != RefKind.None
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

#pragma warning disable RS1030 // Read only for a constant other than None passed to a method of the compilation: rare, and once.
            var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
#pragma warning restore RS1030
            if (body is null)
            {
                return false;
            }

            var uses = body.Descendants().OfType<IParameterReferenceOperation>()
                .Where(reference => SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
                .ToList();
            return uses.Count > 0 && uses.All(use => IsTest(use, depth, cancellationToken));
        }

        private bool IsTest(IOperation use, int depth, CancellationToken cancellationToken)
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
                IBinaryOperation { OperatorKind: BinaryOperatorKind.And } and => IsTest(and, depth, cancellationToken),
                IIsPatternOperation or ISwitchOperation or ISwitchExpressionOperation => !Declares(parent.Syntax),
                IInvocationOperation { TargetMethod.Name: "HasFlag", TargetMethod.ContainingType.SpecialType: SpecialType.System_Enum } => true,
                IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "HasFlag", TargetMethod.ContainingType.SpecialType: SpecialType.System_Enum } } => true,
                IArgumentOperation { Parameter: { } next } => OnlyTested(next, depth + 1, cancellationToken),
                _ => false,
            };
        }

        /// <summary>A pattern that binds the value to a new variable (<c>is var x</c>, <c>case TypeNameHandling h:</c>) passes it on.</summary>
        private static bool Declares(SyntaxNode syntax) =>
            syntax.DescendantNodes().Any(node => node is SingleVariableDesignationSyntax or ParenthesizedVariableDesignationSyntax);
    }
}
