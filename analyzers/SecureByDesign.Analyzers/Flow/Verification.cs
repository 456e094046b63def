using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Update validation in the trust model: which calls download (their results carry an <see cref="UpdateTrail"/>),
/// and which calls verify a signature, of what. A verification that returns bool proves its data verified where it
/// returned true; one that returns nothing (it throws on failure) proves it once it returns.
/// </summary>
internal static class Verification
{
    // Types whose calls bring data over the network (checked along the base types).
    private static readonly ImmutableHashSet<string> NetworkTypes = ImmutableHashSet.Create(
        "HttpClient", "HttpMessageInvoker", "HttpContent", "WebClient", "Socket", "NetworkStream", "WebSocket", "TcpClient", "UdpClient", "WebResponse");

    public enum Kind
    {
        None,

        /// <summary>Returns true when the signature is good: the result must be tested.</summary>
        ReturnsResult,

        /// <summary>Throws when the signature is bad.</summary>
        Throws,
    }

    public static bool IsDownload(IMethodSymbol method) => DeclaredInAny(method, NetworkTypes);

    /// <summary>Whether a call is a signature verification, and how it reports failure.</summary>
    public static Kind KindOf(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var returnsBool = method.ReturnType.SpecialType == SpecialType.System_Boolean;
        if (method.Name is "VerifyData" or "VerifyHash" && DeclaredInAny(method, ImmutableHashSet.Create("AsymmetricAlgorithm")) && returnsBool)
        {
            return Kind.ReturnsResult;
        }

        if (method.Name == "CheckSignature" && method.ContainingType?.Name == "SignedCms")
        {
            // CheckSignature(true) checks the signature only, not the signer's chain: not a verification of the publisher.
            var signatureOnly = invocation.Arguments.Argument("verifySignatureOnly")?.Value.ConstantValue;
            return signatureOnly is { HasValue: true, Value: false } ? Kind.Throws : Kind.None;
        }

        var declared = Annotations.Has(method, Annotations.UpdateVerifier)
            || (method.Name.StartsWith("Verify", StringComparison.Ordinal) && method.ContainingNamespace?.ToDisplayString().StartsWith("SecureByDesign.Updates", StringComparison.Ordinal) == true);
        if (!declared)
        {
            return Kind.None;
        }

        return returnsBool ? Kind.ReturnsResult : method.ReturnsVoid || method.ReturnType.Name is "Task" or "ValueTask" ? Kind.Throws : Kind.None;
    }

    /// <summary>The values a verification that returns bool proves verified when it returns true.</summary>
    public static ImmutableHashSet<object> ProvenWhenTrue(IInvocationOperation invocation, SemanticModel? model) =>
        KindOf(invocation) == Kind.ReturnsResult ? Verified(invocation, model) : FlowKey.EmptySet;

    /// <summary>The values a verification proves verified: its data (and what a verified hash was computed from), or a SignedCms and its content.</summary>
    public static ImmutableHashSet<object> Verified(IInvocationOperation invocation, SemanticModel? model)
    {
        var keys = FlowKey.EmptySet;
        var method = invocation.TargetMethod;
        if (method.ContainingType?.Name == "SignedCms")
        {
            // new SignedCms(new ContentInfo(data), detached: true) ... cms.CheckSignature(false): data is verified.
            keys = Add(keys, invocation.Instance);
            if (Initial(invocation.Instance, model) is IObjectCreationOperation { Arguments.Length: > 0 } signed
                && signed.Arguments[0].Value.WalkDownConversions() is IObjectCreationOperation { Arguments.Length: > 0 } contentInfo)
            {
                keys = Add(keys, contentInfo.Arguments[contentInfo.Arguments.Length - 1].Value);
            }

            return keys;
        }

        var data = method.Name is "VerifyData" or "VerifyHash"
            ? invocation.Arguments.Take(1)
            : invocation.Arguments.Where(a => a.Parameter?.RefKind is not RefKind.Out);
        foreach (var argument in data)
        {
            keys = Add(keys, argument.Value);
            if (method.Name == "VerifyHash" && Initial(argument.Value, model) is IInvocationOperation { TargetMethod.Name: "HashData" or "ComputeHash" or "ComputeHashAsync", Arguments.Length: > 0 } hashing)
            {
                // var hash = SHA256.HashData(data); ecdsa.VerifyHash(hash, signature): data is verified.
                keys = Add(keys, hashing.Arguments[0].Value);
            }
        }

        return keys;
    }

    /// <summary>Marks values verified in a state.</summary>
    public static FlowState MarkVerified(FlowState state, ImmutableHashSet<object> keys)
    {
        foreach (var key in keys)
        {
            var fact = state[key] ?? ValueFact.Unknown;
            state = state.Refine(key, fact.WithTrail((fact.Trail ?? new UpdateTrail(null, false, FlowKey.EmptySet)).AsVerified()));
        }

        return state;
    }

    private static ImmutableHashSet<object> Add(ImmutableHashSet<object> keys, IOperation? operation) =>
        FlowKey.Of(operation) is { } key ? keys.Add(key) : keys;

    /// <summary>The operation a local was initialized with, when it is never assigned again.</summary>
    public static IOperation? Initial(IOperation? reference, SemanticModel? model) =>
        reference?.WalkDownConversions() is ILocalReferenceOperation local
            ? Initializers.ValueOf(local.Local, null, reference.SemanticModel ?? model)?.WalkDownConversions()
            : null;

    private static bool DeclaredInAny(IMethodSymbol method, ImmutableHashSet<string> typeNames)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (typeNames.Contains(type.Name))
            {
                return true;
            }
        }

        return false;
    }
}
