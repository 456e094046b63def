using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers;

/// <summary>
/// The Try form of a throwing parser or accessor (SBD1004, SBD1008, and their fixer): <c>int.Parse(s)</c> has
/// <c>int.TryParse(s, out int)</c>, <c>Convert.ToInt32(s)</c> has <c>int.TryParse(s, out int)</c>,
/// <c>element.GetInt32()</c> has <c>element.TryGetInt32(out int)</c>. A Try form takes the same arguments in the
/// same order, then the result as an <c>out</c> parameter; it may also take a format provider (given <c>null</c>,
/// which is what the throwing overload uses) or a <c>DateTimeStyles</c>/<c>TimeSpanStyles</c> (given <c>None</c>,
/// likewise). Anything else (a <c>NumberStyles</c> whose default differs by type, a base) is no match.
/// </summary>
internal sealed class TryForm
{
    private TryForm(IMethodSymbol method, ImmutableArray<int> sources, ImmutableArray<string?> fillers)
    {
        Method = method;
        Sources = sources;
        Fillers = fillers;
    }

    /// <summary>The Try method, constructed with the type arguments of the throwing call.</summary>
    public IMethodSymbol Method { get; }

    /// <summary>For each parameter of <see cref="Method"/> but the last: the index of the throwing call's argument it takes, or -1.</summary>
    public ImmutableArray<int> Sources { get; }

    /// <summary>For each parameter with no source: "null" for a provider, or the styles type's metadata name (its <c>None</c> member).</summary>
    public ImmutableArray<string?> Fillers { get; }

    /// <summary>"int.TryParse", "Enum.TryParse", "TryGetInt32": how messages name it.</summary>
    public string Display => Method.IsStatic ? $"{TypeName(Method.ContainingType)}.{Method.Name}" : Method.Name;

    /// <summary>The Try form of <paramref name="method"/>, or null when it has none.</summary>
    public static TryForm? Find(IMethodSymbol method)
    {
        var isConvert = IsConvert(method);
        var owner = isConvert ? method.ReturnType as INamedTypeSymbol : method.ContainingType;
        if (owner is null || method.ReturnsVoid)
        {
            return null;
        }

        TryForm? best = null;
        foreach (var candidate in owner.GetMembers(isConvert ? "TryParse" : "Try" + method.Name).OfType<IMethodSymbol>())
        {
            if (candidate.IsStatic != method.IsStatic || candidate.TypeParameters.Length != method.TypeArguments.Length)
            {
                continue;
            }

            var constructed = candidate.IsGenericMethod ? candidate.Construct(method.TypeArguments.ToArray()) : candidate;
            if (Match(method, constructed) is { } form && (best is null || Count(form) < Count(best)))
            {
                best = form;
            }
        }

        return best;
    }

    /// <summary>"int.Parse", "Guid.ParseExact", "Convert.ToInt32", "JsonElement.GetInt32".</summary>
    public static string DisplayName(IMethodSymbol method) => $"{TypeName(method.ContainingType)}.{method.Name}";

    /// <summary>C# keywords for the primitive types (<c>int</c>), the simple name otherwise.</summary>
    public static string TypeName(ITypeSymbol? type) =>
        type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? string.Empty;

    /// <summary><c>Convert.ToInt32(string)</c> and friends: their Try form is the target type's TryParse.</summary>
    public static bool IsConvert(IMethodSymbol method) =>
        method.IsStatic && method.ContainingType?.Name == "Convert" && method.ContainingType.ContainingNamespace?.Name == "System"
        && method.Name.StartsWith("To", StringComparison.Ordinal)
        && method.Parameters.Length > 0 && method.Parameters[0].Type.SpecialType == SpecialType.System_String;

    /// <summary>Diagnostic properties the fixer reads (<see cref="FixProperties"/>).</summary>
    public const string ShapeKey = "TryShape";
    public const string NameKey = "TryName";
    public const string OwnerKey = "TryOwner";
    public const string ArgumentsKey = "TryArguments";
    public const string MessageKey = "TryMessage";
    public const string DeclareShape = "Declare";
    public const string AssignShape = "Assign";

