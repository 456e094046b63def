using Microsoft.CodeAnalysis.Testing;
using IntegrityCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.IntegrityMaterialAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;
using FailOpenCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.FailOpenVerificationAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>SBD3004 (integrity material from the same channel, weak hashes) and SBD3005 (verification that fails open, or is skipped without a signature).</summary>
public class UpdateIntegrityTests
{
    private const string SameServer = "a hash from the same server proves nothing; verify a signature with a key the agent holds";

    private static DiagnosticResult Integrity(int location, string what, string advice) =>
        IntegrityCS.Diagnostic("SBD3004").WithLocation(location).WithArguments(what, advice);

    private static DiagnosticResult FailOpen(int location, string call, string how) =>
        FailOpenCS.Diagnostic("SBD3005").WithLocation(location).WithArguments($"The catch clause around {call} {how}", "a failed verification must reject the content");

    private static DiagnosticResult Skipped(int location, string signature, string test, string verifier, string reached) =>
        FailOpenCS.Diagnostic("SBD3005").WithLocation(location).WithArguments(
            $"The signature '{signature}' is tested by '{test}', and where it is missing or empty the method skips {verifier} and {reached}",
            "a missing or empty signature must reject the content");

    [Fact]
    public async Task SameChannelMaterial_AndWeakHashes_AreFlagged()
    {
        const string source = """
            using System;
            using System.Linq;
            using System.Net.Http;
            using System.Security.Cryptography;
            using System.Threading.Tasks;

            class Updater
            {
                async Task<bool> DownloadedHash(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var expected = await client.GetByteArrayAsync("https://updates.example.com/p.zip.sha256");
                    return {|#0:SHA256.HashData(package).SequenceEqual(expected)|};
                }

                async Task<bool> DownloadedHashFixedTime(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var hash = SHA256.HashData(package);
                    var expected = await client.GetByteArrayAsync("https://updates.example.com/p.zip.sha256");
                    return {|#1:CryptographicOperations.FixedTimeEquals(hash, expected)|};
                }

                async Task<bool> DownloadedKey(HttpClient client, byte[] signature)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var publicKey = await client.GetByteArrayAsync("https://updates.example.com/key.der");
                    using var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
                    return {|#2:rsa.VerifyData(package, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)|};
                }

                async Task<byte[]> Weak(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    using var md5 = MD5.Create();
                    var first = {|#3:md5.ComputeHash(package)|};
                    return {|#4:SHA1.HashData(package)|};
                }

                async Task<bool> DownloadedHexHash(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var expected = (await client.GetStringAsync("https://updates.example.com/p.zip.sha256")).Trim();
                    var text = Convert.ToHexString(SHA256.HashData(package));
                    var same = {|#6:string.Equals(text, expected, StringComparison.OrdinalIgnoreCase)|};
                    return same && {|#7:text.ToLowerInvariant() == expected|};
                }

                bool WeakSignature(RSA key, byte[] data, byte[] signature) =>
                    {|#5:key.VerifyData(data, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1)|};
            }
            """;

        await IntegrityCS.VerifyAnalyzerAsync(
            source,
            Integrity(0, "the hash of downloaded content is compared with 'expected', downloaded by HttpClient.GetByteArrayAsync (line 12)", SameServer),
            Integrity(1, "the hash of downloaded content is compared with 'expected', downloaded by HttpClient.GetByteArrayAsync (line 20)", SameServer),
            Integrity(2, "VerifyData uses a key imported from data downloaded by HttpClient.GetByteArrayAsync (line 27)", "whoever can replace the content can replace the key; verify with a public key the agent already holds"),
            Integrity(3, "MD5 hashes data downloaded by HttpClient.GetByteArrayAsync (line 35)", "MD5 and SHA-1 admit collisions; verify a signature over SHA-256 or stronger"),
            Integrity(4, "SHA-1 hashes data downloaded by HttpClient.GetByteArrayAsync (line 35)", "MD5 and SHA-1 admit collisions; verify a signature over SHA-256 or stronger"),
            Integrity(5, "VerifyData signs over SHA1", "use HashAlgorithmName.SHA256 or stronger"),
            Integrity(6, "the hash of downloaded content is compared with 'expected', downloaded by HttpClient.GetStringAsync (line 44)", SameServer),
            Integrity(7, "the hash of downloaded content is compared with 'expected', downloaded by HttpClient.GetStringAsync (line 44)", SameServer));
    }

    [Fact]
    public async Task ClientHeldKeys_PinnedHashes_AndLocalHashing_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Linq;
            using System.Net.Http;
            using System.Security.Cryptography;
            using System.Threading.Tasks;

