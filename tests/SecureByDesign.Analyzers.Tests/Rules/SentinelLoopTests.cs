using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD2007 and loops that end only at a sentinel byte or character read from the input (sub-blocks that end at a
/// zero length, zero-terminated strings, lines): at the end of the input the read gives -1 on every pass, so a loop that
/// never tests for it runs forever. Flagged beside the same loop that rejects -1.
/// </summary>
public class SentinelLoopTests
{
    [Fact]
    public async Task SubBlockLoop_WithoutEndOfInputCheck_IsFlagged_AndQuietWithIt()
    {
        const string source = """
            using System.IO;
            using System.Text;

            class BlockReader
            {
                readonly bool skip;

                BlockReader(bool skip) { this.skip = skip; }

                string Comments(Stream stream)
                {
                    var text = new StringBuilder();
                    int length;
                    while ({|#0:(length = stream.ReadByte()) != 0|})
                    {
                        if (length > 255) throw new InvalidDataException("block too long");
                        if (skip)
                        {
                            stream.Seek(length, SeekOrigin.Current);
                            continue;
                        }

                        var block = new byte[length];
                        stream.ReadExactly(block);
                        text.Append(Encoding.ASCII.GetString(block));
                    }

                    return text.ToString();
                }

                string CommentsChecked(Stream stream)
                {
                    var text = new StringBuilder();
                    int length;
                    while ((length = stream.ReadByte()) != 0)
                    {
                        if (length > 255) throw new InvalidDataException("block too long");
                        if (length == -1) throw new EndOfStreamException();
                        if (skip)
                        {
                            stream.Seek(length, SeekOrigin.Current);
                            continue;
                        }

                        var block = new byte[length];
                        stream.ReadExactly(block);
                        text.Append(Encoding.ASCII.GetString(block));
                    }

                    return text.ToString();
                }

                static string ZeroTerminated(Stream stream)
                {
                    var name = new StringBuilder();
                    int b;
                    while ({|#1:(b = stream.ReadByte()) != 0|}) name.Append((char)b);
                    return name.ToString();
                }

                static string ZeroTerminatedChecked(Stream stream)
                {
                    var name = new StringBuilder();
                    int b;
                    while ((b = stream.ReadByte()) != 0)
                    {
                        if (b < 0) throw new EndOfStreamException();
                        name.Append((char)b);
                    }

                    return name.ToString();
                }

                static string Line(TextReader reader)
                {
                    var line = new StringBuilder();
                    int c;
                    while ({|#2:(c = reader.Read()) != '\n'|}) line.Append((char)c);
                    return line.ToString();
                }

                static string LineChecked(TextReader reader)
                {
                    var line = new StringBuilder();
                    int c;
                    while ((c = reader.Read()) != '\n' && c != -1) line.Append((char)c);
                    while ((c = reader.Read()) != -1) line.Append((char)c);
                    return line.ToString();
                }

                static string BinaryName(BinaryReader reader)
                {
                    // BinaryReader.ReadByte throws at the end of the input.
                    var name = new StringBuilder();
                    byte b;
                    while ((b = reader.ReadByte()) != 0) name.Append((char)b);
                    return name.ToString();
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("length", "Stream.ReadByte (line 14), -1 at the end of the input where '(length = stream.ReadByte()) != 0' never ends the loop,"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("b", "Stream.ReadByte (line 57), -1 at the end of the input where '(b = stream.ReadByte()) != 0' never ends the loop,"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(2).WithArguments("c", "TextReader.Read (line 78), -1 at the end of the input where '(c = reader.Read()) != '\\n'' never ends the loop,"));
    }

    [Fact]
    public async Task ZeroTerminatedLoopThatCountsToTheStreamsEnd_IsQuiet_ACountSetBackOrABoundFromContentIsFlagged()
    {
        // PE readers measure a zero-terminated name by counting bytes up to the stream's length: at the end of the input
        // the reads give -1, but the count reaches the length and the loop returns. A count set back inside the loop,
        // or a bound read from the content, ends nothing.
        const string source = """
            using System.IO;

            static class Names
            {
                static int Measure(Stream stream, int start)
                {
                    var length = 0;
                    while (stream.ReadByte() != 0x00)
                    {
                        length++;
                        if (start + length >= stream.Length)
                        {
                            return 0;
                        }
                    }

                    return length;
                }

                static int SetBack(Stream stream, int start)
                {
                    var length = 0;
                    while ({|#0:stream.ReadByte() != 0x00|})
                    {
                        length++;
                        if (start + length >= stream.Length)
                        {
                            length = 0;
                            stream.Position = start;
                        }

                        if (length >= 64) return 0;
                        if (length == 1) length = 0;
                    }

                    return length;
                }

                static int ToContent(Stream stream, BinaryReader header)
                {
                    var most = header.ReadInt32();
                    var length = 0;
                    while ({|#1:stream.ReadByte() != 0x00|})
                    {
                        length++;
                        if (length >= most) break;
                    }

                    return length;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("stream.ReadByte()", "Stream.ReadByte (line 23), -1 at the end of the input where 'stream.ReadByte() != 0x00' never ends the loop,"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("stream.ReadByte()", "Stream.ReadByte (line 43), -1 at the end of the input where 'stream.ReadByte() != 0x00' never ends the loop,"));
    }
}
