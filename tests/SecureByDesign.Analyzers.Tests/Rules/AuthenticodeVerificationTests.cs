using Microsoft.CodeAnalysis.Testing;
using FailOpenCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.FailOpenVerificationAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.UpdateVerificationAnalyzer,
    SecureByDesign.Analyzers.UpdateVerificationFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD3001 with Authenticode: WinVerifyTrust declared by the program (its result compared with 0), directly or through
/// the program's own bool verifier; reading the signer certificate is not a verification. SBD3005 beside it.
/// </summary>
public class AuthenticodeVerificationTests
{
    private const string Interop = """
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Net.Http;
        using System.Runtime.InteropServices;
        using System.Security.Cryptography.X509Certificates;
        using System.Threading.Tasks;

        [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
        struct TrustFile
        {
            public uint Size;
            [MarshalAs(UnmanagedType.LPWStr)] public string Path;
            public IntPtr Handle;
            public IntPtr Subject;
        }

        [StructLayout(LayoutKind.Sequential)]
        struct TrustData
        {
            public uint Size;
            public uint Choice;
            public IntPtr File;
            public uint Action;
        }

        static class Native
        {
            [DllImport("wintrust.dll", ExactSpelling = true)]
            public static extern int WinVerifyTrust(IntPtr window, ref Guid action, IntPtr data);

            /// <summary>Marshals a request naming the file, for WinVerifyTrust.</summary>
            public static int Check(string file)
            {
                var info = new TrustFile { Path = file };
                IntPtr pointer = Marshal.AllocHGlobal(Marshal.SizeOf<TrustFile>());
                Marshal.StructureToPtr(info, pointer, false);
                var data = new TrustData { File = pointer, Choice = 1 };
                IntPtr request = Marshal.AllocHGlobal(Marshal.SizeOf<TrustData>());
                Marshal.StructureToPtr(data, request, false);
                var action = Guid.Empty;
                return WinVerifyTrust(IntPtr.Zero, ref action, request);
            }
        }

        """;

    private const string Signer = """

        static class Signer
        {
            // The result compared with 0: the file's signature, hash and chain are trusted.
            public static bool IsTrusted(string file, out int result)
            {
                var info = new TrustFile { Path = file };
                IntPtr pointer = Marshal.AllocHGlobal(Marshal.SizeOf<TrustFile>());
                Marshal.StructureToPtr(info, pointer, false);
                var data = new TrustData { File = pointer, Choice = 1 };
                IntPtr request = Marshal.AllocHGlobal(Marshal.SizeOf<TrustData>());
                Marshal.StructureToPtr(data, request, false);
                var action = Guid.Empty;
                result = Native.WinVerifyTrust(IntPtr.Zero, ref action, request);
                return result == 0;
            }

            // A publisher check after the trust check: true only where IsTrusted held.
            public static bool Verify(string file, string publisher)
            {
                if (!File.Exists(file))
                {
                    return false;
                }

                if (!IsTrusted(file, out _))
                {
                    return false;
                }

                var signer = new X509Certificate2(X509Certificate.CreateFromSignedFile(file));
                return signer.Subject.Contains(publisher);
            }

            // The result is not compared: the call verifies nothing.
            public static bool Ignored(string file)
            {
                var info = new TrustFile { Path = file };
                IntPtr pointer = Marshal.AllocHGlobal(Marshal.SizeOf<TrustFile>());
                Marshal.StructureToPtr(info, pointer, false);
                var data = new TrustData { File = pointer };
                IntPtr request = Marshal.AllocHGlobal(Marshal.SizeOf<TrustData>());
                Marshal.StructureToPtr(data, request, false);
                var action = Guid.Empty;
                Native.WinVerifyTrust(IntPtr.Zero, ref action, request);
                return true;
            }

            // Reads the signer and builds its chain: neither checks that the signature matches the file.
            public static bool HasSigner(string file, string publisher)
            {
                var signer = new X509Certificate2(X509Certificate.CreateFromSignedFile(file));
                using var chain = new X509Chain();
                return chain.Build(signer) && signer.Subject.Contains(publisher);
            }
        }
        """;

    private static DiagnosticResult Unverified(int location, string data, string origin, string sink) =>
        VerifyCS.Diagnostic("SBD3001").WithLocation(location).WithArguments(data, origin, sink);

