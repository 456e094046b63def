using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>SBD2003, SBD2004, SBD2006, SBD2007: sizes, stack allocations, whole-input reads and loop counts from content.</summary>
public class MemorySizesTests
{
    /// <summary>The setting that has SBD2004 flag sizes that are not from content as well (off by default).</summary>
    private const string CheckTrustedSizes = "secure_by_design.check_trusted_stackalloc_sizes = true";

    [Fact]
    public async Task AllocationsSizedByContent_AreFlaggedUnlessBounded()
    {
        const string source = """
            using System.Buffers;
            using System.Collections.Generic;
            using System.IO;
            using System.Text;

            class Parser
            {
                const int MaxRecords = 4096;

                void Read(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    var records = new int[{|#0:count|}];
                    var list = new List<string>({|#1:count|});
                    var rented = ArrayPool<byte>.Shared.Rent({|#2:count|});
                    var bytes = reader.ReadBytes({|#3:count|});
                    var text = new StringBuilder({|#4:count|});

                    if (count < 0 || count > MaxRecords) throw new InvalidDataException();
                    var bounded = new int[count];
                    var fromByte = new int[reader.ReadByte()];
                }
            }
            """;

        DiagnosticResult Size(int location, string allocation) =>
            VerifyCS.Diagnostic("SBD2003").WithLocation(location).WithArguments("count", "BinaryReader.ReadInt32 (line 12)", allocation);

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "new int[count]"),
            Size(1, "new List<string>(count)"),
            Size(2, "ArrayPool<byte>.Shared.Rent(count)"),
            Size(3, "reader.ReadBytes(count)"),
            Size(4, "new StringBuilder(count)"));
    }

    [Fact]
    public async Task CountPackedFromTwoBytes_IsBoundedByItsBits_ButNotFromTwoWords()
    {
        // A packed point count: the high byte's low seven bits, then the next byte (at most 32,767). Two 16-bit words
        // joined the same way make a 32-bit count.
        const string source = """
            using System.IO;

            static class Points
            {
                public static ushort[] Packed(BinaryReader reader)
                {
                    byte first = reader.ReadByte();
                    int count = (first & 0x80) != 0 ? ((first & 0x7F) << 8) | reader.ReadByte() : first;
                    return new ushort[count];
                }

                public static uint[] Wide(BinaryReader reader)
                {
                    int count = (reader.ReadUInt16() << 16) | reader.ReadUInt16();
                    return new uint[{|#0:count|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("count", "BinaryReader.ReadUInt16 (line 14)", "new uint[count]"));
    }

    [Fact]
    public async Task Stackalloc_WithoutConstantCap_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                void Read(BinaryReader reader, int configured)
                {
                    var n = reader.ReadInt32();
                    Span<byte> a = {|#0:stackalloc byte[n]|};
                    Span<char> b = stackalloc char[configured];
                    Span<byte> c = stackalloc byte[256];
                    if (n > 0 && n <= 512)
                    {
                        Span<char> d = stackalloc char[n];
                        Span<long> e = {|#2:stackalloc long[n]|};
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("n", " (from BinaryReader.ReadInt32 (line 8))", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(2).WithArguments("n", " (from BinaryReader.ReadInt32 (line 8))", 1024));
    }

    [Fact]
    public async Task Stackalloc_OfATrustedSizeNothingBounds_IsFlaggedOnlyWhenTheProjectAsks()
    {
        // Audio and font code sizes scratch buffers from its own arguments (a channel count, a band array's length): not
        // the content's choice, and quiet by default. A project that wants every unbounded stackalloc turns the check on.
        const string source = """
            using System;
            using System.IO;

            class Mixer
            {
                private readonly float[] bands;

                Mixer(float[] bands) => this.bands = bands;

                unsafe void Convert(BinaryReader reader, int channels, string name)
                {
                    short** samples = {|#0:stackalloc short*[channels]|};
                    Span<float> split = {|#1:stackalloc float[bands.Length]|};
                    Span<char> chars = {|#2:stackalloc char[name.Length]|};
                    var n = reader.ReadInt32();
                    Span<byte> fromContent = {|#3:stackalloc byte[n]|};
                }
            }
            """;

        await RunStackalloc(source, null, VerifyCS.Diagnostic("SBD2004").WithLocation(3).WithArguments("n", " (from BinaryReader.ReadInt32 (line 15))", 1024));
        await RunStackalloc(
            source,
            CheckTrustedSizes,
            VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("channels", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(1).WithArguments("bands.Length", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(2).WithArguments("name.Length", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(3).WithArguments("n", " (from BinaryReader.ReadInt32 (line 15))", 1024));
    }

    private static async Task RunStackalloc(string source, string? setting, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)project.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
        });
        if (setting is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n[*.cs]\n{setting}\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task Stackalloc_OfATrustedSizeTheCodeBounds_IsQuiet()
    {
        // Encoders size a scratch buffer from their own arguments and check it against their own limit first: the
        // limit is the code's decision. The same check on a size from content, above the cap, is still flagged, and so
        // is a trusted size nothing bounds.
        const string source = """
            using System;
            using System.IO;

            class Encoder
            {
                private const int MaxScratch = 4096;
                private static readonly int Configured = 4096;

                void Encode(BinaryReader reader, int length, ushort width, int count, int other)
                {
                    if (length > MaxScratch) throw new ArgumentOutOfRangeException(nameof(length));
                    Span<byte> scratch = stackalloc byte[length];
                    Span<char> clamped = stackalloc char[Math.Min(count, 2048)];
                    Span<byte> chosen = length <= MaxScratch ? stackalloc byte[length] : new byte[length];
                    Span<long> wide = {|#0:stackalloc long[width]|};
                    Span<byte> any = {|#1:stackalloc byte[count]|};
                    if (other > Configured) throw new ArgumentOutOfRangeException(nameof(other));
                    Span<byte> loose = {|#3:stackalloc byte[other]|};

                    var n = reader.ReadInt32();
                    if (n > MaxScratch) throw new InvalidDataException();
                    Span<byte> fromContent = {|#2:stackalloc byte[n]|};
                }
            }
            """;

        await RunStackalloc(
            source,
            CheckTrustedSizes,
            VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("width", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(1).WithArguments("count", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(3).WithArguments("other", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(2).WithArguments("n", " (from BinaryReader.ReadInt32 (line 20))", 1024));
    }

    [Fact]
    public async Task Stackalloc_OfOneHardwareVector_IsQuiet_AMultipleOfItIsFlagged()
    {
        // SIMD helpers take a scratch of one vector's elements: Vector256<byte>.Count is 32, at most 64 for any vector. A
        // size multiplied by a count the caller chooses is no longer bounded by the vector.
        const string source = """
            using System;
            using System.Numerics;
            using System.Runtime.Intrinsics;

            static class Simd
            {
                static void Shuffle(int lanes)
                {
                    Span<byte> one = stackalloc byte[Vector256<byte>.Count];
                    Span<byte> two = stackalloc byte[Vector128<byte>.Count];
                    Span<float> three = stackalloc float[Vector<float>.Count];
                    Span<byte> many = {|#0:stackalloc byte[Vector128<byte>.Count * lanes]|};
                }
            }
            """;

        await RunStackalloc(
            source,
            CheckTrustedSizes,
            VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("Vector128<byte>.Count * lanes", "", 1024));
    }

    [Fact]
    public async Task Stackalloc_OfTheCharCountOfShortBytes_IsQuiet_UncheckedBytesAreFlagged()
    {
        // A value type that wraps bytes decodes them on the stack when they are short: at most one character per byte.
        // Bytes of any length, a length checked on other bytes, and a property that can be set again are flagged.
        const string source = """
            using System;
            using System.Text;

            readonly struct Text(byte[] bytes, byte[] other)
            {
                public byte[] Bytes { get; } = bytes;
                public byte[] Other { get; } = other;
                public byte[] Settable { get => bytes; set { } }

                int Short()
                {
                    if (Bytes.Length < 100)
                    {
                        int charCount = Encoding.UTF8.GetCharCount(Bytes);
                        Span<char> chars = stackalloc char[charCount];
                        Encoding.UTF8.GetChars(Bytes, chars);
                        return int.Parse(chars);
                    }

                    return 0;
                }

                int Prefix(Encoding encoding, int count)
                {
                    if (count > 256 || count > Bytes.Length) return 0;
                    Span<char> chars = stackalloc char[encoding.GetCharCount(Bytes, 0, count)];
                    return chars.Length;
                }

                int Any()
                {
                    Span<char> chars = {|#0:stackalloc char[Encoding.UTF8.GetCharCount(Bytes)]|};
                    return chars.Length;
                }

                int OtherChecked()
                {
                    if (Other.Length >= 100) return 0;
                    Span<char> chars = {|#1:stackalloc char[Encoding.UTF8.GetCharCount(Bytes)]|};
                    return chars.Length;
                }

                int SetAgain()
                {
                    if (Settable.Length >= 100) return 0;
                    Span<char> chars = {|#2:stackalloc char[Encoding.UTF8.GetCharCount(Settable)]|};
                    return chars.Length;
                }
            }
            """;

        await RunStackalloc(
            source,
            CheckTrustedSizes,
            VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("Encoding.UTF8.GetCharCount(Bytes)", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(1).WithArguments("Encoding.UTF8.GetCharCount(Bytes)", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(2).WithArguments("Encoding.UTF8.GetCharCount(Settable)", "", 1024));
    }

    [Fact]
    public async Task Stackalloc_OfTheLengthOfAWrittenOutList_IsQuiet_ButOfASpreadIsNot()
    {
        // Box readers compare a box's identifier with a constant one read into a scratch buffer of the same length.
        const string source = """
            using System;
            using System.IO;

            class BoxReader
            {
                bool IsKnown(Stream stream, byte[] more)
                {
                    ReadOnlySpan<byte> known = [0x85, 0xc0, 0xb6, 0x87, 0x82, 0x0f, 0x11, 0xe0];
                    Span<byte> actual = stackalloc byte[known.Length];
                    stream.ReadExactly(actual);
                    byte[] spread = [.. more, 0x01];
                    Span<byte> copy = {|#0:stackalloc byte[spread.Length]|};
                    return actual.SequenceEqual(known) && copy.Length > 0;
                }
            }
            """;

        await RunStackalloc(
            source,
            CheckTrustedSizes,
            VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("spread.Length", "", 1024));
    }

    [Fact]
    public async Task WholeInputReads_AreFlaggedUnlessLengthChecked()
    {
        const string source = """
            using System.IO;
            using System.Net.Http;
            using System.Text.Json;
            using System.Threading.Tasks;

            class Loader
            {
                const long MaxContentBytes = 1 << 20;

                async Task Load(HttpClient client, string path)
                {
                    var response = await client.GetAsync("https://updates.example.com/rules.json");
                    var all = await {|#0:response.Content.ReadAsByteArrayAsync()|};

                    using var file = File.OpenRead(path);
                    var text = {|#1:new StreamReader(file).ReadToEnd()|};
                    var copy = new MemoryStream();
                    {|#2:file.CopyTo(copy)|};
                    using var document = {|#3:JsonDocument.Parse(file)|};

                    using var bounded = File.OpenRead(path);
                    if (bounded.Length > MaxContentBytes) throw new InvalidDataException();
                    bounded.CopyTo(copy);

                    var content = response.Content;
                    if (content.Headers.ContentLength is not <= MaxContentBytes) throw new InvalidDataException();
                    var checkedText = await content.ReadAsStringAsync();
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2006").WithLocation(0).WithArguments("response.Content.ReadAsByteArrayAsync()", "'response.Content' (from HttpClient.GetAsync (line 12))"),
            VerifyCS.Diagnostic("SBD2006").WithLocation(1).WithArguments("new StreamReader(file).ReadToEnd()", "'new StreamReader(file)' (from File.OpenRead (line 15))"),
            VerifyCS.Diagnostic("SBD2006").WithLocation(2).WithArguments("file.CopyTo(copy)", "'file' (from File.OpenRead (line 15))"),
            VerifyCS.Diagnostic("SBD2006").WithLocation(3).WithArguments("JsonDocument.Parse(file)", "'file' (from File.OpenRead (line 15))"));
    }

    [Fact]
    public async Task CopyIntoAStreamOverAnArray_IsQuiet_IntoAGrowingStreamIsFlagged()
    {
        // A compressed record whose header gives the decompressed length: the output stream wraps an array of that
        // length (its size is SBD2003's to judge) and cannot grow, so the copy stops there. A MemoryStream made empty
        // grows with whatever the decompressor yields.
        const string source = """
            using System.IO;
            using System.IO.Compression;

            class Documents
            {
                const int MaxDocument = 1 << 20;

                byte[] Inflate(BinaryReader reader, string path)
                {
                    var length = reader.ReadInt32();
                    if (length < 0 || length > MaxDocument) throw new InvalidDataException();
                    var document = new byte[length];
                    var output = new MemoryStream(document);
                    using (var inflate = new DeflateStream(File.OpenRead(path), CompressionMode.Decompress))
                    {
                        inflate.CopyTo(output);
                    }

                    return document;
                }

                byte[] InflateAll(string path)
                {
                    var output = new MemoryStream();
                    using (var inflate = new DeflateStream(File.OpenRead(path), CompressionMode.Decompress))
                    {
                        {|#0:inflate.CopyTo(output)|};
                    }

                    return output.ToArray();
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2006").WithLocation(0).WithArguments("inflate.CopyTo(output)", "'inflate' (from File.OpenRead (line 25))"));
    }

    [Fact]
    public async Task ReaderOverABodyAHelperBuilds_IsQuiet_OverTheContentItPassesOnIsFlagged()
    {
        // The shape of form submission: the body is built in a MemoryStream from the form's own entries, in an encoding
        // the document names. The encoding chooses how the entries are written, not what the stream holds, so reading
        // the body back is reading what the program wrote. The same helpers given the content's stream return it.
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Text;

            class FormData
            {
                readonly List<string> entries = new List<string>();

                public Stream CreateBody(string charset) => Build(Encoding.GetEncoding(charset), null);

                public Stream Pass(Stream content, string charset) => Build(Encoding.GetEncoding(charset), content);

                Stream Build(Encoding encoding, Stream content)
                {
                    if (content != null)
                    {
                        return content;
                    }

                    var body = new MemoryStream();
                    var writer = new StreamWriter(body, encoding);
                    foreach (var entry in entries)
                    {
                        writer.Write(entry);
                    }

                    writer.Flush();
                    body.Position = 0;
                    return body;
                }
            }

            class Form
            {
                string Submit(FormData data, TextReader document)
                {
                    var charset = document.ReadLine();
                    using (var reader = new StreamReader(data.CreateBody(charset)))
                    {
                        return reader.ReadToEnd();
                    }
                }

                string Forward(FormData data, string path)
                {
                    using (var reader = new StreamReader(data.Pass(File.OpenRead(path), "utf-8")))
                    {
                        return {|#0:reader.ReadToEnd()|};
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2006").WithLocation(0).WithArguments("reader.ReadToEnd()", "'reader' (from File.OpenRead (line 46))"));
    }

    [Fact]
    public async Task LoopsCountedByContent_AreFlaggedUnlessCapped()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Parser
            {
                const int MaxRecords = 10000;

                List<string> Read(BinaryReader reader)
                {
                    var records = new List<string>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#0:i < count|}; i++) records.Add(reader.ReadBytes(8).ToString());

                    var remaining = reader.ReadInt32();
                    while ({|#1:remaining-- > 0|}) records.Add(new string('x', 1));

                    var capped = reader.ReadInt32();
                    if (capped > MaxRecords) throw new InvalidDataException();
                    for (var i = 0; i < capped; i++) records.Add(reader.ReadString());

                    var sum = 0;
                    for (var i = 0; i < count; i++) sum += i;
                    return records;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 11)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("remaining--", "BinaryReader.ReadInt32 (line 14)"));
    }

    [Fact]
    public async Task LoopUpToACountThatJustSizedAList_IsReportedOnceAtTheList_OtherwiseBothAreFlagged()
    {
        // Thrift-style list readers size the list with the count and then fill it: the allocation meets the count first,
        // and one cap there fixes both. A count read again between them, an allocation that may not run, and a loop
        // before the allocation each keep their own report.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class ListReader
            {
                List<long> Longs, Others;
                string[] Names;

                void Read(BinaryReader reader, int field, bool keep)
                {
                    int count = 0;
                    switch (field)
                    {
                        case 1:
                            count = reader.ReadInt32();
                            Longs = new List<long>({|#0:count|});
                            for (int i = 0; i < count; i++) { Longs.Add(new long()); }
                            break;
                        case 2:
                            count = reader.ReadInt32();
                            Names = new string[{|#1:count|}];
                            for (int i = 0; i < count; i++) { Names[i] = new string('x', 1); }
                            break;
                        case 3:
                            count = reader.ReadInt32();
                            Others = new List<long>({|#2:count|});
                            count = reader.ReadInt32();
                            for (int i = 0; {|#3:i < count|}; i++) { Others.Add(new long()); }
                            break;
                        case 4:
                            count = reader.ReadInt32();
                            if (keep) Others = new List<long>({|#4:count|});
                            for (int i = 0; {|#5:i < count|}; i++) { Others.Add(new long()); }
                            break;
                        case 5:
                            count = reader.ReadInt32();
                            for (int i = 0; {|#6:i < count|}; i++) { Others.Add(new long()); }
                            Names = new string[{|#7:count|}];
                            break;
                    }
                }

                void NotReportedThere(BinaryReader reader, bool small)
                {
                    int count = reader.ReadInt32();
                    var sorted = new SortedList<long, long>(count);
                    for (int i = 0; {|#8:i < count|}; i++) { sorted.Add(i, new long()); }
                    Longs = count <= 1024 ? new List<long>(count) : new List<long>();
                    for (int i = 0; {|#9:i < count|}; i++) { Longs.Add(new long()); }
                }

                void WrittenBetween(BinaryReader reader)
                {
                    int count = reader.ReadInt32(), other;
                    Longs = new List<long>({|#10:count|});
                    (count, other) = (reader.ReadInt32(), 0);
                    for (int i = 0; {|#11:i < count|}; i++) { Longs.Add(new long()); }
                }

                void Captured(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    System.Action more = () => count = reader.ReadInt32();
                    Longs = new List<long>({|#12:count|});
                    more();
                    for (int i = 0; {|#13:i < count|}; i++) { Longs.Add(new long()); }
                }

                void Jumps(BinaryReader reader, bool skip)
                {
                    int count = reader.ReadInt32();
                    if (skip) { count = reader.ReadInt32(); goto fill; }
                    Longs = new List<long>({|#14:count|});
                    fill:
                    for (int i = 0; {|#15:i < count|}; i++) { Longs.Add(new long()); }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 15)", "new List<long>(count)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("count", "BinaryReader.ReadInt32 (line 20)", "new string[count]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(2).WithArguments("count", "BinaryReader.ReadInt32 (line 25)", "new List<long>(count)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(3).WithArguments("count", "BinaryReader.ReadInt32 (line 27)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(4).WithArguments("count", "BinaryReader.ReadInt32 (line 31)", "new List<long>(count)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(5).WithArguments("count", "BinaryReader.ReadInt32 (line 31)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(6).WithArguments("count", "BinaryReader.ReadInt32 (line 36)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(7).WithArguments("count", "BinaryReader.ReadInt32 (line 36)", "new string[count]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(8).WithArguments("count", "BinaryReader.ReadInt32 (line 45)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(9).WithArguments("count", "BinaryReader.ReadInt32 (line 45)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(10).WithArguments("count", "BinaryReader.ReadInt32 (line 54)", "new List<long>(count)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(11).WithArguments("count", "BinaryReader.ReadInt32 (line 54)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(12).WithArguments("count", "BinaryReader.ReadInt32 (line 62)", "new List<long>(count)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(13).WithArguments("count", "BinaryReader.ReadInt32 (line 62)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(14).WithArguments("count", "BinaryReader.ReadInt32 (line 71)", "new List<long>(count)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(15).WithArguments("count", "BinaryReader.ReadInt32 (line 72)"));
    }

    [Fact]
    public async Task NetworkStreamsReadWholeThroughAStreamReader_AreFlagged()
    {
        const string source = """
            using System.IO;
            using System.Net;
            using System.Net.Http;
            using System.Net.Sockets;
            using System.Text;
            using System.Threading.Tasks;

            class Fetcher
            {
                async Task Fetch(HttpClient client, TcpClient tcp, WebRequest request)
                {
                    using var response = await client.GetAsync("https://updates.example.com/rules");
                    using var body = await response.Content.ReadAsStreamAsync();
                    var a = {|#0:new StreamReader(body).ReadToEnd()|};
                    var stream = await client.GetStreamAsync("https://updates.example.com/feed");
                    var b = await {|#1:new StreamReader(stream).ReadToEndAsync()|};
                    using var network = tcp.GetStream();
                    var c = {|#2:new StreamReader(network).ReadToEnd()|};
                    using var web = request.GetResponse();
                    using var reader = new StreamReader(web.GetResponseStream());
                    var d = {|#3:reader.ReadToEnd()|};
                    var e = response.Content.ReadAsStream();
                    var f = {|#4:new StreamReader(e, Encoding.UTF8).ReadToEnd()|};

                    var local = new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes("constant"))).ReadToEnd();
                }
            }
            """;

        DiagnosticResult Whole(int location, string call, string reader) =>
            VerifyCS.Diagnostic("SBD2006").WithLocation(location).WithArguments(call, reader);

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Whole(0, "new StreamReader(body).ReadToEnd()", "'new StreamReader(body)' (from HttpContent.ReadAsStreamAsync (line 13))"),
            Whole(1, "new StreamReader(stream).ReadToEndAsync()", "'new StreamReader(stream)' (from HttpClient.GetStreamAsync (line 15))"),
            Whole(2, "new StreamReader(network).ReadToEnd()", "'new StreamReader(network)' (from TcpClient.GetStream (line 17))"),
            Whole(3, "reader.ReadToEnd()", "'reader' (from WebResponse.GetResponseStream (line 20))"),
            Whole(4, "new StreamReader(e, Encoding.UTF8).ReadToEnd()", "'new StreamReader(e, Encoding.UTF8)' (from HttpContent.ReadAsStream (line 22))"));
    }

    [Fact]
    public async Task CountFromAByteHalved_IsBounded()
    {
        // An RLE run in absolute mode: a byte count of pixels, two a byte, rounded up (at most 128 bytes). A 32-bit count
        // halved is still the content's choice.
        const string source = """
            using System.IO;

            class RunDecoder
            {
                byte[] Absolute(Stream stream)
                {
                    int max = stream.ReadByte();
                    if (max < 0) throw new EndOfStreamException();
                    int bytesToRead = (int)(((uint)max + 1) / 2);
                    return new byte[bytesToRead];
                }

                byte[] Wide(BinaryReader reader)
                {
                    int max = reader.ReadInt32();
                    if (max < 0) throw new InvalidDataException();
                    int bytesToRead = max / 2;
                    return new byte[{|#0:bytesToRead|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("bytesToRead", "BinaryReader.ReadInt32 (line 15)", "new byte[bytesToRead]"));
    }

    [Fact]
    public async Task LengthInMemoryHalved_IsBounded_TimesAContentCountIsFlagged()
    {
        // A hex blob of a type name: half the text already read costs less than reading it did. The text's length times
        // a count read from content is the content's choice.
        const string source = """
            using System.IO;

            class HexBlob
            {
                byte[] Parse(TextReader reader)
                {
                    string hex = reader.ReadLine();
                    if (hex.Length % 2 != 0) throw new InvalidDataException();
                    var bytes = new byte[hex.Length / 2];
                    var rounded = new byte[(hex.Length + 1) >> 1];
                    int copies = reader.Read();
                    var repeated = new byte[{|#0:hex.Length * copies|}];
                    return bytes;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("hex.Length * copies", "TextReader.ReadLine (line 7)", "new byte[hex.Length * copies]"));
    }

    [Fact]
    public async Task CountOfAListReadDividedByADimensionFromContent_IsBounded_TimesItIsFlagged()
    {
        // A GML position list: the ordinates read into a list, grouped by the dimension an attribute gives. However
        // large the dimension, the points are no more than the ordinates already held (a negative one throws), and
        // whole points times the dimension are the ordinates less a remainder. The ordinates times the dimension, or
        // times anything but the divisor, are the content's choice.
        const string source = """
            using System.Collections.Generic;
            using System.Xml;

            class PosList
            {
                double[] Read(XmlReader reader)
                {
                    int dimension = XmlConvert.ToInt32(reader.GetAttribute("srsDimension")!);
                    var ordinates = new List<double>();
                    while (reader.Read())
                        ordinates.Add(reader.ReadContentAsDouble());

                    var points = new double[ordinates.Count / dimension][];
                    var whole = new double[ordinates.Count / dimension * dimension];
                    var scaled = new double[{|#0:ordinates.Count * dimension|}];
                    var padded = new double[{|#1:ordinates.Count / dimension * (dimension + 1)|}];
                    return whole;
                }
            }
            """;

        const string origin = "XmlReader.GetAttribute (line 8)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("ordinates.Count * dimension", origin, "new double[ordinates.Count * dimension]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("ordinates.Count / dimension * (dimension + 1)", origin, "new double[ordinates.Count / dimension * (dimension + 1)]"));
    }

    [Fact]
    public async Task CountFromAnIndexAHelperSizedByAShortCount_IsBounded_ByAnIntCountIsFlagged()
    {
        const string source = """
            using System.IO;

            class FontIndex
            {
                int[] ReadOffsets(BinaryReader reader)
                {
                    var count = reader.ReadUInt16();
                    if (count == 0) return System.Array.Empty<int>();
                    var offsets = new int[count + 1];
                    for (var i = 0; i < offsets.Length; i++) offsets[i] = reader.ReadInt32();
                    return offsets;
                }

                int[] ReadWideOffsets(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    var offsets = new int[{|#0:count|}];
                    for (var i = 0; i < offsets.Length; i++) offsets[i] = reader.ReadInt32();
                    return offsets;
                }

                long[] Lengths(BinaryReader reader)
                {
                    var index = ReadOffsets(reader);
                    return new long[index.Length - 1];
                }

                long[] WideLengths(BinaryReader reader)
                {
                    var index = ReadWideOffsets(reader);
                    return new long[{|#1:index.Length - 1|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 16)", "new int[count]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("index.Length - 1", "ReadWideOffsets (BinaryReader.ReadInt32 (line 16))", "new long[index.Length - 1]"));
    }
}
