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

    private static DiagnosticResult Enum(int location, string value, string origin, string use) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(value, origin, use, "Kind");

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
            Enum(2, "(Kind)reader.ReadByte()", "BinaryReader.ReadByte (line 28)", "stored in 'stored'"),
            Enum(3, "kind", "BinaryReader.ReadInt32 (line 32)", "passed to 'new Entry(kind)'"),
            Enum(4, "kind", "TextReader.ReadLine (line 38)", "returned"),
            Enum(5, "(Kind)reader.ReadByte()", "BinaryReader.ReadByte (line 48)", "switched on by a switch expression with no discard arm, which throws SwitchExpressionException"),
            Enum(6, "kind", "BinaryReader.ReadByte (line 44)", "returned"));
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
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("(Kind)header[1]", "Stream.ReadExactly (line 11)", "stored in 'second'", "Kind"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("(Kind)header[0]", "Stream.ReadExactly (line 31)", "stored in 'first'", "Kind"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("(Kind)header[0]", "Stream.ReadExactly (line 37)", "stored in 'second'", "Kind"));
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
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(source, Enum(0, "k", "BinaryReader.ReadByte (line 33)", "stored in 'stored'"));
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
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Enum(0, "kind", "BinaryReader.ReadByte (line 9)", "stored in 'stored'"),
            Enum(1, "third", "BinaryReader.ReadByte (line 13)", "passed to 'new Entry(present ? third : Kind.File)'"));
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
            """ + Kinds;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Enum(0, "kind", "BinaryReader.ReadByte (line 10)", "stored in 'stored'"),
            Enum(1, "kind", "BinaryReader.ReadByte (line 17)", "stored in 'stored'"),
            Enum(2, "kind", "BinaryReader.ReadInt32 (line 25)", "stored in 'stored'"));
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
            """ + Kinds;
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
            """ + Kinds;

        await VerifyCS.VerifyCodeFixAsync(source, [Enum(0, "kind", "BinaryReader.ReadByte (line 10)", "stored in 'stored'")], fixedSource);
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
            """ + Kinds;
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
            """ + Kinds;

        await VerifyCS.VerifyCodeFixAsync(source, [Enum(0, "kind", "BinaryReader.ReadByte (line 11)", "stored in 'stored'")], fixedSource);
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
            """ + Kinds;
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
            """ + Kinds;

        await VerifyCS.VerifyCodeFixAsync(source, [Enum(0, "kind", "TextReader.ReadLine (line 10)", "stored in 'stored'")], fixedSource);
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
