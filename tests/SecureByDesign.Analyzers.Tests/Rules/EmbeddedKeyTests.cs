using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.EmbeddedKeyAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class EmbeddedKeyTests
{
    [Fact]
    public async Task PemPrivateKeyLiterals_AreFlagged()
    {
        const string source = """
            class Keys
            {
                const string Signing = {|#0:"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"|};
                static readonly string Legacy = {|#1:@"-----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEA
            -----END RSA PRIVATE KEY-----"|};
                static readonly string Split = {|#2:"-----BEGIN EC " + "PRIVATE KEY-----" + "\nMHcCAQEEIBkg4LVW"|} + "\n-----END EC PRIVATE KEY-----";
                static System.ReadOnlySpan<byte> Raw => {|#3:"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA"u8|};
                const string Pgp = {|#4:"-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: 1\n\nlQOYBF2zM1kBCAC"|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("The string '-----BEGIN PRIVATE KEY-----...'"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("The string '-----BEGIN RSA PRIVATE KEY-----...'"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("The string '-----BEGIN EC PRIVATE KEY-----...'"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("The string '-----BEGIN OPENSSH PRIVATE KEY-----...'"),
            VerifyCS.Diagnostic().WithLocation(4).WithArguments("The string '-----BEGIN PGP PRIVATE KEY BLOCK-----...'"));
    }

    [Fact]
    public async Task ImportsOfConstantBytes_AreFlagged()
    {
        const string source = """
            using System;
            using System.Security.Cryptography;

            class Keys
            {
                static readonly byte[] Der = { 0x30, 0x82, 0x04, 0xBE };
                static readonly byte[] Encoded = Convert.FromBase64String("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");

                void Load(RSA rsa, ECDsa ecdsa)
                {
                    {|#0:rsa.ImportPkcs8PrivateKey(Der, out _)|};
                    {|#1:rsa.ImportRSAPrivateKey(Encoded, out _)|};
                    {|#2:ecdsa.ImportECPrivateKey(Convert.FromHexString("307702010104"), out _)|};
                    var local = new byte[] { 1, 2, 3 };
                    {|#3:ecdsa.ImportEncryptedPkcs8PrivateKey("pw", local, out _)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("ImportPkcs8PrivateKey of 'Der' (a constant)"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("ImportRSAPrivateKey of 'Encoded' (a constant)"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("ImportECPrivateKey of 'Convert.FromHexString(\"307702010104\")' (a constant)"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("ImportEncryptedPkcs8PrivateKey of 'local' (a constant)"));
    }

    [Fact]
    public async Task PrivateParametersFromConstants_AreFlagged()
    {
        const string source = """
            using System;
            using System.Security.Cryptography;

            class Keys
            {
                RSAParameters Rsa(byte[] modulus) => new RSAParameters
                {
                    Modulus = modulus,
                    Exponent = new byte[] { 1, 0, 1 },
                    {|#0:D = Convert.FromBase64String("AQAB")|},
                };

                ECParameters Ec(ECParameters parameters)
                {
                    {|#1:parameters.D = new byte[] { 7, 7, 7 }|};
                    return parameters;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("RSAParameters.D set from 'Convert.FromBase64String(\"AQAB\")' (a constant)"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("ECParameters.D set from 'new byte[] { 7, 7, 7 }' (a constant)"));
    }

    [Fact]
    public async Task KeysFromFilesStoresAndPublicMaterial_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Security.Cryptography;

            class Keys
            {
                const string PublicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
                const string Help = "Put the PRIVATE KEY file next to the agent";
                const string Marker = "-----BEGIN PRIVATE KEY-----";

                bool IsPrivate(string pem) => pem.Contains("-----BEGIN PRIVATE KEY-----") || pem.StartsWith(Marker + "\n");

                ECParameters Fresh(ECParameters parameters)
                {
                    parameters.D = RandomNumberGenerator.GetBytes(32);
                    return parameters;
                }

                void Load(RSA rsa, ECDsa ecdsa, string path, byte[] fromStore)
                {
                    rsa.ImportPkcs8PrivateKey(File.ReadAllBytes(path), out _);
                    var encoded = "";
                    encoded = File.ReadAllText(path);
                    rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(encoded), out _);
                    ecdsa.ImportECPrivateKey(fromStore, out _);
                    ecdsa.ImportFromPem(File.ReadAllText(path));
                    var parameters = new RSAParameters { Modulus = new byte[] { 1, 2 }, Exponent = new byte[] { 1, 0, 1 }, D = fromStore };
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }
}
