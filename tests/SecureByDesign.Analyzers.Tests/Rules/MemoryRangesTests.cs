using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>SBD2002, SBD2005, SBD2008: ranges, unsafe offsets and bounds checks that overflow.</summary>
public class MemoryRangesTests
{
    [Fact]
    public async Task OverflowingSumInBoundsCheck_IsFlagged_SafeFormsAreQuiet()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                byte[] Slice(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ({|#0:offset + length > buffer.Length|}) throw new InvalidDataException();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) throw new InvalidDataException();
                    if ((long)offset + length > buffer.Length) throw new InvalidDataException();
                    if (checked(offset + length) > buffer.Length) throw new InvalidDataException();
                    var small = reader.ReadByte() + reader.ReadByte();
                    if (small > buffer.Length) throw new InvalidDataException();
                    return buffer;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic("SBD2008").WithLocation(0).WithArguments("offset + length > buffer.Length", "\'offset\' and \'length\'", "BinaryReader.ReadInt32 (line 7)"));
    }

    [Fact]
    public async Task OverflowingSum_FixComparesUnsigned()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                bool Fits(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ({|#0:offset + length > buffer.Length|}) return false;
                    return {|#1:offset + length <= buffer.Length|};
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class Parser
            {
                bool Fits(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) return false;
                    return (uint)offset <= (uint)buffer.Length && (uint)length <= (uint)(buffer.Length - offset);
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                VerifyCS.Diagnostic("SBD2008").WithLocation(0).WithArguments("offset + length > buffer.Length", "\'offset\' and \'length\'", "BinaryReader.ReadInt32 (line 7)"),
                VerifyCS.Diagnostic("SBD2008").WithLocation(1).WithArguments("offset + length <= buffer.Length", "\'offset\' and \'length\'", "BinaryReader.ReadInt32 (line 7)"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task RangesFromContent_SlicedOrCopiedUnchecked_AreFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text;

            class Parser
            {
                void Read(BinaryReader reader, byte[] buffer, byte[] target, string text)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    var a = {|#0:buffer.AsSpan(offset, length)|};
                    var b = {|#1:text.Substring(offset)|};
                    {|#2:Array.Copy(buffer, 0, target, offset, 4)|};
                    var c = {|#3:Encoding.UTF8.GetString(buffer, offset, length)|};
                    if ({|#5:offset + length > buffer.Length|}) throw new InvalidDataException();
                    var d = {|#4:new ReadOnlySpan<byte>(buffer).Slice(offset, length)|};
                }
            }
            """;

        const string advice = "BinaryReader.ReadInt32 (line 9)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("offset, length", advice, "buffer.AsSpan(offset, length)", "buffer.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("offset", advice, "text.Substring(offset)", "text.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(2).WithArguments("offset, 4", advice, "Array.Copy(buffer, 0, target, offset, 4)", "target.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(3).WithArguments("offset, length", advice, "Encoding.UTF8.GetString(buffer, offset, length)", "buffer.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(4).WithArguments("offset, length", advice, "new ReadOnlySpan<byte>(buffer).Slice(offset, length)", "new ReadOnlySpan<byte>(buffer).Length"),
            VerifyCS.Diagnostic("SBD2008").WithLocation(5).WithArguments("offset + length > buffer.Length", "\'offset\' and \'length\'", advice));
    }

    [Fact]
    public async Task RangesFromContent_CheckedToFit_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly byte[] Fixed = new byte[32];

                void Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) throw new InvalidDataException();
                    var a = buffer.AsSpan(offset, length);
                    var b = buffer.AsSpan(offset);
                    var c = Fixed.AsSpan(reader.ReadByte() & 15, reader.ReadByte() & 15);
                    var d = buffer.AsSpan(0, 16);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task LengthCheckedAgainstTheRoomAfterAHeader_IsQuiet_OtherRangesAreFlagged()
    {
        // A length-prefixed record: the four-byte header is read once the buffer holds it, then the length is checked
        // with the form that cannot overflow (len > buf.Length - 4). The payload at 4 .. 4 + len fits; a payload read at
        // another offset, or with no check that the length is not negative, does not.
        const string source = """
            using System;
            using System.Buffers.Binary;
            using System.IO;
            using System.Text;

            class RecordReader
            {
                string Payload(Stream stream, byte[] buffer, byte[] target)
                {
                    var read = stream.Read(buffer, 0, buffer.Length);
                    if (read < 4) throw new InvalidDataException();
                    var length = BinaryPrimitives.ReadInt32LittleEndian(buffer);
                    if (length < 0 || length > buffer.Length - 4 || length > target.Length) throw new InvalidDataException();
                    var payload = buffer.AsSpan(4, length);
                    Array.Copy(buffer, 4, target, 0, length);
                    var text = Encoding.UTF8.GetString(buffer, 4, length);
                    var shifted = {|#0:buffer.AsSpan(8, length)|};
                    return text + payload.Length + shifted.Length;
                }

                ReadOnlySpan<byte> Unsigned(BinaryReader reader, byte[] buffer)
                {
                    var length = reader.ReadInt32();
                    if (length > buffer.Length - 4) throw new InvalidDataException();
                    return {|#1:buffer.AsSpan(4, length)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("8, length", "Stream.Read (line 10)", "buffer.AsSpan(8, length)", "buffer.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("4, length", "BinaryReader.ReadInt32 (line 23)", "buffer.AsSpan(4, length)", "buffer.Length"));
    }

    [Fact]
    public async Task UncheckedRange_FixInsertsOverflowSafeCheck()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                byte[] Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    return {|#0:buffer.AsSpan(offset, length)|}.ToArray();
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                byte[] Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset))
                    {
                        throw new InvalidDataException("Range 'offset, length' is outside 'buffer'.");
                    }

                    return buffer.AsSpan(offset, length).ToArray();
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("offset, length", "BinaryReader.ReadInt32 (line 8)", "buffer.AsSpan(offset, length)", "buffer.Length")],
            fixedSource);
    }

    [Fact]
    public async Task UnsafeOffsetsFromContent_AreFlaggedUnlessBelowABufferLength()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;

            class Parser
            {
                unsafe int Read(BinaryReader reader, byte[] buffer, IntPtr native)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = buffer)
                    {
                        int value = *(start + offset);
                        value += Marshal.ReadByte(native, 0);
                        value += {|#1:Marshal.ReadInt32(native, offset)|};
                        value += {|#2:Unsafe.Add(ref buffer[0], offset)|};
                        if ((uint)offset < (uint)buffer.Length)
                        {
                            value += *(start + offset);
                        }

                        return value;
                    }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        const string origin = "BinaryReader.ReadInt32 (line 10)";
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithSpan(13, 27, 13, 41).WithArguments("offset", origin, "start + offset", "with no check against 'buffer.Length'"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithLocation(1).WithArguments("offset", origin, "Marshal.ReadInt32(native, offset)", "with no check that it stays inside the buffer"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithLocation(2).WithArguments("offset", origin, "Unsafe.Add(ref buffer[0], offset)", "with no check against 'buffer.Length'"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task UnsafeOffset_FixChecksAgainstThePinnedBuffer()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                unsafe byte Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = buffer)
                    {
                        var value = *(start + offset);
                        return value;
                    }
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class Parser
            {
                unsafe byte Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = buffer)
                    {
                        if ((uint)offset >= (uint)buffer.Length)
                        {
                            throw new InvalidDataException("Offset 'offset' is outside 'buffer'.");
                        }

                        var value = *(start + offset);
                        return value;
                    }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source, FixedCode = fixedSource };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithSpan(10, 27, 10, 41).WithArguments("offset", "BinaryReader.ReadInt32 (line 7)", "start + offset", "with no check against 'buffer.Length'"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task CopyLengthsFromContent_AreFlaggedUntilTheyFitBothArrays()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                void Read(BinaryReader reader, byte[] source, byte[] target)
                {
                    var length = reader.ReadInt32();
                    {|#0:Array.Copy(source, target, length)|};
                    {|#1:Buffer.BlockCopy(source, 0, target, 0, length)|};
                    {|#2:Array.ConstrainedCopy(source, 0, target, 0, length)|};

                    if ((uint)length > (uint)source.Length || (uint)length > (uint)target.Length) throw new InvalidDataException();
                    Array.Copy(source, target, length);
                    Buffer.BlockCopy(source, 0, target, 0, length);
                    Array.Copy(source, target, source.Length < target.Length ? source.Length : target.Length);
                }
            }
            """;

        const string origin = "BinaryReader.ReadInt32 (line 8)";
        DiagnosticResult Copy(int location, string call, string buffer) =>
            VerifyCS.Diagnostic("SBD2002").WithLocation(location).WithArguments("0, length", origin, call, buffer);

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Copy(0, "Array.Copy(source, target, length)", "source.Length"),
            Copy(0, "Array.Copy(source, target, length)", "target.Length"),
            Copy(1, "Buffer.BlockCopy(source, 0, target, 0, length)", "source.Length"),
            Copy(1, "Buffer.BlockCopy(source, 0, target, 0, length)", "target.Length"),
            Copy(2, "Array.ConstrainedCopy(source, 0, target, 0, length)", "source.Length"),
            Copy(2, "Array.ConstrainedCopy(source, 0, target, 0, length)", "target.Length"));
    }

    [Fact]
    public async Task SubstringAtAPrefixLength_AfterAnOrdinalStartsWith_IsQuiet_OtherGuardsAreFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Tags
            {
                string Suffix(TextReader reader, string tag, string other)
                {
                    var prefix = reader.ReadLine();
                    if (tag.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return tag.Substring(prefix.Length);
                    }

                    if (tag.Length > 1 && tag.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        return tag.Substring(prefix.Length);
                    }

                    if (tag.EndsWith(prefix, StringComparison.Ordinal))
                    {
                        return {|#0:tag.Substring(prefix.Length)|};
                    }

                    if (tag.StartsWith(prefix))
                    {
                        return {|#1:tag.Substring(prefix.Length)|};
                    }

                    if (other.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return {|#2:tag.Substring(prefix.Length)|};
                    }

                    if (other.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        tag = other + tag;
                        return {|#3:tag.Substring(prefix.Length)|};
                    }

                    return tag;
                }

                string Rest(TextReader reader, string tag)
                {
                    var prefix = reader.ReadLine();
                    if (!tag.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return tag;
                    }

                    return tag.Substring(prefix.Length);
                }
            }
            """;

        const string origin = "TextReader.ReadLine (line 8)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("prefix.Length", origin, "tag.Substring(prefix.Length)", "tag.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("prefix.Length", origin, "tag.Substring(prefix.Length)", "tag.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(2).WithArguments("prefix.Length", origin, "tag.Substring(prefix.Length)", "tag.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(3).WithArguments("prefix.Length", origin, "tag.Substring(prefix.Length)", "tag.Length"));
    }

    [Fact]
    public async Task SliceAtAPrefixLength_AfterASpansStartsWith_IsQuiet_AnEndsWithOrAnotherSpanIsFlagged()
    {
        // span.StartsWith(prefix) compares element by element: the span is at least as long as the prefix. EndsWith
        // proves the same length but the slice is from the start; a test of another span proves nothing of this one.
        const string source = """
            using System;
            using System.IO;

            class Channels
            {
                int Strip(BinaryReader reader, byte[] other)
                {
                    byte[] prefix = reader.ReadBytes(reader.ReadByte());
                    ReadOnlySpan<byte> span = reader.ReadBytes(64);
                    if (span.StartsWith(prefix))
                    {
                        span = span.Slice(prefix.Length);
                    }

                    ReadOnlySpan<byte> tail = reader.ReadBytes(64);
                    if (tail.EndsWith(prefix))
                    {
                        tail = {|#0:tail.Slice(prefix.Length)|};
                    }

                    ReadOnlySpan<byte> rest = reader.ReadBytes(64);
                    if (other.AsSpan().StartsWith(prefix))
                    {
                        rest = {|#1:rest.Slice(prefix.Length)|};
                    }

                    return span.Length + tail.Length + rest.Length;
                }
            }
            """;

        const string origin = "BinaryReader.ReadBytes (line 8)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("prefix.Length", origin, "tail.Slice(prefix.Length)", "tail.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("prefix.Length", origin, "rest.Slice(prefix.Length)", "rest.Length"));
    }
}
