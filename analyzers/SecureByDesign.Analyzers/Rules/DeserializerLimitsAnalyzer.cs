using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1010: a deserializer limit turned off where it is set. System.Text.Json's <c>MaxDepth</c>
/// (<c>JsonSerializerOptions</c>, <c>JsonDocumentOptions</c>, <c>JsonReaderOptions</c>) set to a constant above
/// <see cref="MaxReasonableDepth"/>: 0 means the default of 64 there and is quiet. Newtonsoft.Json's <c>MaxDepth</c>
/// (<c>JsonSerializerSettings</c>, <c>JsonSerializer</c>, <c>JsonReader</c>) set to <c>null</c> (no limit; the default
/// has been 64 since 13.0.1) or above the same threshold. <c>XmlReaderSettings.MaxCharactersFromEntities</c> set to 0,
/// which removes the default bound of ten million characters on entity expansion. Values that are not constants
/// are not judged. The settings object is not traced to the input it reads: every setting is flagged, because
/// a limit is only ever turned off for the inputs that can reach it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeserializerLimitsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The deepest nesting judged reasonable: four times the default of both JSON libraries.</summary>
    public const int MaxReasonableDepth = 256;

    /// <summary>Diagnostic property: the bound the fixer writes.</summary>
    public const string BoundKey = "Bound";

    private static readonly ImmutableHashSet<string> SystemTextJsonOptions = ImmutableHashSet.Create(
        "System.Text.Json.JsonSerializerOptions",
        "System.Text.Json.JsonDocumentOptions",
        "System.Text.Json.JsonReaderOptions");

    private static readonly ImmutableHashSet<string> NewtonsoftOptions = ImmutableHashSet.Create(
        "Newtonsoft.Json.JsonSerializerSettings",
        "Newtonsoft.Json.JsonSerializer",
        "Newtonsoft.Json.JsonReader");

    private static readonly ImmutableHashSet<string> XmlSettings = ImmutableHashSet.Create("System.Xml.XmlReaderSettings");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.DeserializerLimitOff);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // An assignment spells the property it sets: without those names in the source, no operation action.
            if (SpelledNames.For(start.Compilation).Any(new[] { "MaxDepth", "MaxCharactersFromEntities" }, start.CancellationToken))
            {
                start.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
            }
        });
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property })
        {
            return;
        }

        var value = assignment.Value.WalkDownConversions();
        var constant = value.ConstantValue;
        switch (property.Name)
        {
            case "MaxDepth" when DeclaredIn(property, SystemTextJsonOptions):
                if (constant is { HasValue: true, Value: int depth } && depth > MaxReasonableDepth)
                {
                    Report(context, assignment, $"lets content nest {depth} levels deep, past {MaxReasonableDepth}, and deeply nested content can overflow the stack", "64");
                }

                break;
            case "MaxDepth" when DeclaredIn(property, NewtonsoftOptions):
                if (constant is { HasValue: true, Value: null })
                {
                    Report(context, assignment, "turns off the nesting limit of Newtonsoft.Json, and deeply nested content can overflow the stack", "64");
                }
                else if (constant is { HasValue: true, Value: int levels } && levels > MaxReasonableDepth)
                {
                    Report(context, assignment, $"lets content nest {levels} levels deep, past {MaxReasonableDepth}, and deeply nested content can overflow the stack", "64");
                }

                break;
            case "MaxCharactersFromEntities" when DeclaredIn(property, XmlSettings):
                if (constant is { HasValue: true, Value: { } characters } && Flow.Evaluator.TryGetInteger(characters, out var number) && number == 0)
                {
                    Report(context, assignment, "turns off the bound on characters from entity expansion, and a few lines of DTD can expand to gigabytes", "10_000_000");
                }

                break;
        }
    }

    /// <summary>True when the property is declared by one of the types, or by a base of them (JsonTextReader's MaxDepth is JsonReader's).</summary>
    private static bool DeclaredIn(IPropertySymbol property, ImmutableHashSet<string> types)
    {
        for (var type = property.ContainingType; type is not null; type = type.BaseType)
        {
            if (types.Contains(type.FullName()))
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(OperationAnalysisContext context, ISimpleAssignmentOperation assignment, string problem, string bound) =>
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.DeserializerLimitOff,
            assignment.Value.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(BoundKey, bound),
            assignment.Describe(),
            problem,
            $"set {((IPropertyReferenceOperation)assignment.Target).Property.Name} = {bound}"));
}
