using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>SBD2003 through helpers of the compilation: a method, constructor or extension that allocates with what it is given.</summary>
public class MemoryHelpersTests
{
    [Fact]
    public async Task ExtensionThatAllocatesTheCount_IsFlaggedAtTheArgument()
    {
        const string source = """
            using System.IO;

            static class StreamExtensions
            {
                public static byte[] ReadBytesExactly(this Stream stream, int count)
                {
                    var buffer = {|#1:new byte[count]|};
                    var read = 0;
                    while (read < count)
                    {
                        var n = stream.Read(buffer, read, count - read);
                        if (n == 0) throw new EndOfStreamException();
                        read += n;
                    }

                    return buffer;
                }
            }

            class Parser
            {
                const int MaxName = 1024;

                void Read(BinaryReader reader, Stream stream, int configured)
                {
                    var length = reader.ReadInt32();
                    var name = stream.ReadBytesExactly({|#0:length|});
                    var header = stream.ReadBytesExactly(16);
                    var trusted = stream.ReadBytesExactly(configured);
                    if (length < 0 || length > MaxName) throw new InvalidDataException();
                    var bounded = stream.ReadBytesExactly(length);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithLocation(1)
                .WithArguments("length", "BinaryReader.ReadInt32 (line 26)", "StreamExtensions.ReadBytesExactly', which allocates 'new byte[count]"));
    }

    [Fact]
    public async Task ConstructorThatAllocatesAWindow_IsFlaggedUnlessTheConstructorChecksIt()
    {
        const string source = """
            using System.IO;

            sealed class SlidingWindow
            {
                private readonly byte[] window;

                public SlidingWindow(int size) => window = new byte[size];
            }

            sealed class CheckedWindow
            {
                const int MaxWindow = 1 << 16;
                private readonly byte[] window;

                public CheckedWindow(int size)
                {
                    if (size <= 0 || size > MaxWindow) throw new InvalidDataException();
                    window = new byte[size];
                }
            }

            class Decoder
            {
                void Open(BinaryReader reader)
                {
                    var size = reader.ReadInt32();
                    var window = new SlidingWindow({|#0:size|});
                    var checkedWindow = new CheckedWindow(size);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("size", "BinaryReader.ReadInt32 (line 26)", "SlidingWindow.ctor', which allocates 'new byte[size]"));
    }

    [Fact]
    public async Task TwoDeepHelperChain_IsFlaggedWithTheChainAsLocations()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Records
            {
                public int[] ReadTable(BinaryReader reader, int count) => {|#1:Allocate(count)|};

                public List<string> ReadNames(int count) => new List<string>(Math.Min(count, 256));

                private static int[] Allocate(int n) => {|#2:new int[n * 2]|};

                void Read(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    var table = ReadTable(reader, {|#0:count|});
                    var names = ReadNames(count);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("count", "BinaryReader.ReadInt32 (line 15)", "Records.ReadTable', which allocates 'new int[n * 2]"));
    }

    [Fact]
    public async Task HelpersDeeperThanTheBound_RecursiveOrNotAllocating_AreQuiet()
    {
        // Four calls deep is past the bound; a recursive helper is read once; a helper that only counts allocates nothing.
        const string source = """
            using System.IO;

            class Deep
            {
                int[] One(int n) => Two(n);
                int[] Two(int n) => Three(n);
                int[] Three(int n) => Four(n);
                int[] Four(int n) => new int[n];

                int Sum(int n) => n == 0 ? 0 : n + Sum(n - 1);

                int Ping(int n) => n == 0 ? 0 : Pong(n - 1);
                int Pong(int n) => Ping(n);

                void Read(BinaryReader reader)
                {
                    var n = reader.ReadInt32();
                    One(n);
                    Sum(n);
                    Ping(n);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task RecursiveHelperThatAllocates_IsFlaggedOnce()
    {
        const string source = """
            using System.IO;

            class Tree
            {
                int[] Grow(int n, int depth) => depth == 0 ? new int[n] : Grow(n, depth - 1);

                void Read(BinaryReader reader)
                {
                    var n = reader.ReadInt32();
                    Grow({|#0:n|}, 3);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("n", "BinaryReader.ReadInt32 (line 9)", "Tree.Grow', which allocates 'new int[n]"));
    }

    [Fact]
    public async Task SliceHelpers_AreFlaggedAtTheCallUnlessTheCallerOrHelperChecksTheRange()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text;

            static class TextHelpers
            {
                public static string Decode(byte[] data, int offset, int count) => Encoding.UTF8.GetString(data, offset, count);
                public static string Checked(byte[] data, int offset, int count)
                {
                    if ((uint)offset > (uint)data.Length || (uint)count > (uint)(data.Length - offset)) throw new InvalidDataException();
                    return Encoding.UTF8.GetString(data, offset, count);
                }
                public static ReadOnlySpan<byte> Body(byte[] data, int count) => data.AsSpan(4, count);
            }

            class Parser
            {
                void Read(BinaryReader reader, byte[] data, int configured)
                {
                    var offset = reader.ReadInt32();
                    var count = reader.ReadInt32();
                    var a = {|#0:TextHelpers.Decode(data, offset, count)|};
                    var b = TextHelpers.Checked(data, offset, count);
                    var c = {|#1:TextHelpers.Body(data, count)|};
                    var d = TextHelpers.Decode(data, 0, 4);
                    var e = TextHelpers.Decode(data, configured, 4);
                    if ((uint)offset > (uint)data.Length || (uint)count > (uint)(data.Length - offset)) throw new InvalidDataException();
                    var f = TextHelpers.Decode(data, offset, count);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("offset, count", "BinaryReader.ReadInt32 (line 20)", "TextHelpers.Decode', which takes it with 'Encoding.UTF8.GetString(data, offset, count)", "data.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("4, count", "BinaryReader.ReadInt32 (line 21)", "TextHelpers.Body', which takes it with 'data.AsSpan(4, count)", "data.Length"));
    }

    [Fact]
    public async Task IndexHelpers_AreFlaggedAtTheCallUnlessTheCallerOrHelperChecksTheIndex()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            static class Tables
            {
                public static string Name(IReadOnlyList<string> names, int index) => names[index];
                public static byte At(byte[] data, int index)
                {
                    if ((uint)index >= (uint)data.Length) throw new InvalidDataException();
                    return data[index];
                }
            }

            class Parser
            {
                void Read(BinaryReader reader, List<string> names, byte[] data)
                {
                    var index = reader.ReadInt32();
                    var a = {|#0:Tables.Name(names, index)|};
                    var b = Tables.At(data, index);
                    var c = Tables.Name(names, 0);
                    if (index < 0 || index >= names.Count) throw new InvalidDataException();
                    var d = Tables.Name(names, index);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("index", "BinaryReader.ReadInt32 (line 18)", "Tables.Name', which reads it with 'names[index]", "with no check against 'names.Count'"));
    }

    [Fact]
    public async Task HelperThatRequiresAnExactSize_IsQuiet_ButNotOneThatOnlyTestsForEmpty()
    {
        // Chunk readers check a fixed-size chunk's length against the size the format gives it; a test for zero is no bound.
        const string source = """
            using System.IO;

            class Chunks
            {
                private readonly Stream stream = Stream.Null;

                byte[] ReadData(int length)
                {
                    var data = new byte[length];
                    stream.ReadExactly(data);
                    return data;
                }

                byte[] ReadHeaderChunk(int length)
                {
                    if (length != 13) throw new InvalidDataException();
                    return ReadData(length);
                }

                byte[] ReadTextChunk(int length)
                {
                    if (length == 0) return new byte[0];
                    return ReadData(length);
                }

                void Read(BinaryReader reader)
                {
                    var header = reader.ReadInt32();
                    ReadHeaderChunk(header);
                    var length = reader.ReadInt32();
                    ReadTextChunk({|#0:length|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("length", "BinaryReader.ReadInt32 (line 30)", "Chunks.ReadTextChunk', which allocates 'new byte[length]"));
    }
}
