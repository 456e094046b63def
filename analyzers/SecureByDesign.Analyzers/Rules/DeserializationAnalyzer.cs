using Microsoft.CodeAnalysis;
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
public sealed class DeserializationAnalyzer : DiagnosticAnalyzer
{
    public const string TypeNameHandlingMetadataName = "Newtonsoft.Json.TypeNameHandling";

    /// <summary>Diagnostic property set on the findings the fixer can rewrite to <c>TypeNameHandling.None</c>.</summary>
    public const string TypeNameHandlingKey = "TypeNameHandling";

    private static readonly ImmutableHashSet<string> TypeNameHandlingMembers =
        ImmutableHashSet.Create("TypeNameHandling", "ItemTypeNameHandling");

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

            if (trust.TypesOf(TrustRole.DeserializeAnyType).Any())
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, trust), OperationKind.Invocation);
            }

            if (javaScriptSerializer is not null)
            {
                start.RegisterOperationAction(c => AnalyzeJavaScriptSerializer(c, javaScriptSerializer), OperationKind.ObjectCreation);
            }

            if (typeNameHandling is not null)
            {
                start.RegisterOperationAction(c => AnalyzeTypeNameHandling(c, typeNameHandling), OperationKind.SimpleAssignment);
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

    private static void AnalyzeTypeNameHandling(OperationAnalysisContext context, INamedTypeSymbol typeNameHandling)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        var member = assignment.Target switch
        {
            IPropertyReferenceOperation property => property.Property.Name,
            IFieldReferenceOperation field => field.Field.Name,
            _ => null,
        };
        if (member is null
            || !TypeNameHandlingMembers.Contains(member)
            || !IsTypeNameHandling(assignment.Target.Type, typeNameHandling)
            || assignment.Value.WalkDownConversions().ConstantValue is { HasValue: true, Value: 0 or null })
        {
            return;
        }

        // Attribute named arguments ([JsonProperty(TypeNameHandling = ...)]) arrive here too, as assignments.
        Report(context.ReportDiagnostic, assignment.Value.Syntax, member, assignment.Value.Describe());
    }

    /// <summary><c>TypeNameHandling</c>, or <c>TypeNameHandling?</c> as on <c>JsonPropertyAttribute</c> and the contract classes.</summary>
    private static bool IsTypeNameHandling(ITypeSymbol? type, INamedTypeSymbol typeNameHandling) =>
        SymbolEqualityComparer.Default.Equals(type, typeNameHandling)
        || (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && SymbolEqualityComparer.Default.Equals(nullable.TypeArguments[0], typeNameHandling));

    private static void Report(Action<Diagnostic> report, SyntaxNode value, string member, string valueText) =>
        report(Diagnostic.Create(
            Descriptors.InsecureDeserializer,
            value.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(TypeNameHandlingKey, member),
            $"Newtonsoft.Json {member} = {valueText}",
            "the '$type' field of the JSON",
            "set TypeNameHandling.None and deserialize into known types"));
}
