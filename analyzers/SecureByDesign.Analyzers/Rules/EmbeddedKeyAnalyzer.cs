using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3007: private key material in source. Flags PEM private-key literals, private key imports
/// (<c>ImportPkcs8PrivateKey</c>, <c>ImportRSAPrivateKey</c>, ...) of constant bytes, and the private
/// members of <c>RSAParameters</c>/<c>ECParameters</c>/<c>DSAParameters</c> set from constants. Constant
/// bytes are literals, arrays of literals, <c>u8</c> strings, <c>Convert.FromBase64String</c>/<c>FromHexString</c>
/// and <c>Encoding.GetBytes</c> of a constant, and locals, fields and properties initialized with one.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmbeddedKeyAnalyzer : DiagnosticAnalyzer
{
    private const int MaxDepth = 4;

    // A marker followed by key material: code that only looks for the marker is not a key.
    private static readonly Regex PemPrivateKey = new(
        @"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----\s*([A-Za-z0-9-]+:[^\n]*\s*)*[A-Za-z0-9+/=]{8}",
        RegexOptions.CultureInvariant | RegexOptions.Compiled,
        TimeSpan.FromSeconds(1));

    private static readonly ImmutableHashSet<string> PrivateKeyImports = ImmutableHashSet.Create(
        "ImportPkcs8PrivateKey", "ImportRSAPrivateKey", "ImportECPrivateKey", "ImportEncryptedPkcs8PrivateKey");

    private static readonly ImmutableDictionary<string, ImmutableHashSet<string>> PrivateMembers =
        ImmutableDictionary<string, ImmutableHashSet<string>>.Empty
            .Add("RSAParameters", ImmutableHashSet.Create("D", "P", "Q", "DP", "DQ", "InverseQ"))
            .Add("ECParameters", ImmutableHashSet.Create("D"))
            .Add("DSAParameters", ImmutableHashSet.Create("X"));

    // Decoders that turn constant text into constant bytes, by the type that declares them.
    private static readonly ImmutableDictionary<string, string> ByteDecoders = ImmutableDictionary<string, string>.Empty
        .Add("FromBase64String", "Convert")
        .Add("FromHexString", "Convert")
        .Add("GetBytes", "Encoding")
        .Add("ToArray", "Span");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.EmbeddedPrivateKey);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeText, OperationKind.Literal, OperationKind.Binary, OperationKind.Utf8String);
        context.RegisterOperationAction(AnalyzeImport, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeParameters, OperationKind.SimpleAssignment);
    }

    private static void AnalyzeText(OperationAnalysisContext context)
    {
        var operation = context.Operation;
        var text = operation is IUtf8StringOperation utf8 ? utf8.Value : operation.ConstantValue.Value as string;
        if (text is null || !PemPrivateKey.IsMatch(text))
        {
            return;
        }

        // A concatenation is reported once: by the innermost part that holds the whole marker.
        if (operation is IBinaryOperation binary && (ContainsMarker(binary.LeftOperand) || ContainsMarker(binary.RightOperand)))
        {
            return;
        }

        var match = PemPrivateKey.Match(text).Value;
        var marker = match.Substring(0, match.IndexOf("-----", 5, StringComparison.Ordinal) + 5);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.EmbeddedPrivateKey, operation.Syntax.GetLocation(), $"The string '{marker}...'"));
    }

    private static void AnalyzeImport(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!PrivateKeyImports.Contains(method.Name) || !InCryptography(method.ContainingType))
        {
            return;
        }

        var source = invocation.Arguments.Argument("source");
        if (source is not null && IsConstantMaterial(source.Value, 0))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.EmbeddedPrivateKey,
                invocation.Syntax.GetLocation(),
                $"{method.Name} of '{source.Value.Describe()}' (a constant)"));
        }
    }

    private static void AnalyzeParameters(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IFieldReferenceOperation { Field: var field }
            || !InCryptography(field.ContainingType)
            || !PrivateMembers.TryGetValue(field.ContainingType.Name, out var members)
            || !members.Contains(field.Name)
            || !IsConstantMaterial(assignment.Value, 0))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.EmbeddedPrivateKey,
            assignment.Syntax.GetLocation(),
            $"{field.ContainingType.Name}.{field.Name} set from '{assignment.Value.Describe()}' (a constant)"));
    }

    private static bool IsDecoder(IMethodSymbol method) =>
        ByteDecoders.TryGetValue(method.Name, out var declaringType)
        && method.ContainingType is { } type
        && (declaringType == "Span" ? type.Name is "ReadOnlySpan" or "Span" : type.Name == declaringType || type.BaseType?.Name == declaringType);

    private static bool ContainsMarker(IOperation? operation) =>
        operation?.ConstantValue.Value is string text && PemPrivateKey.IsMatch(text);

    private static bool InCryptography(INamedTypeSymbol? type) =>
        type?.ContainingNamespace?.ToDisplayString() == "System.Security.Cryptography";

    /// <summary>True when the bytes or text of the operation are fixed at compile time.</summary>
    private static bool IsConstantMaterial(IOperation operation, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        operation = operation.WalkDownConversions();
        if (operation.ConstantValue is { HasValue: true, Value: not null } || operation is IUtf8StringOperation)
        {
            return true;
        }

        switch (operation)
        {
            case IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } elements }:
                return elements.All(e => e.ConstantValue.HasValue);
            case IInvocationOperation invocation when IsDecoder(invocation.TargetMethod):
                var input = invocation.Arguments.Length > 0 && !invocation.TargetMethod.IsExtensionMethod
                    ? invocation.Arguments[0].Value
                    : invocation.Instance ?? invocation.Arguments.FirstOrDefault()?.Value;
                return input is not null && IsConstantMaterial(input, depth + 1);
            case ILocalReferenceOperation local:
                return IsConstantSyntax(Initializers.ValueOf(local.Local, operation)?.Syntax as ExpressionSyntax, depth + 1);
            case IFieldReferenceOperation field:
                return IsConstantSyntax(Initializers.ValueOf(field.Field, operation)?.Syntax as ExpressionSyntax, depth + 1);
            case IPropertyReferenceOperation property:
                return IsConstantSyntax(Initializers.ValueOf(property.Property, operation)?.Syntax as ExpressionSyntax, depth + 1);
            default:
                return operation.Syntax is CollectionExpressionSyntax collection && IsConstantSyntax(collection, depth + 1);
        }
    }

    /// <summary>The same question for a declaration's initializer, read as syntax because it may be in another tree.</summary>
    private static bool IsConstantSyntax(ExpressionSyntax? expression, int depth)
    {
        if (expression is null || depth > MaxDepth)
        {
            return false;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax literal:
                return !literal.IsKind(SyntaxKind.NullLiteralExpression);
            case PrefixUnaryExpressionSyntax unary:
                return IsConstantSyntax(unary.Operand, depth + 1);
            case ArrayCreationExpressionSyntax { Initializer.Expressions: { Count: > 0 } elements }:
                return elements.All(e => IsConstantSyntax(e, depth + 1));
            case ImplicitArrayCreationExpressionSyntax { Initializer.Expressions: { Count: > 0 } elements }:
                return elements.All(e => IsConstantSyntax(e, depth + 1));
            case InitializerExpressionSyntax { Expressions: { Count: > 0 } elements }:
                return elements.All(e => IsConstantSyntax(e, depth + 1));
            case CollectionExpressionSyntax { Elements: { Count: > 0 } elements }:
                return elements.All(e => e is ExpressionElementSyntax element && IsConstantSyntax(element.Expression, depth + 1));
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation
                when ByteDecoders.TryGetValue(access.Name.Identifier.ValueText, out var declaringType)
                    && (declaringType == "Span" || access.Expression.ToString().Contains(declaringType)):
                return invocation.ArgumentList.Arguments.Count == 1
                    ? IsConstantSyntax(invocation.ArgumentList.Arguments[0].Expression, depth + 1)
                    : invocation.ArgumentList.Arguments.Count == 0 && IsConstantSyntax(access.Expression, depth + 1);
            default:
                return false;
        }
    }
}
