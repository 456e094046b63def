using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Update validation in the trust model: which calls download (their results carry an <see cref="UpdateTrail"/>),
/// and which calls verify a signature, of what. A verification that returns bool proves its data verified where it
/// returned true; one that returns nothing (it throws on failure) proves it once it returns.
/// </summary>
internal static partial class Verification
{
    public enum Kind
    {
        None,

        /// <summary>Returns true when the signature is good: the result must be tested.</summary>
        ReturnsResult,

        /// <summary>Throws when the signature is bad.</summary>
        Throws,
    }

    public static bool IsDownload(IMethodSymbol method, TrustModel trust) => trust.Find(method, TrustRole.Download) is not null;

    /// <summary>
    /// Whether a call is a signature verification (catalogued, annotated, configured in the caller's tree, or derived from
    /// the method's body read with the options of its own tree, <paramref name="optionsOf"/>), and how it reports failure.
    /// </summary>
    /// <summary>
    /// Whether the compilation can verify anything at all: its source spells a catalogued verifier or verdict, an
    /// <c>[UpdateVerifier]</c> or a native import (a native verifier is declared with one), or its configuration names
    /// an update verifier. Every verification, the program's own included, rests on one of them; a rule about
    /// verifications registers nothing without one.
    /// </summary>
    public static bool MayAppear(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var spelled = SpelledNames.For(compilation);
        return spelled.AnyMember(TrustRole.Verifier, cancellationToken)
            || spelled.AnyMember(TrustRole.Verdict, cancellationToken)
            || spelled.Any(VerifierSpellings, cancellationToken)
            || TrustOptions.For(options.AnalyzerConfigOptionsProvider.GlobalOptions).HasConfiguredVerifiers
            || compilation.SyntaxTrees.Any(tree => TrustOptions.For(options, tree).HasConfiguredVerifiers);
    }

    private static readonly string[] VerifierSpellings =
    {
        "UpdateVerifier", "UpdateVerifierAttribute", "DllImport", "DllImportAttribute", "LibraryImport", "LibraryImportAttribute",
    };

    public static Kind KindOf(IInvocationOperation invocation, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf)
    {
        var method = invocation.TargetMethod;
        var returnsBool = method.ReturnType.SpecialType == SpecialType.System_Boolean;
        var entry = trust.Find(method, TrustRole.Verifier);
        if (entry?.Data == TrustEntry.Receiver)
        {
            // SignedCms.CheckSignature(true) checks the signature only, not the signer's chain: not a verification of the publisher.
            var signatureOnly = invocation.Arguments.Argument("verifySignatureOnly")?.Value.ConstantValue;
            return signatureOnly is { HasValue: true, Value: false } ? Kind.Throws : Kind.None;
        }

        if (entry is null && !Annotations.Has(method, Annotations.UpdateVerifier) && !options.IsConfiguredVerifier(method))
        {
            // A method of the program that returns true only where it verified a parameter (Verification.Derived.cs).
            return returnsBool && !DerivedVerified(method, trust, optionsOf, trust.Compilation).IsEmpty ? Kind.ReturnsResult : Kind.None;
        }

        return returnsBool ? Kind.ReturnsResult
            : entry?.Data is null && (method.ReturnsVoid || method.ReturnType.Name is "Task" or "ValueTask") ? Kind.Throws
            : Kind.None;
    }

    /// <summary>The values a verification that returns bool proves verified when it returns true.</summary>
    public static KeySet ProvenWhenTrue(IInvocationOperation invocation, FlowContext context) =>
        KindOf(invocation, context.Trust, context.Options, context.Summaries.OptionsOf) == Kind.ReturnsResult ? Verified(invocation, context.Trust, context.Model) : FlowKey.EmptySet;

    /// <summary>The values a verification proves verified: its data (and what a verified hash was computed from), or a SignedCms and its content.</summary>
    public static KeySet Verified(IInvocationOperation invocation, TrustModel trust, SemanticModel? model)
    {
        var keys = FlowKey.EmptySet;
        var method = invocation.TargetMethod;
        var entry = trust.Find(method, TrustRole.Verifier);
        if (entry?.Data == TrustEntry.Receiver)
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

        var derived = entry is null && !Annotations.Has(method, Annotations.UpdateVerifier) && !TrustOptions.Default.IsConfiguredVerifier(method)
            ? DerivedVerified(method, trust, _ => TrustOptions.Default, trust.Compilation)
            : ImmutableArray<int>.Empty;
        var data = entry?.Data is { } first
            ? invocation.Arguments.Where(a => a.Value == TrustEntry.Argument(invocation, first))
            : !derived.IsEmpty
                ? invocation.Arguments.Where(a => a.Parameter is { } parameter && derived.Contains(parameter.Ordinal))
                : invocation.Arguments.Where(a => a.Parameter?.RefKind is not RefKind.Out);
        foreach (var argument in data)
        {
            keys = Add(keys, argument.Value);
            if (method.Name == "VerifyHash" && Initial(argument.Value, model) is IInvocationOperation { TargetMethod.Name: "HashData" or "ComputeHash" or "ComputeHashAsync", Arguments.Length: > 0 } hashing)
            {
                // var hash = SHA256.HashData(data); ecdsa.VerifyHash(hash, signature): data is verified.
                keys = Add(keys, hashing.Arguments[0].Value);
            }

            // VerifyData(File.ReadAllBytes(path), ...), or bytes read back from the file first: the file at path is verified.
            keys = Add(keys, ReadFrom(argument.Value, trust, model));
        }

        return keys;
    }

    /// <summary>Marks values verified in a state.</summary>
    public static FlowState MarkVerified(FlowState state, KeySet keys)
    {
        foreach (var key in keys)
        {
            var fact = state[key] ?? ValueFact.Unknown;
            state = state.Refine(key, fact.WithTrail((fact.Trail ?? new UpdateTrail(null, false, FlowKey.EmptySet)).AsVerified()));
        }

        return state;
    }

    private static KeySet Add(KeySet keys, IOperation? operation) =>
        FlowKey.Of(operation) is { } key ? keys.Add(key) : keys;

    /// <summary>The path a value was read from whole (<c>File.ReadAllBytes(path)</c>, a catalogued read given a path), directly or through a local.</summary>
    private static IOperation? ReadFrom(IOperation value, TrustModel trust, SemanticModel? model) =>
        (value.WalkDownConversions() as IInvocationOperation ?? Initial(value, model) as IInvocationOperation) is { } read
        && trust.Find(read.TargetMethod, TrustRole.Source) is not null
            ? TrustEntry.Argument(read, "path")
            : null;

    /// <summary>The operation a local was initialized with, when it is never assigned again.</summary>
    public static IOperation? Initial(IOperation? reference, SemanticModel? model) =>
        reference?.WalkDownConversions() is ILocalReferenceOperation local
            ? Initializers.ValueOf(local.Local, null, reference.SemanticModel ?? model)?.WalkDownConversions()
            : null;
}
