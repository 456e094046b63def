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
}
