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
}