            class Updater
            {
                static readonly byte[] PinnedHash = new byte[32];
                static readonly RSA PublisherKey = RSA.Create();

                async Task<bool> Pinned(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    return SHA256.HashData(package).SequenceEqual(PinnedHash);
                }

                async Task<bool> HeldKey(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var signature = await client.GetByteArrayAsync("https://updates.example.com/p.zip.sig");
                    return PublisherKey.VerifyData(package, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                byte[] LocalCacheKey(string path) => MD5.HashData(File.ReadAllBytes(path));
            }
            """;

        await IntegrityCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task HandlersThatSwallowOrReturnSuccess_AreFlagged_AndRejectingOnesAreQuiet()
    {
        const string source = """
            using System;
            using System.Security;
            using System.Security.Cryptography;

            [AttributeUsage(AttributeTargets.Method)]
            sealed class UpdateVerifierAttribute : Attribute { }

            class Updater
            {
                void Swallows(byte[] package)
                {
                    try { Verify(package); }
                    {|#0:catch|} (CryptographicException e) { Console.WriteLine(e.Message); }
                    Apply(package);
                }

                bool ReturnsTrue(RSA key, byte[] data, byte[] signature)
                {
                    try { return key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss); }
                    {|#1:catch|} (Exception) { return true; }
                }

                void Empty(byte[] package)
                {
                    try { Verify(package); } {|#2:catch|} { }
                    Apply(package);
                }

                void Rethrows(byte[] package)
                {
                    try { Verify(package); }
                    catch (CryptographicException e) { Console.WriteLine(e.Message); throw; }
                    Apply(package);
                }

                bool RejectsWithFalse(RSA key, byte[] data, byte[] signature)
                {
                    try { return key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss); }
                    catch (CryptographicException) { return false; }
                }

                void StopsTheApply(byte[] package)
                {
                    try { Verify(package); }
                    catch (SecurityException) { return; }
                    Apply(package);
                }

                void RecordsFailure(byte[] package)
                {
                    var valid = true;
                    try { Verify(package); }
                    catch (SecurityException) { valid = false; }
                    if (valid) Apply(package);
                }

                bool FailsClosedAfterTheTry(RSA key, byte[] data, byte[] signature)
                {
                    try { return key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss); }
                    catch (CryptographicException) { }
                    return false;
                }

                void NoVerification(byte[] package)
                {
                    try { Apply(package); } catch (Exception) { }
                }

                [UpdateVerifier] static void Verify(byte[] package) { }
                static void Apply(byte[] package) { }
            }
            """;

        await FailOpenCS.VerifyAnalyzerAsync(
            source,
            FailOpen(0, "Updater.Verify", "lets execution go on past the failed check"),
            FailOpen(1, "RSA.VerifyData", "returns true"),
            FailOpen(2, "Updater.Verify", "lets execution go on past the failed check"));
    }

    private const string AbsenceSource = """
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Security;
        using System.Security.Cryptography;
        using System.Threading.Tasks;

        [AttributeUsage(AttributeTargets.Method)]
        sealed class UpdateVerifierAttribute : Attribute { }

        sealed class Manifest
        {
            public byte[]? Signature { get; set; }
            public string? ReleaseNotes { get; set; }
        }

        class Updater
        {
            static readonly RSA PublisherKey = RSA.Create();

        """;

    [Fact]
    public async Task MissingOrEmptySignature_ThatLetsTheUpdateThrough_IsFlagged()
    {
        const string source = AbsenceSource + """
                bool IsAuthentic(byte[] data, byte[] signature)
                {
                    if ({|#0:signature == null || signature.Length == 0|}) return true;
                    return PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                void ApplyUpdate(byte[] package, string sig)
                {
                    if ({|#1:string.IsNullOrEmpty(sig)|}) { Install(package); return; }
                    if (!IsSigned(package, Convert.FromBase64String(sig))) throw new SecurityException("bad signature");
                    Install(package);
                }

                void Stage(Manifest manifest, byte[] package, string target)
                {
                    if ({|#2:manifest.Signature is null|})
                    {
                        // skip verification: older servers do not sign
                    }
                    else if (!PublisherKey.VerifyData(package, manifest.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
                    {
                        throw new SecurityException("bad signature");
                    }

                    File.WriteAllBytes(target, package);
                }

                async Task Update(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var signature = await client.GetByteArrayAsync("https://updates.example.com/p.zip.sig");
                    if ({|#3:signature.Length == 0|}) goto apply;
                    if (!IsSigned(package, signature)) throw new SecurityException("bad signature");
                apply:
                    Install(package);
                }

                void WhenSigned(byte[] package, byte[]? signature)
                {
                    if ({|#4:signature != null|})
                    {
                        EnsureSigned(package, signature);
                    }

                    Install(package);
                }

                bool Check(byte[] data, byte[]? signature) =>
                    {|#5:signature is null|} || PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

                bool FromHeader(byte[] data, string? signatureHeader)
                {
                    if ({|#6:string.IsNullOrWhiteSpace(signatureHeader)|}) return true;
                    var signature = Convert.FromBase64String(signatureHeader);
                    return PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                void FromMemory(byte[] package, ReadOnlyMemory<byte> signature)
                {
                    if ({|#7:signature.IsEmpty|}) { Install(package); return; }
                    EnsureSigned(package, signature.ToArray());
                    Install(package);
                }

                bool ByPattern(byte[] data, byte[]? signature)
                {
                    if ({|#8:signature is null or { Length: 0 }|}) return true;
                    return PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                void RunInstaller(string installer, byte[]? signature)
                {
                    if ({|#9:signature is { Length: > 0 }|})
                    {
                        if (!IsSignedFile(installer, signature)) throw new SecurityException("bad signature");
                    }

                    System.Diagnostics.Process.Start(installer);
                }

                [UpdateVerifier] static bool IsSigned(byte[] package, byte[] signature) => false;
                [UpdateVerifier] static void EnsureSigned(byte[] package, byte[] signature) { }
                [UpdateVerifier] static bool IsSignedFile(string path, byte[] signature) => false;
                static void Install(byte[] package) { }
            }
            """;

        await FailOpenCS.VerifyAnalyzerAsync(
            source,
            Skipped(0, "signature", "signature == null || signature.Length == 0", "RSA.VerifyData", "returns true"),
            Skipped(1, "sig", "string.IsNullOrEmpty(sig)", "Updater.IsSigned", "reaches 'Install(package)'"),
            Skipped(2, "manifest.Signature", "manifest.Signature is null", "RSA.VerifyData", "reaches 'File.WriteAllBytes(target, package)'"),
            Skipped(3, "signature", "signature.Length == 0", "Updater.IsSigned", "reaches 'Install(package)'"),
            Skipped(4, "signature", "signature != null", "Updater.EnsureSigned", "reaches 'Install(package)'"),
            Skipped(5, "signature", "signature is null", "RSA.VerifyData", "returns true"),
            Skipped(6, "signatureHeader", "string.IsNullOrWhiteSpace(signatureHeader)", "RSA.VerifyData", "returns true"),
            Skipped(7, "signature", "signature.IsEmpty", "Updater.EnsureSigned", "reaches 'Install(package)'"),
            Skipped(8, "signature", "signature is null or { Length: 0 }", "RSA.VerifyData", "returns true"),
            Skipped(9, "signature", "signature is { Length: > 0 }", "Updater.IsSignedFile", "reaches 'System.Diagnostics.Process.Start(installer)'"));
    }

    [Fact]
    public async Task MissingOrEmptySignature_ThatRejects_OrTestsOfOtherValues_AreQuiet()
    {
        const string source = AbsenceSource + """
                bool IsAuthentic(byte[] data, byte[] signature)
                {
                    if (signature == null || signature.Length == 0) return false;
                    return PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                void ApplyUpdate(byte[] package, string sig)
                {
                    if (string.IsNullOrEmpty(sig))
                    {
                        File.AppendAllText("update.log", "unsigned update refused\n");
                        throw new SecurityException("the update is not signed");
                    }

                    if (!IsSigned(package, Convert.FromBase64String(sig))) throw new SecurityException("bad signature");
                    Install(package);
                }

                void Stage(Manifest manifest, byte[] package, string target)
                {
                    if (manifest.Signature is null)
                    {
                        Console.WriteLine("unsigned update refused");
                        return;
                    }
                    else if (!PublisherKey.VerifyData(package, manifest.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
                    {
                        throw new SecurityException("bad signature");
                    }

                    File.WriteAllBytes(target, package);
                }

                async Task Update(HttpClient client)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var signature = await client.GetByteArrayAsync("https://updates.example.com/p.zip.sig");
                    if (signature is not { Length: > 0 }) throw new SecurityException("the update is not signed");
                    if (!IsSigned(package, signature)) throw new SecurityException("bad signature");
                    Install(package);
                }

                void WhenSigned(byte[] package, byte[]? signature)
                {
                    if (signature != null && IsSigned(package, signature))
                    {
                        Install(package);
                    }
                }

                bool Check(byte[] data, byte[]? signature) =>
                    signature is not null && PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

                bool WithNotes(Manifest manifest, byte[] package)
                {
                    if (manifest.ReleaseNotes is null || package.Length == 0) Console.WriteLine("no release notes");
                    return manifest.Signature is { } signature && PublisherKey.VerifyData(package, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                bool FromHeader(byte[] data, string? signatureHeader)
                {
                    if (string.IsNullOrWhiteSpace(signatureHeader)) return false;
                    var signature = Convert.FromBase64String(signatureHeader);
                    return PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                void FromMemory(byte[] package, ReadOnlyMemory<byte> signature)
                {
                    if (signature.IsEmpty) throw new SecurityException("the update is not signed");
                    EnsureSigned(package, signature.ToArray());
                    Install(package);
                }

                bool ByPattern(byte[] data, byte[]? signature)
                {
                    if (signature is null or { Length: 0 }) return false;
                    return PublisherKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

                void RunInstaller(string installer, byte[]? signature)
                {
                    if (signature is not { Length: > 0 }) throw new SecurityException("the installer is not signed");
                    if (!IsSignedFile(installer, signature)) throw new SecurityException("bad signature");
                    System.Diagnostics.Process.Start(installer);
                }

                [UpdateVerifier] static bool IsSigned(byte[] package, byte[] signature) => false;
                [UpdateVerifier] static void EnsureSigned(byte[] package, byte[] signature) { }
                [UpdateVerifier] static bool IsSignedFile(string path, byte[] signature) => false;
                static void Install(byte[] package) { }
            }
            """;

        await FailOpenCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task FailOpen_IsFound_WhenOnlyConfigurationNamesTheVerifier()
    {
        // Nothing in the source spells a catalogued verifier or [UpdateVerifier]: the rule still runs for the configured one.
        const string source = """
            using System;

            namespace Vendor
            {
                class Installer
                {
                    bool Accept(byte[] package, byte[] seal)
                    {
                        try { Check(package, seal); }
                        {|#0:catch|} (Exception) { return true; }
                        return true;
                    }

                    bool Reject(byte[] package, byte[] seal)
                    {
                        try { Check(package, seal); }
                        catch (Exception) { return false; }
                        return true;
                    }

                    static void Check(byte[] package, byte[] seal) { }
                }
            }
            """;

        var test = new FailOpenCS.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.update_verifiers = M:Vendor.Installer.Check\n"));
        test.ExpectedDiagnostics.Add(FailOpen(0, "Installer.Check", "returns true"));
        await FailOpenCS.RunAsync(test);
    }

    [Fact]
    public async Task FailOpen_IsQuiet_WhenNothingVerifies()
    {
        // A catch that returns true around a call that is no verification: nothing to fail open.
        const string source = """
            using System;

            class Installer
            {
                bool Accept(byte[] package)
                {
                    try { Check(package); }
                    catch (Exception) { return true; }
                    return true;
                }

                static void Check(byte[] package) { }
            }
            """;

        await FailOpenCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task WeakDigestsComparedAsIntegrityChecks_AreFlagged_AndStrongOnesAreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Linq;
            using System.Security.Cryptography;

            class Cache
            {
                static readonly byte[] Pinned = new byte[16];

                bool Sha1(string path)
                {
                    var digest = SHA1.HashData(File.ReadAllBytes(path));
                    return {|#0:digest.SequenceEqual(Pinned)|};
                }

                bool Md5FixedTime(string path)
                {
                    using var md5 = MD5.Create();
                    var digest = md5.ComputeHash(File.ReadAllBytes(path));
                    return {|#1:CryptographicOperations.FixedTimeEquals(digest, Pinned)|};
                }

                bool Md5Text(string path, string expected) => {|#2:Convert.ToHexString(MD5.HashData(File.ReadAllBytes(path))) == expected|};

                bool Sha256(string path) => SHA256.HashData(File.ReadAllBytes(path)).SequenceEqual(Pinned);

                bool OwnData(byte[] known) => MD5.HashData(known).SequenceEqual(Pinned);
            }
            """;

        const string advice = "MD5 and SHA-1 admit collisions; compare a SHA-256 digest, or verify a signature over SHA-256 or stronger";
        await IntegrityCS.VerifyAnalyzerAsync(
            source,
            Integrity(0, "the SHA-1 digest of 'File.ReadAllBytes(path)' (from File.ReadAllBytes (line 12)) is compared with 'Pinned' as an integrity check", advice),
            Integrity(1, "the MD5 digest of 'File.ReadAllBytes(path)' (from File.ReadAllBytes (line 19)) is compared with 'Pinned' as an integrity check", advice),
            Integrity(2, "the MD5 digest of 'File.ReadAllBytes(path)' (from File.ReadAllBytes (line 23)) is compared with 'expected' as an integrity check", advice));
    }
}
