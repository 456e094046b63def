using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>var buffer = new byte[4096]; stream.Read(buffer, 0, buffer.Length)</c>: an array a method creates in a local has
/// the length it was created with, however untrusted the elements a read fills it with. Its <c>Length</c> is as
/// untrusted as that size, not as its elements: a read count bounded by it, and a position stepped by such counts,
/// stay the program's. Only for a local nothing assigns again, created with one size whose locals nothing assigns
/// again either (and whose parameters the method never assigns), so that the size evaluated now is the one the array
/// was created with.
/// </summary>
internal static class LocalBuffers
{
    /// <summary>True when the instance is such a local and its size is trusted.</summary>
    public static bool ProgramSized(IOperation? instance, FlowState state, FlowContext context, int depth) =>
        Verification.Initial(instance, context.Model) is IArrayCreationOperation { DimensionSizes.Length: 1 } creation
        && Unchanged(creation.DimensionSizes[0], context.Model)
        && !Evaluator.Eval(creation.DimensionSizes[0], state, context, depth + 1).Untrusted;

    /// <summary>Every local the size reads holds only its initializer, and every parameter it reads is never assigned.</summary>
    private static bool Unchanged(IOperation size, SemanticModel? model)
    {
        foreach (var operation in size.DescendantsAndSelf())
        {
            switch (operation)
            {
                case ILocalReferenceOperation local when !local.Local.IsConst && Initializers.ValueOf(local.Local, null, size.SemanticModel ?? model) is null:
                case IParameterReferenceOperation parameter when parameter.Parameter.RefKind != RefKind.None || Assigned(parameter.Parameter, size.Root()):
                    return false;
            }
        }

        return true;
    }

    private static bool Assigned(IParameterSymbol parameter, IOperation root) =>
        root.Descendants().Any(operation => operation switch
        {
            IAssignmentOperation { Target: IParameterReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Parameter, parameter),
            IIncrementOrDecrementOperation { Target: IParameterReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Parameter, parameter),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } => SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter),
            _ => false,
        });
}
