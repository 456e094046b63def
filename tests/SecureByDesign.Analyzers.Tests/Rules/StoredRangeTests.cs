using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// A payload type whose private constructor stores what its factory read as a 16-bit count keeps that bound: an array
/// of that many references is small. Any construction that passes a wider value, a public constructor, or a struct
/// also made from raw memory keeps nothing.
/// </summary>
public class StoredRangeTests
{
    private static DiagnosticResult Size(int location, string size, string origin, string allocation) =>
        VerifyCS.Diagnostic("SBD2003").WithLocation(location).WithArguments(size, origin, allocation);

    [Fact]
    public async Task CountStoredByAPrivateConstructorFromAUInt16_IsBounded_ButNotFromAnInt32()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.InteropServices;

            class Column
            {
            }

            readonly struct PrepareResponse
            {
                private PrepareResponse(int statementId, int columnCount)
                {
                    StatementId = statementId;
                    ColumnCount = columnCount;
                }

                public int StatementId { get; }

                public int ColumnCount { get; }

                public static PrepareResponse Create(BinaryReader reader)
                {
                    var statementId = reader.ReadInt32();
                    var columnCount = (int)reader.ReadUInt16();
                    return new PrepareResponse(statementId, columnCount);
                }
            }

            readonly struct WideResponse
            {
                private WideResponse(int columnCount) => ColumnCount = columnCount;

                public int ColumnCount { get; }

                public static WideResponse Create(BinaryReader reader, bool wide) =>
                    wide ? new WideResponse(reader.ReadInt32()) : new WideResponse(reader.ReadUInt16());
            }

            readonly struct OpenResponse
            {
                public OpenResponse(int columnCount) => ColumnCount = columnCount;

                public int ColumnCount { get; }

                public static OpenResponse Create(BinaryReader reader) => new OpenResponse(reader.ReadUInt16());
            }

            readonly struct RawResponse
            {
                private RawResponse(int columnCount) => ColumnCount = columnCount;

                public int ColumnCount { get; }

                public static RawResponse Create(BinaryReader reader) => new RawResponse(reader.ReadUInt16());

                public static RawResponse Read(byte[] bytes) => MemoryMarshal.Read<RawResponse>(bytes);
            }

            static class Session
            {
                public static int Prepare(BinaryReader reader)
                {
                    var response = PrepareResponse.Create(reader);
                    var columns = new Column[response.ColumnCount];
                    var ids = new Column[{|#0:response.StatementId|}];
                    var wide = WideResponse.Create(reader, true);
                    var wideColumns = new Column[{|#1:wide.ColumnCount|}];
                    var open = OpenResponse.Create(reader);
                    var openColumns = new Column[{|#2:open.ColumnCount|}];
                    var raw = RawResponse.Create(reader);
                    var rawColumns = new Column[{|#3:raw.ColumnCount|}];
                    return columns.Length + ids.Length + wideColumns.Length + openColumns.Length + rawColumns.Length;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "response.StatementId", "Create (BinaryReader.ReadUInt16 (line 24))", "new Column[response.StatementId]"),
            Size(1, "wide.ColumnCount", "Create (BinaryReader.ReadUInt16 (line 36))", "new Column[wide.ColumnCount]"),
            Size(2, "open.ColumnCount", "Create (BinaryReader.ReadUInt16 (line 45))", "new Column[open.ColumnCount]"),
            Size(3, "raw.ColumnCount", "Create (BinaryReader.ReadUInt16 (line 54))", "new Column[raw.ColumnCount]"));
    }
}
