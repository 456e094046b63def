using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// The four annotations of the trust model. They are matched by simple name, in any namespace, so a
/// vendor can declare its own copies instead of referencing SecureByDesign.Annotations.
/// </summary>
internal static class Annotations
{
    public const string UntrustedContent = "UntrustedContentAttribute";
    public const string ContentParser = "ContentParserAttribute";
    public const string ContentValidator = "ContentValidatorAttribute";
    public const string UpdateVerifier = "UpdateVerifierAttribute";

    /// <summary>What each annotation adds to the trust model, for docs/trust-model.md.</summary>
    public static ImmutableArray<(string Name, string Meaning)> All { get; } = ImmutableArray.Create(
        (UntrustedContent, "on a parameter, field, property or return value: its value is untrusted (a source)"),
        (ContentParser, "on a method: every parameter is untrusted, and the method is a parser the resilience gate runs"),
        (ContentValidator, "on a method: a call checks its arguments (a void validator where it returns, a bool one where it returned true)"),
        (UpdateVerifier, "on a method: a verifier of its arguments, as the catalog's verifiers"));

    /// <summary>True when <paramref name="symbol"/> carries an attribute whose class is named <paramref name="attributeName"/>.</summary>
    public static bool Has(ISymbol symbol, string attributeName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsNamed(attribute.AttributeClass, attributeName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the method's return value is marked (<c>[return: UntrustedContent]</c>).</summary>
    public static bool ReturnHas(IMethodSymbol method, string attributeName)
    {
        foreach (var attribute in method.GetReturnTypeAttributes())
        {
            if (IsNamed(attribute.AttributeClass, attributeName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a parameter holds untrusted content: it is marked, or its method is a content parser.
    /// </summary>
    public static bool IsUntrustedParameter(IParameterSymbol parameter) =>
        Has(parameter, UntrustedContent)
        || (parameter.ContainingSymbol is IMethodSymbol method && Has(method, ContentParser));

    /// <summary>True when the method validates content: marked <c>[ContentValidator]</c>, or configured as one.</summary>
    public static bool IsValidator(IMethodSymbol method, TrustOptions options) =>
        Has(method, ContentValidator) || options.IsConfiguredValidator(method);

    private static bool IsNamed(INamedTypeSymbol? attributeClass, string attributeName) =>
        attributeClass is not null
        && (attributeClass.Name == attributeName
            || (attributeClass.Name + "Attribute") == attributeName);
}
