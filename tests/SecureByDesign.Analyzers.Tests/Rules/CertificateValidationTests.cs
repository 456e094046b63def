using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.CertificateValidationAnalyzer,
    SecureByDesign.Analyzers.CertificateValidationFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class CertificateValidationTests
{
    private const string ReturnsTrue = "returns true for every certificate";
    private const string Ignores = "decides without reading the SslPolicyErrors, the certificate or the chain";
    private const string RemoveOverride = "remove the override and let the platform validate the chain, or pin the publisher's certificate";

    [Fact]
    public async Task HandlerCallbackReturningTrue_IsFlagged()
    {
        const string source = """
            using System.Net.Http;

            class Updater
            {
                HttpClient Create()
                {
                    var handler = new HttpClientHandler();
                    handler.ServerCertificateCustomValidationCallback = {|#0:(message, certificate, chain, errors) => true|};
                    return new HttpClient(handler);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "The certificate validation callback '(message, certificate, chain, errors) => true'", ReturnsTrue, RemoveOverride));
    }

    [Fact]
    public async Task ServicePointManagerBlockLambdaAndMethodGroup_AreFlagged()
    {
        const string source = """
            using System.Net;
            using System.Net.Security;
            using System.Security.Cryptography.X509Certificates;

            class Updater
            {
                void Configure(bool skip)
                {
            #pragma warning disable SYSLIB0014
                    ServicePointManager.ServerCertificateValidationCallback = {|#0:delegate (object s, X509Certificate c, X509Chain ch, SslPolicyErrors e) { Log(); return true; }|};
                    ServicePointManager.ServerCertificateValidationCallback = {|#1:AcceptAll|};
                    ServicePointManager.ServerCertificateValidationCallback = {|#2:(s, c, ch, e) => skip|};
                }

                static bool AcceptAll(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
                {
                    return true;
                }

                static void Log() { }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("The certificate validation callback 'delegate (object s, X509Certificate c, X509Chain ch, SslP...'", ReturnsTrue, RemoveOverride),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("The certificate validation callback 'AcceptAll'", ReturnsTrue, RemoveOverride),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("The certificate validation callback '(s, c, ch, e) => skip'", Ignores, RemoveOverride));
    }

    [Fact]
    public async Task SslStreamCallbackAndDangerousValidator_AreFlagged()
    {
        const string source = """
            using System.IO;
            using System.Net.Http;
            using System.Net.Security;

            class Updater
            {
                SslStream Wrap(Stream inner) => new SslStream(inner, false, {|#0:(s, c, ch, e) => true|});

                HttpClientHandler Handler() => new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = {|#1:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|},
                };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("The certificate validation callback '(s, c, ch, e) => true'", ReturnsTrue, RemoveOverride),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("'HttpClientHandler.DangerousAcceptAnyServerCertificateValidator'", "accepts every server certificate", RemoveOverride));
    }

    [Fact]
    public async Task RevocationChecksTurnedOff_AreFlagged()
    {
        const string source = """
            using System.Net.Http;
            using System.Net.Security;
            using System.Security.Cryptography.X509Certificates;

            class Updater
            {
                HttpClientHandler Handler() => new HttpClientHandler { CheckCertificateRevocationList = {|#0:false|} };
                SslClientAuthenticationOptions Options() => new SslClientAuthenticationOptions { CertificateRevocationCheckMode = {|#1:X509RevocationMode.NoCheck|} };
            }
            """;

        const string reason = "turns off the check that a revoked publisher or server certificate is refused";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'CheckCertificateRevocationList = false'", reason, "check revocation online"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("'CertificateRevocationCheckMode = X509RevocationMode.NoCheck'", reason, "check revocation online"));
    }

    [Fact]
    public async Task CallbackInspectingErrorsOrPinningCertificate_IsQuiet()
    {
        const string source = """
            using System.Net.Http;
            using System.Net.Security;
            using System.Security.Cryptography.X509Certificates;

            class Updater
            {
                const string PinnedThumbprint = "A1B2";

                HttpClientHandler Handler() => new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => errors == SslPolicyErrors.None,
                    CheckCertificateRevocationList = true,
                };

                RemoteCertificateValidationCallback Pinned() => (sender, certificate, chain, errors) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    return certificate.GetCertHashString() == PinnedThumbprint;
                };

                RemoteCertificateValidationCallback Refuse() => (s, c, ch, e) => false;

                RemoteCertificateValidationCallback Named() => Validate;

                static bool Validate(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors) =>
                    errors == SslPolicyErrors.None && chain.ChainStatus.Length == 0;
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task Override_FixRemovesTheAssignment()
    {
        const string source = """
            using System.Net.Http;

            class Updater
            {
                HttpClient Create()
                {
                    var handler = new HttpClientHandler();
                    handler.ServerCertificateCustomValidationCallback = {|#0:(message, certificate, chain, errors) => true|};
                    return new HttpClient(handler);
                }
            }
            """;
        const string fixedSource = """
            using System.Net.Http;

            class Updater
            {
                HttpClient Create()
                {
                    var handler = new HttpClientHandler();
                    return new HttpClient(handler);
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [VerifyCS.Diagnostic().WithLocation(0).WithArguments("The certificate validation callback '(message, certificate, chain, errors) => true'", ReturnsTrue, RemoveOverride)],
            fixedSource);
    }

    [Fact]
    public async Task Overrides_FixAllRemovesInitializerEntriesAndEnablesRevocation()
    {
        const string source = """
            using System.Net.Http;

            class Updater
            {
                HttpClientHandler Handler() => new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = {|#0:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|},
                    CheckCertificateRevocationList = {|#1:false|},
                    MaxConnectionsPerServer = 2,
                };
            }
            """;
        const string fixedSource = """
            using System.Net.Http;

            class Updater
            {
                HttpClientHandler Handler() => new HttpClientHandler
                {
                    CheckCertificateRevocationList = true,
                    MaxConnectionsPerServer = 2,
                };
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("'HttpClientHandler.DangerousAcceptAnyServerCertificateValidator'", "accepts every server certificate", RemoveOverride),
                VerifyCS.Diagnostic().WithLocation(1).WithArguments("'CheckCertificateRevocationList = false'", "turns off the check that a revoked publisher or server certificate is refused", "check revocation online"),
            ],
            fixedSource);
    }
}
