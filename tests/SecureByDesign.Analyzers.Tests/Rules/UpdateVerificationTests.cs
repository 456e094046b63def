using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.UpdateVerificationAnalyzer,
    SecureByDesign.Analyzers.UpdateVerificationFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class UpdateVerificationTests
{
    private const string Usings = """
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.IO.Compression;
        using System.Net.Http;
        using System.Reflection;
        using System.Security.Cryptography;
        using System.Security.Cryptography.Pkcs;
        using System.Threading.Tasks;

        """;

    /// <summary>
    /// SignedCms lives in a package outside the shared framework; the rules know it by name and parameter name, so
    /// the tests declare the two members they call, in its namespace.
    /// </summary>
    internal const string CmsStub = """

        namespace System.Security.Cryptography.Pkcs
        {
            public sealed class ContentInfo { public ContentInfo(byte[] content) { } }
            public sealed class SignedCms
            {
                public SignedCms(ContentInfo contentInfo, bool detached) { }
                public void Decode(byte[] encodedMessage) { }
                public void CheckSignature(bool verifySignatureOnly) { }
            }
        }
        """;

    private static DiagnosticResult Unverified(int location, string data, string origin, string sink) =>
        VerifyCS.Diagnostic("SBD3001").WithLocation(location).WithArguments(data, origin, sink);

    [Fact]
    public async Task DownloadedBytes_WrittenExtractedLoadedOrRun_AreFlagged()
    {
        const string source = Usings + """
            class Updater
            {
                async Task Apply(HttpClient client, string path, string target)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    File.WriteAllBytes(path, {|#0:package|});
                    ZipFile.ExtractToDirectory({|#1:path|}, target);
                    Assembly.LoadFrom({|#2:path|});
                    Process.Start({|#3:path|});
                    Assembly.Load({|#4:package|});
                }

                async Task Stream(HttpClient client, string path)
                {
                    using var response = await client.GetAsync("https://updates.example.com/p.bin");
                    using var body = await response.Content.ReadAsStreamAsync();
                    using var file = File.Create(path);
                    await {|#5:body|}.CopyToAsync(file);
                }

                async Task Chunks(HttpClient client, FileStream file)
                {
                    var chunk = await client.GetByteArrayAsync("https://updates.example.com/p.bin");
                    file.Write({|#6:chunk|}, 0, chunk.Length);
                }
            }
            """;

        const string origin = "HttpClient.GetByteArrayAsync (line 14)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Unverified(0, "package", origin, "File.WriteAllBytes"),
            Unverified(1, "path", origin, "ZipFile.ExtractToDirectory"),
            Unverified(2, "path", origin, "Assembly.LoadFrom"),
            Unverified(3, "path", origin, "Process.Start"),
            Unverified(4, "package", origin, "Assembly.Load"),
            Unverified(5, "body", "HttpContent.ReadAsStreamAsync (line 25)", "Stream.CopyToAsync into a file"),
            Unverified(6, "chunk", "HttpClient.GetByteArrayAsync (line 32)", "FileStream.Write"));
    }

    [Fact]
    public async Task VerifiedOnEveryPath_IsQuiet()
    {
        const string source = Usings + """
            [AttributeUsage(AttributeTargets.Method)]
            sealed class UpdateVerifierAttribute : Attribute { }

            class Updater
            {
                static readonly RSA PublisherKey = RSA.Create();

                async Task Throwing(HttpClient client, string path, byte[] signature)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    if (!PublisherKey.VerifyData(package, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
                    {
                        throw new System.Security.SecurityException("bad signature");
                    }

                    File.WriteAllBytes(path, package);
                    ZipFile.ExtractToDirectory(path, "out");
                }

                async Task StoredResult(HttpClient client, string path, byte[] signature)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var valid = PublisherKey.VerifyData(package, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                    Console.WriteLine("checked");
                    if (!valid) return;
                    File.WriteAllBytes(path, package);
                }

                async Task Hash(HttpClient client, string path, byte[] signature, ECDsa key)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var hash = SHA256.HashData(package);
                    if (!key.VerifyHash(hash, signature)) throw new System.Security.SecurityException();
                    File.WriteAllBytes(path, package);
                }

                async Task Cms(HttpClient client, string path, byte[] signature)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var cms = new SignedCms(new ContentInfo(package), true);
                    cms.Decode(signature);
                    cms.CheckSignature(false);
                    File.WriteAllBytes(path, package);
                }

                async Task Marked(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    EnsureSigned(package);
                    File.WriteAllBytes(path, package);
                    if (IsSigned(package)) Assembly.Load(package);
                }

                async Task FileVerifiedAfterDownload(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    File.WriteAllBytes(path, package);
                    EnsureSignedFile(path);
                    ZipFile.ExtractToDirectory(path, "out");
                }

                void LocalContent(string path, string copy)
                {
                    var bytes = File.ReadAllBytes(path);
                    File.WriteAllBytes(copy, bytes);
                    Process.Start(copy);
                }

                [UpdateVerifier] static void EnsureSigned(byte[] data) { }
                [UpdateVerifier] static bool IsSigned(byte[] data) => false;
                [UpdateVerifier] static void EnsureSignedFile(string path) { }
            }
            """ + CmsStub;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task VerificationOfOtherData_OnOnePath_OrIgnored_IsFlagged()
    {
        const string source = Usings + """
            class Updater
            {
                static readonly RSA PublisherKey = RSA.Create();

                async Task OtherData(HttpClient client, string path, byte[] signature)
                {
                    var manifest = await client.GetByteArrayAsync("https://updates.example.com/manifest");
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    if (!PublisherKey.VerifyData(manifest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)) throw new System.Security.SecurityException();
                    File.WriteAllBytes(path, {|#0:package|});
                }

                async Task OnePath(HttpClient client, string path, byte[] signature, bool strict)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    if (strict && !PublisherKey.VerifyData(package, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)) throw new System.Security.SecurityException();
                    File.WriteAllBytes(path, {|#1:package|});
                }

                async Task Ignored(HttpClient client, string path, byte[] signature)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    PublisherKey.VerifyData(package, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                    File.WriteAllBytes(path, {|#2:package|});
                }

                async Task SignatureOnly(HttpClient client, string path, byte[] signature)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    var cms = new SignedCms(new ContentInfo(package), true);
                    cms.Decode(signature);
                    cms.CheckSignature(true);
                    File.WriteAllBytes(path, {|#3:package|});
                }

                async Task<byte[]> Download(HttpClient client) => await client.GetByteArrayAsync("https://updates.example.com/p.zip");

                async Task ThroughHelper(HttpClient client, string path)
                {
                    var package = await Download(client);
                    File.WriteAllBytes(path, {|#4:package|});
                }

                async Task Copied(HttpClient client, string path, string installed)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    File.WriteAllBytes(path, {|#5:package|});
                    File.Copy({|#6:path|}, installed);
                    Process.Start({|#7:installed|});
                }
            }
            """ + CmsStub;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Unverified(0, "package", "HttpClient.GetByteArrayAsync (line 17)", "File.WriteAllBytes"),
            Unverified(1, "package", "HttpClient.GetByteArrayAsync (line 24)", "File.WriteAllBytes"),
            Unverified(2, "package", "HttpClient.GetByteArrayAsync (line 31)", "File.WriteAllBytes"),
            Unverified(3, "package", "HttpClient.GetByteArrayAsync (line 38)", "File.WriteAllBytes"),
            Unverified(4, "package", "Download (HttpClient.GetByteArrayAsync (line 45))", "File.WriteAllBytes"),
            Unverified(5, "package", "HttpClient.GetByteArrayAsync (line 55)", "File.WriteAllBytes"),
            Unverified(6, "path", "HttpClient.GetByteArrayAsync (line 55)", "File.Copy"),
            Unverified(7, "installed", "HttpClient.GetByteArrayAsync (line 55)", "Process.Start"));
    }

    [Fact]
    public async Task DownloadedFile_RunOrLoadedFromThePathItWasWrittenTo_IsFlagged()
    {
        const string source = Usings + """
            using System.Runtime.Loader;

            class Updater
            {
                async Task RunInstaller(HttpClient client)
                {
                    var installer = Path.Combine(Path.GetTempPath(), "setup.exe");
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    File.WriteAllBytes(installer, {|#1:bytes|});
                    Process.Start(new ProcessStartInfo { FileName = {|#2:installer|}, UseShellExecute = true });
                }

                async Task StreamedToDisk(HttpClient client, string path)
                {
                    using (var stream = await client.GetStreamAsync("https://updates.example.com/setup.exe"))
                    using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
                    {
                        await {|#3:stream|}.CopyToAsync(file);
                    }

                    Process.Start({|#4:path|});
                }

                async Task LoadPlugin(HttpClient client, string pluginPath)
                {
                    var response = await client.GetAsync("https://updates.example.com/plugin.dll");
                    using (var file = File.Create(pluginPath))
                    {
                        await {|#5:response.Content|}.CopyToAsync(file);
                    }

                    AssemblyLoadContext.Default.LoadFromAssemblyPath({|#6:pluginPath|});
                }

                async Task Chunked(HttpClient client, string dll)
                {
                    using (var file = File.OpenWrite(dll))
                    {
                        var chunk = await client.GetByteArrayAsync("https://updates.example.com/plugin.dll");
                        await file.WriteAsync({|#7:chunk|});
                    }

                    Assembly.LoadFrom({|#8:dll|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Unverified(1, "bytes", "HttpClient.GetByteArrayAsync (line 17)", "File.WriteAllBytes"),
            Unverified(2, "installer", "HttpClient.GetByteArrayAsync (line 17)", "Process.Start"),
            Unverified(3, "stream", "HttpClient.GetStreamAsync (line 24)", "Stream.CopyToAsync into a file"),
            Unverified(4, "path", "HttpClient.GetStreamAsync (line 24)", "Process.Start"),
            Unverified(5, "response.Content", "HttpClient.GetAsync (line 35)", "Stream.CopyToAsync into a file"),
            Unverified(6, "pluginPath", "HttpClient.GetAsync (line 35)", "AssemblyLoadContext.LoadFromAssemblyPath"),
            Unverified(7, "chunk", "HttpClient.GetByteArrayAsync (line 48)", "FileStream.WriteAsync"),
            Unverified(8, "dll", "HttpClient.GetByteArrayAsync (line 48)", "Assembly.LoadFrom"));
    }

    [Fact]
    public async Task DownloadedFile_VerifiedBeforeItIsRunOrLoaded_IsQuiet()
    {
        const string source = Usings + """
            using System.Runtime.Loader;
            using System.Security;

            [AttributeUsage(AttributeTargets.Method)]
            sealed class UpdateVerifierAttribute : Attribute { }

            class Updater
            {
                static readonly RSA PublisherKey = RSA.Create();

                async Task RunInstaller(HttpClient client, byte[] signature)
                {
                    var installer = Path.Combine(Path.GetTempPath(), "setup.exe");
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    if (!PublisherKey.VerifyData(bytes, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)) throw new SecurityException();
                    File.WriteAllBytes(installer, bytes);
                    Process.Start(new ProcessStartInfo { FileName = installer, UseShellExecute = true });
                }

                async Task StreamedToDisk(HttpClient client, string path)
                {
                    using (var stream = await client.GetStreamAsync("https://updates.example.com/setup.exe"))
                    using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
                    {
                        await stream.CopyToAsync(file);
                    }

                    if (!IsSignedFile(path)) throw new SecurityException();
                    Process.Start(path);
                }

                async Task LoadPlugin(HttpClient client, string pluginPath, byte[] signature)
                {
                    var response = await client.GetAsync("https://updates.example.com/plugin.dll");
                    using (var file = File.Create(pluginPath))
                    {
                        await response.Content.CopyToAsync(file);
                    }

                    if (!PublisherKey.VerifyData(File.ReadAllBytes(pluginPath), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)) return;
                    AssemblyLoadContext.Default.LoadFromAssemblyPath(pluginPath);
                }

                async Task Chunked(HttpClient client, string dll)
                {
                    using (var file = File.OpenWrite(dll))
                    {
                        var chunk = await client.GetByteArrayAsync("https://updates.example.com/plugin.dll");
                        await file.WriteAsync(chunk);
                    }

                    if (!IsSignedFile(dll)) return;
                    Assembly.LoadFrom(dll);
                }

                async Task ReadBackAndVerified(HttpClient client, string path)
                {
                    File.WriteAllBytes(path, await client.GetByteArrayAsync("https://updates.example.com/plugin.dll"));
                    var written = File.ReadAllBytes(path);
                    EnsureSigned(written);
                    Assembly.LoadFrom(path);
                }

                void NotDownloaded(string script)
                {
                    File.WriteAllText(script, "@echo off\r\nexit 0");
                    Process.Start(new ProcessStartInfo { FileName = script });
                }

                [UpdateVerifier] static void EnsureSigned(byte[] data) { }
                [UpdateVerifier] static bool IsSignedFile(string path) => false;
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task Fix_CallsTheProjectsVerifierBeforeTheSink()
    {
        const string source = Usings + """
            [AttributeUsage(AttributeTargets.Method)]
            sealed class UpdateVerifierAttribute : Attribute { }

            static class Publisher
            {
                [UpdateVerifier] public static bool IsSigned(byte[] data) => false;
                [UpdateVerifier] public static void EnsureSignedFile(string path) { }
            }

            class Updater
            {
                async Task Apply(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    File.WriteAllBytes("staged.zip", {|#0:package|});
                    Assembly.Load({|#1:package|});
                }
            }
            """;
        var fixedSource = Usings.Replace("using System.Reflection;\n", "using System.Reflection;\nusing System.Security;\n") + """
            [AttributeUsage(AttributeTargets.Method)]
            sealed class UpdateVerifierAttribute : Attribute { }

            static class Publisher
            {
                [UpdateVerifier] public static bool IsSigned(byte[] data) => false;
                [UpdateVerifier] public static void EnsureSignedFile(string path) { }
            }

            class Updater
            {
                async Task Apply(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    if (!Publisher.IsSigned(package))
                    {
                        throw new SecurityException("'package' failed signature verification.");
                    }

                    File.WriteAllBytes("staged.zip", package);
                    Assembly.Load(package);
                }
            }
            """;

        DiagnosticResult[] expected =
        [
            Unverified(0, "package", "HttpClient.GetByteArrayAsync (line 23)", "File.WriteAllBytes"),
            Unverified(1, "package", "HttpClient.GetByteArrayAsync (line 23)", "Assembly.Load"),
        ];
        await VerifyCS.VerifyCodeFixAsync(source, expected, fixedSource);
        await VerifyCS.VerifyFixAllAsync(source, expected, fixedSource);
    }

    [Fact]
    public async Task Fix_IsNotOfferedWithoutAVerifier()
    {
        const string source = Usings + """
            class Updater
            {
                async Task Apply(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    File.WriteAllBytes(path, {|#0:package|});
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(source, [Unverified(0, "package", "HttpClient.GetByteArrayAsync (line 14)", "File.WriteAllBytes")], source);
    }

    [Fact]
    public async Task VerificationInTry_RethrowingCatchIsQuiet_SwallowingCatchIsFlagged()
    {
        const string source = Usings + """
            [AttributeUsage(AttributeTargets.Method)]
            sealed class UpdateVerifierAttribute : Attribute { }

            class Updater
            {
                async Task Rethrows(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    try
                    {
                        EnsureSigned(package);
                    }
                    catch (CryptographicException e)
                    {
                        Console.WriteLine(e.Message);
                        throw;
                    }

                    File.WriteAllBytes(path, package);
                }

                async Task Swallows(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    try
                    {
                        EnsureSigned(package);
                    }
                    catch (CryptographicException e)
                    {
                        Console.WriteLine(e.Message);
                    }

                    File.WriteAllBytes(path, {|#0:package|});
                }

                [UpdateVerifier] static void EnsureSigned(byte[] data) { }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Unverified(0, "package", "HttpClient.GetByteArrayAsync (line 33)", "File.WriteAllBytes"));
    }

    [Fact]
    public async Task WithSecureByDesignUpdates_TheListingVerifies_AndTheFixUsesIt()
    {
        const string source = Usings + """
            using SecureByDesign.Updates.Model;

            class Updater
            {
                async Task Checked(HttpClient client, TargetFile listing, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    if (!listing.Verify(package)) throw new System.Security.SecurityException();
                    File.WriteAllBytes(path, package);
                }

                async Task Unchecked(HttpClient client, TargetFile listing, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    File.WriteAllBytes(path, {|#0:package|});
                }
            }
            """;
        var fixedSource = Usings.Replace("using System.Reflection;\n", "using System.Reflection;\nusing System.Security;\n") + """
            using SecureByDesign.Updates.Model;

            class Updater
            {
                async Task Checked(HttpClient client, TargetFile listing, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    if (!listing.Verify(package)) throw new System.Security.SecurityException();
                    File.WriteAllBytes(path, package);
                }

                async Task Unchecked(HttpClient client, TargetFile listing, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/p.zip");
                    if (!listing.Verify(package))
                    {
                        throw new SecurityException("'package' does not match its signed listing.");
                    }

                    File.WriteAllBytes(path, package);
                }
            }
            """;

        DiagnosticResult[] expected = [Unverified(0, "package", "HttpClient.GetByteArrayAsync (line 23)", "File.WriteAllBytes")];
        await VerifyCS.VerifyCodeFixAsync(source, expected, fixedSource, VerifyCS.Updates);
        await VerifyCS.VerifyFixAllAsync(source, expected, fixedSource, VerifyCS.Updates);
    }
}