    [Fact]
    public async Task TrustCheckedThroughTheProgramsVerifier_IsQuiet_UnlessTheResultIsIgnoredOrOnlyTheSignerRead()
    {
        const string source = Interop + """
            class Updater
            {
                async Task Verified(HttpClient client, string path)
                {
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    File.WriteAllBytes(path, bytes);
                    if (!Signer.Verify(path, "Example Publisher"))
                    {
                        return;
                    }

                    Process.Start(path);
                }

                async Task ResultIgnored(HttpClient client, string path)
                {
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    File.WriteAllBytes(path, {|#0:bytes|});
                    if (!Signer.Ignored(path))
                    {
                        return;
                    }

                    Process.Start({|#1:path|});
                }

                async Task SignerOnly(HttpClient client, string path)
                {
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    File.WriteAllBytes(path, {|#2:bytes|});
                    if (!Signer.HasSigner(path, "Example Publisher"))
                    {
                        return;
                    }

                    Process.Start({|#3:path|});
                }
            }
            """ + Signer;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Unverified(0, "bytes", "HttpClient.GetByteArrayAsync (line 61)", "File.WriteAllBytes"),
            Unverified(1, "path", "HttpClient.GetByteArrayAsync (line 61)", "Process.Start"),
            Unverified(2, "bytes", "HttpClient.GetByteArrayAsync (line 73)", "File.WriteAllBytes"),
            Unverified(3, "path", "HttpClient.GetByteArrayAsync (line 73)", "Process.Start"));
    }

    [Fact]
    public async Task WinVerifyTrustComparedInTheSameMethod_IsQuiet_ForTheFileItNames()
    {
        const string source = Interop + """
            class Updater
            {
                async Task Checked(HttpClient client, string path)
                {
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    File.WriteAllBytes(path, bytes);
                    var info = new TrustFile { Path = path };
                    IntPtr pointer = Marshal.AllocHGlobal(Marshal.SizeOf<TrustFile>());
                    Marshal.StructureToPtr(info, pointer, false);
                    var data = new TrustData { File = pointer };
                    IntPtr request = Marshal.AllocHGlobal(Marshal.SizeOf<TrustData>());
                    Marshal.StructureToPtr(data, request, false);
                    var action = Guid.Empty;
                    if (Native.WinVerifyTrust(IntPtr.Zero, ref action, request) != 0)
                    {
                        return;
                    }

                    Process.Start(path);
                }

                async Task OtherFile(HttpClient client, string path, string other)
                {
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    File.WriteAllBytes(path, {|#0:bytes|});
                    var info = new TrustFile { Path = other };
                    IntPtr pointer = Marshal.AllocHGlobal(Marshal.SizeOf<TrustFile>());
                    Marshal.StructureToPtr(info, pointer, false);
                    var data = new TrustData { File = pointer };
                    IntPtr request = Marshal.AllocHGlobal(Marshal.SizeOf<TrustData>());
                    Marshal.StructureToPtr(data, request, false);
                    var action = Guid.Empty;
                    if (Native.WinVerifyTrust(IntPtr.Zero, ref action, request) != 0)
                    {
                        return;
                    }

                    Process.Start({|#1:path|});
                }

                async Task Wrapped(HttpClient client, string path)
                {
                    var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                    File.WriteAllBytes(path, {|#2:bytes|});
                    if (Native.Check(path) != 0)
                    {
                        return;
                    }

                    // A helper that returns the code is not followed: only a bool verifier is.
                    Process.Start({|#3:path|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Unverified(0, "bytes", "HttpClient.GetByteArrayAsync (line 68)", "File.WriteAllBytes"),
            Unverified(1, "path", "HttpClient.GetByteArrayAsync (line 68)", "Process.Start"),
            Unverified(2, "bytes", "HttpClient.GetByteArrayAsync (line 87)", "File.WriteAllBytes"),
            Unverified(3, "path", "HttpClient.GetByteArrayAsync (line 87)", "Process.Start"));
    }

    [Fact]
    public async Task CatchAroundAVerifierAndTheUse_EndingAMethodThatReturnsNothing_IsQuiet_ASwallowingWrapperIsNot()
    {
        const string source = Interop + """
            class Updater
            {
                async Task Install(HttpClient client, string path)
                {
                    try
                    {
                        var bytes = await client.GetByteArrayAsync("https://updates.example.com/setup.exe");
                        File.WriteAllBytes(path, bytes);
                        if (!Signer.Verify(path, "Example Publisher"))
                        {
                            return;
                        }

                        Process.Start(path);
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine(e.Message);
                    }
                }

                void EnsureTrusted(string path)
                {
                    try
                    {
                        if (!Signer.Verify(path, "Example Publisher"))
                        {
                            throw new InvalidOperationException("untrusted");
                        }
                    }
                    {|#0:catch|} (Exception e)
                    {
                        Console.WriteLine(e.Message);
                    }
                }
            }
            """ + Signer;

        await FailOpenCS.VerifyAnalyzerAsync(
            source,
            FailOpenCS.Diagnostic("SBD3005").WithLocation(0).WithArguments("The catch clause around Signer.Verify lets execution go on past the failed check", "a failed verification must reject the content"));
    }
}
