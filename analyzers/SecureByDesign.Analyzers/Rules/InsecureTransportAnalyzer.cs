using System.Net;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3006: content fetched over plain http://, ftp:// or ws://. Looks at every address handed to the
/// clients that fetch content (<c>HttpClient</c>, <c>HttpRequestMessage</c>, <c>WebClient</c>, <c>WebRequest</c>
/// and its subclasses, the <c>HttpClientJsonExtensions</c>, <c>ClientWebSocket</c>): a <c>Uri</c> parameter,
/// a string parameter named <c>requestUri</c>, <c>address</c> or <c>requestUriString</c>, a <c>BaseAddress</c>
/// or <c>RequestUri</c> property. It follows the address to the
/// string it was made from: a literal, a constant, a <c>new Uri("...")</c>, a local or field initialized
/// with one, the left side of a concatenation or the start of an interpolation. Loopback addresses are
/// not flagged: they never leave the machine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InsecureTransportAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> AddressParameters = ImmutableHashSet.Create("requestUri", "address", "requestUriString");
    private static readonly ImmutableHashSet<string> AddressProperties = ImmutableHashSet.Create("BaseAddress", "RequestUri");

    private static readonly ImmutableHashSet<string> Clients = ImmutableHashSet.Create(
        "HttpClient", "HttpMessageInvoker", "HttpRequestMessage", "HttpClientJsonExtensions", "WebClient", "WebRequest", "ClientWebSocket");

    /// <summary>Plain scheme and its secure replacement; ftp has none that the same client speaks, so it has no fix.</summary>
    private static readonly ImmutableArray<(string Plain, string Secure, bool Fixable)> Schemes = ImmutableArray.Create(
        ("http://", "https://", true),
        ("ws://", "wss://", true),
        ("ftp://", "https://", false));

    /// <summary>Diagnostic property: the secure scheme the fixer writes in place of the plain one.</summary>
    public const string SecureSchemeKey = "SecureScheme";

    /// <summary>Diagnostic property: the plain scheme the fixer replaces.</summary>
    public const string PlainSchemeKey = "PlainScheme";

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
        if (method is null || !IsClient(method.ContainingType))
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
            && IsClient(property.ContainingType))
        {
            Check(context, assignment.Value, property.ShortName());
        }
    }

    private static void Check(OperationAnalysisContext context, IOperation value, string api)
    {
        var (url, literal) = Resolve(value, depth: 0);
        if (url is null || IsLoopback(url))
        {
            return;
        }

        var trimmed = url.TrimStart();
        foreach (var (plain, secure, fixable) in Schemes)
        {
            if (trimmed.StartsWith(plain, StringComparison.OrdinalIgnoreCase))
            {
                var properties = fixable
                    ? ImmutableDictionary<string, string?>.Empty.Add(PlainSchemeKey, plain).Add(SecureSchemeKey, secure)
                    : ImmutableDictionary<string, string?>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.InsecureTransport,
                    value.Syntax.GetLocation(),
                    literal is null ? null : new[] { literal.GetLocation() },
                    properties,
                    api,
                    url,
                    plain.Substring(0, plain.Length - 3),
                    secure));
                return;
            }
        }
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

    /// <summary>
    /// A local or field that can only hold what it was declared with, a literal or <c>new Uri("...")</c>
    /// (syntax only: the declaration may be in another tree).
    /// </summary>
    private static (string? Url, LiteralExpressionSyntax? Literal) FromDeclaration(ISymbol symbol, IOperation reference)
    {
        var initializer = Initializers.ValueOf(symbol, reference)?.Syntax as ExpressionSyntax;
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

    private static bool IsClient(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var ns = current.ContainingNamespace?.ToDisplayString() ?? string.Empty;
            if (Clients.Contains(current.Name) && ns.StartsWith("System.Net", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
