using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.VerificationResultAnalyzer,
    SecureByDesign.Analyzers.VerificationResultFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class VerificationResultTests
{
    private const string Discarded = "returns false on failure, and the result is discarded";
    private const string Test = "test it and reject the content when it is false";

    private static DiagnosticResult Ignored(int location, string call, string what, string advice = Test) =>
        VerifyCS.Diagnostic("SBD3002").WithLocation(location).WithArguments(call, what, advice);

    [Fact]
    public async Task DiscardedOrNeverReadResults_AndSignatureOnlyChecks_AreFlagged()
    {
        const string source = """
            using System;
            using System.Security.Cryptography;
            using System.Security.Cryptography.X509Certificates;
            using System.Security.Cryptography.Pkcs;

            [AttributeUsage(AttributeTargets.Method)]
            sealed class UpdateVerifierAttribute : Attribute { }

            class Updater
            {
                void Apply(RSA key, ECDsa ecdsa, byte[] data, byte[] signature, X509Chain chain, X509Certificate2 certificate, SignedCms cms)
                {
                    {|#0:key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)|};
                    _ = {|#1:ecdsa.VerifyHash(SHA256.HashData(data), signature)|};
                    var valid = {|#2:key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)|};
                    {|#3:chain.Build(certificate)|};
                    {|#4:IsSigned(data)|};
                    {|#5:cms.CheckSignature(true)|};
                }

                [UpdateVerifier] static bool IsSigned(byte[] data) => false;
            }
            """ + UpdateVerificationTests.CmsStub;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Ignored(0, "RSA.VerifyData", Discarded),
            Ignored(1, "ECDsa.VerifyHash", Discarded),
            Ignored(2, "RSA.VerifyData", "returns false on failure, and the result is stored in 'valid' and never read"),
            Ignored(3, "X509Chain.Build", Discarded),
            Ignored(4, "Updater.IsSigned", Discarded),
            Ignored(5, "SignedCms.CheckSignature", "checks the signature alone, not that the signer chains to a publisher the agent trusts", "pass false, with the publisher's root in the extra store or the system store"));
    }

    [Fact]
    public async Task TestedResults_AreQuiet()
    {
        const string source = """
            using System.Security;
            using System.Security.Cryptography;
            using System.Security.Cryptography.Pkcs;

            class Updater
            {
                bool Check(RSA key, byte[] data, byte[] signature) => key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

                void Guard(RSA key, byte[] data, byte[] signature, SignedCms cms)
                {
                    if (!key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)) throw new SecurityException();
                    var valid = key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                    if (!valid) throw new SecurityException();
                    cms.CheckSignature(false);
                }
            }
            """ + UpdateVerificationTests.CmsStub;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    /// <summary>
    /// A lookup whose base body only ever returns false (<c>virtual bool TryLookupMember(int token, out object? member)
    /// { member = null; return false; }</c>) verifies nothing: no return of it is a verdict. Its twin, a method of the
    /// program that returns the result of VerifyData, is a verifier whose discarded result stays flagged.
    /// </summary>
    [Fact]
    public async Task MethodThatOnlyReturnsFalse_IsNoVerifier_BesideItsTwinThatReturnsAVerdict()
    {
        const string source = """
            using System.Security.Cryptography;

            class Module
            {
                public virtual bool TryLookupMember(byte[] token, out object? member)
                {
                    member = null;
                    return false;
                }

                public bool IsSigned(RSA key, byte[] data, byte[] signature)
                {
                    if (data.Length == 0) return false;
                    return key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }
            }

            class Resolver
            {
                object? Resolve(Module module, byte[] token)
                {
                    module.TryLookupMember(token, out var member);
                    return member;
                }

                void Apply(Module module, RSA key, byte[] data, byte[] signature)
                {
                    {|#0:module.IsSigned(key, data, signature)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Ignored(0, "Module.IsSigned", Discarded));
    }

    [Fact]
    public async Task Fix_RejectsOnFailure_AndChecksTheChain()
    {
        const string source = """
            using System.Security.Cryptography;
            using System.Security.Cryptography.Pkcs;

            class Updater
            {
                void Apply(RSA key, byte[] data, byte[] signature, SignedCms cms)
                {
                    {|#0:key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)|};
                    {|#1:cms.CheckSignature(true)|};
                    _ = {|#2:key.VerifyHash(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)|};
                }
            }
            """ + UpdateVerificationTests.CmsStub;
        const string fixedSource = """
            using System.Security;
            using System.Security.Cryptography;
            using System.Security.Cryptography.Pkcs;

            class Updater
            {
                void Apply(RSA key, byte[] data, byte[] signature, SignedCms cms)
                {
                    if (!key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
                    {
                        throw new SecurityException("Signature verification failed.");
                    }
                    cms.CheckSignature(false);
                    if (!key.VerifyHash(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
                    {
                        throw new SecurityException("Signature verification failed.");
                    }
                }
            }
            """ + UpdateVerificationTests.CmsStub;

        DiagnosticResult[] expected =
        [
            Ignored(0, "RSA.VerifyData", Discarded),
            Ignored(2, "RSA.VerifyHash", Discarded),
            Ignored(1, "SignedCms.CheckSignature", "checks the signature alone, not that the signer chains to a publisher the agent trusts", "pass false, with the publisher's root in the extra store or the system store"),
        ];
        await VerifyCS.VerifyCodeFixAsync(source, expected, fixedSource);
        await VerifyCS.VerifyFixAllAsync(source, expected, fixedSource);
    }
}
