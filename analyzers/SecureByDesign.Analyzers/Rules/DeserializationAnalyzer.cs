using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1001: deserializers that let the content name the types they create. Always flagged on these APIs:
/// there is no safe way to feed them content. (Content-controlled type resolution, an untrusted string
/// reaching <c>Type.GetType</c>, needs the flow engine and lands with it.)
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class DeserializationAnalyzer : DiagnosticAnalyzer
{
    public const string TypeNameHandlingMetadataName = "Newtonsoft.Json.TypeNameHandling";

    /// <summary>Diagnostic property set on the findings the fixer can rewrite to <c>TypeNameHandling.None</c>.</summary>
    public const string TypeNameHandlingKey = "TypeNameHandling";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InsecureDeserializer);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var types = WellKnownTypes.For(start.Compilation);
            var trust = TrustModel.For(start.Compilation);
            var javaScriptSerializer = types.Get("System.Web.Script.Serialization.JavaScriptSerializer");
            var typeNameHandling = types.Get(TypeNameHandlingMetadataName);

            // The call must spell its method's name: without any such name in the source, no operation action.
            if (trust.TypesOf(TrustRole.DeserializeAnyType).Any() && SpelledNames.For(start.Compilation).AnyMember(TrustRole.DeserializeAnyType, start.CancellationToken))
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, trust), OperationKind.Invocation);
            }

            if (javaScriptSerializer is not null)
            {
                start.RegisterOperationAction(c => AnalyzeJavaScriptSerializer(c, javaScriptSerializer), OperationKind.ObjectCreation);
            }

            if (typeNameHandling is not null)
            {
                var tested = new TestedParameters(start.Compilation);
                start.RegisterOperationAction(c => AnalyzeTypeNameHandling(c, typeNameHandling), OperationKind.SimpleAssignment);
                start.RegisterOperationAction(c => AnalyzeTypeNameHandlingArgument(c, typeNameHandling, tested), OperationKind.Argument);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, TrustModel trust)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        // By the receiver: NetDataContractSerializer.ReadObject is declared on its base type, which is safe in others.
        if (invocation.Instance is null || trust.FindOn(invocation.Instance.Type, method.Name, TrustRole.DeserializeAnyType) is not { } entry
            || trust.Types.Get(entry.Type) is not { } formatter)
        {
            return;
        }

        var input = invocation.Arguments.FirstOrDefault()?.Value;
        var what = input is null ? "the content it reads" : $"the content of '{input.Describe()}'";
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.InsecureDeserializer,
            invocation.Syntax.GetLocation(),
            $"{formatter.Name}.{method.Name}",
            what,
            "use a serializer bound to known types (System.Text.Json, or DataContractSerializer with known types)"));
    }

    private static void AnalyzeJavaScriptSerializer(OperationAnalysisContext context, INamedTypeSymbol javaScriptSerializer)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, javaScriptSerializer))
        {
            return;
        }

        var resolver = creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "JavaScriptTypeResolver");
        if (resolver is null || resolver.Value.WalkDownConversions().ConstantValue is { HasValue: true, Value: null })
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.InsecureDeserializer,
            creation.Syntax.GetLocation(),
            $"JavaScriptSerializer with the type resolver '{resolver.Value.Describe()}'",
            "the '__type' field of the JSON",
            "construct it without a type resolver"));
    }

    /// <summary>
    /// A TypeNameHandling setting is flagged where a value that is, or may be, other than None enters it: a constant,
    /// or a value read from a variable, a field, configuration or a call. Forwarding a setting that is already a
    /// setting (a parameter, a setter's <c>value</c>, another object's <c>TypeNameHandling</c>) is plumbing: the value
    /// is flagged where it was chosen instead (the constant assigned or passed, see <see cref="AnalyzeTypeNameHandlingArgument"/>).
    /// </summary>
    private static void AnalyzeTypeNameHandling(OperationAnalysisContext context, INamedTypeSymbol typeNameHandling)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        var member = assignment.Target switch
        {
            IPropertyReferenceOperation property => property.Property.Name,
            IFieldReferenceOperation field => field.Field.Name,
            _ => null,
        };
        var value = assignment.Value.WalkDownConversions();
        if (member is null
            || !IsTypeNameHandling(assignment.Target.Type, typeNameHandling)
            || value.ConstantValue is { HasValue: true, Value: 0 or null }
            || IsForwarded(value))
        {
            return;
        }

        // A member of the code's own (Handling = TypeNameHandling.Auto on a wrapper): flagged for a constant only, since
        // what it does with the value is the wrapper's business and its forwarding assignment is quiet.
        if (!IsSettingName(member) && !value.ConstantValue.HasValue)
        {
            return;
        }

        // Attribute named arguments ([JsonProperty(TypeNameHandling = ...)]) arrive here too, as assignments.
        Report(context.ReportDiagnostic, assignment.Value.Syntax, $"Newtonsoft.Json {member} = {assignment.Value.Describe()}");
    }

    /// <summary><c>Configure(serializer, TypeNameHandling.Auto)</c>: a constant other than None handed to a TypeNameHandling parameter.</summary>
    private static void AnalyzeTypeNameHandlingArgument(OperationAnalysisContext context, INamedTypeSymbol typeNameHandling, TestedParameters tested)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is not { } parameter
            || !IsTypeNameHandling(parameter.Type, typeNameHandling)
            || argument.Value.WalkDownConversions().ConstantValue is not { HasValue: true, Value: not (0 or null) }
            || argument.IsImplicit
            || tested.OnlyTested(parameter, depth: 0, context.CancellationToken))
        {
            return;
        }

        Report(context.ReportDiagnostic, argument.Value.Syntax, $"Newtonsoft.Json {argument.Value.Describe()}, passed as '{parameter.Name}',");
    }

    /// <summary>
    /// A setting passed along: a parameter (a setter's <c>value</c> too), another object's TypeNameHandling member or
    /// its backing field (<c>_typeNameHandling</c>), or a choice among such (<c>a ?? b</c>, <c>c ? a : b</c>).
    /// </summary>
    private static bool IsForwarded(IOperation value) => !value.ConstantValue.HasValue && value switch
    {
        IParameterReferenceOperation => true,
        IPropertyReferenceOperation property => IsSettingName(property.Property.Name) && !ChosenWhereDeclared(property.Property),
        IFieldReferenceOperation field => IsSettingName(field.Field.Name) && !ChosenWhereDeclared(field.Field),
        ICoalesceOperation coalesce => IsForwarded(coalesce.Value.WalkDownConversions()) && IsForwardedOrNone(coalesce.WhenNull),
        IConditionalOperation { WhenFalse: { } whenFalse } conditional => IsForwardedOrNone(conditional.WhenTrue) && IsForwardedOrNone(whenFalse),
        _ => false,
    };

    private static bool IsForwardedOrNone(IOperation value)
    {
        value = value.WalkDownConversions();
        return value.ConstantValue is { HasValue: true, Value: 0 or null } || IsForwarded(value);
    }

    /// <summary>
    /// A member given a value other than None where it is declared (<c>_typeNameHandling = TypeNameHandling.All</c>):
    /// the choice is made there, not passed along.
    /// </summary>
    private static bool ChosenWhereDeclared(ISymbol member) =>
        Operations.DeclaredInitializer(member) is { } initial
        && !(initial is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression or (int)SyntaxKind.DefaultLiteralExpression }
            || initial is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "None" });

    /// <summary><c>TypeNameHandling</c>, <c>ItemTypeNameHandling</c>, or a field that backs one (<c>_typeNameHandling</c>).</summary>
    private static bool IsSettingName(string name)
    {
        var bare = name.TrimStart('_');
        return string.Equals(bare, "TypeNameHandling", StringComparison.OrdinalIgnoreCase)
            || string.Equals(bare, "ItemTypeNameHandling", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>TypeNameHandling</c>, or <c>TypeNameHandling?</c> as on <c>JsonPropertyAttribute</c> and the contract classes.</summary>
    private static bool IsTypeNameHandling(ITypeSymbol? type, INamedTypeSymbol typeNameHandling) =>
        SymbolEqualityComparer.Default.Equals(type, typeNameHandling)
        || (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && SymbolEqualityComparer.Default.Equals(nullable.TypeArguments[0], typeNameHandling));

    private static void Report(Action<Diagnostic> report, SyntaxNode value, string what) =>
        report(Diagnostic.Create(
            Descriptors.InsecureDeserializer,
            value.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(TypeNameHandlingKey, "TypeNameHandling"),
            what,
            "the '$type' field of the JSON",
            "set TypeNameHandling.None and deserialize into known types"));
}
