using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.FieldCountAnalyzer,
    SecureByDesign.Analyzers.FieldCountFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class FieldCountTests
{
    private static DiagnosticResult Field(int location, int index, string record, string origin, string why) =>
        VerifyCS.Diagnostic("SBD1003").WithLocation(location).WithArguments(index, record, origin, why);

    private static string NoCheck(string count, int needed) => $"with no check that '{count}' is at least {needed}";

    [Fact]
    public async Task SplitRecord_ReadWithoutCountCheck_IsFlagged()
    {
        const string source = """
            using System.IO;

            class ChannelFile
            {
                string Read(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    var name = fields[0];
                    return name + {|#0:fields[20]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Field(0, 20, "fields", "StreamReader.ReadLine (line 7)", NoCheck("fields.Length", 21)));
    }

    [Fact]
    public async Task RecordsFromRegexSplitReadFieldsDeserializersAndElements_AreFlagged()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Text.Json;
            using System.Text.RegularExpressions;

            class Records
            {
                static readonly Regex Separator = new Regex(";", RegexOptions.None, System.TimeSpan.FromSeconds(1));

                string FromRegex(TextReader reader) => {|#0:Separator.Split(reader.ReadLine()!)[1]|};

                int FromJson(string path) => {|#1:JsonSerializer.Deserialize<int[]>(File.OpenRead(path))![2]|};

                string FromList(TextReader reader)
                {
                    var list = reader.ReadLine()!.Split('|').ToList();
                    return {|#2:list[3]|};
                }

                string FromElement(string[][] rows, TextReader reader)
                {
                    var lines = File.ReadAllLines(reader.ReadLine()!);
                    var record = {|#5:lines[0]|}.Split(',');
                    return {|#3:record[4]|};
                }

                string FromFieldParser(string path)
                {
                    using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(path);
                    var fields = parser.ReadFields()!;
                    return fields.Length > 1 ? fields[1] : {|#6:fields[2]|};
                }

                string RemovedEmpties(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',', System.StringSplitOptions.RemoveEmptyEntries);
                    return {|#4:fields[0]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 1, "Separator.Split(reader.ReadLine()!)", "TextReader.ReadLine (line 11)", NoCheck("Separator.Split(reader.ReadLine()!).Length", 2)),
            Field(1, 2, "JsonSerializer.Deserialize<int[]>(File.OpenRead(path))", "JsonSerializer.Deserialize (line 13)", NoCheck("JsonSerializer.Deserialize<int[]>(File.OpenRead(path)).Length", 3)),
            Field(2, 3, "list", "TextReader.ReadLine (line 17)", NoCheck("list.Count", 4)),
            Field(5, 0, "lines", "File.ReadAllLines (line 23)", NoCheck("lines.Length", 1)),
            Field(3, 4, "record", "File.ReadAllLines (line 23)", NoCheck("record.Length", 5)),
            Field(6, 2, "fields", "TextFieldParser.ReadFields (line 31)", NoCheck("fields.Length", 3)),
            Field(4, 0, "fields", "TextReader.ReadLine (line 37)", NoCheck("fields.Length", 1)));
    }

    [Fact]
    public async Task EveryFormOfCountCheck_IsQuiet()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Checks
            {
                string Greater(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length > 20) return f[20]; return ""; }
                string Equal(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length == 21) return f[20]; return ""; }
                string AtLeast(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length >= 20 + 1) return f[20]; return ""; }
                string NotEqualExit(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length != 21) throw new InvalidDataException(); return f[20]; }
                string ConstantLeft(TextReader r) { var f = r.ReadLine()!.Split(','); if (21 > f.Length) return ""; return f[20]; }
                string LessExit(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length < 21) return ""; return f[20]; }
                string LessOrEqualExit(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length <= 20) return ""; return f[20]; }
                string IsConstant(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length is 21) return f[20]; return ""; }
                string IsRelational(TextReader r) { var f = r.ReadLine()!.Split(','); if (f.Length is >= 21) return f[20]; return ""; }
                string PropertyPattern(TextReader r) { var f = r.ReadLine()!.Split(','); if (f is { Length: >= 21 }) return f[20]; return ""; }
                string SwitchArmVariable(TextReader r) => r.ReadLine()!.Split(',') switch { { Length: >= 5 } g => g[4], var h => h[0] };
                string IsVariable(TextReader r) => r.ReadLine()!.Split(',') is { Length: 3 } g ? g[2] : "";
                string ListPattern(TextReader r) { var f = r.ReadLine()!.Split(','); return f is [var a, var b, var c] ? a + b + c + f[2] : ""; }
                string SlicePattern(TextReader r) { var f = r.ReadLine()!.Split(','); return f is [_, _, ..] ? f[1] : ""; }
                string ListCount(TextReader r) { var l = new List<string>(r.ReadLine()!.Split(',')); if (l.Count < 3) return ""; return l[2]; }
                string Loop(TextReader r) { var f = r.ReadLine()!.Split(','); while (f.Length > 3) { return f[3]; } return ""; }
                string FirstOfSplit(TextReader r) => r.ReadLine()!.Split(',')[0];
                string FirstOfRegexSplit(TextReader r) => System.Text.RegularExpressions.Regex.Split(r.ReadLine()!, ";", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1))[0];
                byte FixedBuffer(Stream s) { var header = new byte[16]; s.ReadExactly(header); return header[15]; }
                byte StackBuffer(Stream s) { Span<byte> header = stackalloc byte[8]; s.ReadExactly(header); return header[7]; }
                byte Slice(Stream s, byte[] data) { s.ReadExactly(data); var head = data.AsSpan(0, 4); return head[3]; }
                string Trusted(string line) { var f = line.Split(','); return f[20]; }
                string Written(TextReader r) { var f = r.ReadLine()!.Split(','); f[5] = "x"; return f[0]; }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task CheckOneShort_IsFlagged_AndNamesBothNumbers()
    {
        const string source = """
            using System.IO;

            class ChannelFile
            {
                string Read(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length < 20) throw new InvalidDataException();
                    return {|#0:fields[20]|};
                }

                string Pattern(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    return fields is [_, _, ..] ? {|#1:fields[5]|} : "";
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 20, "fields", "TextReader.ReadLine (line 7)", "after a check that proves only 20 fields (one short); field 20 needs 'fields.Length' to be at least 21"),
            Field(1, 5, "fields", "TextReader.ReadLine (line 14)", "after a check that proves only 2 fields; field 5 needs 'fields.Length' to be at least 6"));
    }

    [Fact]
    public async Task CheckOfAnotherRecord_DebugAssert_AndNonDominatingCheck_AreFlagged()
    {
        const string source = """
            using System.Diagnostics;
            using System.IO;

            class ChannelFile
            {
                string WrongRecord(TextReader reader)
                {
                    var header = reader.ReadLine()!.Split(',');
                    var fields = reader.ReadLine()!.Split(',');
                    if (header.Length != 21) throw new InvalidDataException();
                    return {|#0:fields[20]|};
                }

                string Assert(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    Debug.Assert(fields.Length == 21);
                    return {|#1:fields[20]|};
                }

                string OneBranch(TextReader reader, bool strict)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (strict && fields.Length != 21) throw new InvalidDataException();
                    return {|#2:fields[20]|};
                }

                string Reassigned(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 21) throw new InvalidDataException();
                    fields = reader.ReadLine()!.Split(',');
                    return {|#3:fields[20]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 20, "fields", "TextReader.ReadLine (line 9)", NoCheck("fields.Length", 21)),
            Field(1, 20, "fields", "TextReader.ReadLine (line 16)", NoCheck("fields.Length", 21)),
            Field(2, 20, "fields", "TextReader.ReadLine (line 23)", NoCheck("fields.Length", 21)),
            Field(3, 20, "fields", "TextReader.ReadLine (line 32)", NoCheck("fields.Length", 21)));
    }

    [Fact]
    public async Task RecordsInLoopsTryFinallySwitchLambdasAndAsync()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Threading.Tasks;

            class ChannelFile
            {
                void Loop(TextReader reader)
                {
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        var fields = line.Split(',');
                        if (fields.Length < 3) continue;
                        Console.WriteLine(fields[2] + {|#0:fields[3]|});
                    }
                }

                string TryFinally(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    try { return {|#1:fields[1]|}; }
                    finally { reader.Dispose(); }
                }

                string Switch(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    return fields.Length switch
                    {
                        3 => fields[2],
                        _ => {|#2:fields[1]|},
                    };
                }

                Func<string> Lambda(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    return () => {|#3:fields[4]|};
                }

                async Task<string> ReadAsync(StreamReader reader)
                {
                    var fields = (await reader.ReadLineAsync())!.Split(',');
                    if (fields.Length != 2) throw new InvalidDataException();
                    return fields[1];
                }

                async Task<string> ReadUncheckedAsync(StreamReader reader)
                {
                    var fields = (await reader.ReadLineAsync())!.Split(',');
                    return {|#4:fields[1]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 3, "fields", "TextReader.ReadLine (line 10)", "after a check that proves only 3 fields (one short); field 3 needs 'fields.Length' to be at least 4"),
            Field(1, 1, "fields", "TextReader.ReadLine (line 20)", NoCheck("fields.Length", 2)),
            Field(2, 1, "fields", "TextReader.ReadLine (line 27)", NoCheck("fields.Length", 2)),
            Field(3, 4, "fields", "TextReader.ReadLine (line 37)", NoCheck("fields.Length", 5)),
            Field(4, 1, "fields", "StreamReader.ReadLineAsync (line 50)", NoCheck("fields.Length", 2)));
    }

    [Fact]
    public async Task RecordPassedToPrivateHelper_IsFollowed()
    {
        const string source = """
            using System.IO;

            class ChannelFile
            {
                string Read(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    return Parse({|#0:fields|});
                }

                string ReadChecked(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 21) throw new InvalidDataException();
                    return Parse(fields);
                }

                string ReadThroughTwo(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length < 20) throw new InvalidDataException();
                    return Outer({|#1:fields|});
                }

                private static string Outer(string[] record) => Parse(record);

                private static string Parse(string[] record)
                {
                    var name = record[0];
                    return name + record[20];
                }

                private static string SelfChecking(string[] record) => record.Length > 5 ? record[5] : "";

                string ReadSelfChecking(TextReader reader) => SelfChecking(reader.ReadLine()!.Split(','));

                public static string Public(string[] record) => record[20];

                string ReadPublic(TextReader reader) => Public(reader.ReadLine()!.Split(','));
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 20, "fields", "TextReader.ReadLine (line 7)", "in 'Parse' (line 30) with no check that 'fields.Length' is at least 21"),
            Field(1, 20, "fields", "TextReader.ReadLine (line 20)", "in 'Outer' (line 25) after a check that proves only 20 fields (one short); field 20 needs 'fields.Length' to be at least 21"));
    }

    [Fact]
    public async Task Fix_InsertsOneExactCountCheckBeforeTheFirstRead()
    {
        const string source = """
            using System.IO;

            class ChannelFile
            {
                string Read(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    var name = {|#0:fields[1]|};
                    return name + {|#1:fields[20]|};
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class ChannelFile
            {
                string Read(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 21)
                    {
                        throw new InvalidDataException($"Expected 21 fields but found {fields.Length}.");
                    }

                    var name = fields[1];
                    return name + fields[20];
                }
            }
            """;

        DiagnosticResult[] expected =
        [
            Field(0, 1, "fields", "TextReader.ReadLine (line 7)", NoCheck("fields.Length", 2)),
            Field(1, 20, "fields", "TextReader.ReadLine (line 7)", NoCheck("fields.Length", 21)),
        ];
        await VerifyCS.VerifyCodeFixAsync(source, expected, fixedSource);
        await VerifyCS.VerifyFixAllAsync(source, expected, fixedSource);
    }

    [Fact]
    public async Task FixAll_ChecksEachRecordOnce_AndListsByCount()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;

            class ChannelFile
            {
                string Read(TextReader reader)
                {
                    var header = reader.ReadLine()!.Split(';').ToList();
                    var fields = reader.ReadLine()!.Split(',');
                    return {|#0:header[2]|} + {|#1:fields[3]|} + {|#2:fields[1]|};
                }

                string Helper(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    return Parse({|#3:fields|});
                }

                private static string Parse(string[] record) => record[4];
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;

            class ChannelFile
            {
                string Read(TextReader reader)
                {
                    var header = reader.ReadLine()!.Split(';').ToList();
                    var fields = reader.ReadLine()!.Split(',');
                    if (header.Count != 3)
                    {
                        throw new InvalidDataException($"Expected 3 fields but found {header.Count}.");
                    }

                    if (fields.Length != 4)
                    {
                        throw new InvalidDataException($"Expected 4 fields but found {fields.Length}.");
                    }

                    return header[2] + fields[3] + fields[1];
                }

                string Helper(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 5)
                    {
                        throw new InvalidDataException($"Expected 5 fields but found {fields.Length}.");
                    }

                    return Parse(fields);
                }

                private static string Parse(string[] record) => record[4];
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Field(0, 2, "header", "TextReader.ReadLine (line 9)", NoCheck("header.Count", 3)),
                Field(1, 3, "fields", "TextReader.ReadLine (line 10)", NoCheck("fields.Length", 4)),
                Field(2, 1, "fields", "TextReader.ReadLine (line 10)", NoCheck("fields.Length", 2)),
                Field(3, 4, "fields", "TextReader.ReadLine (line 16)", "in 'Parse' (line 20) with no check that 'fields.Length' is at least 5"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task Fix_CountsNamedConstantIndexes_AndKeepsRecordsOfTheSameNameApart()
    {
        const string source = """
            using System.IO;

            class ChannelFile
            {
                const int Pattern = 20;

                string Read(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    var name = {|#0:fields[3]|};
                    return name + {|#1:fields[Pattern]|};
                }

                int Two(string a, string b)
                {
                    var total = 0;
                    foreach (var line in File.ReadLines(a)) { var p = line.Split(','); total += {|#2:p[1]|}.Length; }
                    foreach (var line in File.ReadLines(b)) { var p = line.Split(';'); total += {|#3:p[3]|}.Length; }
                    return total;
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class ChannelFile
            {
                const int Pattern = 20;

                string Read(TextReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 21)
                    {
                        throw new InvalidDataException($"Expected 21 fields but found {fields.Length}.");
                    }

                    var name = fields[3];
                    return name + fields[Pattern];
                }

                int Two(string a, string b)
                {
                    var total = 0;
                    foreach (var line in File.ReadLines(a)) { var p = line.Split(','); if (p.Length != 2) { throw new InvalidDataException($"Expected 2 fields but found {p.Length}."); } total += p[1].Length; }
                    foreach (var line in File.ReadLines(b)) { var p = line.Split(';'); if (p.Length != 4) { throw new InvalidDataException($"Expected 4 fields but found {p.Length}."); } total += p[3].Length; }
                    return total;
                }
            }
            """;

        DiagnosticResult[] expected =
        [
            Field(0, 3, "fields", "TextReader.ReadLine (line 9)", NoCheck("fields.Length", 4)),
            Field(1, 20, "fields", "TextReader.ReadLine (line 9)", NoCheck("fields.Length", 21)),
            Field(2, 1, "p", "File.ReadLines (line 17)", NoCheck("p.Length", 2)),
            Field(3, 3, "p", "File.ReadLines (line 18)", NoCheck("p.Length", 4)),
        ];
        await VerifyCS.VerifyFixAllAsync(source, expected, fixedSource);
    }

    [Fact]
    public async Task HugeIndex_NamesTheCountWithoutOverflow_AndHelperNamesTheLineOfItsHighestRead()
    {
        const string source = """
            using System.IO;

            class ChannelFile
            {
                string Huge(TextReader reader) => {|#0:reader.ReadLine()!.Split(',')[int.MaxValue]|};

                string Read(TextReader reader) => Parse({|#1:reader.ReadLine()!.Split(',')|});

                private static string Parse(string[] p)
                {
                    var a = p[1];
                    return a + p[9];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, int.MaxValue, "reader.ReadLine()!.Split(',')", "TextReader.ReadLine (line 5)", NoCheck("reader.ReadLine()!.Split(',').Length", 0).Replace(" 0", " 2147483648")),
            Field(1, 9, "reader.ReadLine()!.Split(',')", "TextReader.ReadLine (line 7)", "in 'Parse' (line 12) with no check that 'reader.ReadLine()!.Split(',').Length' is at least 10"));
    }

    [Fact]
    public async Task CharactersOfAField_NeedTheFieldLength()
    {
        const string source = """
            using System.IO;

            class ProductCodes
            {
                string Unchecked(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 4) throw new InvalidDataException("fields");
                    var code = fields[3];
                    return {|#0:code.Substring(2, 3)|};
                }

                char Direct(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(';');
                    if (fields.Length < 2) throw new InvalidDataException("fields");
                    return {|#1:fields[1][0]|};
                }

                char OneShort(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 4) throw new InvalidDataException("fields");
                    var flags = fields[2];
                    if (flags.Length < 5) throw new InvalidDataException("flags");
                    return {|#2:flags[5]|};
                }

                string OtherField(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 4) throw new InvalidDataException("fields");
                    var region = fields[1];
                    var code = fields[3];
                    if (region.Length < 5) throw new InvalidDataException("region");
                    return {|#3:code.Substring(2, 3)|};
                }

                char EmptyCheckedOnOtherField(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 3) throw new InvalidDataException("fields");
                    var name = fields[1];
                    var flag = fields[2];
                    if (string.IsNullOrEmpty(name)) return 'N';
                    return {|#5:flag[0]|};
                }

                string SubstringOneShort(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 4) throw new InvalidDataException("fields");
                    var code = fields[3];
                    if (code.Length < 4) throw new InvalidDataException("code");
                    return {|#4:code.Substring(2, 3)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 3, "fields", "StreamReader.ReadLine (line 7)", "at 'code.Substring(2, 3)' with no check that 'code.Length' is at least 5"),
            Field(1, 1, "fields", "StreamReader.ReadLine (line 15)", "at 'fields[1][0]' with no check that 'fields[1].Length' is at least 1"),
            Field(2, 2, "fields", "StreamReader.ReadLine (line 22)", "at 'flags[5]' after a check that proves only 5 characters (one short); it needs 'flags.Length' to be at least 6"),
            Field(3, 3, "fields", "StreamReader.ReadLine (line 31)", "at 'code.Substring(2, 3)' with no check that 'code.Length' is at least 5"),
            Field(5, 2, "fields", "StreamReader.ReadLine (line 41)", "at 'flag[0]' with no check that 'flag.Length' is at least 1"),
            Field(4, 3, "fields", "StreamReader.ReadLine (line 51)", "at 'code.Substring(2, 3)' after a check that proves only 4 characters (one short); it needs 'code.Length' to be at least 5"));
    }

    [Fact]
    public async Task CharactersOfAField_CheckedEnough_AreQuiet()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class ProductCodes
            {
                string Substring(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 4) throw new InvalidDataException("fields");
                    var code = fields[3];
                    if (code.Length >= 5)
                    {
                        return code.Substring(2, 3);
                    }

                    return "";
                }

                char Index(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 4) throw new InvalidDataException("fields");
                    var flags = fields[2];
                    if (flags.Length <= 5) throw new InvalidDataException("flags");
                    return flags[5];
                }

                string Exact(IEnumerable<string> lines)
                {
                    var result = "";
                    foreach (var line in File.ReadLines("codes.csv"))
                    {
                        var fields = line.Split('|');
                        if (fields.Length != 2) continue;
                        var date = fields[0];
                        if (date.Length != 8) continue;
                        result += date.Substring(0, 4) + "-" + date.Substring(4, 2) + "-" + date.Substring(6);
                    }

                    return result;
                }

                string Pattern(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields is [_, { Length: >= 3 } kind, ..])
                    {
                        return kind.Substring(0, 3);
                    }

                    return "";
                }

                char NonEmpty(StreamReader reader)
                {
                    var fields = reader.ReadLine()!.Split(',');
                    if (fields.Length != 3) throw new InvalidDataException("fields");
                    var flag = fields[2];
                    if (string.IsNullOrEmpty(flag)) return 'N';
                    return flag[0];
                }

                string Trusted(string configured)
                {
                    var parts = configured.Split('=');
                    return parts[0].Substring(0, 2);
                }

                char NotAField(StreamReader reader)
                {
                    var line = reader.ReadLine()!;
                    return line.Length > 0 ? line[0] : ' ';
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ForEachOverSelectOfSplit_ReadAtZeroAndBehindLengthCheck_IsQuiet()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;

            class CookieJar
            {
                Dictionary<string, string> Parse(TextReader reader)
                {
                    var jar = new Dictionary<string, string>();
                    var values = reader.ReadLine()!.Split(';');
                    foreach (var parts in values.Select(c => c.Split(new[] { '=' }, 2)))
                    {
                        var name = parts[0].Trim();
                        string value;
                        if (parts.Length == 1)
                        {
                            value = string.Empty;
                        }
                        else
                        {
                            value = parts[1];
                        }

                        jar[name] = value;
                    }

                    return jar;
                }

                IEnumerable<string> Names(TextReader reader)
                {
                    foreach (var pair in reader.ReadLine()!.Split('&').Where(p => p.Length > 0).Select(p => p.Split('=')))
                    {
                        yield return pair[0];
                    }
                }

                IEnumerable<string> Blocks(TextReader reader)
                {
                    foreach (var parts in reader.ReadLine()!.Split(';').Select(c => { return c.Trim().Split(':'); }))
                    {
                        yield return parts[0];
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ForEachOverSelect_EmptiesRemovedOrNoSplit_IsFlagged()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;

            class CookieJar
            {
                IEnumerable<string> RemovedEmpties(TextReader reader)
                {
                    var values = reader.ReadLine()!.Split(';');
                    foreach (var parts in values.Select(c => c.Split(new[] { '=' }, StringSplitOptions.RemoveEmptyEntries)))
                    {
                        yield return {|#0:parts[0]|};
                    }
                }

                IEnumerable<byte> Decoded(TextReader reader)
                {
                    var values = reader.ReadLine()!.Split(';');
                    foreach (var bytes in values.Select(c => Convert.FromBase64String(c)))
                    {
                        yield return {|#1:bytes[0]|};
                    }
                }

                IEnumerable<byte> MethodGroup(TextReader reader)
                {
                    foreach (var bytes in reader.ReadLine()!.Split(';').Select(Convert.FromBase64String))
                    {
                        yield return {|#3:bytes[0]|};
                    }
                }

                IEnumerable<string> SecondWithoutCheck(TextReader reader)
                {
                    var values = reader.ReadLine()!.Split(';');
                    foreach (var parts in values.Select(c => c.Split('=')))
                    {
                        yield return {|#2:parts[1]|};
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 0, "parts", "TextReader.ReadLine (line 10)", NoCheck("parts.Length", 1)),
            Field(1, 0, "bytes", "TextReader.ReadLine (line 19)", NoCheck("bytes.Length", 1)),
            Field(3, 0, "bytes", "TextReader.ReadLine (line 28)", NoCheck("bytes.Length", 1)),
            Field(2, 1, "parts", "TextReader.ReadLine (line 36)", NoCheck("parts.Length", 2)));
    }

    [Fact]
    public async Task ForEachOverWhereOfLength_ReadWithinProvenCount_IsQuiet()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;

            class QueryString
            {
                void Parse(TextReader reader, IDictionary<string, string> into)
                {
                    var pairs = reader.ReadLine()!.Split('&');
                    foreach (var part in pairs.Select(p => p.Split('=')).Where(p => p.Length == 2))
                    {
                        into[part[0]] = part[1];
                    }
                }

                void AtLeast(TextReader reader, IDictionary<string, string> into)
                {
                    var rows = File.ReadAllLines(reader.ReadLine()!).Select(l => l.Split(','));
                    foreach (var row in rows.Where(r => r.Length >= 3).Where(r => r[0] != "#"))
                    {
                        into[row[1]] = row[2];
                    }
                }

                void Kept(TextReader reader, IDictionary<string, string> into)
                {
                    var fields = reader.ReadLine()!.Split(';').Select(l => l.Split(','));
                    foreach (var row in fields.Where(r => r.Length > 1).Select(r => r))
                    {
                        into[row[0]] = row[1];
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ForEachOverWhereOfLength_ReadPastProvenCount_IsFlagged()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;

            class QueryString
            {
                void Parse(TextReader reader, IDictionary<string, string> into)
                {
                    var pairs = reader.ReadLine()!.Split('&');
                    foreach (var part in pairs.Select(p => p.Split('=')).Where(p => p.Length == 1))
                    {
                        into[part[0]] = {|#0:part[1]|};
                    }
                }

                void OtherRecord(TextReader reader, IDictionary<string, string> into, string[] defaults)
                {
                    var pairs = reader.ReadLine()!.Split('&');
                    foreach (var part in pairs.Select(p => p.Split('=')).Where(p => defaults.Length == 2))
                    {
                        into[part[0]] = {|#1:part[1]|};
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 1, "part", "TextReader.ReadLine (line 10)", "after a check that proves only 1 field (one short); field 1 needs 'part.Length' to be at least 2"),
            Field(1, 1, "part", "TextReader.ReadLine (line 19)", NoCheck("part.Length", 2)));
    }

    [Fact]
    public async Task HeaderReadLoop_GuardedByBytesRead_IsQuiet_OneShortIsFlagged()
    {
        // A byte-order mark sniffed from the first bytes of a stream into a buffer the content sized: the bytes read so
        // far are at most the buffer's length, so end >= 4 proves four elements; a buffer of at least 1024 elements has
        // field 3 whatever was read.
        const string source = """
            using System;
            using System.IO;

            class Sniffer
            {
                int Mark(Stream stream, BinaryReader reader)
                {
                    var input = new byte[reader.ReadInt32()];
                    int end = 0;
                    do
                    {
                        int read = stream.Read(input, end, input.Length - end);
                        if (read == 0)
                            break;
                        end += read;
                    }
                    while (end < 4);

                    int first = end >= 2 ? input[0] << 8 | input[1] : 0;
                    int next = end >= 4 ? input[2] << 8 | input[3] : 0;
                    return first + next;
                }

                int Sized(Stream stream, BinaryReader reader)
                {
                    var input = new byte[Math.Max(1024, reader.ReadInt32())];
                    stream.ReadExactly(input, 0, 4);
                    return input[3];
                }

                int OneShort(Stream stream, BinaryReader reader)
                {
                    var input = new byte[reader.ReadInt32()];
                    int end = 0;
                    do
                    {
                        int read = stream.Read(input, end, input.Length - end);
                        if (read == 0)
                            break;
                        end += read;
                    }
                    while (end < 4);

                    return end >= 3 ? {|#0:input[3]|} : 0;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 3, "input", "Stream.Read (line 37)", "after a check that proves only 3 fields (one short); field 3 needs 'input.Length' to be at least 4"));
    }

    [Fact]
    public async Task HeaderReadLoopIntoFields_GuardedByBytesRead_IsQuiet_OneShortIsFlagged()
    {
        // The same sniffing loop in a tokenizer that keeps its buffer and the bytes read so far in fields: the field
        // may hold anything when the method starts, but a read that returns had its offset between 0 and the buffer's
        // length, so from then on the bytes read stay at most the length, and end >= 4 proves four elements.
        const string source = """
            using System.IO;

            class Tokenizer
            {
                private readonly Stream stream;
                private readonly byte[] input;
                private int inputEnd;

                public Tokenizer(Stream stream, int size)
                {
                    this.stream = stream;
                    input = new byte[size];
                }

                public int Mark()
                {
                    do
                    {
                        int nread = stream.Read(input, inputEnd, input.Length - inputEnd);
                        if (nread == 0)
                            break;
                        inputEnd += nread;
                    }
                    while (inputEnd < 4);

                    int first = inputEnd >= 2 ? input[0] << 8 | input[1] : 0;
                    int next = inputEnd >= 4 ? input[2] << 8 | input[3] : 0;
                    return first + next;
                }

                public int OneShort()
                {
                    do
                    {
                        int nread = stream.Read(input, inputEnd, input.Length - inputEnd);
                        if (nread == 0)
                            break;
                        inputEnd += nread;
                    }
                    while (inputEnd < 4);

                    return inputEnd >= 3 ? {|#0:input[3]|} : 0;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 3, "input", "Stream.Read (line 35)", "after a check that proves only 3 fields (one short); field 3 needs 'input.Length' to be at least 4"));
    }

    [Fact]
    public async Task ConstantSizeBufferFieldMadeInTheConstructor_ReadAtAConstant_IsQuiet_ASizeTheCallerGivesIsFlagged()
    {
        // A text reader over another source peeks one character through a one-element buffer it makes in its constructor:
        // the buffer's length is the program's constant, whatever its own read fills it with. A buffer of the size the
        // constructor is given may be empty.
        const string source = """
            using System.IO;

            class PeekReader : TextReader
            {
                private readonly TextReader inner;
                private readonly char[] one;
                private readonly char[] sized;

                public PeekReader(TextReader inner, int size)
                {
                    this.inner = inner;
                    this.one = new char[1];
                    sized = new char[size];
                }

                public override int Read(char[] buffer, int index, int count) => inner.Read(buffer, index, count);

                public override int Read()
                {
                    var l = Read(one!, 0, 1);
                    return l == 0 ? -1 : one![0];
                }

                public override int Peek()
                {
                    var l = Read(sized!, 0, 1);
                    return l == 0 ? -1 : {|#0:sized![0]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Field(0, 0, "sized", "PeekReader.Read (line 26)", NoCheck("sized.Length", 1)));
    }

    [Fact]
    public async Task FieldReadAgain_IsReportedOnce_UntilTheRecordIsReadAnew()
    {
        const string source = """
            using System.IO;

            class Glyphs
            {
                int Point(BinaryReader reader, bool wide)
                {
                    var packed = reader.ReadBytes(4);
                    var x = {|#0:packed[0]|};
                    var y = wide ? packed[0] << 8 | {|#1:packed[1]|} : packed[0];
                    packed = reader.ReadBytes(4);
                    return x + y + {|#2:packed[0]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 0, "packed", "BinaryReader.ReadBytes (line 7)", "with no check that 'packed.Length' is at least 1"),
            Field(1, 1, "packed", "BinaryReader.ReadBytes (line 7)", "with no check that 'packed.Length' is at least 2"),
            Field(2, 0, "packed", "BinaryReader.ReadBytes (line 10)", "with no check that 'packed.Length' is at least 1"));
    }

    [Fact]
    public async Task ReadBytesHelperThatThrowsOnAShortRead_ReadWithinTheCountAsked_IsQuiet_OneShortAndAnUncheckedHelperAreFlagged()
    {
        // A big-endian reader wraps BinaryReader.ReadBytes in a helper that throws unless it got every byte asked for:
        // ReadBytes(4) has four fields, here and in a helper it is handed to. Field 4 of it is one short; a helper that
        // returns what BinaryReader gives, which is fewer bytes at the end of the stream, proves nothing.
        const string source = """
            using System.IO;

            class BigEndianReader
            {
                private readonly BinaryReader reader;

                public BigEndianReader(BinaryReader reader) => this.reader = reader;

                public int ReadInt32()
                {
                    var buffer = ReadBytes(4);
                    return (buffer[0] << 24) | (buffer[1] << 16) | (buffer[2] << 8) | buffer[3];
                }

                public double ReadExtended() => Extended(ReadBytes(10));

                public int ReadOneShort()
                {
                    var buffer = ReadBytes(4);
                    return buffer[3] + {|#0:buffer[4]|};
                }

                public int ReadUnchecked()
                {
                    var buffer = ReadAvailable(2);
                    return {|#1:buffer[0]|} + {|#2:buffer[1]|};
                }

                private static double Extended(byte[] bytes) => bytes[0] + bytes[9];

                private byte[] ReadBytes(int count)
                {
                    var bytes = reader.ReadBytes(count);
                    if (bytes.Length != count)
                    {
                        throw new EndOfStreamException($"Could not read {count} bytes.");
                    }

                    return bytes;
                }

                private byte[] ReadAvailable(int count)
                {
                    var bytes = reader.ReadBytes(count);
                    return bytes;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 4, "buffer", "ReadBytes (BinaryReader.ReadBytes (line 33))", "after a check that proves only 4 fields (one short); field 4 needs 'buffer.Length' to be at least 5"),
            Field(1, 0, "buffer", "ReadAvailable (BinaryReader.ReadBytes (line 44))", NoCheck("buffer.Length", 1)),
            Field(2, 1, "buffer", "ReadAvailable (BinaryReader.ReadBytes (line 44))", NoCheck("buffer.Length", 2)));
    }

    [Fact]
    public async Task ReplyReadIntoTheCommandBuffer_OfAtLeastTheSizeTheHelperMakes_IsQuiet_PastItOrAnEmptyMakeIsFlagged()
    {
        // A SOCKS client sends a command its helper builds, then reads the reply into the same buffer: the helper makes
        // it with at least 9 (or 2) bytes whatever the user name, so fields below that are there whatever the proxy
        // sends. Field 2 of a buffer made with two bytes and the methods, and a buffer made with only the methods'
        // count, may not be.
        const string source = """
            using System.Net.Sockets;

            class SocksClient
            {
                static int Receive(Socket socket, byte[] buffer, int offset, int length) => socket.Receive(buffer, offset, length, SocketFlags.None);

                static byte[] GetConnectCommand(string user, string domain)
                {
                    int bufferSize = 9 + user.Length + (domain != null ? domain.Length + 1 : 0);
                    var buffer = new byte[bufferSize];
                    buffer[0] = 4;
                    return buffer;
                }

                static byte[] GetNegotiateCommand(byte[] methods) => new byte[2 + methods.Length];

                static byte[] GetMethodsOnly(byte[] methods)
                {
                    var buffer = new byte[methods.Length];
                    return buffer;
                }

                public bool Connect(Socket socket, string user, string domain)
                {
                    var buffer = GetConnectCommand(user, domain);
                    int nread, n = 0;
                    do
                    {
                        if ((nread = Receive(socket, buffer, 0 + n, 8 - n)) > 0)
                            n += nread;
                    }
                    while (n < 8);

                    return buffer[1] == 0x5A;
                }

                public int Negotiate(Socket socket, byte[] methods)
                {
                    var buffer = GetNegotiateCommand(methods);
                    int nread, n = 0;
                    do
                    {
                        if ((nread = Receive(socket, buffer, 0 + n, 2 - n)) > 0)
                            n += nread;
                    }
                    while (n < 2);

                    return buffer[0] + buffer[1] + {|#0:buffer[2]|};
                }

                public int MethodsOnly(Socket socket, byte[] methods)
                {
                    var buffer = GetMethodsOnly(methods);
                    int nread, n = 0;
                    do
                    {
                        if ((nread = Receive(socket, buffer, 0 + n, 2 - n)) > 0)
                            n += nread;
                    }
                    while (n < 2);

                    return {|#1:buffer[0]|};
                }
            }
            """;

        const string origin = "Receive (Socket.Receive (line 5))";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 2, "buffer", origin, "after a check that proves only 2 fields (one short); field 2 needs 'buffer.Length' to be at least 3"),
            Field(1, 0, "buffer", origin, NoCheck("buffer.Length", 1)));
    }

    [Fact]
    public async Task ReadBytesHelperWhoseCountOrArrayMayChangeUnseen_ProvesNothing()
    {
        // The count checked is read again through a deconstruction or a ref alias, or the helper is virtual and an
        // override returns what BinaryReader gave; a command buffer made by a virtual method, or one whose size a ref
        // alias rewrites, may be empty. All stay flagged.
        const string source = """
            using System.IO;

            class Reader
            {
                protected readonly BinaryReader reader;

                public Reader(BinaryReader reader) => this.reader = reader;

                public int Deconstructed() { var b = ReadDeconstructed(4); return {|#0:b[3]|}; }

                public int Aliased() { var b = ReadAliased(4); return {|#1:b[3]|}; }

                public int Virtual() { var b = ReadVirtual(4); return {|#2:b[3]|}; }

                public int Made(Stream stream, string user)
                {
                    var b = MakeVirtual(user);
                    stream.ReadExactly(b, 0, 1);
                    var c = MakeAliased(user);
                    stream.ReadExactly(c, 0, 1);
                    return {|#3:b[8]|} + {|#4:c[8]|};
                }

                private byte[] ReadDeconstructed(int count)
                {
                    (count, _) = (reader.ReadInt32(), 0);
                    var bytes = reader.ReadBytes(count);
                    if (bytes.Length != count) throw new EndOfStreamException();
                    return bytes;
                }

                private byte[] ReadAliased(int count)
                {
                    ref int alias = ref count;
                    alias = 0;
                    var bytes = reader.ReadBytes(count);
                    if (bytes.Length != count) throw new EndOfStreamException();
                    return bytes;
                }

                protected virtual byte[] ReadVirtual(int count)
                {
                    var bytes = reader.ReadBytes(count);
                    if (bytes.Length != count) throw new EndOfStreamException();
                    return bytes;
                }

                protected virtual byte[] MakeVirtual(string user) => new byte[9 + user.Length];

                private static byte[] MakeAliased(string user)
                {
                    int size = 9 + user.Length;
                    ref int alias = ref size;
                    alias = 0;
                    return new byte[size];
                }
            }

            class Lenient : Reader
            {
                public Lenient(BinaryReader reader) : base(reader) { }

                protected override byte[] ReadVirtual(int count) => reader.ReadBytes(count);

                protected override byte[] MakeVirtual(string user) => new byte[1];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Field(0, 3, "b", "ReadDeconstructed (BinaryReader.ReadBytes (line 27))", NoCheck("b.Length", 4)),
            Field(1, 3, "b", "ReadAliased (BinaryReader.ReadBytes (line 36))", NoCheck("b.Length", 4)),
            Field(2, 3, "b", "ReadVirtual (BinaryReader.ReadBytes (line 43))", NoCheck("b.Length", 4)),
            Field(3, 8, "b", "Stream.ReadExactly (line 18)", NoCheck("b.Length", 9)),
            Field(4, 8, "c", "Stream.ReadExactly (line 20)", NoCheck("c.Length", 9)));
    }
}
