using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// The result of a search of the base library (IndexOf, LastIndexOf, IndexOfAny) is -1 or a position in the object
/// searched: once -1 is ruled out it indexes or cuts that same object. Unchecked, or used on another object, it is
/// flagged.
/// </summary>
public class SearchResultTests
{
    [Fact]
    public async Task CommentCutBehindFoundCheck_IsQuiet_UncheckedOrOtherStringIsFlagged()
    {
        const string source = """
            using System.IO;

            class Words
            {
                string WithoutComment(TextReader reader)
                {
                    var line = reader.ReadLine();
                    var comment = line.IndexOf('#');
                    if (comment != -1)
                        line = line.Substring(0, comment);
                    return line;
                }

                string KeyOf(TextReader reader)
                {
                    var line = reader.ReadLine();
                    var separator = line.IndexOf("=");
                    return separator >= 0 ? line.Substring(0, separator) : line;
                }

                string ValueOf(TextReader reader)
                {
                    var line = reader.ReadLine();
                    var separator = line.LastIndexOf(':');
                    if (separator < 0) return string.Empty;
                    return line.Substring(separator + 1);
                }

                string Unchecked(TextReader reader)
                {
                    var line = reader.ReadLine();
                    var comment = line.IndexOf('#');
                    return {|#0:line.Substring(0, comment)|};
                }

                string OtherString(TextReader reader, string header)
                {
                    var line = reader.ReadLine();
                    var comment = line.IndexOf('#');
                    return comment >= 0 ? {|#1:header.Substring(0, comment)|} : header;
                }

                string Reassigned(TextReader reader)
                {
                    var line = reader.ReadLine();
                    var comment = line.IndexOf('#');
                    line = reader.ReadLine();
                    return comment >= 0 ? {|#2:line.Substring(0, comment)|} : line;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, comment", "TextReader.ReadLine (line 31)", "line.Substring(0, comment)", "line.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("0, comment", "TextReader.ReadLine (line 38)", "header.Substring(0, comment)", "header.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(2).WithArguments("0, comment", "TextReader.ReadLine (line 45)", "line.Substring(0, comment)", "line.Length"));
    }

    [Fact]
    public async Task ElementFoundInSpanOrArray_IndexesIt_SequenceSearchOnlyCutsIt()
    {
        const string source = """
            using System;
            using System.IO;

            class Fields
            {
                char BeforeTerminator(TextReader reader)
                {
                    var text = reader.ReadLine();
                    var end = text.IndexOfAny(new[] { '\0', ';' });
                    return end > 0 ? text[end - 1] : ' ';
                }

                byte AtTerminator(BinaryReader reader)
                {
                    var data = reader.ReadBytes(64);
                    var end = Array.IndexOf(data, (byte)0);
                    return end >= 0 ? data[end] : (byte)0;
                }

                char InSpan(BinaryReader reader)
                {
                    var name = reader.ReadString().AsSpan();
                    var end = name.IndexOf('\0');
                    return end >= 0 ? name[end] : ' ';
                }

                byte Unchecked(BinaryReader reader)
                {
                    var data = reader.ReadBytes(64);
                    var end = Array.IndexOf(data, (byte)0);
                    return {|#2:data[end]|};
                }

                char AfterMarker(TextReader reader)
                {
                    var text = reader.ReadLine();
                    var marker = text.IndexOf("--");
                    return marker >= 0 ? {|#0:text[marker]|} : ' ';
                }

                char NotFound(TextReader reader)
                {
                    var text = reader.ReadLine();
                    var end = text.IndexOf(';');
                    return {|#1:text[end]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(2).WithArguments("end", "BinaryReader.ReadBytes (line 29)", "data[end]", "with no check that it is not negative"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("marker", "TextReader.ReadLine (line 36)", "text[marker]", "with a check that lets it equal 'text.Length' (one short: use <, not <=)"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(1).WithArguments("end", "TextReader.ReadLine (line 43)", "text[end]", "with no check that it is not negative"));
    }

    [Fact]
    public async Task BinarySearchFound_IndexesTheSearchedArray_ComplementOrUncheckedIsFlagged()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Offsets
            {
                uint Found(BinaryReader reader, uint[] offsets)
                {
                    var key = reader.ReadUInt32();
                    var i = Array.BinarySearch(offsets, key);
                    return i < 0 ? 0 : offsets[i];
                }

                uint FoundInList(BinaryReader reader, List<uint> offsets)
                {
                    var key = reader.ReadUInt32();
                    var i = offsets.BinarySearch(key);
                    if (i < 0) return 0;
                    return offsets[i];
                }

                uint InsertionPoint(BinaryReader reader, uint[] offsets)
                {
                    var key = reader.ReadUInt32();
                    var i = Array.BinarySearch(offsets, key);
                    if (i < 0) i = ~i;
                    return {|#0:offsets[i]|};
                }

                uint Unchecked(BinaryReader reader, uint[] offsets)
                {
                    var key = reader.ReadUInt32();
                    var i = Array.BinarySearch(offsets, key);
                    return {|#1:offsets[i]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("i", "BinaryReader.ReadUInt32 (line 24)", "offsets[i]", "with no check against 'offsets.Length'"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(1).WithArguments("i", "BinaryReader.ReadUInt32 (line 32)", "offsets[i]", "with no check that it is not negative"));
    }

    [Fact]
    public async Task HelperReturningASearchOfItsParameter_IndexesTheArgument_NotAnotherArray()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Function
            {
                public uint Address;
                public object Lines;
            }

            class ByAddress : IComparer<Function>
            {
                public int Compare(Function x, Function y) => x.Address.CompareTo(y.Address);
            }

            static class LineTable
            {
                static readonly ByAddress Order = new ByAddress();

                static int Find(Function[] functions, uint address) =>
                    Array.BinarySearch(functions, new Function { Address = address }, Order);

                static int FindIn(Function[] functions, Function[] names, uint address)
                {
                    return Array.BinarySearch(functions, new Function { Address = address }, Order);
                }

                public static Function Owner(BinaryReader reader, Function[] functions)
                {
                    var index = Find(functions, reader.ReadUInt32());
                    if (index < 0) return null;
                    var owner = functions[index];
                    while (index > 0)
                    {
                        var previous = functions[index - 1];
                        if (previous.Lines != null) break;
                        owner = previous;
                        index--;
                    }

                    return owner;
                }

                public static Function Unchecked(BinaryReader reader, Function[] functions)
                {
                    var index = Find(functions, reader.ReadUInt32());
                    return {|#0:functions[index]|};
                }

                public static Function OtherArray(BinaryReader reader, Function[] functions, Function[] names)
                {
                    var index = FindIn(functions, names, reader.ReadUInt32());
                    if (index < 0) return null;
                    return {|#1:names[index]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("index", "BinaryReader.ReadUInt32 (line 46)", "functions[index]", "with no check that it is not negative"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(1).WithArguments("index", "BinaryReader.ReadUInt32 (line 52)", "names[index]", "with a check against 'functions.Length', not 'names.Length'"));
    }

    [Fact]
    public async Task SameSearchCalledAgainBehindItsCheck_IsQuiet_AnotherSearchOrAChangedStringIsFlagged()
    {
        // Sound-font and tag readers cut a fixed-size name at its first NUL, calling the search twice instead of keeping
        // its result. A string does not change: the second call finds what the first one did, until the variable is
        // assigned. A search for another character, or of a string assigned in between, proves nothing.
        const string source = """
            using System.IO;
            using System.Text;

            class Names
            {
                string Name(BinaryReader reader)
                {
                    string s = Encoding.UTF8.GetString(reader.ReadBytes(20), 0, 20);
                    if (s.IndexOf('\0') >= 0)
                    {
                        s = s.Substring(0, s.IndexOf('\0'));
                    }

                    return s;
                }

                string OtherSearch(BinaryReader reader)
                {
                    string s = Encoding.UTF8.GetString(reader.ReadBytes(20), 0, 20);
                    if (s.IndexOf(' ') >= 0)
                    {
                        s = {|#0:s.Substring(0, s.IndexOf('\0'))|};
                    }

                    return s;
                }

                string Changed(BinaryReader reader)
                {
                    string s = Encoding.UTF8.GetString(reader.ReadBytes(20), 0, 20);
                    if (s.IndexOf('\0') >= 0)
                    {
                        s = reader.ReadString();
                        s = {|#1:s.Substring(0, s.IndexOf('\0'))|};
                    }

                    return s;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, s.IndexOf('\\0')", "BinaryReader.ReadBytes (line 19)", "s.Substring(0, s.IndexOf('\\0'))", "s.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("0, s.IndexOf('\\0')", "BinaryReader.ReadString (line 33)", "s.Substring(0, s.IndexOf('\\0'))", "s.Length"));
    }

    [Fact]
    public async Task NextTokenPastASeparatorOrTheEnd_BehindALengthCheck_IsQuiet_PastTheCheckIsFlagged()
    {
        // A coordinate list is split at spaces: the separator found, or the end of the text when there is none, plus
        // one is where the next token starts. A string's length is at most Array.MaxLength, so one past it does not
        // wrap, and below the length it fits. Three past the separator, checked only against the length, may not.
        const string source = """
            using System.IO;

            class CoordinateList
            {
                int Next(TextReader reader)
                {
                    var coordinates = reader.ReadLine()!;
                    int spaceIdx = coordinates.IndexOf(' ');
                    if (spaceIdx == -1)
                    {
                        spaceIdx = coordinates.Length;
                    }

                    int currentIdx = spaceIdx + 1;
                    if (currentIdx >= coordinates.Length)
                    {
                        return -1;
                    }

                    return coordinates.IndexOf(' ', currentIdx);
                }

                int Skip(TextReader reader)
                {
                    var coordinates = reader.ReadLine()!;
                    int spaceIdx = coordinates.IndexOf(' ');
                    if (spaceIdx == -1)
                    {
                        spaceIdx = coordinates.Length;
                    }

                    int currentIdx = spaceIdx + 1;
                    if (currentIdx >= coordinates.Length)
                    {
                        return -1;
                    }

                    return {|#0:coordinates.IndexOf(' ', currentIdx + 2)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("currentIdx + 2", "TextReader.ReadLine (line 25)", "coordinates.IndexOf(' ', currentIdx + 2)", "coordinates.Length"));
    }
}
