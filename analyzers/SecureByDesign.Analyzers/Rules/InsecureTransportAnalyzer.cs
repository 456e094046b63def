using System.Net;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3006: content fetched over plain http:// or ftp://. Looks at every address handed to a
/// System.Net API (a <c>Uri</c> parameter, a string parameter named <c>requestUri</c>, <c>address</c>
/// or <c>requestUriString</c>, a <c>BaseAddress</c> or <c>RequestUri</c> property) and follows it to the
/// string it was made from: a literal, a constant, a <c>new Uri("...")</c>, a local or field initialized
/// with one, the left side of a concatenation or the start of an interpolation. Loopback addresses are
/// not flagged: they never leave the machine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InsecureTransportAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> AddressParameters = ImmutableHashSet.Create("requestUri", "address", "requestUriString");
    private static readonly ImmutableHashSet<string> AddressProperties = ImmutableHashSet.Create("BaseAddress", "RequestUri");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InsecureTransport);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeArguments, OperationKind.Invocation, OperationKind.ObjectCreation);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
    }

    private static void AnalyzeArguments(OperationAnalysisContext context)
    {
        var (method, arguments) = context.Operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
            IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null || !IsNetworkApi(method.ContainingType))
        {
            return;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter
                && argument.ArgumentKind != ArgumentKind.DefaultValue
                && (IsUri(parameter.Type) || (parameter.Type.SpecialType == SpecialType.System_String && AddressParameters.Contains(parameter.Name))))
            {
                Check(context, argument.Value, method.ShortName());
            }
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property: var property }
            && AddressProperties.Contains(property.Name)
            && IsNetworkApi(property.ContainingType))
        {
            Check(context, assignment.Value, property.ShortName());
        }
    }

    private static void Check(OperationAnalysisContext context, IOperation value, string api)
    {
        var (url, literal) = Resolve(value, depth: 0);
        if (url is null || Scheme(url) is not { } scheme || IsLoopback(url))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.InsecureTransport,
            value.Syntax.GetLocation(),
            literal is null ? null : new[] { literal.GetLocation() },
            api,
            url,
            scheme));
    }

    /// <summary>The address text and, when it starts in one string literal, that literal (what the fixer edits).</summary>
    private static (string? Url, LiteralExpressionSyntax? Literal) Resolve(IOperation value, int depth)
    {
        if (depth > 4)
        {
            return (null, null);
        }

        value = value.WalkDownConversions();
        switch (value)
        {
            case ILiteralOperation when value.TryGetString(out var text):
                return (text, value.Syntax as LiteralExpressionSyntax);
            case IObjectCreationOperation creation when IsUri(creation.Type) && creation.Arguments.Length > 0:
                return Resolve(creation.Arguments[0].Value, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                var (left, literal) = Resolve(binary.LeftOperand, depth + 1);
                return (value.TryGetString(out var whole) ? whole : left, literal);
            case IInterpolatedStringOperation interpolated when interpolated.Parts.FirstOrDefault() is { } first:
                return first switch
                {
                    IInterpolatedStringTextOperation text => (text.Text.ConstantValue.Value as string, null),
                    IInterpolationOperation interpolation => (Resolve(interpolation.Expression, depth + 1).Url, null),
                    _ => (null, null),
                };
            case ILocalReferenceOperation local:
                return FromDeclaration(local.Local, value);
            case IFieldReferenceOperation field:
                return FromDeclaration(field.Field, value);
            default:
                return (value.TryGetString(out var constant) ? constant : null, null);
        }
    }

    /// <summary>A local or field initialized with a literal or <c>new Uri("...")</c> where it was declared (syntax only: it may be in another tree).</summary>
    private static (string? Url, LiteralExpressionSyntax? Literal) FromDeclaration(ISymbol symbol, IOperation reference)
    {
        var initializer = Operations.DeclaredInitializer(symbol);
        var uriArgument = initializer switch
        {
            ObjectCreationExpressionSyntax creation => creation.ArgumentList?.Arguments.FirstOrDefault()?.Expression,
            ImplicitObjectCreationExpressionSyntax creation => creation.ArgumentList.Arguments.FirstOrDefault()?.Expression,
            _ => null,
        };
        initializer = uriArgument ?? initializer;

        if (initializer is LiteralExpressionSyntax literal && literal.IsStringLiteral())
        {
            return (literal.Token.ValueText, literal);
        }

        return (reference.TryGetString(out var constant) ? constant : null, null);
    }

    private static string? Scheme(string url)
    {
        var trimmed = url.TrimStart();
        if (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return "http";
        }

        return trimmed.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase) ? "ftp" : null;
    }

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static bool IsUri(ITypeSymbol? type) =>
        type is { Name: "Uri", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static bool IsNetworkApi(INamedTypeSymbol? type)
    {
        var ns = type?.ContainingNamespace?.ToDisplayString();
        return ns is not null && (ns == "System.Net" || ns.StartsWith("System.Net.", StringComparison.Ordinal));
    }
}
