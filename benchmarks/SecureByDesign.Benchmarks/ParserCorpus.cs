using System.Text;

namespace SecureByDesign.Benchmarks;

/// <summary>
/// Generated parser code of a given size: record readers that take lengths, counts and indexes from a
/// BinaryReader, half of them checked and half not, with loops, branches and helper calls, so the engine builds
/// a graph for every method. About 25 lines per method.
/// </summary>
public static class ParserCorpus
{
    public const int LinesPerMethod = 25;

    /// <summary>Methods per file in <see cref="GenerateFiles"/>: files of about 1,000 lines, as real code is laid out.</summary>
    public const int MethodsPerFile = 40;

    /// <summary>The whole corpus as one class in one file (the <c>Records</c> class other benchmarks call).</summary>
    public static string Generate(int lines) => GenerateClass("Records", 0, Math.Max(1, lines / LinesPerMethod));

    /// <summary>
    /// The same methods spread over classes of <see cref="MethodsPerFile"/> methods, one class a file: the layout of
    /// a real library. One class of 40,000 methods in one file costs the compiler's analyzer driver more per line
    /// than 4,000 of them do, before any analyzer runs (see the README).
    /// </summary>
    public static IReadOnlyList<(string Name, string Text)> GenerateFiles(int lines)
    {
        var methods = Math.Max(1, lines / LinesPerMethod);
        var files = new List<(string Name, string Text)>();
        for (var first = 0; first < methods; first += MethodsPerFile)
        {
            var name = $"Records{first / MethodsPerFile}";
            files.Add((name + ".cs", GenerateClass(name, first, Math.Min(MethodsPerFile, methods - first))));
        }

        return files;
    }

    private static string GenerateClass(string name, int first, int methods)
    {
        var source = new StringBuilder(methods * LinesPerMethod * 48);
        source.AppendLine("using System;");
        source.AppendLine("using System.IO;");
        source.AppendLine("using System.Collections.Generic;");
        source.AppendLine($"public static class {name} {{");
        source.AppendLine("    static readonly int[] Table = new int[256];");
        source.AppendLine("    static int Clamp(int value) => value & 0xFF;");
        for (var i = first; i < first + methods; i++)
        {
            var check = i % 2 == 0
                ? "        if ((uint)index >= (uint)Table.Length) throw new InvalidDataException();"
                : "        if (index > Table.Length) throw new InvalidDataException();";
            source.AppendLine($"    public static int Read{i}(BinaryReader reader, byte[] buffer) {{");
            source.AppendLine("        var count = reader.ReadInt32();");
            source.AppendLine("        var index = reader.ReadInt32();");
            source.AppendLine("        var offset = reader.ReadInt32();");
            source.AppendLine("        var length = reader.ReadUInt16();");
            source.AppendLine(check);
            source.AppendLine("        var sum = Table[index];");
            source.AppendLine("        if (count < 0 || count > 4096) return -1;");
            source.AppendLine("        var items = new List<int>(count);");
            source.AppendLine("        for (var k = 0; k < count; k++) {");
            source.AppendLine("            var value = reader.ReadByte();");
            source.AppendLine("            items.Add(Table[value]);");
            source.AppendLine("            if (value == 0) break;");
            source.AppendLine("        }");
            source.AppendLine("        if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) return -2;");
            source.AppendLine("        var slice = buffer.AsSpan(offset, length);");
            source.AppendLine("        switch (slice.Length) {");
            source.AppendLine("            case 0: return sum;");
            source.AppendLine("            case 1: return sum + slice[0];");
            source.AppendLine($"            default: return sum + Table[Clamp(slice[1])] + {i};");
            source.AppendLine("        }");
            source.AppendLine("    }");
            source.AppendLine();
        }

        source.AppendLine("}");
        return source.ToString();
    }
}
