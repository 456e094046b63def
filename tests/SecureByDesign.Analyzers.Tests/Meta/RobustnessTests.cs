namespace SecureByDesign.Analyzers.Tests.Meta;

/// <summary>
/// Analyzers run on every keystroke, so they see code that does not compile far more often than code that
/// does. No analyzer may throw on any of it: every prefix of a source that touches every rule is analyzed.
/// </summary>
public class RobustnessTests
{
    private const string EveryRule = """
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Net.Security;
        using System.Security.Cryptography;
        using System.Text.RegularExpressions;
        using System.Xml;
        #pragma warning disable SYSLIB0011

        partial class Agent
        {
            const string Feed = "http://feed.example.com/";
            static readonly Regex Signature = new Regex("(a+)+$");
            static readonly byte[] Der = { 0x30, 0x82 };
            const string Pem = "-----BEGIN PRIVATE KEY-----";

            [GeneratedRegex("(a|aa)+$")]
            private static partial Regex Pattern();

            async void Run(HttpClient client, Stream content, string line, RSA rsa)
            {
                var bytes = await client.GetByteArrayAsync(Feed + line);
                var formatter = new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter();
                formatter.Deserialize(content);
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = new XmlUrlResolver() };
                var document = new XmlDocument();
                document.Load(new XmlTextReader(content));
                if (Regex.IsMatch(line, "(x+x+)+y") || Signature.IsMatch(line) || Pattern().IsMatch(line)) { }
                var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (m, c, ch, e) => true, CheckCertificateRevocationList = false };
                handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
                var ssl = new SslStream(content, false, (s, c, ch, e) => { return e == SslPolicyErrors.None || true; });
                rsa.ImportPkcs8PrivateKey(Der, out _);
                var parameters = new RSAParameters { D = Convert.FromBase64String("AQAB") };
                Func<int, int> local = x => x + line.Length;
                File.WriteAllBytes("update.bin", bytes);
                rsa.VerifyData(bytes, bytes, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
                try { if (!rsa.VerifyHash(bytes, bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)) return; } catch { }
            }

            int Bounds(BinaryReader reader, int[] table)
            {
                var idx = reader.ReadInt32();
                var records = new int[idx];
                Span<byte> scratch = stackalloc byte[idx];
                if (idx + reader.ReadInt32() > table.Length) return -1;
                for (var i = 0; i < idx; i++) records[i] = table[i] + scratch[i];
                var text = new StreamReader(File.OpenRead("rules.txt")).ReadToEnd();
                var list = new System.Collections.Generic.List<string>();
                var fields = reader.ReadString().Split(',');
                var plugin = Activator.CreateInstance(Type.GetType(reader.ReadString())!);
                var more = reader.ReadInt32();
                for (var i = 0; i < more; i++) list.Add(i.ToString());
                var slice = table.AsSpan(idx, 4);
                unsafe
                {
                    fixed (int* start = table)
                    {
                        idx += *(start + idx);
                    }
                }

                return table[idx] + records.Length + fields[3].Length;
            }

            long Parsing(StreamReader lines)
            {
                var line = lines.ReadLine();
                var count = int.Parse(line);
                int.TryParse(line, out var ignored);
                using var document = System.Text.Json.JsonDocument.Parse(line);
                var size = document.RootElement.GetProperty("size").GetInt64();
                var options = new System.Text.Json.JsonSerializerOptions { MaxDepth = 100_000 };
                return count + size + ignored;
            }

            Kind Content(System.IO.Compression.ZipArchive archive, string root, BinaryReader reader)
            {
                foreach (var entry in archive.Entries)
                {
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (!full.StartsWith(root, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile(Path.Combine(root, entry.Name));
                }

                var config = System.Text.Json.JsonSerializer.Deserialize<Config>(reader.BaseStream);
                var kind = (Kind)reader.ReadByte();
                if (config!.Rules!.Length == 0) return Kind.None;
                return kind;
            }

            void Reload(string path)
            {
                System.Threading.Tasks.Task.Run(() => current = File.ReadAllText(path).Split(','));
                try { current = File.ReadAllText(path).Split(','); }
                catch (IOException) { Environment.Exit(1); }
            }

            string[] current = [];

            // Code that takes for granted that a Kind is a member, so the returned one matters (SBD1007).
            static string Name(Kind k) => k switch { Kind.None => "none", Kind.File => "file" };
        }

        enum Kind { None, File }

        sealed class Config { public string[]? Rules { get; set; } }
        """;

    [Fact]
    public async Task CompleteSource_ReportsAndDoesNotThrow()
    {
        var compilation = await Compilations.CreateAsync(EveryRule);
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers);
        Assert.Empty(exceptions);

