using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The signature a verification is given: the argument of a parameter named for it (<c>VerifyData(data, signature, ...)</c>,
/// <c>SignatureVerifier.Verify(key, data, signatureHex)</c>, an <c>[UpdateVerifier]</c> method's <c>sig</c>), and the
/// values it was made from (<c>Convert.FromBase64String(manifest.Signature)</c>, through a local's one value).
/// </summary>
internal static partial class Verification
{
    /// <summary>The values that make up the signature argument of a verification; empty when it has none.</summary>
    public static ImmutableArray<IOperation> SignatureValues(IInvocationOperation invocation, SemanticModel? model)
    {
        var values = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && IsSignatureName(parameter.Name) && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                AddMadeFrom(argument.Value, model, values, depth: 0);
            }
        }

        return values.ToImmutable();
    }

    /// <summary>True when two operations read the same storage: a local, a parameter, or a field or property of the same owner.</summary>
    public static bool SameValue(IOperation a, IOperation b) => (a.WalkDownConversions(), b.WalkDownConversions()) switch
    {
        (ILocalReferenceOperation x, ILocalReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
        (IParameterReferenceOperation x, IParameterReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
        (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
        (IFieldReferenceOperation or IPropertyReferenceOperation, IFieldReferenceOperation or IPropertyReferenceOperation) when a.WalkDownConversions() is IMemberReferenceOperation x && b.WalkDownConversions() is IMemberReferenceOperation y =>
            SymbolEqualityComparer.Default.Equals(x.Member, y.Member)
            && (x.Instance is null ? y.Instance is null : y.Instance is not null && SameValue(x.Instance, y.Instance)),
        _ => false,
    };

    private static bool IsSignatureName(string name) =>
        name.IndexOf("signature", StringComparison.OrdinalIgnoreCase) >= 0 || name.Equals("sig", StringComparison.OrdinalIgnoreCase);

    /// <summary>The storage read in a value (not the owners of the members read), and what a local among them was made from.</summary>
    private static void AddMadeFrom(IOperation value, SemanticModel? model, ImmutableArray<IOperation>.Builder values, int depth)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
                || operation.Parent is IMemberReferenceOperation owner && owner.Instance == operation)
            {
                continue;
            }

            values.Add(operation);
            if (depth < 2 && Initial(operation, model) is { } made)
            {
                // var signature = Convert.FromBase64String(manifest.Signature): a test of manifest.Signature tests the signature.
                AddMadeFrom(made, model, values, depth + 1);
            }
        }
    }
}
