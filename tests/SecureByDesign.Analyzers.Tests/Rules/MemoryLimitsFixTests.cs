using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryLimitsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>The fixes that put a named limit in front of sizes, counts, whole reads and stackallocs (SBD2003, SBD2004, SBD2006, SBD2007).</summary>
public class MemoryLimitsFixTests
{
    [Fact]
    public async Task AllocationAndLoop_FixAllRejectsAboveOneNamedMaximum()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Parser
            {
                List<int[]> Read(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    var rows = new List<int[]>();
                    for (var i = 0; {|#1:i < count|}; i++)
                    {
                        rows.Add(new int[4]);
                    }

                    var last = new int[{|#0:count|}];
                    return rows;
                }
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using System.IO;

            class Parser
            {
                private const int MaxCount = 1024 * 1024;

                List<int[]> Read(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    var rows = new List<int[]>();
                    if ((uint)count > MaxCount)
                    {
                        throw new InvalidDataException("'count' is larger than MaxCount.");
                    }

                    for (var i = 0; i < count; i++)
                    {
                        rows.Add(new int[4]);
                    }

                    var last = new int[count];
                    return rows;
                }
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 8)", "new int[count]"),
                VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("count", "BinaryReader.ReadInt32 (line 8)"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task WholeReadAndAllocation_FixUseTheConfiguredMaxAllocation()
    {
        const string source = """
            using System.IO;

            class Loader
            {
                byte[] Load(string path, BinaryReader reader)
                {
                    using var file = File.OpenRead(path);
                    var copy = new MemoryStream();
                    {|#0:file.CopyTo(copy)|};
                    var count = reader.ReadInt32();
                    var table = new int[{|#1:count|}];
                    return copy.ToArray();
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class Loader
            {
                private const int MaxCount = 1 * 1024;
                private const long MaxContentBytes = 4 * 1024;

                byte[] Load(string path, BinaryReader reader)
                {
                    using var file = File.OpenRead(path);
                    var copy = new MemoryStream();
                    if (file.Length > MaxContentBytes)
                    {
                        throw new InvalidDataException("'file' is larger than MaxContentBytes.");
                    }

                    file.CopyTo(copy);
                    var count = reader.ReadInt32();
                    if ((uint)count > MaxCount)
                    {
                        throw new InvalidDataException("'count' is larger than MaxCount.");
                    }

                    var table = new int[count];
                    return copy.ToArray();
                }
            }
            """;

        // The fixed code must be quiet under the same settings: the limits come from max_allocation, not a constant of the fixer.
        const string config = "root = true\n[*.cs]\nsecure_by_design.max_allocation = 4096\n";
        var test = new VerifyCS.Test { TestCode = source, FixedCode = fixedSource };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2006").WithLocation(0).WithArguments("file.CopyTo(copy)", "'file' (from File.OpenRead (line 7))"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("count", "BinaryReader.ReadInt32 (line 10)", "new int[count]"));
        await test.RunAsync();
    }

    [Fact]
    public async Task WholeRead_FixRejectsLongContentFirst()
    {
        const string source = """
            using System.IO;

            class Loader
            {
                byte[] Load(string path)
                {
                    using var file = File.OpenRead(path);
                    var copy = new MemoryStream();
                    {|#0:file.CopyTo(copy)|};
                    return copy.ToArray();
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class Loader
            {
                private const long MaxContentBytes = 16 * 1024 * 1024;

                byte[] Load(string path)
                {
                    using var file = File.OpenRead(path);
                    var copy = new MemoryStream();
                    if (file.Length > MaxContentBytes)
                    {
                        throw new InvalidDataException("'file' is larger than MaxContentBytes.");
                    }

                    file.CopyTo(copy);
                    return copy.ToArray();
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [VerifyCS.Diagnostic("SBD2006").WithLocation(0).WithArguments("file.CopyTo(copy)", "'file' (from File.OpenRead (line 7))")],
            fixedSource);
    }

    [Fact]
    public async Task Stackalloc_FixFallsBackToTheHeapAboveTheCap()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                int Read(BinaryReader reader)
                {
                    var n = reader.ReadInt32();
                    Span<int> values = {|#0:stackalloc int[n]|};
                    return values.Length;
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                int Read(BinaryReader reader)
                {
                    var n = reader.ReadInt32();
                    Span<int> values = n <= 256 ? stackalloc int[n] : new int[n];
                    return values.Length;
                }
            }
            """;

        // The heap fallback is an allocation sized by content: SBD2003 now asks for its own bound.
        var test = new VerifyCS.Test { TestCode = source, FixedCode = fixedSource, CodeFixTestBehaviors = Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.FixOne | Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipFixAllCheck };
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("n", " (from BinaryReader.ReadInt32 (line 8))", 1024));
        test.FixedState.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2003").WithSpan(9, 67, 9, 68).WithArguments("n", "BinaryReader.ReadInt32 (line 8)", "new int[n]"));
        await VerifyCS.RunAsync(test);
    }
}