        // The source is built to touch every rule: if one stops reporting here, this probe no longer probes it.
        Assert.Equal(
            Catalog.Descriptors.Select(d => d.Id),
            diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryPrefixOfTheSource_DoesNotThrow()
    {
        var failures = new List<string>();
        for (var length = 0; length < EveryRule.Length; length += 11)
        {
            var compilation = await Compilations.CreateAsync(EveryRule.Substring(0, length));
            var (_, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers);
            failures.AddRange(exceptions.Select(e => $"prefix {length}: {e}"));
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("class C { void M() { new XmlTextReader( } }")]
    [InlineData("class C { async void M(System.Net.Http.HttpClient c) { var b = await c.GetByteArrayAsync(\"u\"); System.IO.File.WriteAllBytes(, b); System.IO.File.Copy(b); } }")]
    [InlineData("class C { void M(System.Security.Cryptography.RSA r, byte[] d) { var ok = r.VerifyData(d, ); try { r.VerifyHash(d) } catch { return true } } }")]
    [InlineData("class C { async void M(System.Net.Http.HttpClient c) { var s = await c.GetStreamAsync(\"u\"); await s.CopyToAsync(System.IO.File.Create(); System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo { FileName = s }); } }")]
    [InlineData("class C { string M(System.IO.TextReader r) { var f = r.ReadLine().Split(','); return f is [var a, .. ] ? f[ : f[3]; } }")]
    [InlineData("class C { string M(System.IO.TextReader r) => P(r.ReadLine().Split(',')); private static string P(string[] f) => f[2] + P(f) + Q(f); }")]
    [InlineData("class C { string M(System.IO.TextReader r) { var f = r.ReadLine().Split(','); return f.Length switch { 3 => f[2], > 4 => f[-1], _ => f[int.MaxValue] }; } }")]
    [InlineData("class C { void M(System.Net.Http.HttpClientHandler h) { h.ServerCertificateCustomValidationCallback = (a, b) => ; } }")]
    [InlineData("class C { void M(System.Net.Http.HttpClientHandler h) { h.ServerCertificateCustomValidationCallback = Missing; } }")]
    [InlineData("class C { void M() { System.Text.RegularExpressions.Regex.IsMatch(); } }")]
    [InlineData("class C { System.Text.RegularExpressions.Regex R = new(; bool M(string s) => R.IsMatch(s); }")]
    [InlineData("partial class C { [System.Text.RegularExpressions.GeneratedRegex(] static partial System.Text.RegularExpressions.Regex R(); bool M(string s) => R().IsMatch(s); }")]
    [InlineData("class C { void M(System.Net.Http.HttpClient c) { c.GetAsync(new System.Uri(\"http://x\" + ; } }")]
    [InlineData("class C { const string K = \"-----BEGIN PRIVATE KEY-----")]
    [InlineData("class C { void M(System.Security.Cryptography.RSA r) { r.ImportPkcs8PrivateKey(new byte[] { 1, , 2 }, out _); } }")]
    [InlineData("class C { void M() { var p = new System.Security.Cryptography.RSAParameters { D = Undefined.Bytes }; } }")]
    [InlineData("class C { void M(System.Xml.XmlDocument d) { d.Load(); d.LoadXml(1, 2); } }")]
    [InlineData("class C { object M(System.IO.Stream s) => new UnknownFormatter().Deserialize(s); }")]
    [InlineData("using Newtonsoft.Json; class C { void M(JsonSerializer s) { s.TypeNameHandling = TypeNameHandling.Auto; } }")]
    [InlineData("class C { long M(System.IO.BinaryReader r) { long a = r.ReadInt64(); long b = a + a; return b; } }")]
    [InlineData("class C { int M(System.IO.TextReader r) { var n = int.Parse(r.ReadLine(), ); n = int.Parse(; return n; } }")]
    [InlineData("class C { void M(System.IO.TextReader r) { var e = System.Enum.Parse<>(r.ReadLine()); var c = System.Convert.ToInt32(r.ReadLine(), provider: null, 3); } }")]
    [InlineData("class C { int M(System.IO.Stream s) { var d = System.Text.Json.JsonDocument.Parse(s); var x = d.RootElement.GetProperty().GetInt32(1); return x; } }")]
    [InlineData("class C { void M() { var o = new System.Text.Json.JsonSerializerOptions { MaxDepth = }; new System.Xml.XmlReaderSettings().MaxCharactersFromEntities = \"0\"; } }")]
    [InlineData("class C { System.Net.Security.RemoteCertificateValidationCallback M() => Validate; static bool Validate(object s, object c, object ch, System.Net.Security.SslPolicyErrors e); }")]
    [InlineData("class C { void M(System.IO.Compression.ZipArchiveEntry e, string r) { System.IO.File.Create(System.IO.Path.Combine(r, e.FullName ; } }")]
    [InlineData("class C { void M(System.IO.Compression.ZipArchiveEntry e) { var f = System.IO.Path.GetFullPath(e.FullName); if (!f.StartsWith()) return; System.IO.File.Create(f); } }")]
    [InlineData("class C { void M(System.IO.Compression.ZipArchiveEntry e) { var f = System.IO.Path.GetFullPath(e.FullName); if (!f.StartsWith(Missing + System.IO.Path.DirectorySeparatorChar)) return; e.ExtractToFile(f, ); } }")]
    [InlineData("enum K { A } class C { K M(System.IO.BinaryReader r) { var k = (K)r.ReadByte(); if (!System.Enum.IsDefined()) return k; switch (k) { default: } return k; } }")]
    [InlineData("class C { int M(System.IO.Stream s) { var c = System.Text.Json.JsonSerializer.Deserialize<Unknown>(s); if (c is { } d) return d.X.Y; return c!.Z[0].W; } }")]
    [InlineData("class C { int M(System.IO.Stream s) { var c = System.Text.Json.JsonSerializer.Deserialize<string>(s) ?? ; c.Missing = ; return c.Length; } }")]
    [InlineData("class C { void M() { new System.Threading.Thread(() => { try { System.IO.File.ReadAllText( } catch (System.Exception e) when ( { throw; } }); } }")]
    [InlineData("class C { void M() { new System.Threading.Thread(Missing).Start(); System.Threading.Tasks.Task.Run(W); } static void W() => W(; }")]
    [InlineData("class C { static async void M() { try { await System.IO.File.ReadAllTextAsync(\"p\"); } catch (Unknown) { System.Environment.FailFast( } } }")]
    [InlineData("class A : System.Attribute { } class C { [ContentParser] static void P() { try { } catch { System.Diagnostics.Process.GetCurrentProcess().Kill(; } } }")]
    public async Task BrokenCode_DoesNotThrow(string source)
    {
        var compilation = await Compilations.CreateAsync(source);
        var (_, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers);
        Assert.Empty(exceptions);
    }
}