    /// <summary>
    /// What the fixer needs to rewrite the statement of <paramref name="invocation"/> to the Try form with a rejection,
    /// or no properties when the rewrite is not safe. Safe means: the call is the whole initializer of a one-variable
    /// local declaration (<c>var x = T.Parse(s);</c>, or declared with the result's own type), or the whole right side
    /// of an assignment statement to a local, parameter or writable field of the result's type; and no argument is named.
    /// </summary>
    public ImmutableDictionary<string, string?> FixProperties(IInvocationOperation invocation, string message)
    {
        var none = ImmutableDictionary<string, string?>.Empty;
        if (invocation.Syntax is not InvocationExpressionSyntax call || call.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            return none;
        }

        // What receives the result, read from operations (the flow graph turns a declaration into an assignment).
        var stored = invocation.Parent switch
        {
            ISimpleAssignmentOperation { Target: var target } assignment when assignment.Value == invocation => target switch
            {
                ILocalReferenceOperation { Local: { IsConst: false, IsRef: false, IsUsing: false } local } => local.Type,
                IParameterReferenceOperation { Parameter: { RefKind: RefKind.None or RefKind.Ref or RefKind.Out } parameter } => parameter.Type,
                IFieldReferenceOperation { Field: { IsConst: false, IsReadOnly: false } field } => field.Type,
                _ => null,
            },
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { IsConst: false, IsRef: false, IsUsing: false } local } } => local.Type,
            _ => null,
        };
        if (!SymbolEqualityComparer.Default.Equals(stored, invocation.TargetMethod.ReturnType))
        {
            return none;
        }

        string shape;
        switch (call.Parent)
        {
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax } } }:
                shape = DeclareShape;
                break;
            case AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax } assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == call:
                shape = AssignShape;
                break;
            default:
                return none;
        }

        if (Sources.Any(source => source >= call.ArgumentList.Arguments.Count))
        {
            return none; // an optional argument left out: the Try form would need its default written.
        }

        var arguments = string.Join(";", Sources.Select((source, i) => source >= 0 ? source.ToString(System.Globalization.CultureInfo.InvariantCulture) : Fillers[i]));
        return none
            .Add(ShapeKey, shape)
            .Add(NameKey, Method.Name)
            .Add(OwnerKey, IsConvert(invocation.TargetMethod) ? MetadataName(Method.ContainingType) : null)
            .Add(ArgumentsKey, arguments)
            .Add(MessageKey, message);
    }

    /// <summary>"System.Int32": what the fixer resolves a type by.</summary>
    private static string MetadataName(INamedTypeSymbol type) => $"{type.ContainingNamespace.ToDisplayString()}.{type.MetadataName}";

    private static int Count(TryForm form) => form.Sources.Count(s => s < 0);

    private static TryForm? Match(IMethodSymbol method, IMethodSymbol candidate)
    {
        var parameters = candidate.Parameters;
        if (parameters.Length == 0 || parameters[parameters.Length - 1] is not { RefKind: RefKind.Out } result
            || !SymbolEqualityComparer.Default.Equals(result.Type, method.ReturnType))
        {
            return null;
        }

        var sources = ImmutableArray.CreateBuilder<int>();
        var fillers = ImmutableArray.CreateBuilder<string?>();
        var next = 0;
        for (var i = 0; i < parameters.Length - 1; i++)
        {
            var parameter = parameters[i];
            if (next < method.Parameters.Length && parameter.RefKind == method.Parameters[next].RefKind
                && SymbolEqualityComparer.Default.Equals(parameter.Type, method.Parameters[next].Type))
            {
                sources.Add(next++);
                fillers.Add(null);
            }
            else if (parameter.Type.Name == "IFormatProvider")
            {
                sources.Add(-1);
                fillers.Add("null");
            }
            else if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum, Name: "DateTimeStyles" or "TimeSpanStyles" } styles)
            {
                sources.Add(-1);
                fillers.Add(MetadataName(styles));
            }
            else
            {
                return null;
            }
        }

        return next == method.Parameters.Length ? new TryForm(candidate, sources.ToImmutable(), fillers.ToImmutable()) : null;
    }
}
