using System.Text;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// The shapes that make a dataflow engine slow or deep: every analyzer runs over them without an exception, stopping on
/// its per-method budget where it must. How long they take is measured in benchmarks/, not here.
/// </summary>
public class WorstCaseTests
{
    [Fact]
    public async Task MethodOf20000Lines_DoesNotThrow()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            body.AppendLine(i % 2 == 0 ? "        total += table[reader.ReadByte() & 7];" : "        if (reader.ReadInt32() > total) total--;");
        }

        await AssertAnalyzedAsync(Method(body.ToString()));
    }

    [Fact]
    public async Task Nesting1000Deep_DoesNotThrow()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 1_000; i++)
        {
            body.Append(i % 3 == 0 ? "if (reader.ReadByte() > 1) { " : i % 3 == 1 ? "for (var i" + i + " = 0; i" + i + " < total; i" + i + "++) { " : "try { ");
        }

        body.Append("total += table[reader.ReadInt32()];");
        for (var i = 999; i >= 0; i--)
        {
            body.Append(i % 3 == 2 ? " } finally { total++; }" : " }");
        }

        await AssertAnalyzedAsync(Method(body.ToString()));
    }

    [Fact]
    public async Task ExpressionNested1000Deep_DoesNotThrow()
    {
        var expression = new StringBuilder("reader.ReadInt32()");
        for (var i = 0; i < 1_000; i++)
        {
            expression.Insert(0, "(total + ").Append(')');
        }

        await AssertAnalyzedAsync(Method($"total = table[{expression}];"));
    }

    [Fact]
    public async Task SwitchOf5000Cases_DoesNotThrow()
    {
        var body = new StringBuilder("switch (reader.ReadInt32()) {\n");
        for (var i = 0; i < 5_000; i++)
        {
            body.AppendLine($"    case {i}: total += table[total & 7]; break;");
        }

        body.AppendLine("    default: total = table[total]; break; }");
        await AssertAnalyzedAsync(Method(body.ToString()));
    }

    [Fact]
    public async Task MethodWith500Locals_DoesNotThrow()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            body.AppendLine($"        var v{i} = reader.ReadInt32();");
            body.AppendLine($"        if (v{i} < 0 || v{i} >= table.Length) return;");
        }

        for (var i = 0; i < 500; i++)
        {
            body.AppendLine($"        total += table[v{i}] + table[v{(i * 7) % 500}];");
        }

        await AssertAnalyzedAsync(Method(body.ToString()));
    }

    private static string Method(string body) => $$"""
        using System.IO;

        class Worst
        {
            void Run(BinaryReader reader, int[] table)
            {
                var total = 0;
                {{body}}
            }
        }
        """;

    private static async Task AssertAnalyzedAsync(string source)
    {
        var compilation = await Compilations.CreateAsync(source);
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers);
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }
}
