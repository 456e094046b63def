using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1002: XML read with DTD processing or an external resolver. Flags <c>DtdProcessing</c> set to
/// <c>Parse</c> or to a value that is not a constant, <c>ProhibitDtd = false</c>, a resolver other than
/// <c>null</c> or <c>XmlResolver.ThrowingResolver</c>, an <c>XmlTextReader</c> whose <c>DtdProcessing</c> is never
/// set (it processes DTDs by default), and <c>XmlDocument.Load</c>/<c>LoadXml</c> of raw text, paths, streams or
/// text readers: the document parses them with DTD processing whatever its resolver, so the safe road is an
/// <c>XmlReader.Create</c> with default settings (DTDs prohibited, no resolver).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class XmlAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property that tells the fixer which change to make.</summary>
    public const string FixKey = "Fix";
    public const string FixProhibitDtd = "ProhibitDtd";
    public const string FixResolverNull = "ResolverNull";
    public const string FixReaderInitializer = "ReaderInitializer";
    public const string FixLoadThroughReader = "LoadThroughReader";

    private const int DtdProcessingParse = 2;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.XmlDtdProcessing);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var types = WellKnownTypes.For(start.Compilation);
            var dtdProcessing = types.Get("System.Xml.DtdProcessing");
            var resolver = types.Get("System.Xml.XmlResolver");
            if (dtdProcessing is null || resolver is null)
            {
                return;
            }

            var textReader = types.Get("System.Xml.XmlTextReader");
            var document = types.Get("System.Xml.XmlDocument");
            var xmlReader = types.Get("System.Xml.XmlReader");

            // Only what the source spells can be assigned or called: without those names, no operation action, and so no
            // operation trees built for this rule alone (SpelledNames).
            var spelled = SpelledNames.For(start.Compilation);
            if (spelled.Any(new[] { "DtdProcessing", "ProhibitDtd", "XmlResolver" }, start.CancellationToken))
            {
                start.RegisterOperationAction(c => AnalyzeAssignment(c, dtdProcessing, resolver), OperationKind.SimpleAssignment);
            }

            if (textReader is not null)
            {
                // A reader may be created without its type spelled (new() or a library's derived reader): no name gate. (A
                // syntax node action instead costs the run of all the rules more than this one operation action.)
                start.RegisterOperationAction(c => AnalyzeTextReader(c, textReader), OperationKind.ObjectCreation);
            }

            if (document is not null && xmlReader is not null && spelled.Any(new[] { "Load", "LoadXml" }, start.CancellationToken))
            {
                start.RegisterOperationAction(c => AnalyzeDocumentLoad(c, document, xmlReader), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, INamedTypeSymbol dtdProcessing, INamedTypeSymbol resolver)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property })
        {
            return;
        }

        var value = assignment.Value.WalkDownConversions();
        if (property.Name == "DtdProcessing"
            && SymbolEqualityComparer.Default.Equals(property.Type, dtdProcessing)
            && !IsProhibitOrIgnore(assignment.Value))
        {
            var problem = assignment.Value.ConstantValue.HasValue
                ? "processes the DTDs of the content, which can expand entities without bound or read local files"
                : "may process the DTDs of the content (the value is not a constant)";
            Report(context, assignment.Value, FixProhibitDtd, Assigned(assignment), problem, "set DtdProcessing.Prohibit");
        }
        else if (property.Name == "ProhibitDtd" && assignment.Value.ConstantValue is { HasValue: true, Value: false })
        {
            Report(context, assignment.Value, FixProhibitDtd, Assigned(assignment), "processes the DTDs of the content, which can expand entities without bound or read local files", "set DtdProcessing.Prohibit");
        }
        else if (property.Name == "XmlResolver"
            && property.Type.InheritsFromOrEquals(resolver)
            && value.ConstantValue is not { HasValue: true, Value: null }
            && value is not IPropertyReferenceOperation { Property.Name: "ThrowingResolver" }
            && !FetchesNothing(value, resolver))
        {
            Report(context, assignment.Value, FixResolverNull, Assigned(assignment), "lets the DTD and entities of the content fetch local files and URLs", "set XmlResolver = null");
        }
    }

    private static void AnalyzeTextReader(OperationAnalysisContext context, INamedTypeSymbol textReader)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        // Any assignment of DtdProcessing counts here: an unsafe value is reported at the assignment itself.
        if (!creation.Type.InheritsFromOrEquals(textReader)
            || Configures(creation, "DtdProcessing"))
        {
            return;
        }

        Report(context, creation, FixReaderInitializer, $"'{creation.Describe()}'", "processes the DTDs of the content by default", "set DtdProcessing = DtdProcessing.Prohibit on it");
    }

    private static void AnalyzeDocumentLoad(OperationAnalysisContext context, INamedTypeSymbol document, INamedTypeSymbol xmlReader)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name is not ("Load" or "LoadXml")
            || invocation.Instance is null
            || !invocation.TargetMethod.ContainingType.InheritsFromOrEquals(document)
            || invocation.Arguments.Length != 1
            || invocation.Arguments[0].Parameter?.Type.InheritsFromOrEquals(xmlReader) == true
            || (invocation.TargetMethod.Name == "LoadXml" && invocation.Arguments[0].Value.ConstantValue.HasValue))
        {
            // LoadXml("<hello>...</hello>"): the program's own text, a constant, declares no DTD it did not write.
            return;
        }

        Report(context, invocation, FixLoadThroughReader, $"'{invocation.Describe()}'", $"parses {invocation.Arguments[0].Value.Describe()} with DTD processing", "load through XmlReader.Create with default settings");
    }

    private static string Assigned(ISimpleAssignmentOperation assignment) => $"'{assignment.Describe()}'";

    private static bool IsProhibitOrIgnore(IOperation value) => value.ConstantValue is { HasValue: true, Value: 0 or 1 };

    /// <summary>
    /// True when the created object gets <paramref name="member"/> set, in its initializer or, when it is
    /// stored in a local or field, by an assignment anywhere in the same body.
    /// </summary>
    private static bool Configures(IObjectCreationOperation creation, string member)
    {
        if (creation.Initializer is { } initializer && initializer.Initializers.OfType<ISimpleAssignmentOperation>().Any(a => IsMember(a, member)))
        {
            return true;
        }

        var stored = StoredIn(creation);
        return stored is not null && AssignsMember(creation.Root(), stored, member);
    }

    private static bool AssignsMember(IOperation root, ISymbol symbol, string member)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } } assignment
                && IsMember(assignment, member)
                && instance.WalkDownConversions() switch
                {
                    ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
                    IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, symbol),
                    _ => false,
                })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMember(ISimpleAssignmentOperation assignment, string member) =>
        assignment.Target is IPropertyReferenceOperation property && property.Property.Name == member;

    private static ISymbol? StoredIn(IOperation value)
    {
        var current = value;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == current => local.Local,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } assignment when assignment.Value == current => field.Field,
            _ => null,
        };
    }

    private static void Report(OperationAnalysisContext context, IOperation at, string fix, string what, string problem, string remedy) =>
        Report(context.ReportDiagnostic, at, fix, what, problem, remedy);

    private static void Report(Action<Diagnostic> report, IOperation at, string fix, string what, string problem, string remedy) =>
        report(Diagnostic.Create(
            Descriptors.XmlDtdProcessing,
            at.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(FixKey, fix),
            what,
            problem,
            remedy));
}
