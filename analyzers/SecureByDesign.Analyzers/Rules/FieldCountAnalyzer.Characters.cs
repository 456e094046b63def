using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1003 one level down: the characters of a field. <c>fields[3].Substring(2, 3)</c> or <c>code[5]</c>, where
/// <c>code</c> holds field 3 of an untrusted record, needs the field's own <c>Length</c> checked, as the record's count
/// is for its fields.
/// </summary>
public sealed partial class FieldCountAnalyzer
{
    /// <summary>A read of a string's characters at constant positions: <c>text[5]</c> needs 6, <c>text.Substring(2, 3)</c> 5.</summary>
    internal static (IOperation Text, int Needed)? CharacterRead(IOperation operation)
    {
        var (text, needed) = operation switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { Type.SpecialType: SpecialType.System_String } instance, Arguments.Length: 1 } indexer
                when Constant(indexer.Arguments[0].Value) is { } k => (instance, k + 1),
            IInvocationOperation { TargetMethod: { Name: "Substring", ContainingType.SpecialType: SpecialType.System_String }, Instance: { } instance } substring
                when Constant(substring.Arguments.Argument("startIndex")?.Value) is { } start => (instance, start + (substring.Arguments.Argument("length") is { } length ? Constant(length.Value) ?? 0L : 0)),
            _ => ((IOperation?)null, 0L),
        };
        return text is null || needed is <= 0 or > int.MaxValue ? null : (text, (int)needed);
    }

    /// <summary>Characters of a field of an untrusted record read without a check of the field's Length that covers them.</summary>
    private static void InspectCharacters(Action<Diagnostic> report, IOperation operation, (IOperation Text, int Needed) read, FlowState state, FlowContext flow)
    {
        if (FieldOf(read.Text, flow) is not var (record, index))
        {
            return;
        }

        var fact = Evaluator.Eval(read.Text, state, flow);
        var fewest = Fewest(read.Text, fact, state);
        if (!fact.Untrusted || fewest >= read.Needed)
        {
            return;
        }

        var field = read.Text.Describe();
        var use = operation.Describe();
        var why = fewest > 0
            ? $"at '{use}' after a check that proves only {fewest} character{(fewest == 1 ? "" : "s")}{(fewest == read.Needed - 1 ? " (one short)" : "")}; it needs '{field}.Length' to be at least {read.Needed}"
            : $"at '{use}' with no check that '{field}.Length' is at least {read.Needed}";

        // No properties: the fixer's exact count is for records, not for the characters of a field.
        report(Diagnostic.Create(Descriptors.FieldCountNotChecked, operation.Syntax.GetLocation(), index, record.Describe(), fact.Origin, why));
    }

    /// <summary>The record and index a string is a field of: <c>fields[3]</c>, or a local that holds only that.</summary>
    private static (IOperation Record, int Index)? FieldOf(IOperation text, FlowContext flow)
    {
        var value = text.WalkDownConversions();
        if (value is ILocalReferenceOperation local && Initializers.ValueOf(local.Local, flow.Compilation, flow.Model) is { } initializer)
        {
            value = initializer.WalkDownConversions();
        }

        return ConstantRead(value);
    }

    private static long? Constant(IOperation? value) =>
        value?.ConstantValue is { HasValue: true, Value: int k } && k >= 0 ? k : null;
}
