using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1005: a regular expression that can backtrack badly, matched against input with no timeout. Until the flow
/// engine lands, any non-constant input counts as untrusted. Static calls are checked for a
/// <c>TimeSpan</c> argument; instance calls follow the receiver to the <c>new Regex(...)</c> that
/// initialized the local, field or property, or to its <c>[GeneratedRegex]</c> method. A regex whose
/// construction cannot be seen is not flagged. A constant pattern that cannot backtrack badly
/// (<see cref="RegexBacktracking"/>) needs no timeout; a pattern that is not a constant may come from content and does.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RegexTimeoutAnalyzer : DiagnosticAnalyzer
{
    private const int NonBacktracking = 1024;
    private const int IgnorePatternWhitespace = 32;
    private const int MaxPassedDepth = 2;

    private static readonly ImmutableHashSet<string> MatchMethods = ImmutableHashSet.Create(
        "IsMatch", "Match", "Matches", "Replace", "Split", "Count", "EnumerateMatches", "EnumerateSplits");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.RegexWithoutTimeout);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var regex = WellKnownTypes.For(start.Compilation).Get("System.Text.RegularExpressions.Regex");
            // The call must spell its method's name: without any of them in the source, no operation action.
            if (regex is not null && SpelledNames.For(start.Compilation).Any(MatchMethods, start.CancellationToken))
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, regex), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol regex)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!MatchMethods.Contains(method.Name) || !SymbolEqualityComparer.Default.Equals(method.ContainingType, regex))
        {
            return;
        }

        var input = invocation.Arguments.Argument("input");
        if (input is null || input.Value.ConstantValue.HasValue || IsMetadataName(input.Value))
        {
            return;
        }

        Location? creation = null;
        if (method.IsStatic)
        {
            if (HasTimeout(invocation.Arguments.Argument("matchTimeout")?.Value) || HasNonBacktracking(invocation.Arguments.Argument("options")?.Value)
                || CannotBacktrackBadly(invocation.Arguments))
            {
                return;
            }
        }
        else if (invocation.Instance is { } instance)
        {
            creation = UnboundedCreation(instance.WalkDownConversions(), out var safePattern);
            if (creation is null || safePattern)
            {
                return;
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.RegexWithoutTimeout,
            invocation.Syntax.GetLocation(),
            creation is null ? null : new[] { creation },
            $"Regex.{method.Name}",
            $"'{input.Value.Describe()}' (a non-constant input)"));
    }

    /// <summary>
    /// <c>type.FullName</c>, <c>member.Name</c>: the name of a type or member of the running program, its own metadata
    /// and not content (a type loaded from a name in content was already resolved against the program's assemblies).
    /// </summary>
    private static bool IsMetadataName(IOperation input)
    {
        if (input.WalkDownConversions() is not IPropertyReferenceOperation { Property.Name: "Name" or "FullName" or "Namespace" or "AssemblyQualifiedName" } property)
        {
            return false;
        }

        for (var type = property.Property.ContainingType; type is not null; type = type.BaseType)
        {
            if (type is { Name: "MemberInfo", ContainingNamespace: { Name: "Reflection", ContainingNamespace.Name: "System" } }
                || type is { Name: "Type", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A timeout argument that bounds the match: given, and not <c>Regex.InfiniteMatchTimeout</c> or <c>Timeout.InfiniteTimeSpan</c>.</summary>
    private static bool HasTimeout(IOperation? timeout) =>
        timeout is not null && timeout.WalkDownConversions() is not (IFieldReferenceOperation { Field.Name: "InfiniteMatchTimeout" or "InfiniteTimeSpan" }
            or IPropertyReferenceOperation { Property.Name: "InfiniteMatchTimeout" or "InfiniteTimeSpan" });

    private static bool HasNonBacktracking(IOperation? options) =>
        options?.ConstantValue is { HasValue: true, Value: int value } && (value & NonBacktracking) != 0;

    /// <summary>
    /// Where the receiver was constructed without a timeout (the location the fixer edits), or null when
    /// it has one, uses the non-backtracking engine, or its construction cannot be seen.
    /// </summary>
    private static Location? UnboundedCreation(IOperation receiver, out bool safePattern) => UnboundedCreation(receiver, 0, out safePattern);

    private static Location? UnboundedCreation(IOperation receiver, int depth, out bool safePattern)
    {
        safePattern = false;
        switch (receiver)
        {
            case IObjectCreationOperation creation:
                safePattern = CannotBacktrackBadly(creation.Arguments);
                return !HasTimeout(creation.Arguments.Argument("matchTimeout")?.Value) && !HasNonBacktracking(creation.Arguments.Argument("options")?.Value)
                    ? creation.Syntax.GetLocation()
                    : null;
            case IInvocationOperation generated:
                return UnboundedGeneratedRegex(generated.TargetMethod, out safePattern);
            case ILocalReferenceOperation local:
                return UnboundedInitializer(Initializers.ValueOf(local.Local, receiver), out safePattern);
            case IFieldReferenceOperation field:
                return UnboundedInitializer(Initializers.ValueOf(field.Field, receiver), out safePattern);
            case IParameterReferenceOperation parameter when depth < MaxPassedDepth:
                return PassedIn(parameter, depth, out safePattern);
            case IPropertyReferenceOperation property:
                if (property.Property.GetAttributes().Any(IsGeneratedRegex))
                {
                    return UnboundedGeneratedRegex(property.Property, out safePattern);
                }

                return UnboundedInitializer(Initializers.ValueOf(property.Property, receiver), out safePattern);
            default:
                return null;
        }
    }

    /// <summary>
    /// A regex given as a parameter of a private method (or a local function): every call of it is in the containing
    /// type, so each regex passed in is judged as if it were used here. The first passed without a timeout and with a
    /// pattern that can backtrack badly is the finding's construction; when every one is safe, or one cannot be seen,
    /// none is reported (a regex whose construction cannot be seen is not flagged).
    /// </summary>
    private static Location? PassedIn(IParameterReferenceOperation reference, int depth, out bool safePattern)
    {
        safePattern = false;
        var parameter = reference.Parameter;
        if (parameter.ContainingSymbol is not IMethodSymbol method
            || method.MethodKind != MethodKind.LocalFunction && method.DeclaredAccessibility != Accessibility.Private
            || method.ContainingType is not { } type
            || reference.SemanticModel?.Compilation is not { } compilation)
        {
            return null;
        }

        foreach (var declaration in type.DeclaringSyntaxReferences)
        {
            var syntax = declaration.GetSyntax();
            if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                continue;
            }

#pragma warning disable RS1030 // Only for a regex passed as a parameter: the calls of a private method, in its own type.
            var model = syntax.SyntaxTree == reference.SemanticModel.SyntaxTree ? reference.SemanticModel : compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            foreach (var call in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(call) is IInvocationOperation invocation
                    && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition)
                    && invocation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.OriginalDefinition)) is { } argument
                    && UnboundedCreation(argument.Value.WalkDownConversions(), depth + 1, out var safe) is { } passed
                    && !safe)
                {
                    return passed;
                }
            }
        }

        return null;
    }

    private static Location? UnboundedInitializer(IOperation? initializer, out bool safePattern)
    {
        safePattern = initializer?.WalkDownConversions() is IObjectCreationOperation creation && CannotBacktrackBadly(creation.Arguments);
        return UnboundedCreationSyntax(initializer?.Syntax as ExpressionSyntax);
    }

    /// <summary>
    /// The pattern argument is a constant that cannot backtrack badly (read in whitespace mode when the options set
    /// it), or is built of constants, single characters and escaped text in a shape that cannot
    /// (<see cref="RegexBuiltPatterns"/>, not in whitespace mode). Any other pattern may come from content: it is not safe.
    /// </summary>
    private static bool CannotBacktrackBadly(ImmutableArray<IArgumentOperation> arguments) =>
        arguments.Argument("pattern")?.Value is { } pattern
        && WhitespaceMode(arguments.Argument("options")?.Value) is { } whitespace
        && (pattern.ConstantValue is { HasValue: true, Value: string constant }
            ? RegexBacktracking.Risk(constant, whitespace) is null
            : !whitespace && RegexBuiltPatterns.CannotBacktrackBadly(pattern));

    /// <summary>
    /// Whether the options set whitespace mode: none given, a constant, or the same answer from both constants of a
    /// conditional (<c>aot ? None : Compiled</c>); null when not known.
    /// </summary>
    private static bool? WhitespaceMode(IOperation? options) => options?.WalkDownConversions() switch
    {
        null => false,
        IConditionalOperation { WhenFalse: { } otherwise } conditional =>
            WhitespaceMode(conditional.WhenTrue) is { } first && WhitespaceMode(otherwise) is { } second && first == second ? first : null,
        var value => value.ConstantValue is { HasValue: true, Value: int flags } ? (flags & IgnorePatternWhitespace) != 0 : null,
    };

    /// <summary>
    /// The declaration may be in another tree, so this reads syntax: the constructor with a timeout is the one
    /// with three arguments, and an infinite timeout is written with a member named Infinite....
    /// </summary>
    private static Location? UnboundedCreationSyntax(ExpressionSyntax? initializer)
    {
        var arguments = initializer switch
        {
            ObjectCreationExpressionSyntax { Type: var type } creation when Named(type, "Regex") => creation.ArgumentList?.Arguments,
            ImplicitObjectCreationExpressionSyntax creation => creation.ArgumentList.Arguments,
            _ => null,
        };
        if (arguments is not { } list
            || (list.Count >= 3 && !list[2].Expression.ToString().Contains("Infinite"))
            || list.Any(a => a.ToString().Contains("NonBacktracking")))
        {
            return null;
        }

        return initializer!.GetLocation();
    }

    private static Location? UnboundedGeneratedRegex(ISymbol member, out bool safePattern)
    {
        safePattern = false;
        var attribute = member.GetAttributes().FirstOrDefault(IsGeneratedRegex);
        if (attribute?.ApplicationSyntaxReference is not { } reference)
        {
            return null;
        }

        var parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        var timeoutIndex = -1;
        for (var i = 0; i < parameters.Length; i++)
        {
            timeoutIndex = parameters[i].Name == "matchTimeoutMilliseconds" ? i : timeoutIndex;
        }

        var hasTimeout = timeoutIndex >= 0
            && timeoutIndex < attribute.ConstructorArguments.Length
            && attribute.ConstructorArguments[timeoutIndex].Value is int milliseconds
            && milliseconds > 0;
        var options = attribute.ConstructorArguments.Length > 1 ? attribute.ConstructorArguments[1].Value : null;
        if (hasTimeout || (options is int value && (value & NonBacktracking) != 0))
        {
            return null;
        }

        safePattern = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string pattern
            && RegexBacktracking.Risk(pattern, options is int flags && (flags & IgnorePatternWhitespace) != 0) is null;

        return Location.Create(reference.SyntaxTree, reference.Span);
    }

    private static bool IsGeneratedRegex(AttributeData attribute) => attribute.AttributeClass?.Name == "GeneratedRegexAttribute";

    private static bool Named(TypeSyntax type, string name) => type switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == name,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText == name,
        _ => false,
    };
}
