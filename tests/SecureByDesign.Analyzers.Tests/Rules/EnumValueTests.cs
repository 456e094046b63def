using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.EnumValueAnalyzer,
    SecureByDesign.Analyzers.EnumValueFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class EnumValueTests
{
    private const string Kinds = """

        enum Kind : byte { File = 1, Registry = 2, Process = 3 }

        sealed record Entry(Kind Kind);
        """;

    /// <summary>Code elsewhere that relies on every 'Kind' being a member: a switch that lists each with no default.</summary>
    private const string KindNames = """

        static class KindNames
        {
            public static string Of(Kind kind)
            {
                switch (kind)
                {
                    case Kind.File: return "file";
                    case Kind.Registry: return "registry";
                    case Kind.Process: return "process";
                }

                return "";
            }
        }
        """;

    private static DiagnosticResult Enum(int location, string value, string origin, string use) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(value, origin, use, "Kind");

    /// <summary>A store or a return, with where the source relies on 'Kind': the first <c>switch (kind)</c>, or <paramref name="relied"/>.</summary>
    private static DiagnosticResult Kept(int location, string value, string origin, string use, string source, string relied = "switch (", string how = "switched on by a switch with no default", string type = "Kind")
    {
        var text = System.Text.RegularExpressions.Regex.Replace(source, @"\{\|#\d+:|\|\}", string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
        var at = text.IndexOf(relied, StringComparison.Ordinal) + relied.Length;
        var line = text.AsSpan(0, at).Count('\n') + 1;
        var column = at - text.LastIndexOf('\n', at - 1);
        return VerifyCS.Diagnostic().WithLocation(location).WithLocation(line, column)
            .WithArguments(value, origin, $"{use}, and '{type}' is {how} at Test0.cs line {line}", type);
    }

    [Fact]
    public async Task CastOfReadByte_UsedUnchecked_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly string[] Names = new string[4];
                Kind stored;

                string Switch(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    switch ({|#0:kind|})
                    {
                        case Kind.File: return "file";
                        case Kind.Registry: return "registry";
                        case Kind.Process: return "process";
                    }

                    return "";
                }

                string Index(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    return Names[(int){|#1:kind|}];
                }

                void Store(BinaryReader reader) => stored = {|#2:(Kind)reader.ReadByte()|};

                Entry Create(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadInt32();
                    return new Entry({|#3:kind|});
                }

                Kind Parse(TextReader reader)
                {
                    var kind = Enum.Parse<Kind>(reader.ReadLine()!);
                    return {|#4:kind|};
                }

                Kind Conditional(BinaryReader reader, bool known)
                {
                    var kind = (Kind)reader.ReadByte();
                    return known ? {|#6:kind|} : Kind.File;
                }

                string Expression(BinaryReader reader) => {|#5:(Kind)reader.ReadByte()|} switch
                {
                    Kind.File => "file",
                    Kind.Registry or Kind.Process => "other",
                };
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Enum(0, "kind", "BinaryReader.ReadByte (line 11)", "switched on by a switch that lists every member and has no default, so it runs no case"),
            Enum(1, "kind", "BinaryReader.ReadByte (line 24)", "used as an index of 'Names'"),
            Kept(2, "(Kind)reader.ReadByte()", "BinaryReader.ReadByte (line 28)", "stored in 'stored'", source),
            Kept(3, "kind", "BinaryReader.ReadInt32 (line 32)", "passed to 'new Entry(kind)'", source),
            Kept(4, "kind", "TextReader.ReadLine (line 38)", "returned", source),
            Enum(5, "(Kind)reader.ReadByte()", "BinaryReader.ReadByte (line 48)", "switched on by a switch expression with no discard arm, which throws SwitchExpressionException"),
            Kept(6, "kind", "BinaryReader.ReadByte (line 44)", "returned", source));
    }

    [Fact]
    public async Task SwitchThatHandlesOtherValues_IsQuiet_ButOneThatAssumesACaseRunsIsNot()
    {
        // Tag and container readers switch on an id from the file and skip the ones they do not know: a default
        // section, a discard arm, or cases for some members only. A switch that lists every member with no default,
        // or a switch expression with no discard arm, takes for granted that the value is a member.
        const string source = """
            using System.IO;

            class SegmentReader
            {
                int skipped;

                void Skipping(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    switch (kind)
                    {
                        case Kind.File: skipped = 0; break;
                        default: skipped++; break;
                    }
                }

                void Some(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    switch (kind)
                    {
                        case Kind.File:
                        case Kind.Registry:
                            skipped = 0;
                            break;
                    }
                }

                string Discard(BinaryReader reader) => (Kind)reader.ReadByte() switch
                {
                    Kind.File => "file",
                    _ => "other",
                };

                string Every(BinaryReader reader)
                {
                    string name = null;
                    var kind = (Kind)reader.ReadByte();
                    switch ({|#0:kind|})
                    {
                        case Kind.File: name = "file"; break;
                        case Kind.Registry: name = "registry"; break;
                        case Kind.Process: name = "process"; break;
                    }

                    return name.ToUpperInvariant();
                }

                string Exhaustive(BinaryReader reader) => {|#1:(Kind)reader.ReadByte()|} switch
                {
                    Kind.File => "file",
                    Kind.Registry => "registry",
                    Kind.Process => "process",
                };
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Enum(0, "kind", "BinaryReader.ReadByte (line 38)", "switched on by a switch that lists every member and has no default, so it runs no case"),
            Enum(1, "(Kind)reader.ReadByte()", "BinaryReader.ReadByte (line 49)", "switched on by a switch expression with no discard arm, which throws SwitchExpressionException"));
    }

    [Fact]
    public async Task SwitchWithAMemberThatDoesNothing_IsQuiet_EverySectionActingIsFlagged()
    {
        // Descriptor lists read a kind per record and skip the kinds they do not use with an empty case: a value that
        // is no member runs no case, and goes on after the switch exactly as that member does.
        const string source = """
            using System.IO;

            class DescriptorReader
            {
                long primary;
                long boot;

                void Scan(Stream data, byte[] sector)
                {
                    var position = 0L;
                    Kind kind;
                    do
                    {
                        data.Position = position;
                        if (data.Read(sector, 0, sector.Length) != sector.Length) break;
                        kind = (Kind)sector[0];
                        switch (kind)
                        {
                            case Kind.File: primary = position; break;
                            case Kind.Registry: boot = position; break;
                            case Kind.Process: break;
                        }

                        position += sector.Length;
                    }
                    while (kind != Kind.Process);
                }

                void ScanAll(Stream data, byte[] sector)
                {
                    data.Read(sector, 0, sector.Length);
                    var kind = (Kind)sector[0];
                    switch ({|#0:kind|})
                    {
                        case Kind.File: primary = 0; break;
                        case Kind.Registry: boot = 0; break;
                        case Kind.Process: primary = boot; break;
                    }
                }
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Enum(0, "kind", "Stream.Read (line 31)", "switched on by a switch that lists every member and has no default, so it runs no case"));
    }

    [Fact]
    public async Task StoredOrReturned_WhereTheCodeOnlyComparesTheEnum_IsQuiet()
    {
        // Tag readers keep the id they read and compare it later; an id no member names is kept, not acted on.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Tag
            {
                public Kind Type { get; set; }

                public Kind Read(BinaryReader reader)
                {
                    Type = (Kind)reader.ReadUInt16();
                    return (Kind)reader.ReadByte();
                }

                public Entry Create(BinaryReader reader) => new Entry((Kind)reader.ReadByte());
            }

            class Writer
            {
                static readonly Dictionary<Kind, string> Labels = new();

                bool IsFile(Tag tag) => tag.Type == Kind.File;

                bool IsKnown(Tag tag) => tag.Type is Kind.File or Kind.Registry;

                string Label(Tag tag) => Labels.TryGetValue(tag.Type, out var label) ? label : Labels[tag.Type];

                string Name(Tag tag)
                {
                    switch (tag.Type)
                    {
                        case Kind.File: return "file";
                        case Kind.Registry: return "registry";
                        default: return "unknown";
                    }
                }

                string Some(Tag tag)
                {
                    switch (tag.Type)
                    {
                        case Kind.File: return "file";
                        case Kind.Registry: return "registry";
                    }

                    return "";
                }

                string Short(Tag tag) => tag.Type switch
                {
                    Kind.File => "f",
                    _ => "?",
                };
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task StoredFlags_UsedWithHasFlag_IsQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            [Flags]
            enum Attributes : byte { None = 0, Hidden = 1, System = 2, Archive = 4 }

            class Entry
            {
                public Attributes Attributes;

                public static Entry Read(BinaryReader reader) => new Entry { Attributes = (Attributes)reader.ReadByte() };

                public bool Hidden => Attributes.HasFlag(Attributes.Hidden);

                public string Name() => Attributes switch
                {
                    Attributes.None => "none",
                    Attributes.Hidden => "hidden",
                };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task StoredOrReturned_WhereAnotherClassReliesOnTheMembers_IsFlagged()
    {
        // The store is in the reader, the reliance in a writer or a table elsewhere: an index, a switch expression
        // with no discard arm, or an exhaustive switch with no default.
        const string source = """
            using System.IO;

            enum Color : byte { Red, Green, Blue }

            enum Shape : byte { Round, Square }

            enum Level : byte { Low = 1, High = 2 }

            class Reader
            {
                public Kind Kind;
                public Color Color;
                public Shape Shape;
                public Level Level;

                public void Read(BinaryReader reader)
                {
                    Kind = {|#0:(Kind)reader.ReadByte()|};
                    Color = {|#1:(Color)reader.ReadByte()|};
                }

                public Shape ReadShape(BinaryReader reader) => {|#2:(Shape)reader.ReadByte()|};

                public void ReadLevel(BinaryReader reader)
                {
                    var level = (Level)reader.ReadByte();
                    Level = {|#3:level|};
                }
            }

            static class Names
            {
                static readonly string[] ColorNames = { "red", "green", "blue" };
                static readonly string[] LevelNames = { "low", "high" };

                public static string Of(Color color) => ColorNames[(int)color];

                public static string Of(Level level) => LevelNames[(int)level - 1];

                public static int Corners(Shape shape) => shape switch
                {
                    Shape.Round => 0,
                    Shape.Square => 4,
                };
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Kept(0, "(Kind)reader.ReadByte()", "BinaryReader.ReadByte (line 18)", "stored in 'Kind'", source),
            Kept(1, "(Color)reader.ReadByte()", "BinaryReader.ReadByte (line 19)", "stored in 'Color'", source, "ColorNames[", "used as an index", "Color"),
            Kept(2, "(Shape)reader.ReadByte()", "BinaryReader.ReadByte (line 22)", "returned", source, "Corners(Shape shape) => ", "switched on by a switch expression with no discard arm", "Shape"),
            Kept(3, "level", "BinaryReader.ReadByte (line 26)", "stored in 'Level'", source, "LevelNames[", "used as an index", "Level"));
    }

    [Fact]
    public async Task StoredOrReturned_WhereOnlyAMemberOrAnIndexerThatChecksIndexes_IsQuiet_AnUncheckedIndexerIsFlagged()
    {
        // Sound-font readers keep a generator's id and look values up through a table type's own indexer, which checks
        // the number against its array; properties read it with members written out. Neither relies on an id being a
        // member. An indexer that indexes its array by the id unchecked does, and is where it is said.
        const string checkedTable = """
            using System.IO;

            class Generator
            {
                public Kind Type;

                public void Read(BinaryReader reader) => Type = (Kind)reader.ReadUInt16();
            }

            class Generators
            {
                private readonly short[] values = new short[4];

                public short this[Kind kind]
                {
                    get
                    {
                        int i = (int)kind;
                        return (uint)i < (uint)values.Length ? values[i] : (short)0;
                    }
                }

                public short Root => this[Kind.File];
            }
            """ + Kinds;
        const string uncheckedTable = """
            using System.IO;

            class Generator
            {
                public Kind Type;

                public void Read(BinaryReader reader) => Type = {|#0:(Kind)reader.ReadUInt16()|};
            }

            class Generators
            {
                private readonly short[] values = new short[4];

                public short this[Kind kind] => values[(int)kind];

                public short Root => this[Kind.File];
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(checkedTable);
        await VerifyCS.VerifyAnalyzerAsync(
            uncheckedTable,
            Kept(0, "(Kind)reader.ReadUInt16()", "BinaryReader.ReadUInt16 (line 7)", "stored in 'Type'", uncheckedTable, "values[", "used as an index"));
    }

    [Fact]
    public async Task StoredOrReturned_WhereOnlyAnotherEnumIsReliedOn_IsQuiet()
    {
        // The twin of the reader above: the tables and switches that take membership for granted are about other
        // enums (and a switch on the number), or look the value up in a dictionary.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            enum Color : byte { Red, Green, Blue }

            enum Shape : byte { Round, Square }

            class Reader
            {
                public Kind Kind;
                public Color Color;

                public void Read(BinaryReader reader)
                {
                    Kind = (Kind)reader.ReadByte();
                    Color = (Color)reader.ReadByte();
                }

                public Kind ReadKind(BinaryReader reader) => (Kind)reader.ReadByte();
            }

            static class Names
            {
                static readonly Dictionary<Color, string> ColorNames = new();
                static readonly string[] KindNames = { "", "file", "registry", "process" };

                public static string Of(Color color) => ColorNames[color];

                public static string Of(Reader reader) => KindNames[reader.Kind == Kind.File ? 1 : 0];

                public static int Corners(Shape shape) => shape switch
                {
                    Shape.Round => 0,
                    Shape.Square => 4,
                };

                public static string Number(Reader reader)
                {
                    switch ((int)reader.Kind)
                    {
                        case 1: return "file";
                    }

                    return "";
                }
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task StoredEnumDeclaredOutside_IsFlagged_AsBefore()
    {
        // Code outside the compilation may rely on a framework enum's members, so a store of one stays a use.
        const string source = """
            using System.IO;

            class Request
            {
                public SeekOrigin Origin;

                public void Read(BinaryReader reader) => Origin = {|#0:(SeekOrigin)reader.ReadByte()|};

                public bool FromEnd => Origin == SeekOrigin.End;
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("(SeekOrigin)reader.ReadByte()", "BinaryReader.ReadByte (line 7)", "stored in 'Origin'", "SeekOrigin"));
    }

    [Fact]
    public async Task SwitchWhoseDefaultCallsAThrowHelper_IsQuiet_AHelperThatReturnsIsNot()
    {
        // A protobuf reader checks a DateTimeKind by listing its members, and sends the rest to a throw helper whose
        // body is one throw. A helper that only logs, one gone from a release build ([Conditional]), or an async one
        // (its exception goes into the task it returns) lets the value through.
        const string source = """
            using System;
            using System.Diagnostics;
            using System.IO;

            static class ThrowHelper
            {
                public static void ThrowProtoException(string message) => throw new InvalidDataException(message);
                public static void Log(string message) => Console.Error.WriteLine(message);
                [Conditional("DEBUG")] public static void Fail(string message) => throw new InvalidDataException(message);
                public static async System.Threading.Tasks.Task ThrowAsync(string message) { await System.Threading.Tasks.Task.Yield(); throw new InvalidDataException(message); }
                public static async System.Threading.Tasks.Task ThrowLater(string message) { throw new InvalidDataException(message); }
            }

            readonly record struct Ticks(long Value, DateTimeKind Kind);

            static class TicksReader
            {
                public static Ticks Read(BinaryReader reader, int how)
                {
                    var kind = (DateTimeKind)reader.ReadInt32();
                    switch (kind)
                    {
                        case DateTimeKind.Unspecified:
                        case DateTimeKind.Utc:
                        case DateTimeKind.Local:
                            break;
                        default:
                            if (how == 0) ThrowHelper.ThrowProtoException("Invalid date/time kind: " + kind);
                            else if (how == 1) ThrowHelper.Log("Invalid date/time kind: " + kind);
                            else ThrowHelper.Fail("Invalid date/time kind: " + kind);
                            break;
                    }

                    return new Ticks(reader.ReadInt64(), {|#0:kind|});
                }

                public static Ticks Later(BinaryReader reader)
                {
                    var kind = (DateTimeKind)reader.ReadInt32();
                    switch (kind)
                    {
                        case DateTimeKind.Unspecified:
                        case DateTimeKind.Utc:
                        case DateTimeKind.Local:
                            break;
                        default:
                            ThrowHelper.ThrowLater("Invalid date/time kind: " + kind);
                            break;
                    }

                    return new Ticks(reader.ReadInt64(), {|#1:kind|});
                }

                public static Ticks Checked(BinaryReader reader)
                {
                    var kind = (DateTimeKind)reader.ReadInt32();
                    switch (kind)
                    {
                        case DateTimeKind.Unspecified:
                        case DateTimeKind.Utc:
                        case DateTimeKind.Local:
                            break;
                        default:
                            ThrowHelper.ThrowProtoException("Invalid date/time kind: " + kind);
                            break;
                    }

                    return new Ticks(reader.ReadInt64(), kind);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("kind", "BinaryReader.ReadInt32 (line 20)", "passed to 'new Ticks(reader.ReadInt64(), kind)'", "DateTimeKind"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("kind", "BinaryReader.ReadInt32 (line 39)", "passed to 'new Ticks(reader.ReadInt64(), kind)'", "DateTimeKind"));
    }

    [Fact]
    public async Task MembersListedInAReadLoop_AreChecked_AListWithANonMemberIsFlagged()
    {
        // A protobuf message reader: fields in a loop, the kind field checked by listing its members (a switch, or
        // != of each, before a throw). Each member's test comes back to the loop on its own edge; the check holds
        // after the loop. A list that lets 3 through, which DateTimeKind lacks, does not check it.
        const string source = """
            using System;
            using System.IO;

            readonly record struct Ticks(long Value, DateTimeKind Kind);

            static class TicksReader
            {
                public static Ticks Read(BinaryReader reader)
                {
                    long value = 0;
                    var kind = DateTimeKind.Unspecified;
                    int field;
                    while ((field = reader.ReadByte()) > 0)
                    {
                        switch (field)
                        {
                            case 1:
                                value = reader.ReadInt64();
                                break;
                            case 2:
                                kind = (DateTimeKind)reader.ReadInt32();
                                switch (kind)
                                {
                                    case DateTimeKind.Unspecified:
                                    case DateTimeKind.Utc:
                                    case DateTimeKind.Local:
                                        break;
                                    default:
                                        throw new InvalidDataException("Invalid date/time kind");
                                }
                                break;
                        }
                    }

                    return new Ticks(value, kind);
                }

                public static Ticks Listed(BinaryReader reader, bool more)
                {
                    var kind = DateTimeKind.Utc;
                    while (more)
                    {
                        kind = (DateTimeKind)reader.ReadInt32();
                        if (kind != DateTimeKind.Unspecified && kind != DateTimeKind.Utc && kind != DateTimeKind.Local)
                            throw new InvalidDataException("Invalid date/time kind");
                        more = reader.ReadBoolean();
                    }

                    return new Ticks(0, kind);
                }

                public static Ticks NotAMember(BinaryReader reader, bool more)
                {
                    var kind = DateTimeKind.Utc;
                    while (more)
                    {
                        kind = (DateTimeKind)reader.ReadInt32();
                        if (kind != DateTimeKind.Unspecified && kind != DateTimeKind.Utc && kind != (DateTimeKind)3)
                            throw new InvalidDataException("Invalid date/time kind");
                        more = reader.ReadBoolean();
                    }

                    return new Ticks(0, {|#0:kind|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("kind", "BinaryReader.ReadInt32 (line 57)", "passed to 'new Ticks(0, kind)'", "DateTimeKind"));
    }

    [Fact]
    public async Task Messages_ReadAsOneSentence()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                string Switched(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    switch ({|#0:kind|})
                    {
                        case Kind.File: return "file";
                        case Kind.Registry: return "registry";
                        case Kind.Process: return "process";
                    }

                    return "other";
                }
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithMessage(
                "Enum value 'kind' from BinaryReader.ReadByte (line 7) is switched on by a switch that lists every member and has no default, so it runs no case, and nothing before it checks the value against the members of 'Kind' (Enum.IsDefined or a range check)"));
    }
    [Fact]
    public async Task ElementCheckedWithIsDefined_IsQuiet_TheUncheckedElementIsFlagged()
    {
        // A header whose first byte is the record kind: checked with Enum.IsDefined on the element itself, then cast.
        // The second byte is cast without a check; the first is written again before its second cast.
        const string source = """
            using System;
            using System.IO;

            class HeaderReader
            {
                Kind first;
                Kind second;

                void Read(Stream stream, byte[] header)
                {
                    stream.ReadExactly(header);
                    if (!Enum.IsDefined(typeof(Kind), (int)header[0])) throw new InvalidDataException();
                    first = (Kind)header[0];
                    second = {|#0:(Kind)header[1]|};
                }

                void Generic(Stream stream, byte[] header)
                {
                    stream.ReadExactly(header);
                    if (!Enum.IsDefined<Kind>((Kind)header[0])) throw new InvalidDataException();
                    first = (Kind)header[0];
                    var raw = header[1];
                    if (!Enum.IsDefined((Kind)raw)) return;
                    second = (Kind)raw;
                }

                void Refilled(Stream stream, byte[] header)
                {
                    stream.ReadExactly(header);
                    if (!Enum.IsDefined(typeof(Kind), (int)header[0])) throw new InvalidDataException();
                    stream.ReadExactly(header);
                    first = {|#1:(Kind)header[0]|};
                }

                void Cleared(Stream stream, Span<byte> header)
                {
                    stream.ReadExactly(header);
                    if (!Enum.IsDefined(typeof(Kind), (int)header[0])) throw new InvalidDataException();
                    first = (Kind)header[0];
                    header.Clear();
                    second = {|#2:(Kind)header[0]|};
                }
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Kept(0, "(Kind)header[1]", "Stream.ReadExactly (line 11)", "stored in 'second'", source),
            Kept(1, "(Kind)header[0]", "Stream.ReadExactly (line 31)", "stored in 'first'", source),
            Kept(2, "(Kind)header[0]", "Stream.ReadExactly (line 37)", "stored in 'second'", source));
    }

    [Fact]
    public async Task CheckedValues_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly string[] Names = new string[4];
                Kind stored;

                void IsDefinedGeneric(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    if (!Enum.IsDefined(kind)) throw new InvalidDataException();
                    stored = kind;
                }

                void IsDefinedTypeOf(BinaryReader reader)
                {
                    var raw = reader.ReadByte();
                    if (!Enum.IsDefined(typeof(Kind), raw)) return;
                    stored = (Kind)raw;
                }

                string Range(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadInt32();
                    if (kind < Kind.File || kind > Kind.Process) throw new InvalidDataException();
                    return Names[(int)kind];
                }

                string RejectingDefault(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    switch (kind)
                    {
                        case Kind.File: return "file";
                        default: throw new InvalidDataException();
                    }
                }

                string RejectingArm(BinaryReader reader) => (Kind)reader.ReadByte() switch
                {
                    Kind.File => "file",
                    _ => throw new InvalidDataException(),
                };

                void StoredAfterRejectingSwitch(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    switch (kind)
                    {
                        case Kind.File:
                        case Kind.Registry:
                            break;
                        default:
                            throw new InvalidDataException();
                    }

                    stored = kind;
                }

                bool Compared(BinaryReader reader) => (Kind)reader.ReadByte() == Kind.File;

                void Trusted(int value) => stored = (Kind)value;
            }
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task PatternsListingMembers_AreChecks()
    {
        // A pattern of constants proves the value is one of them: "is not (A or B)" with an exit, "is A or B" as the condition.
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                Kind Rejected(BinaryReader reader)
                {
                    var k = (Kind)reader.ReadByte();
                    if (k is not (Kind.File or Kind.Registry)) throw new InvalidDataException();
                    return k;
                }

                void Accepted(BinaryReader reader)
                {
                    var k = (Kind)reader.ReadByte();
                    if (k is Kind.File or Kind.Process)
                    {
                        stored = k;
                    }
                }

                void NotBoth(BinaryReader reader)
                {
                    var k = (Kind)reader.ReadByte();
                    if (k is not Kind.File and not Kind.Registry and not Kind.Process) return;
                    stored = k;
                }

                void OnlyOneExcluded(BinaryReader reader)
                {
                    var k = (Kind)reader.ReadByte();
                    if (k is not (Kind.File or Kind.Registry)) stored = {|#0:k|};
                }
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyAnalyzerAsync(source, Kept(0, "k", "BinaryReader.ReadByte (line 33)", "stored in 'stored'", source));
    }

    [Fact]
    public async Task ThroughConditionals_StoresAndConstructorArguments_AreFlagged()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                Kind stored;

                Entry Read(BinaryReader reader, bool present)
                {
                    var kind = (Kind)reader.ReadByte();
                    stored = present ? {|#0:kind|} : Kind.File;
                    var other = (Kind)reader.ReadByte();
                    var local = present ? other : Kind.File;
                    var third = (Kind)reader.ReadByte();
                    return new Entry(present ? {|#1:third|} : Kind.File);
                }
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Kept(0, "kind", "BinaryReader.ReadByte (line 9)", "stored in 'stored'", source),
            Kept(1, "third", "BinaryReader.ReadByte (line 13)", "passed to 'new Entry(present ? third : Kind.File)'", source));
    }
    [Fact]
    public async Task CheckThatDoesNotDominate_OrChecksOtherValue_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                void OneBranch(BinaryReader reader, bool strict)
                {
                    var kind = (Kind)reader.ReadByte();
                    if (strict && !Enum.IsDefined(kind)) throw new InvalidDataException();
                    stored = {|#0:kind|};
                }

                void OtherValue(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    var other = (Kind)reader.ReadByte();
                    if (!Enum.IsDefined(other)) throw new InvalidDataException();
                    stored = {|#1:kind|};
                }

                void UpperOnly(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadInt32();
                    if (kind > Kind.Process) throw new InvalidDataException();
                    stored = {|#2:kind|};
                }
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Kept(0, "kind", "BinaryReader.ReadByte (line 10)", "stored in 'stored'", source),
            Kept(1, "kind", "BinaryReader.ReadByte (line 17)", "stored in 'stored'", source),
            Kept(2, "kind", "BinaryReader.ReadInt32 (line 25)", "stored in 'stored'", source));
    }

    [Fact]
    public async Task UncheckedEnum_FixInsertsIsDefinedAfterDeclaration()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                void Read(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    var count = reader.ReadInt32();
                    stored = {|#0:kind|};
                }
            }
            """ + Kinds + KindNames;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                void Read(BinaryReader reader)
                {
                    var kind = (Kind)reader.ReadByte();
                    if (!Enum.IsDefined(kind))
                    {
                        throw new InvalidDataException("'kind' is not a member of 'Kind'.");
                    }

                    var count = reader.ReadInt32();
                    stored = kind;
                }
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyCodeFixAsync(source, [Kept(0, "kind", "BinaryReader.ReadByte (line 10)", "stored in 'stored'", source)], fixedSource);
    }

    [Fact]
    public async Task UncheckedEnum_AssignedAfterDeclaration_FixChecksBeforeTheUse()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                void Read(BinaryReader reader, bool present)
                {
                    var kind = Kind.File;
                    if (present) kind = (Kind)reader.ReadByte();
                    var count = reader.ReadInt32();
                    stored = {|#0:kind|};
                }
            }
            """ + Kinds + KindNames;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                void Read(BinaryReader reader, bool present)
                {
                    var kind = Kind.File;
                    if (present) kind = (Kind)reader.ReadByte();
                    var count = reader.ReadInt32();
                    if (!Enum.IsDefined(kind))
                    {
                        throw new InvalidDataException("'kind' is not a member of 'Kind'.");
                    }

                    stored = kind;
                }
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyCodeFixAsync(source, [Kept(0, "kind", "BinaryReader.ReadByte (line 11)", "stored in 'stored'", source)], fixedSource);
    }

    [Fact]
    public async Task UncheckedEnum_FromOutVar_FixChecksBeforeTheUse()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                void Read(TextReader reader)
                {
                    if (!Enum.TryParse<Kind>(reader.ReadLine(), out var kind)) return;
                    stored = {|#0:kind|};
                }
            }
            """ + Kinds + KindNames;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                Kind stored;

                void Read(TextReader reader)
                {
                    if (!Enum.TryParse<Kind>(reader.ReadLine(), out var kind)) return;
                    if (!Enum.IsDefined(kind))
                    {
                        throw new InvalidDataException("'kind' is not a member of 'Kind'.");
                    }

                    stored = kind;
                }
            }
            """ + Kinds + KindNames;

        await VerifyCS.VerifyCodeFixAsync(source, [Kept(0, "kind", "TextReader.ReadLine (line 10)", "stored in 'stored'", source)], fixedSource);
    }
    [Fact]
    public async Task UncheckedEnums_FixAllChecksEachValueOnce()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly string[] Names = new string[4];

                string Read(BinaryReader reader)
                {
                    var first = (Kind)reader.ReadByte();
                    var second = (Kind)reader.ReadByte();
                    return Names[(int){|#0:first|}] + Names[(int){|#1:second|}] + Names[(int)first];
                }
            }
            """ + Kinds;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly string[] Names = new string[4];

                string Read(BinaryReader reader)
                {
                    var first = (Kind)reader.ReadByte();
                    if (!Enum.IsDefined(first))
                    {
                        throw new InvalidDataException("'first' is not a member of 'Kind'.");
                    }

                    var second = (Kind)reader.ReadByte();
                    if (!Enum.IsDefined(second))
                    {
                        throw new InvalidDataException("'second' is not a member of 'Kind'.");
                    }

                    return Names[(int)first] + Names[(int)second] + Names[(int)first];
                }
            }
            """ + Kinds;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Enum(0, "first", "BinaryReader.ReadByte (line 10)", "used as an index of 'Names'"),
                Enum(1, "second", "BinaryReader.ReadByte (line 11)", "used as an index of 'Names'"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task UncheckedEnums_AssignedAfterDeclaration_FixAllChecksEachBeforeTheUse()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly string[] Names = new string[4];

                string Read(BinaryReader reader)
                {
                    Kind first, second;
                    first = (Kind)reader.ReadByte();
                    second = (Kind)reader.ReadByte();
                    return Names[(int){|#0:first|}] + Names[(int){|#1:second|}];
                }
            }
            """ + Kinds;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly string[] Names = new string[4];

                string Read(BinaryReader reader)
                {
                    Kind first, second;
                    first = (Kind)reader.ReadByte();
                    second = (Kind)reader.ReadByte();
                    if (!Enum.IsDefined(first))
                    {
                        throw new InvalidDataException("'first' is not a member of 'Kind'.");
                    }

                    if (!Enum.IsDefined(second))
                    {
                        throw new InvalidDataException("'second' is not a member of 'Kind'.");
                    }

                    return Names[(int)first] + Names[(int)second];
                }
            }
            """ + Kinds;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Enum(0, "first", "BinaryReader.ReadByte (line 11)", "used as an index of 'Names'"),
                Enum(1, "second", "BinaryReader.ReadByte (line 12)", "used as an index of 'Names'"),
            ],
            fixedSource);
    }
}
