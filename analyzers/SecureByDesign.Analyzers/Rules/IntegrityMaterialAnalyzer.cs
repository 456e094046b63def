using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3004: integrity checked with material from the same channel as the content (a key imported from downloaded
/// bytes, a downloaded hash compared with the hash of downloaded content), or with MD5/SHA-1 over downloads.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class IntegrityMaterialAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> WeakHashes = ImmutableHashSet.Create("MD5", "SHA1", "MD5CryptoServiceProvider", "SHA1CryptoServiceProvider", "SHA1Managed");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.SameChannelIntegrity);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        // A signature over MD5 or SHA-1 is weak wherever the data comes from: no engine needed.
        context.RegisterCompilationStartAction(start =>
        {
            var trust = TrustModel.For(start.Compilation);
            start.RegisterOperationAction(
                c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    if (IsSignatureCheck(invocation, trust, TrustOptions.Default)
                        && invocation.Arguments.FirstOrDefault(a => a.Value.Type?.Name == "HashAlgorithmName")?.Value is IPropertyReferenceOperation { Property.Name: "MD5" or "SHA1" } weak)
                    {
                        Report(c.ReportDiagnostic, invocation, $"{invocation.TargetMethod.Name} signs over {weak.Property.Name}", "use HashAlgorithmName.SHA256 or stronger");
                    }
                },
                OperationKind.Invocation);
        });

        // Only methods that verify, hash or compare get a graph.
        context.RegisterCompilationStartAction(start => FlowRules.Register(
            start,
            nameof(IntegrityMaterialAnalyzer),
            operation => operation is IInvocationOperation { TargetMethod.Name: "VerifyData" or "VerifyHash" or "ComputeHash" or "ComputeHashAsync" or "HashData" or "HashDataAsync" }
                || (operation is IInvocationOperation { TargetMethod.Name: "SequenceEqual" or "FixedTimeEquals" or "Equals" } comparison && comparison.Descendants().Any(IsHashCall))
                || (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } equality && equality.Descendants().Any(IsHashCall)),
            Inspect));
    }

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow)
    {
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } equality)
        {
            // Convert.ToHexString(SHA256.HashData(content)) == expectedFromTheServer
            SameChannel(report, equality, equality.LeftOperand, equality.RightOperand, state, flow);
            WeakComparison(report, equality, equality.LeftOperand, equality.RightOperand, state, flow);
            return;
        }

        if (operation is not IInvocationOperation invocation)
        {
            return;
        }

        var method = invocation.TargetMethod;
        string? Download(IOperation? value) => value is null ? null : Evaluator.Eval(value, state, flow).Trail?.Download;

        if (IsSignatureCheck(invocation, flow.Trust, flow.Options))
        {
            if (Download(invocation.Instance) is { } keyOrigin)
            {
                Report(report, invocation, $"{method.Name} uses a key imported from data downloaded by {keyOrigin}", "whoever can replace the content can replace the key; verify with a public key the agent already holds");
            }

            return;
        }

        // md5.ComputeHash(downloaded), SHA1.HashData(downloaded).
        if (method.Name is "ComputeHash" or "ComputeHashAsync" or "HashData" or "HashDataAsync" && IsWeak(method.ContainingType, invocation.Instance?.Type)
            && invocation.Arguments.FirstOrDefault() is { } hashed && Download(hashed.Value) is { } origin)
        {
            Report(report, invocation, $"{WeakName(method.ContainingType, invocation.Instance?.Type)} hashes data downloaded by {origin}", "MD5 and SHA-1 admit collisions; verify a signature over SHA-256 or stronger");
            return;
        }

        // SHA256.HashData(content).SequenceEqual(downloadedHash), CryptographicOperations.FixedTimeEquals(hash, downloadedHash).
        if (method.Name is "SequenceEqual" or "FixedTimeEquals" or "Equals" && Compared(invocation) is var (left, right))
        {
            SameChannel(report, invocation, left, right, state, flow);
            WeakComparison(report, invocation, left, right, state, flow);
        }
    }

    /// <summary>A hash of downloaded content compared with a value downloaded too.</summary>
    private static void SameChannel(Action<Diagnostic> report, IOperation at, IOperation left, IOperation right, FlowState state, FlowContext flow)
    {
        var (hash, expected) = IsHash(left, flow.Model) ? (left, right) : IsHash(right, flow.Model) ? (right, left) : (null, null);
        if (hash is not null && expected is not null
            && Evaluator.Eval(hash, state, flow).Trail?.Download is not null
            && Evaluator.Eval(expected, state, flow).Trail?.Download is { } expectedOrigin)
        {
            Report(report, at, $"the hash of downloaded content is compared with '{expected.Describe()}', downloaded by {expectedOrigin}", "a hash from the same server proves nothing; verify a signature with a key the agent holds");
        }
    }

    /// <summary>A catalogued check of a signature with a key (VerifyData, VerifyHash) that returns its verdict (never a derived one).</summary>
    private static bool IsSignatureCheck(IInvocationOperation invocation, TrustModel trust, TrustOptions options) =>
        trust.Find(invocation.TargetMethod, TrustRole.Verifier) is { Data: "#0" }
        && Verification.KindOf(invocation, trust, options, _ => options) == Verification.Kind.ReturnsResult;

    private static bool IsHashCall(IOperation operation) => operation is IInvocationOperation { TargetMethod.Name: "HashData" or "ComputeHash" };

    private static (IOperation Left, IOperation Right)? Compared(IInvocationOperation invocation)
    {
        var values = (invocation.Instance is null ? [] : new[] { invocation.Instance }).Concat(invocation.Arguments.Select(a => a.Value)).ToList();
        return values.Count >= 2 ? (values[0], values[1]) : null;
    }

    private static bool IsHash(IOperation value, SemanticModel? model) => HashCall(value, model) is not null;

    /// <summary>
    /// The hash computation a value is, or a local holds, also as text or a span of it: <c>Convert.ToHexString(hash)</c>,
    /// <c>BitConverter.ToString(hash)</c>, <c>hash.AsSpan()</c>, and their <c>ToLower</c>/<c>ToUpper</c>/<c>Replace</c>.
    /// </summary>
    private static IInvocationOperation? HashCall(IOperation value, SemanticModel? model, int depth = 0)
    {
        var operation = Verification.Initial(value, model) ?? value.WalkDownConversions();
        if (depth > 4 || operation is not IInvocationOperation invocation)
        {
            return null;
        }

        if (IsHashCall(invocation))
        {
            return invocation;
        }

        var through = invocation.TargetMethod.Name is "ToHexString" or "ToHexStringLower" or "ToString" or "ToBase64String" or "AsSpan" or "ToLower" or "ToLowerInvariant" or "ToUpper" or "ToUpperInvariant" or "Replace" or "Trim"
            ? invocation.Instance ?? invocation.Arguments.FirstOrDefault()?.Value
            : null;
        return through is null ? null : HashCall(through, model, depth + 1);
    }

    /// <summary>
    /// An MD5 or SHA-1 digest of content compared with an expected value: an integrity check a collision passes. A digest of
    /// downloaded data is reported where it is computed; one of data that is not content (a cache key) is not a check of it.
    /// </summary>
    private static void WeakComparison(Action<Diagnostic> report, IOperation at, IOperation left, IOperation right, FlowState state, FlowContext flow)
    {
        foreach (var (digest, expected) in new[] { (left, right), (right, left) })
        {
            if (HashCall(digest, flow.Model) is { } hash && WeakName(hash.TargetMethod.ContainingType, hash.Instance?.Type) is { } weak
                && hash.Arguments.FirstOrDefault()?.Value is { } hashed
                && Evaluator.Eval(hashed, state, flow) is { Untrusted: true } fact && fact.Trail?.Download is null)
            {
                Report(report, at, $"the {weak} digest of '{hashed.Describe()}' (from {fact.Origin}) is compared with '{expected.Describe()}' as an integrity check", "MD5 and SHA-1 admit collisions; compare a SHA-256 digest, or verify a signature over SHA-256 or stronger");
                return;
            }
        }
    }

    private static bool IsWeak(ITypeSymbol? declaring, ITypeSymbol? receiver) => WeakName(declaring, receiver) is not null;

    private static string? WeakName(ITypeSymbol? declaring, ITypeSymbol? receiver)
    {
        foreach (var start in new[] { receiver, declaring })
        {
            for (var type = start; type is not null; type = type.BaseType)
            {
                if (WeakHashes.Contains(type.Name))
                {
                    return type.Name.StartsWith("MD5", StringComparison.Ordinal) ? "MD5" : "SHA-1";
                }
            }
        }

        return null;
    }

    private static void Report(Action<Diagnostic> report, IOperation at, string what, string advice) =>
        report(Diagnostic.Create(Descriptors.SameChannelIntegrity, at.Syntax.GetLocation(), what, advice));
}
