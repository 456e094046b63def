using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// The length of an untrusted string, array or span, used on that same object, is not an untrusted index or loop
/// count; used on another buffer, or replaced by a count read from the content, it stays flagged.
/// </summary>
public class OwnLengthTests
{
    [Fact]
    public async Task LastElementBehindEmptyCheck_IsQuiet_OtherBufferIsFlagged()
    {
        const string source = """
            using System.IO;

            class Names
            {
                string TrimTerminator(BinaryReader reader)
                {
                    var name = reader.ReadString();
                    if (name.Length == 0 || name[name.Length - 1] != '\0') return name;
                    return name.Substring(0, name.Length - 1);
                }

                char LastOfArray(BinaryReader reader)
                {
                    var chars = reader.ReadChars(16);
                    return chars.Length > 0 ? chars[chars.Length - 1] : '\0';
                }

                char Other(BinaryReader reader, char[] table)
                {
                    var name = reader.ReadString();
                    return name.Length == 0 ? '\0' : {|#0:table[name.Length - 1]|};
                }

                char Declared(BinaryReader reader)
                {
                    var name = reader.ReadString();
                    var length = reader.ReadInt32();
                    return length <= 0 ? '\0' : {|#1:name[length - 1]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("name.Length - 1", "BinaryReader.ReadString (line 20)", "table[name.Length - 1]", "with a check against 'name.Length', not 'table.Length'"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(1).WithArguments("length - 1", "BinaryReader.ReadInt32 (line 27)", "name[length - 1]", "with no check against 'name.Length'"));
    }

    [Fact]
    public async Task LoopUpToOwnLength_IsQuiet_CountFromContentIsFlagged()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Fields
            {
                List<string> Split(TextReader reader)
                {
                    var fields = new List<string>();
                    var line = reader.ReadLine();
                    var parts = line.Split(',');
                    for (var i = 0; i < parts.Length; i++)
                    {
                        fields.Add(parts[i].Trim());
                    }

                    return fields;
                }

                List<string> Declared(BinaryReader reader)
                {
                    var fields = new List<string>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#0:i < count|}; i++)
                    {
                        fields.Add(string.Empty);
                    }

                    return fields;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 22)"));
    }

    [Fact]
    public async Task TrimmedDownFromOwnLength_IsQuiet_CountFromContentOrSteppedUpIsFlagged()
    {
        // Trailing terminators trimmed off a byte string, as header and property readers do: a copy of the array's
        // own length, stepped down (or rounded down to even with & ~1) behind a test that it is positive.
        const string source = """
            using System.IO;
            using System.Text;

            class Strings
            {
                string Latin(BinaryReader reader)
                {
                    var raw = reader.ReadBytes(64);
                    int length = raw.Length;
                    while (length > 0 && raw[length - 1] == 0)
                        length--;
                    return Encoding.Latin1.GetString(raw, 0, length);
                }

                string Unicode(BinaryReader reader)
                {
                    var bytes = reader.ReadBytes(64);
                    int length = bytes.Length;
                    length &= ~1;
                    while (length > 1 && bytes[length - 1] == 0 && bytes[length - 2] == 0)
                        length -= 2;
                    return length < 2 ? "" : Encoding.Unicode.GetString(bytes, 0, length);
                }

                string Declared(BinaryReader reader)
                {
                    var raw = reader.ReadBytes(64);
                    int length = reader.ReadInt32();
                    while (length > 0 && {|#0:raw[length - 1]|} == 0)
                        length--;
                    return "";
                }

                string Masked(BinaryReader reader)
                {
                    var raw = reader.ReadBytes(64);
                    int length = reader.ReadInt32() & ~1;
                    return length < 2 ? "" : {|#1:Encoding.Unicode.GetString(raw, 0, length)|};
                }

                byte SteppedUp(BinaryReader reader)
                {
                    var raw = reader.ReadBytes(64);
                    int length = raw.Length;
                    length++;
                    return length > 0 ? {|#2:raw[length - 1]|} : (byte)0;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("length - 1", "BinaryReader.ReadInt32 (line 28)", "raw[length - 1]", "with no check against 'raw.Length'"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("0, length", "BinaryReader.ReadInt32 (line 37)", "Encoding.Unicode.GetString(raw, 0, length)", "raw.Length"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(2).WithArguments("length - 1", "BinaryReader.ReadBytes (line 43)", "raw[length - 1]", "with no check against 'raw.Length'"));
    }

    [Fact]
    public async Task LastElementBehindEmptyCheck_AfterOneBranchReplacedIt_IsQuiet_TestThatCannotFailIsFlagged()
    {
        // A quoted line unquoted on one branch only: the length tested after the branches is the line's either way.
        const string source = """
            using System;
            using System.IO;

            class Lines
            {
                bool EndsWithSpace(TextReader reader)
                {
                    var line = reader.ReadLine().AsSpan();
                    if (line.Length > 0 && line[0] == '>')
                        line = line.Slice(1);
                    return !(line.Length == 0 || line[line.Length - 1] != ' ');
                }

                char Last(TextReader reader)
                {
                    var line = reader.ReadLine();
                    if (line.Length > 0)
                        line = line.Substring(1);
                    return line.Length == 0 ? ' ' : line[line.Length - 1];
                }

                char NeverNegative(TextReader reader)
                {
                    var line = reader.ReadLine();
                    if (line.Length > 0)
                        line = line.Substring(1);
                    return line.Length < 0 ? ' ' : {|#0:line[line.Length - 1]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("line.Length - 1", "TextReader.ReadLine (line 24)", "line[line.Length - 1]", "with no check that it is not negative"));
    }

    [Fact]
    public async Task LoopUpToCountOfAutoPropertyOfToken_IsQuiet_CountItselfIsFlagged()
    {
        // A tokenizer's tag exposes its attributes through an auto-property with a private setter: the loop up to
        // tag.Attributes.Count indexes the same collection; its count itself is one past the last attribute.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Attribute { public string Name = ""; public string Value = ""; }

            class Attributes
            {
                readonly List<Attribute> items;
                public Attributes(List<Attribute> list) { items = list; }
                public int Count { get { return items.Count; } }
                public Attribute this[int index] { get { return items[index]; } }
            }

            class Tag
            {
                public Tag(List<Attribute> list) { Attributes = new Attributes(list); }
                public Attributes Attributes { get; private set; }
            }

            class Tokenizer
            {
                readonly TextReader text;
                public Tokenizer(TextReader reader) { text = reader; }

                public bool Next(out Tag tag)
                {
                    var list = new List<Attribute>();
                    var line = text.ReadLine();
                    tag = new Tag(list);
                    if (line is null) return false;
                    foreach (var part in line.Split(' ')) list.Add(new Attribute { Name = part, Value = part });
                    return true;
                }
            }

            class Meta
            {
                string Charset(BinaryReader reader)
                {
                    var tokenizer = new Tokenizer(new StreamReader(new MemoryStream(reader.ReadBytes(256))));
                    while (tokenizer.Next(out var tag))
                    {
                        for (int i = 0; i < tag.Attributes.Count; i++)
                        {
                            if (tag.Attributes[i].Name == "charset") return tag.Attributes[i].Value;
                        }
                    }

                    return "";
                }

                string Last(BinaryReader reader)
                {
                    var tokenizer = new Tokenizer(new StreamReader(new MemoryStream(reader.ReadBytes(256))));
                    tokenizer.Next(out var tag);
                    var count = tag.Attributes.Count;
                    return count == 0 ? "" : {|#0:tag.Attributes[count]|}.Value;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("count", "BinaryReader.ReadBytes (line 54)", "tag.Attributes[count]", "with a check that lets it equal 'tag.Attributes.Count' (one short: use <, not <=)"));
    }

    [Fact]
    public async Task OffsetsReadIntoAnIndex_NextOffsetBelowLengthLessOne_IsQuiet_LoopToTheLengthIsFlagged()
    {
        const string source = """
            using System.IO;

            class FontIndex
            {
                int[] ReadOffsets(BinaryReader reader)
                {
                    var count = reader.ReadUInt16();
                    if (count == 0) return new int[0];
                    var offsets = new int[count + 1];
                    for (var i = 0; i < offsets.Length; i++) offsets[i] = reader.ReadInt32();
                    return offsets;
                }

                int Total(BinaryReader reader)
                {
                    var index = ReadOffsets(reader);
                    var count = index.Length - 1;
                    var total = 0;
                    for (var i = 0; i < count; i++) total += index[i + 1] - index[i];
                    return total;
                }

                int TotalToTheEnd(BinaryReader reader)
                {
                    var index = ReadOffsets(reader);
                    var count = index.Length;
                    var total = 0;
                    for (var i = 0; i < count; i++) total += {|#0:index[i + 1]|} - index[i];
                    return total;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("i + 1", "ReadOffsets (BinaryReader.ReadUInt16 (line 7))", "index[i + 1]", "with a check that lets it equal 'index.Length' (one short: use <, not <=)"));
    }

    [Fact]
    public async Task ReadIntoSpanBehindIsEmpty_LastOfTheShorterLength_IsQuiet_TheLongerIsFlagged()
    {
        const string source = """
            using System;

            class MemoryInput
            {
                private readonly ReadOnlyMemory<byte> memory;
                private int position = -1;

                public MemoryInput(ReadOnlyMemory<byte> memory) => this.memory = memory;

                public byte Last { get; private set; }

                public int Read(Span<byte> buffer)
                {
                    if (buffer.IsEmpty) return 0;
                    var viable = memory.Length - position - 1;
                    var count = viable < buffer.Length ? viable : buffer.Length;
                    if (count > 0)
                    {
                        position += count;
                        Last = buffer[count - 1];
                    }

                    return count;
                }

                public int ReadLonger(Span<byte> buffer)
                {
                    if (buffer.IsEmpty) return 0;
                    var viable = memory.Length - position - 1;
                    var count = viable < buffer.Length ? buffer.Length : viable;
                    if (count > 0)
                    {
                        position += count;
                        Last = {|#0:buffer[count - 1]|};
                    }

                    return count;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("count - 1", "field 'memory', the bytes MemoryInput reads", "buffer[count - 1]", "with no check against 'buffer.Length'"));
    }

    [Fact]
    public async Task InnerTextBetweenDelimiters_AfterALengthCheck_IsQuiet_TooShortOrPastTheRoomIsFlagged()
    {
        // An IMAP fetch reads a region "<123>" out of an atom: the text between its first and last characters fits once
        // the atom has more than two. A check that leaves room for a negative length, or an offset past what the length
        // leaves, stays flagged.
        const string source = """
            using System.IO;

            class FetchParser
            {
                string Region(TextReader reader)
                {
                    var expr = reader.ReadLine()!;
                    if (expr.Length > 2 && expr[0] == '<' && expr[expr.Length - 1] == '>')
                    {
                        return expr.Substring(1, expr.Length - 2);
                    }

                    return "";
                }

                string Token(TextReader reader)
                {
                    object value = reader.ReadLine()!;
                    var expr = (string)value;
                    return expr.Length >= 2 ? expr.Substring(1, expr.Length - 2) : expr;
                }

                string TooShort(TextReader reader)
                {
                    var expr = reader.ReadLine()!;
                    return expr.Length > 0 ? {|#0:expr.Substring(1, expr.Length - 2)|} : expr;
                }

                string PastTheRoom(TextReader reader)
                {
                    var expr = reader.ReadLine()!;
                    return expr.Length > 2 ? {|#1:expr.Substring(3, expr.Length - 2)|} : expr;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("1, expr.Length - 2", "TextReader.ReadLine (line 25)", "expr.Substring(1, expr.Length - 2)", "expr.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("3, expr.Length - 2", "TextReader.ReadLine (line 31)", "expr.Substring(3, expr.Length - 2)", "expr.Length"));
    }

    [Fact]
    public async Task LengthLessAConstantThatCanWrap_OrACountThatMayBeAnyInt_IsFlagged()
    {
        // A minimum of the text's length and a number from the content can be int.MinValue: less two, it wraps to a
        // large length. A BitArray's bits can be int.MaxValue: plus eight, they wrap too.
        const string source = """
            using System;
            using System.Collections;
            using System.Collections.Generic;
            using System.IO;

            class Wraps
            {
                string Inner(TextReader reader, string s)
                {
                    int n = Math.Min(int.Parse(reader.ReadLine()!), s.Length);
                    int m = n - 2;
                    if (m < 0)
                        return "";
                    return {|#0:s.Substring(1, m)|};
                }

                char Bits(BinaryReader reader, string s)
                {
                    var bits = new BitArray(reader.ReadInt32());
                    int index = bits.Length + 8;
                    return index < s.Length ? {|#1:s[index]|} : ' ';
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("1, m", "TextReader.ReadLine (line 10)", "s.Substring(1, m)", "s.Length"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(1).WithArguments("index", "BinaryReader.ReadInt32 (line 19)", "s[index]", "with no check that it is not negative"));
    }
}
