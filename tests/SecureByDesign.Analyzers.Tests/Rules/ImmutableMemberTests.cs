using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.FieldCountAnalyzer,
    SecureByDesign.Analyzers.FieldCountFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// Members of the framework's immutable pairs (<c>Tuple&lt;T1, T2&gt;.Item1</c>, <c>KeyValuePair&lt;K, V&gt;.Key</c>)
/// return what their constructor stored, as a read-only field does: a check of one holds at the next read of it.
/// </summary>
public class ImmutableMemberTests
{
    [Fact]
    public async Task CountInATuple_CheckedThenUsed_IsQuiet_InAMutableHolderIsFlagged()
    {
        // An SNMP integer: (length, raw length bytes) in a tuple; the value's bytes are read into an array of that length.
        // A settable property may change between the check and the allocation; another item of the tuple proves nothing.
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            sealed class Holder { public int Size { get; set; } }

            sealed class Integer32
            {
                private readonly byte[] _raw;
                public readonly int Sign;

                public Integer32(Tuple<int, byte[]> length, Stream stream)
                {
                    if (length.Item1 <= 0 || length.Item1 > 4) throw new ArgumentException("length");
                    _raw = new byte[length.Item1];
                    stream.Read(_raw, 0, length.Item1);
                    Sign = (_raw[0] & 0x80) == 0x80 ? -1 : 0;
                }

                public static int Identifier(Tuple<int, byte[]> length, Stream stream)
                {
                    var raw = new byte[length.Item1];
                    stream.Read(raw, 0, length.Item1);
                    if (length.Item1 == 0) throw new ArgumentException("length");
                    return raw[0] / 40;
                }

                public static int Pair(KeyValuePair<int, string> entry, Stream stream)
                {
                    if (entry.Key < 2) throw new ArgumentException("entry");
                    var raw = new byte[entry.Key];
                    stream.Read(raw, 0, entry.Key);
                    return raw[1];
                }

                public static int Held(Holder holder, Stream stream)
                {
                    var raw = new byte[holder.Size];
                    stream.Read(raw, 0, holder.Size);
                    if (holder.Size == 0) throw new ArgumentException("holder");
                    return {|#0:raw[0]|} / 40;
                }

                public static int Other(Tuple<int, int> sizes, Stream stream)
                {
                    var raw = new byte[sizes.Item1];
                    stream.Read(raw, 0, sizes.Item1);
                    if (sizes.Item2 == 0) throw new ArgumentException("sizes");
                    return {|#1:raw[0]|} / 40;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD1003").WithLocation(0).WithArguments(0, "raw", "Stream.Read (line 39)", "with no check that 'raw.Length' is at least 1"),
            VerifyCS.Diagnostic("SBD1003").WithLocation(1).WithArguments(0, "raw", "Stream.Read (line 47)", "with no check that 'raw.Length' is at least 1"));
    }
}
