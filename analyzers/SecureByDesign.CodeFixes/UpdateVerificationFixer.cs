using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3001: with SecureByDesign.Updates referenced and one target listing in scope (a <c>TargetFile</c> from verified TUF
/// metadata), checks the downloaded bytes against it: <c>if (!listing.Verify(data)) throw new SecurityException(...)</c>.
/// Otherwise calls the project's update verifier (a static method marked <c>[UpdateVerifier]</c> that takes the data)
/// before the sink: <c>if (!Verifier(data)) throw new SecurityException(...)</c> for one that returns bool, or
/// <c>Verifier(data);</c> for one that throws; Fix All verifies each data once per member, before its first sink. Not offered when the project has no such method: the fix does not
/// invent a verifier, because a verifier is keys and policy that only the vendor can supply.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UpdateVerificationFixer))]
public sealed class UpdateVerificationFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnverifiedUpdate);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) => null;

    protected override async Task<string?> TitleAsync(Document document, Diagnostic diagnostic, SyntaxNode root, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model is not null && Target(diagnostic, root, model) is { } plan
            ? plan.Listing is { } listing ? $"Verify against the TUF listing '{listing.Name}'" : $"Verify with {plan.Verifier!.Name}"
            : null;
    }

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Target(diagnostic, editor.OriginalRoot, editor.SemanticModel) is not { } plan
            || diagnostic.Properties[UpdateVerificationAnalyzer.DataKey] is not { } data
            || !done.Add((plan.Statement.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)plan.Statement, data)))
        {
            return;
        }

        var generator = editor.Generator;
        var call = plan.Listing is { } listing
            ? generator.InvocationExpression(generator.MemberAccessExpression(generator.IdentifierName(listing.Name), "Verify"), SyntaxFactory.ParseExpression(data))
            : generator.InvocationExpression(
                generator.MemberAccessExpression(generator.TypeExpression(plan.Verifier!.ContainingType), plan.Verifier.Name),
                SyntaxFactory.ParseExpression(data));
        SyntaxNode check;
        if (plan.Listing is not null || plan.Verifier!.ReturnType.SpecialType == SpecialType.System_Boolean)
        {
            var message = plan.Listing is not null ? $"'{data}' does not match its signed listing." : $"'{data}' failed signature verification.";
            check = Rejection(generator, editor.SemanticModel.Compilation, generator.LogicalNotExpression(call), Security, generator.LiteralExpression(message));
        }
        else
        {
            check = generator.ExpressionStatement(call);
        }

        editor.InsertBefore(plan.Statement, check.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation));
    }

    private sealed record Plan(StatementSyntax Statement, IMethodSymbol? Verifier, ISymbol? Listing);

    /// <summary>The statement to verify before, and a TUF listing in scope or the project's verifier that accepts the data.</summary>
    private static Plan? Target(Diagnostic diagnostic, SyntaxNode root, SemanticModel model)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax data
            || !IsPlainName(data.ToString())
            || StatementInBlock(data) is not { } statement
            || model.GetTypeInfo(data).Type is not { } dataType)
        {
            return null;
        }

        // A listing of SecureByDesign.Updates (TargetFile) declared before the statement: a local, a parameter, a field or property.
        // Only when it is the one listing in scope: with several, which one describes the data is the developer's call.
        var listings = dataType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte }
            ? model.LookupSymbols(statement.SpanStart)
                .Where(s => TypeOfSymbol(s) is { Name: "TargetFile" } type && type.ContainingNamespace?.ToDisplayString() == "SecureByDesign.Updates.Model"
                    && (s is not ILocalSymbol || s.Locations.FirstOrDefault()?.SourceSpan.Start < statement.SpanStart))
                .Take(2)
                .ToList()
            : [];
        var listing = listings.Count == 1 ? listings[0] : null;
        if (listing is not null)
        {
            return new Plan(statement, null, listing);
        }

        var verifier = Verifiers.GetValue(model.Compilation, FindVerifiers)
            .Where(m => model.Compilation.ClassifyConversion(dataType, m.Parameters[0].Type).IsImplicit
                && model.IsAccessible(data.SpanStart, m))
            .OrderBy(m => m.ReturnsVoid)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return verifier is null ? null : new Plan(statement, verifier, null);
    }

    /// <summary>The project's static one-argument [UpdateVerifier] methods, found once per compilation.</summary>
    private static readonly ConditionalWeakTable<Compilation, IReadOnlyList<IMethodSymbol>> Verifiers = new();

    private static IReadOnlyList<IMethodSymbol> FindVerifiers(Compilation compilation) =>
        compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member)
            .OfType<IMethodSymbol>()
            .Where(m => m.IsStatic && m.Parameters.Length == 1 && m.GetAttributes().Any(a => a.AttributeClass?.Name == "UpdateVerifierAttribute")
                && (m.ReturnsVoid || m.ReturnType.SpecialType == SpecialType.System_Boolean))
            .ToList();

    private static ITypeSymbol? TypeOfSymbol(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };
}
