using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.ThrowingParseAnalyzer,
    SecureByDesign.Analyzers.ThrowingParseFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class ThrowingParseTests
{
    private const string Throws = "which throws on malformed content; use {0} and reject the content";

    private static DiagnosticResult Parse(int location, string api, string text, string origin, string tryForm) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(api, text, origin, string.Format(Throws, tryForm));

    [Fact]
    public async Task NumericParseOfReaderLine_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Records
            {
                long Read(StreamReader reader)
                {
                    var line = reader.ReadLine();
                    var count = {|#0:int.Parse(line)|};
                    var size = {|#1:long.Parse(line, System.Globalization.NumberStyles.HexNumber, null)|};
                    var ratio = {|#2:double.Parse(reader.ReadLine())|};
                    var flag = {|#3:byte.Parse(line.AsSpan(0, 2))|};
                    return count + size + (long)ratio + flag + (long){|#4:ulong.Parse(line)|} > 0 ? 1 : {|#5:decimal.Parse(line)|} > 0 ? 2 : 3;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Parse(0, "int.Parse", "line", "StreamReader.ReadLine (line 8)", "int.TryParse"),
            Parse(1, "long.Parse", "line", "StreamReader.ReadLine (line 8)", "long.TryParse"),
            Parse(2, "double.Parse", "reader.ReadLine()", "StreamReader.ReadLine (line 11)", "double.TryParse"),
            Parse(3, "byte.Parse", "line.AsSpan(0, 2)", "StreamReader.ReadLine (line 8)", "byte.TryParse"),
            Parse(4, "ulong.Parse", "line", "StreamReader.ReadLine (line 8)", "ulong.TryParse"),
            Parse(5, "decimal.Parse", "line", "StreamReader.ReadLine (line 8)", "decimal.TryParse"));
    }

    [Fact]
    public async Task EnumGuidDateTimeTimeSpanAddressVersionParse_OfFileText_AreFlagged()
    {
        const string source = """
            using System;
            using System.Globalization;
            using System.IO;
            using System.Net;

            enum Severity { Low, High }

            class Records
            {
                void Read(string path)
                {
                    var text = File.ReadAllText(path);
                    var a = {|#0:Enum.Parse<Severity>(text)|};
                    var b = {|#1:Enum.Parse(typeof(Severity), text)|};
                    var c = {|#2:Guid.Parse(text)|};
                    var d = {|#3:DateTime.Parse(text, CultureInfo.InvariantCulture)|};
                    var e = {|#4:DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)|};
                    var f = {|#5:TimeSpan.Parse(text)|};
                    var g = {|#6:IPAddress.Parse(text)|};
                    var h = {|#7:Version.Parse(text)|};
                    var i = {|#8:bool.Parse(text)|};
                }
            }
            """;
        const string origin = "File.ReadAllText (line 12)";

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Parse(0, "Enum.Parse", "text", origin, "Enum.TryParse"),
            Parse(1, "Enum.Parse", "text", origin, "Enum.TryParse"),
            Parse(2, "Guid.Parse", "text", origin, "Guid.TryParse"),
            Parse(3, "DateTime.Parse", "text", origin, "DateTime.TryParse"),
            Parse(4, "DateTime.ParseExact", "text", origin, "DateTime.TryParseExact"),
            Parse(5, "TimeSpan.Parse", "text", origin, "TimeSpan.TryParse"),
            Parse(6, "IPAddress.Parse", "text", origin, "IPAddress.TryParse"),
            Parse(7, "Version.Parse", "text", origin, "Version.TryParse"),
            Parse(8, "bool.Parse", "text", origin, "bool.TryParse"));
    }

    [Fact]
    public async Task ConvertFromString_OfAnnotatedAndParserParameters_IsFlagged()
    {
        const string source = """
            using System;

            sealed class UntrustedContentAttribute : Attribute { }
            sealed class ContentParserAttribute : Attribute { }

            class Records
            {
                int Marked([UntrustedContent] string field) => {|#0:Convert.ToInt32(field)|};

                [ContentParser]
                long Parser(string field, IFormatProvider provider) => {|#1:Convert.ToInt64(field, provider)|};

                double Http(System.Net.Http.HttpClient client) => {|#2:Convert.ToDouble(client.GetStringAsync("https://feed.example.com/").Result)|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Parse(0, "Convert.ToInt32", "field", "parameter 'field'", "int.TryParse"),
            Parse(1, "Convert.ToInt64", "field", "parameter 'field'", "long.TryParse"),
            Parse(2, "Convert.ToDouble", "client.GetStringAsync(\"https://feed.example.com/\").Result", "HttpClient.GetStringAsync (line 13)", "double.TryParse"));
    }

    [Fact]
    public async Task SplitFieldsLambdasAndConfiguredSources_AreFollowed()
    {
        const string source = """
            using System;
            using System.Linq;

            namespace Vendor
            {
                static class Feed { public static string Next() => "1,2,3"; }

                class Records
                {
                    int[] Read()
                    {
                        var line = Feed.Next();
                        var third = {|#0:int.Parse(line.Split(',')[2])|};
                        Func<string, short> local = field => short.Parse(field);
                        return line.Split(',').Select(field => {|#1:int.Parse(line.Substring(field.Length))|}).Append(third).ToArray();
                    }
                }
            }
            """;
        const string origin = "Feed.Next (line 12)";

        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.untrusted_sources = M:Vendor.Feed.Next\n"));
        test.ExpectedDiagnostics.AddRange(
        [
            Parse(0, "int.Parse", "line.Split(',')[2]", origin, "int.TryParse"),
            Parse(1, "int.Parse", "line.Substring(field.Length)", origin, "int.TryParse"),
        ]);
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task TryParseWithResultIgnored_InDeclaredContentCode_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            sealed class UntrustedContentAttribute : Attribute { }
            sealed class ContentParserAttribute : Attribute { }

            class Records
            {
                [ContentParser]
                int Parse(string line)
                {
                    {|#0:int.TryParse(line, out var count)|};
                    _ = {|#1:int.TryParse(line, out var other)|};
                    Func<int> first = () => { {|#2:int.TryParse(line.Split(',')[0], out var n)|}; return n; };
                    return count + other + first();
                }

                int Header([UntrustedContent] Stream content)
                {
                    var line = new StreamReader(content).ReadLine();
                    {|#3:int.TryParse(line, out var version)|};
                    return version;
                }
            }
            """;
        const string why = "and its result is never tested, so malformed content reads as a default value; test the result and reject the content";

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("int.TryParse", "line", "parameter 'line'", why),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("int.TryParse", "line", "parameter 'line'", why),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("int.TryParse", "line.Split(',')[0]", "parameter 'line'", why),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("int.TryParse", "line", "StreamReader.ReadLine (line 20)", why));
    }

    [Fact]
    public async Task TryParseWithResultIgnored_InALenientReader_IsQuiet_ButItsThrowingParseIsNot()
    {
        // The shape of spreadsheet and tag readers: an attribute read leniently, 0 when malformed, beside one that throws.
        const string source = """
            using System.Globalization;
            using System.Xml;

            class StylesReader
            {
                (int, uint) ReadFormat(XmlReader reader)
                {
                    int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id);
                    _ = int.TryParse(reader.GetAttribute("indent"), out var indent);
                    var sheet = {|#0:uint.Parse(reader.GetAttribute("sheetId"))|};
                    return (id + indent, sheet);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Parse(0, "uint.Parse", "reader.GetAttribute(\"sheetId\")", "XmlReader.GetAttribute (line 10)", "uint.TryParse"));
    }

    [Fact]
    public async Task CheckedTryParse_ConstantOrTrustedText_AndNoTryForm_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            class Records
            {
                const string Default = "42";

                int Read(StreamReader reader, string configured)
                {
                    var line = reader.ReadLine();
                    if (!int.TryParse(line, out var count))
                    {
                        throw new InvalidDataException("bad count");
                    }

                    var ok = long.TryParse(line, out var size) && size > 0;
                    var constant = int.Parse("17") + int.Parse(Default) + (int)Guid.Parse("5f0c1b2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b").ToByteArray()[0];
                    var trusted = int.Parse(configured);
                    var hex = Convert.ToInt32(line, 16);
                    var boxed = Convert.ToInt32((object)line);
                    return count + constant + trusted + hex + boxed + (ok ? 1 : 0);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task Declaration_FixRewritesToTryParseWithRejection()
    {
        const string source = """
            using System.Globalization;
            using System.IO;

            class Records
            {
                int Read(StreamReader reader)
                {
                    var line = reader.ReadLine();
                    var count = {|#0:int.Parse(line)|};
                    long size = {|#1:long.Parse(line, NumberStyles.HexNumber, CultureInfo.InvariantCulture)|};
                    return count + (int)size;
                }
            }
            """;
        const string fixedSource = """
            using System.Globalization;
            using System.IO;

            class Records
            {
                int Read(StreamReader reader)
                {
                    var line = reader.ReadLine();
                    if (!int.TryParse(line, out var count))
                    {
                        throw new InvalidDataException("'line' is not a valid int.");
                    }
                    if (!long.TryParse(line, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long size))
                    {
                        throw new InvalidDataException("'line' is not a valid long.");
                    }
                    return count + (int)size;
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                Parse(0, "int.Parse", "line", "StreamReader.ReadLine (line 8)", "int.TryParse"),
                Parse(1, "long.Parse", "line", "StreamReader.ReadLine (line 8)", "long.TryParse"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task AssignmentConvertEnumAndExact_FixKeepsArgumentsAndFillsDefaults()
    {
        const string source = """
            using System;
            using System.Globalization;
            using System.IO;

            enum Severity { Low, High }

            class Records
            {
                private int count;

                void Read(string path)
                {
                    var text = File.ReadAllText(path);
                    count = {|#0:Convert.ToInt32(text)|};
                    var severity = {|#1:Enum.Parse<Severity>(text, true)|};
                    var stamp = {|#2:DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)|};
                    var number = {|#3:int.Parse(text, NumberStyles.AllowLeadingSign)|};
                    Console.WriteLine($"{count} {severity} {stamp} {number}");
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Globalization;
            using System.IO;

            enum Severity { Low, High }

            class Records
            {
                private int count;

                void Read(string path)
                {
                    var text = File.ReadAllText(path);
                    if (!int.TryParse(text, out count))
                    {
                        throw new InvalidDataException("'text' is not a valid int.");
                    }
                    if (!Enum.TryParse<Severity>(text, true, out var severity))
                    {
                        throw new InvalidDataException("'text' is not a valid Severity.");
                    }
                    if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamp))
                    {
                        throw new InvalidDataException("'text' is not a valid DateTime.");
                    }
                    if (!int.TryParse(text, NumberStyles.AllowLeadingSign, null, out var number))
                    {
                        throw new InvalidDataException("'text' is not a valid int.");
                    }
                    Console.WriteLine($"{count} {severity} {stamp} {number}");
                }
            }
            """;
        const string origin = "File.ReadAllText (line 13)";

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                Parse(0, "Convert.ToInt32", "text", origin, "int.TryParse"),
                Parse(1, "Enum.Parse", "text", origin, "Enum.TryParse"),
                Parse(2, "DateTime.ParseExact", "text", origin, "DateTime.TryParseExact"),
                Parse(3, "int.Parse", "text", origin, "int.TryParse"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task UnsafeShapes_GetNoFix()
    {
        const string source = """
            using System.IO;

            class Records
            {
                long Total { get; set; }

                int Read(StreamReader reader)
                {
                    var line = reader.ReadLine();
                    long widened = {|#0:int.Parse(line)|};
                    Total = {|#1:long.Parse(line)|};
                    return {|#2:int.Parse(line)|} + (int)widened;
                }
            }
            """;
        const string origin = "StreamReader.ReadLine (line 9)";

        var test = new VerifyCS.Test { TestCode = source, FixedCode = source };
        test.ExpectedDiagnostics.AddRange(
        [
            Parse(0, "int.Parse", "line", origin, "int.TryParse"),
            Parse(1, "long.Parse", "line", origin, "long.TryParse"),
            Parse(2, "int.Parse", "line", origin, "int.TryParse"),
        ]);
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task FixAll_RewritesEveryStatementOfTheDocument()
    {
        const string source = """
            using System;
            using System.IO;

            class Records
            {
                (int, Guid) Read(StreamReader reader)
                {
                    var id = {|#0:Guid.Parse(reader.ReadLine())|};
                    var line = reader.ReadLine();
                    int count;
                    count = {|#1:int.Parse(line)|};
                    return (count, id);
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;

            class Records
            {
                (int, Guid) Read(StreamReader reader)
                {
                    if (!Guid.TryParse(reader.ReadLine(), out var id))
                    {
                        throw new InvalidDataException("'reader.ReadLine()' is not a valid Guid.");
                    }
                    var line = reader.ReadLine();
                    int count;
                    if (!int.TryParse(line, out count))
                    {
                        throw new InvalidDataException("'line' is not a valid int.");
                    }
                    return (count, id);
                }
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Parse(0, "Guid.Parse", "reader.ReadLine()", "StreamReader.ReadLine (line 8)", "Guid.TryParse"),
                Parse(1, "int.Parse", "line", "StreamReader.ReadLine (line 9)", "int.TryParse"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task ParseInADataRecordsTypedGetter_IsQuiet_OtherMethodsOfTheReaderAreFlagged()
    {
        // A CSV data reader's GetInt32 converts the field its caller asked for, and ADO.NET's contract is to throw when it
        // does not convert. Its other methods, a Get method of its own, and a getter of a base type of the code's are
        // flagged as before.
        const string source = """
            using System;
            using System.Data;
            using System.Data.Common;
            using System.IO;

            abstract class OwnGetters
            {
                public abstract int GetInt32(int ordinal);
            }

            abstract class CsvRecords : DbDataReader
            {
                private readonly StreamReader reader = new StreamReader(File.OpenRead("data.csv"));

                public override int GetInt32(int ordinal) => int.Parse(reader.ReadLine());
                public override DateTime GetDateTime(int ordinal) { var text = reader.ReadLine(); return DateTime.Parse(text); }
                public override T GetFieldValue<T>(int ordinal) => (T)(object)Guid.Parse(reader.ReadLine());
                public override bool Read() => {|#0:int.Parse(reader.ReadLine())|} > 0;
                public TimeSpan GetTimeSpan(int ordinal) => TimeSpan.Parse(reader.ReadLine());
                public long GetCount() => {|#1:long.Parse(reader.ReadLine())|};
                public override int GetOrdinal(string name) => {|#3:int.Parse(reader.ReadLine())|};
                public Version GetVersion() => {|#4:Version.Parse(reader.ReadLine())|};
            }

            abstract class Row : IDataRecord
            {
                private readonly StreamReader reader = new StreamReader(File.OpenRead("data.csv"));

                public short GetInt16(int i) => short.Parse(reader.ReadLine());
                public long GetInt64(int i) { Func<long> parse = () => long.Parse(reader.ReadLine()); return parse(); }
                public abstract int FieldCount { get; }
                public abstract object this[int i] { get; }
                public abstract object this[string name] { get; }
                public abstract bool GetBoolean(int i);
                public abstract byte GetByte(int i);
                public abstract long GetBytes(int i, long fieldOffset, byte[] buffer, int bufferoffset, int length);
                public abstract char GetChar(int i);
                public abstract long GetChars(int i, long fieldoffset, char[] buffer, int bufferoffset, int length);
                public abstract IDataReader GetData(int i);
                public abstract string GetDataTypeName(int i);
                public abstract DateTime GetDateTime(int i);
                public abstract decimal GetDecimal(int i);
                public abstract double GetDouble(int i);
                public abstract Type GetFieldType(int i);
                public abstract float GetFloat(int i);
                public abstract Guid GetGuid(int i);
                public abstract int GetInt32(int i);
                public abstract string GetName(int i);
                public abstract int GetOrdinal(string name);
                public abstract string GetString(int i);
                public abstract object GetValue(int i);
                public abstract int GetValues(object[] values);
                public abstract bool IsDBNull(int i);
            }

            sealed class Fields : OwnGetters
            {
                private readonly StreamReader reader = new StreamReader(File.OpenRead("data.csv"));

                public override int GetInt32(int ordinal) => {|#2:int.Parse(reader.ReadLine())|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Parse(0, "int.Parse", "reader.ReadLine()", "StreamReader.ReadLine (line 18)", "int.TryParse"),
            Parse(1, "long.Parse", "reader.ReadLine()", "StreamReader.ReadLine (line 20)", "long.TryParse"),
            Parse(2, "int.Parse", "reader.ReadLine()", "StreamReader.ReadLine (line 60)", "int.TryParse"),
            Parse(3, "int.Parse", "reader.ReadLine()", "StreamReader.ReadLine (line 21)", "int.TryParse"),
            Parse(4, "Version.Parse", "reader.ReadLine()", "StreamReader.ReadLine (line 22)", "Version.TryParse"));
    }

    [Fact]
    public async Task ParseInATryWithACatchOfEveryException_IsQuiet_NarrowerOrFilteredCatchesAreFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Fields
            {
                bool Flag(StreamReader reader)
                {
                    var text = reader.ReadLine();
                    try
                    {
                        return bool.Parse(text);
                    }
                    catch
                    {
                        return false;
                    }
                }

                int Number(StreamReader reader)
                {
                    var text = reader.ReadLine();
                    try
                    {
                        return int.Parse(text);
                    }
                    catch (Exception)
                    {
                        throw new InvalidDataException("not a number");
                    }
                }

                int Narrow(StreamReader reader)
                {
                    var text = reader.ReadLine();
                    try
                    {
                        return {|#0:int.Parse(text)|};
                    }
                    catch (FormatException)
                    {
                        return 0;
                    }
                }

                int Filtered(StreamReader reader)
                {
                    var text = reader.ReadLine();
                    try
                    {
                        return {|#1:int.Parse(text)|};
                    }
                    catch (Exception e) when (e is FormatException)
                    {
                        return 0;
                    }
                }

                int InTheHandler(StreamReader reader)
                {
                    var text = reader.ReadLine();
                    try
                    {
                        return 0;
                    }
                    catch
                    {
                        return {|#2:int.Parse(text)|};
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Parse(0, "int.Parse", "text", "StreamReader.ReadLine (line 34)", "int.TryParse"),
            Parse(1, "int.Parse", "text", "StreamReader.ReadLine (line 47)", "int.TryParse"),
            Parse(2, "int.Parse", "text", "StreamReader.ReadLine (line 60)", "int.TryParse"));
    }
}
