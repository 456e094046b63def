using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1003: a field of an untrusted record (split text, read fields, a deserialized array, an element of an
/// untrusted array of records) read at a constant index with no dominating check that the record has that many
/// fields, and the characters of such a field read at constant positions with no check of the field's length. Records passed to private and internal helpers of the compilation are followed: the helper's reads
/// become a demand on its parameter, checked at the call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class FieldCountAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic properties for the fixer: the record as written, its count member, and the count the reads need.</summary>
    public const string RecordKey = "Record";
    public const string LengthKey = "Length";
    public const string CountKey = "Count";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.FieldCountNotChecked);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var demands = new HelperDemands(CompilationFlow.For(start.Compilation, start.Options).Summaries);

            // Only methods that read a field at a constant index, or hand a record to a helper of theirs, get a graph.
            FlowRules.Register(
                start,
                nameof(FieldCountAnalyzer),
                operation => ConstantRead(operation) is not null || CharacterRead(operation) is not null
                    || (operation is IInvocationOperation { TargetMethod: { DeclaredAccessibility: not Accessibility.Public, IsExtern: false } target } && target.Parameters.Any(p => IsRecordType(p.Type)) && !target.DeclaringSyntaxReferences.IsEmpty),
                (report, operation, state, flow) => Inspect(report, operation, state, flow, demands));
        });
    }

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow, HelperDemands demands)
    {
        if (ConstantRead(operation) is var (record, index))
        {
            var fact = Evaluator.Eval(record, state, flow);
            var fewest = Fewest(record, fact, state);
            if (fact.Untrusted && fewest <= index)
            {
                report(Create(operation, record, index, (long)index + 1, fact.Origin, Why(record, index, Fewest(record, fact, state, reads: false), state)));
            }
        }
        else if (CharacterRead(operation) is { } characters)
        {
            InspectCharacters(report, operation, characters, state, flow);
        }

        if (operation is IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (demands.Of(invocation.TargetMethod, argument.Parameter, flow.CancellationToken) is not { } demand)
                {
                    continue;
                }

                var fact = Evaluator.Eval(argument.Value, state, flow);
                var fewest = Fewest(argument.Value, fact, state);
                if (fact.Untrusted && fewest < demand.Count)
                {
                    var why = $"in '{invocation.TargetMethod.Name}' (line {demand.Line}) {Why(argument.Value, demand.Count - 1, Fewest(argument.Value, fact, state, reads: false), state)}";
                    report(Create(argument, argument.Value, demand.Count - 1, demand.Count, fact.Origin, why));
                }
            }
        }
    }

    /// <summary>A read of a record at a constant index: <c>fields[3]</c>, <c>list[3]</c>, <c>span[3]</c>. Writes are not reads.</summary>
    internal static (IOperation Record, int Index)? ConstantRead(IOperation operation)
    {
        var (record, index) = operation switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } indexer
                when IsRecordType(instance.Type) => (instance, indexer.Arguments[0].Value),
            _ => ((IOperation?)null, (IOperation?)null),
        };
        if (record is null || index?.ConstantValue is not { HasValue: true, Value: int k } || k < 0)
        {
            return null;
        }

        var written = operation.Parent is IAssignmentOperation assignment && assignment.Target == operation;
        return written ? null : (record, k);
    }

    /// <summary>
    /// The fewest elements a record is proven to have here: from what made it, from every check of its Length or Count,
    /// and (with <paramref name="reads"/>) from the constant indexes already read from it without throwing.
    /// </summary>
    internal static int Fewest(IOperation record, ValueFact fact, FlowState state, bool reads = true)
    {
        var fewest = fact.FewestElements;
        if (FlowKey.Of(record) is { } key)
        {
            foreach (var entry in state.Facts)
            {
                if (entry.Key is FlowKey.MemberKey { Field.Name: "Length" or "Count" or "LongLength" } member
                    && FlowKey.Comparer.Equals(member.Owner, key) && entry.Value.Lower is { } lower)
                {
                    fewest = (int)Math.Max(fewest, Math.Min(lower, int.MaxValue));
                }
                else if (reads && entry.Key is FactKey { Kind: FactKey.Reached } reached && FlowKey.Comparer.Equals(reached.Of, key) && entry.Value.Lower is { } shown)
                {
                    // data[3] was read before and did not throw: at least four elements.
                    fewest = (int)Math.Max(fewest, Math.Min(shown, int.MaxValue));
                }
                else if (entry.Value.Lower is { } least and >= 1
                    && (entry.Value.AtMostLength.Contains(key) || entry.Value.BelowLength.Contains(key)))
                {
                    // end >= 4 where end is at most buffer.Length (the bytes read into it so far): at least 4 elements.
                    var below = entry.Value.BelowLength.Contains(key) ? 1 : 0;
                    fewest = (int)Math.Max(fewest, Math.Min(least + below, int.MaxValue));
                }
            }
        }

        return fewest;
    }

    private static string Why(IOperation record, int index, int fewest, FlowState state)
    {
        var needed = (long)index + 1;
        var count = $"'{record.Describe()}.{CountName(record.Type)}'";
        return fewest > 1 || (fewest == 1 && Checked(record, state))
            ? $"after a check that proves only {fewest} field{(fewest == 1 ? "" : "s")}{(fewest == index ? " (one short)" : "")}; field {index} needs {count} to be at least {needed}"
            : $"with no check that {count} is at least {needed}";
    }

    private static bool Checked(IOperation record, FlowState state) =>
        FlowKey.Of(record) is { } key
        && state.Facts.Any(entry => entry.Key is FlowKey.MemberKey member && FlowKey.Comparer.Equals(member.Owner, key) && entry.Value.Lower > 0);

    private static Diagnostic Create(IOperation at, IOperation record, int index, long count, string? origin, string why)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(RecordKey, record.Syntax.ToString())
            .Add(LengthKey, CountName(record.Type))
            .Add(CountKey, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Diagnostic.Create(Descriptors.FieldCountNotChecked, at.Syntax.GetLocation(), properties, index, record.Describe(), origin, why);
    }

    internal static string CountName(ITypeSymbol? type) =>
        type is IArrayTypeSymbol || type?.GetMembers("Length").Length > 0 ? "Length" : "Count";

    /// <summary>Arrays, lists and spans: things with fields by position. Not strings (characters are not fields), not dictionaries.</summary>
    internal static bool IsRecordType(ITypeSymbol? type) => Records.IsIndexable(type);
}
