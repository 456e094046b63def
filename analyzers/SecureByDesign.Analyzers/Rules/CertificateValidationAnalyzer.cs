using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3003: TLS certificate validation turned off. A certificate validation callback is any delegate
/// that takes <c>SslPolicyErrors</c> and returns <c>bool</c>; it is flagged when every return is
/// <c>true</c>, or when it never reads the policy errors, the certificate or the chain (its answer
/// cannot depend on the certificate). Also flags <c>DangerousAcceptAnyServerCertificateValidator</c>
/// and revocation checks turned off.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CertificateValidationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property that tells the fixer which change to make.</summary>
    public const string FixKey = "Fix";
    public const string FixRemoveOverride = "RemoveOverride";
    public const string FixEnableRevocation = "EnableRevocation";

    private const string RemoveOverride = "remove the override and let the platform validate the chain, or pin the publisher's certificate";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CertificateValidationDisabled);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var policyErrors = WellKnownTypes.For(start.Compilation).Get("System.Net.Security.SslPolicyErrors");
            if (policyErrors is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeDelegate(c, policyErrors), OperationKind.DelegateCreation);
            start.RegisterOperationAction(AnalyzePropertyReference, OperationKind.PropertyReference);
            start.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeDelegate(OperationAnalysisContext context, INamedTypeSymbol policyErrors)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke }
            || invoke.ReturnType.SpecialType != SpecialType.System_Boolean
            || !invoke.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, policyErrors)))
        {
            return;
        }

        var (method, body) = creation.Target switch
        {
            IAnonymousFunctionOperation lambda => (lambda.Symbol, lambda.Syntax),
            IMethodReferenceOperation reference => (reference.Method, Body(reference.Method)),
            _ => (null, null),
        };
        if (method is null || body is null)
        {
            return;
        }

        var reason = AcceptsAnyCertificate(method, body);
        if (reason is null)
        {
            return;
        }

        Report(context, creation, FixRemoveOverride, $"The certificate validation callback '{creation.Describe()}'", reason, RemoveOverride);
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.Name == "DangerousAcceptAnyServerCertificateValidator" && reference.Property.IsStatic)
        {
            Report(context, reference, FixRemoveOverride, "'HttpClientHandler.DangerousAcceptAnyServerCertificateValidator'", "accepts every server certificate", RemoveOverride);
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property } || !IsNetworkOrCryptography(property.ContainingType))
        {
            return;
        }

        var value = assignment.Value.WalkDownConversions().ConstantValue;
        var disabled = property.Name switch
        {
            "CheckCertificateRevocationList" => value is { HasValue: true, Value: false },
            "CertificateRevocationCheckMode" => property.Type.Name == "X509RevocationMode" && value is { HasValue: true, Value: 0 },
            "RevocationMode" => property.Type.Name == "X509RevocationMode" && value is { HasValue: true, Value: 0 },
            _ => false,
        };
        if (disabled)
        {
            Report(context, assignment.Value, FixEnableRevocation, $"'{assignment.Describe()}'", "turns off the check that a revoked publisher or server certificate is refused", "check revocation online");
        }
    }

    /// <summary>Why the callback accepts any certificate, or null when its answer depends on the certificate.</summary>
    private static string? AcceptsAnyCertificate(IMethodSymbol method, SyntaxNode body)
    {
        var returns = ReturnedExpressions(body).ToList();
        if (returns.Count > 0 && returns.All(r => r.IsKind(SyntaxKind.TrueLiteralExpression)))
        {
            return "returns true for every certificate";
        }

        if (returns.All(r => r.IsKind(SyntaxKind.FalseLiteralExpression)))
        {
            return null;
        }

        // Parameters that a real check reads: the policy errors, the certificate, the chain.
        var inspected = method.Parameters
            .Where(p => p.Type.Name is "SslPolicyErrors" or "X509Certificate" or "X509Certificate2" or "X509Chain")
            .Select(p => p.Name)
            .ToImmutableHashSet();
        var readsCertificate = body.DescendantNodes()
            .OfType<IdentifierNameSyntax>()
            .Any(identifier => inspected.Contains(identifier.Identifier.ValueText));
        return readsCertificate ? null : "decides without reading the SslPolicyErrors, the certificate or the chain";
    }

    private static IEnumerable<ExpressionSyntax> ReturnedExpressions(SyntaxNode body)
    {
        switch (body)
        {
            case LambdaExpressionSyntax { ExpressionBody: { } expression }:
                yield return Unwrap(expression);
                yield break;
            case MethodDeclarationSyntax { ExpressionBody.Expression: { } expression }:
                yield return Unwrap(expression);
                yield break;
            case LocalFunctionStatementSyntax { ExpressionBody.Expression: { } expression }:
                yield return Unwrap(expression);
                yield break;
        }

        foreach (var node in body.DescendantNodes(n => n == body || !(n is LambdaExpressionSyntax or AnonymousMethodExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ReturnStatementSyntax { Expression: { } returned })
            {
                yield return Unwrap(returned);
            }
        }
    }

    private static ExpressionSyntax Unwrap(ExpressionSyntax expression) =>
        expression is ParenthesizedExpressionSyntax parenthesized ? Unwrap(parenthesized.Expression) : expression;

    private static SyntaxNode? Body(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { } syntax
            && syntax is MethodDeclarationSyntax or LocalFunctionStatementSyntax
            ? syntax
            : null;

    private static bool IsNetworkOrCryptography(INamedTypeSymbol? type)
    {
        var ns = type?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns.StartsWith("System.Net", StringComparison.Ordinal) || ns.StartsWith("System.Security.Cryptography", StringComparison.Ordinal);
    }

    private static void Report(OperationAnalysisContext context, IOperation at, string fix, string what, string reason, string remedy) =>
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.CertificateValidationDisabled,
            at.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(FixKey, fix),
            what,
            reason,
            remedy));
}
