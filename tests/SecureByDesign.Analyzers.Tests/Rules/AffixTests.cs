using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// A line that was found to end (or start) with a constant has at least as many characters: cutting that many off is
/// quiet. An ordinal comparison or a <c>char</c> always proves it; the culture's comparison only without IgnoreCase and for
/// printable ASCII other than <c>-</c> and <c>'</c>. Cutting more than the constant's length, or after a comparison that
/// proves nothing, is flagged.
/// </summary>
public class AffixTests
{
    [Fact]
    public async Task CutAfterEndsWithOrStartsWith_QuietWhenTheTestProvesTheLength()
    {
        const string source = """
            using System;
            using System.IO;

            class Handlers
            {
                static string Call(TextReader reader)
                {
                    var name = reader.ReadLine();
                    if (name.EndsWith("()")) name = name.Substring(0, name.Length - 2);
                    return name;
                }

                static string Prefixed(TextReader reader)
                {
                    var line = reader.ReadLine();
                    if (!line.StartsWith("id:", StringComparison.Ordinal)) return null;
                    return line.Substring(0, line.Length - 3);
                }

                static string PrefixedPlain(TextReader reader)
                {
                    var line = reader.ReadLine();
                    if (line.StartsWith("id:", StringComparison.Ordinal)) return line.Substring(0, line.Length - 3);
                    return null;
                }

                static char Terminated(TextReader reader)
                {
                    var line = reader.ReadLine();
                    return line.EndsWith(';') ? line[line.Length - 1] : ' ';
                }

                static string IgnoringCase(TextReader reader)
                {
                    var name = reader.ReadLine();
                    if (name.EndsWith("()", StringComparison.CurrentCultureIgnoreCase)) name = {|#0:name.Substring(0, name.Length - 2)|};
                    return name;
                }

                static string Dashes(TextReader reader)
                {
                    var name = reader.ReadLine();
                    if (name.EndsWith("--")) name = {|#1:name.Substring(0, name.Length - 2)|};
                    return name;
                }

                static string CutTooMuch(TextReader reader)
                {
                    var name = reader.ReadLine();
                    if (name.EndsWith("()")) name = {|#2:name.Substring(0, name.Length - 3)|};
                    return name;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, name.Length - 2", "TextReader.ReadLine (line 35)", "name.Substring(0, name.Length - 2)", "name.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("0, name.Length - 2", "TextReader.ReadLine (line 42)", "name.Substring(0, name.Length - 2)", "name.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(2).WithArguments("0, name.Length - 3", "TextReader.ReadLine (line 49)", "name.Substring(0, name.Length - 3)", "name.Length"));
    }
}
