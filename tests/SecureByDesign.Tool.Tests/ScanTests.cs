using System.Text.Json;
using SecureByDesign.Tool;

namespace SecureByDesign.Tool.Tests;

/// <summary><c>sbd scan</c> over small folders of sources written to a temp folder, as a reviewer would point it at a library.</summary>
public sealed class ScanTests : IDisposable
{
    private const string Parser = """
        using System.IO;

        public static class Parser
        {
            private static readonly int[] Table = new int[16];

            public static int Read(BinaryReader reader)
            {
                var index = reader.ReadInt32();
                return Table[index];
            }
        }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbd-scan-" + Guid.NewGuid().ToString("N"));

    public ScanTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static (int Exit, string Output, string Error) Sbd(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Cli.Run(args, output, error);
        return (exit, output.ToString().Replace("\r", string.Empty, StringComparison.Ordinal), error.ToString());
    }

    private static string[] Findings(string output) =>
        output.Split('\n').Where(l => l.Contains(": warning SBD", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void UncheckedIndex_IsReportedAsTheCompilerWould_WithCountsAndTimes()
    {
        Write("src/Parser.cs", Parser);
        (int exit, string output, string error) = Sbd("scan", _dir);
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, error);
        string finding = Assert.Single(Findings(output));
        Assert.StartsWith("src/Parser.cs(10,16): warning SBD2001: ", finding, StringComparison.Ordinal);
        Assert.Contains("\nSBD2001: 1\n", output, StringComparison.Ordinal);
        Assert.Contains("scanned: 1 files, 12 lines; left out: nothing", output, StringComparison.Ordinal);
        Assert.Contains("findings: 1, 833.33 per 10k lines", output, StringComparison.Ordinal);
        Assert.Matches(@"time: parse \d+\.\d\d s \+ bind \d+\.\d\d s = compile \d+\.\d\d s; analyzers -?\d+\.\d\d s", output);
        Assert.Matches(@"processor time: bind \d+\.\d\d s; analyzers -?\d+\.\d\d s", output);
        Assert.Contains("compile errors: 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("analyzer exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckedIndex_ExitsZero()
    {
        Write("Parser.cs", Parser.Replace("return Table[index];", "if ((uint)index >= (uint)Table.Length) return -1;\n        return Table[index];", StringComparison.Ordinal));
        (int exit, string output, _) = Sbd("scan", _dir);
        Assert.Equal(0, exit);
        Assert.Empty(Findings(output));
        Assert.Contains("findings: 0, 0.00 per 10k lines", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceThatDoesNotCompile_StillGetsFindings()
    {
        Write("Parser.cs", Parser.Replace("var index = reader.ReadInt32();", "var index = reader.ReadInt32();\n        MissingType unknown = Missing.Call(index);", StringComparison.Ordinal));
        (int exit, string output, _) = Sbd("scan", _dir);
        Assert.Equal(1, exit);
        Assert.StartsWith("Parser.cs(11,16): warning SBD2001: ", Assert.Single(Findings(output)), StringComparison.Ordinal);
        Assert.Contains("compile errors: 2: CS0103 x1, CS0246 x1 (the analyzers ran all the same)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TestsSamplesBenchmarksAndBuildOutput_AreLeftOut_UnlessAsked()
    {
        Write("src/Parser.cs", Parser);
        foreach (string folder in new[] { "tests", "src/Parser.Tests", "samples", "src/obj", "bin", ".git", "Test", "examples", "perf/Parser.Benchmarks", "Benchmark", "src/Benchmarking" })
        {
            Write(folder + "/Copy.cs", Parser.Replace("class Parser", "class Copy" + Math.Abs(folder.GetHashCode(StringComparison.Ordinal)), StringComparison.Ordinal));
        }

        (_, string output, _) = Sbd("scan", _dir);
        Assert.Equal(2, Findings(output).Length); // src/Parser.cs, and src/Benchmarking: a name that only starts like one.
        Assert.Contains("left out: .git/, Benchmark/, Test/, bin/, examples/, perf/Parser.Benchmarks/, samples/, src/Parser.Tests/, src/obj/, tests/", output, StringComparison.Ordinal);

        (_, output, _) = Sbd("scan", _dir, "--no-default-excludes");
        Assert.Equal(12, Findings(output).Length);

        (_, output, _) = Sbd("scan", _dir, "--exclude", "s*c");
        Assert.Empty(Findings(output));
    }

    [Fact]
    public void ProgramsBesideALibrary_AreLeftOut_UnlessAsked_AndAFolderOfProgramsIsScanned()
    {
        // A parser library's repository: the library, and a generator, a fuzzing harness and a demo that are programs
        // (fewer files than the library: programs that are most of a folder are its code, and stay).
        Write("src/Parser/Parser.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>");
        Write("src/Parser/Parser.cs", Parser);
        foreach (int i in new[] { 1, 2, 3 })
        {
            Write($"src/Parser/Part{i}.cs", $"class Part{i} {{ }}");
        }

        Write("src/Generator/Generator.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>");
        Write("src/Generator/Copy.cs", Parser.Replace("class Parser", "class Generated", StringComparison.Ordinal));
        Write("fuzz/Harness.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType> winexe </OutputType></PropertyGroup></Project>");
        Write("fuzz/Copy.cs", Parser.Replace("class Parser", "class Fuzzed", StringComparison.Ordinal));
        Write("demo/Old.csproj", "<VisualStudioProject><CSHARP><Build><Settings OutputType = \"Exe\" /></Build></CSHARP></VisualStudioProject>");
        Write("demo/Copy.cs", Parser.Replace("class Parser", "class Demo", StringComparison.Ordinal));

        (_, string output, _) = Sbd("scan", _dir);
        Assert.StartsWith("src/Parser/Parser.cs(", Assert.Single(Findings(output)), StringComparison.Ordinal);
        Assert.Contains("programs left out (--include-programs scans them): demo/, fuzz/, src/Generator/", output, StringComparison.Ordinal);
        Assert.Contains("scanned: 4 files,", output, StringComparison.Ordinal);

        (_, output, _) = Sbd("scan", _dir, "--include-programs");
        Assert.Equal(4, Findings(output).Length);
        Assert.DoesNotContain("programs left out", output, StringComparison.Ordinal);

        // An agent: programs only, nothing beside a library, so nothing is left out.
        (_, output, _) = Sbd("scan", Path.Combine(_dir, "src", "Generator"));
        Assert.Single(Findings(output));
        Assert.DoesNotContain("programs left out", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_HoldsTheFindingsWithRulesAndRelativeLocations()
    {
        Write("src/Parser.cs", Parser);
        string sarif = Path.Combine(_dir, "..", Path.GetFileName(_dir) + ".sarif");
        try
        {
            (int exit, _, _) = Sbd("scan", _dir, "--sarif", sarif);
            Assert.Equal(1, exit);
            using JsonDocument log = JsonDocument.Parse(File.ReadAllText(sarif));
            Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
            JsonElement run = log.RootElement.GetProperty("runs")[0];
            JsonElement rule = Assert.Single(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray());
            Assert.Equal("SBD2001", rule.GetProperty("id").GetString());
            Assert.EndsWith("docs/rules/SBD2001.md", rule.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
            JsonElement result = Assert.Single(run.GetProperty("results").EnumerateArray());
            Assert.Equal("SBD2001", result.GetProperty("ruleId").GetString());
            Assert.Equal(0, result.GetProperty("ruleIndex").GetInt32());
            Assert.Equal("warning", result.GetProperty("level").GetString());
            Assert.Contains("BinaryReader.ReadInt32", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
            JsonElement location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal("src/Parser.cs", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.Equal("SRCROOT", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
            Assert.Equal(10, location.GetProperty("region").GetProperty("startLine").GetInt32());
            Assert.Equal(16, location.GetProperty("region").GetProperty("startColumn").GetInt32());
            Assert.Equal(new Uri(_dir + "/").AbsoluteUri, run.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString());
        }
        finally
        {
            File.Delete(sarif);
        }
    }

    [Fact]
    public void ProjectFiles_ImplicitUsingsApply_AndAnUnusableVersionIsLeftOutWithWhy()
    {
        Write("src/Parser.cs", Parser.Replace("using System.IO;", string.Empty, StringComparison.Ordinal));
        Write("src/Parser.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="Vendor.Wire" Version="not a version" /></ItemGroup>
            </Project>
            """);
        (_, string output, _) = Sbd("scan", _dir);
        Assert.Single(Findings(output));
        Assert.Contains("compile errors: 0", output, StringComparison.Ordinal);
        Assert.Contains("  left out Vendor.Wire: version 'not a version' is not a NuGet version or range", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectFiles_EachProjectCompilesTheBranchItsBuildDefines_WithPropsAboveTheScannedFolder()
    {
        // The library targets .NET Framework and .NET Standard: a current application gets netstandard2.0, whose
        // DefineConstants (under a condition on the framework) and the props above the scanned folder pick the branch.
        string branches = """
            using System.IO;

            public static class Parser
            {
                private static readonly int[] Table = new int[16];

                public static int Read(BinaryReader reader)
                {
                    var index = reader.ReadInt32();
            #if LEGACY_READER || NET462
                    return index;
            #elif SHARED_PROPS && NETSTANDARD2_0 && !DEBUG && !NET10_0_OR_GREATER
                    return Table[index];
            #else
                    return 0;
            #endif
                }
            }
            """;
        Write("Directory.Build.props", """
            <Project>
              <PropertyGroup><DefineConstants>$(DefineConstants);SHARED_PROPS</DefineConstants></PropertyGroup>
            </Project>
            """);
        Write("lib/src/Parser.cs", branches);
        Write("lib/src/Parser.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFrameworks>net462;netstandard2.0</TargetFrameworks></PropertyGroup>
              <PropertyGroup Condition="'$(TargetFramework)' == 'net462'"><DefineConstants>$(DefineConstants);LEGACY_READER</DefineConstants></PropertyGroup>
              <PropertyGroup Condition=" '$(Configuration)' == 'Debug' "><DefineConstants>$(DefineConstants);DEBUG</DefineConstants></PropertyGroup>
            </Project>
            """);

        // A file in no project keeps the symbols of the framework the tool runs on.
        Write("lib/loose/Loose.cs", branches.Replace("class Parser", "class Loose", StringComparison.Ordinal).Replace("#if LEGACY_READER || NET462", "#if !NET10_0_OR_GREATER", StringComparison.Ordinal));

        (_, string output, _) = Sbd("scan", Path.Combine(_dir, "lib"));
        string finding = Assert.Single(Findings(output));
        Assert.StartsWith("src/Parser.cs(13,16): warning SBD2001: ", finding, StringComparison.Ordinal);
        Assert.Contains("symbols: src/Parser.csproj builds for netstandard2.0: TRACE;RELEASE;NETSTANDARD;NETSTANDARD2_0;", output, StringComparison.Ordinal);
        Assert.Contains(";SHARED_PROPS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectFiles_UsingItemsApply_AndAnItemThatIsNotANameIsLeftOut()
    {
        Write("src/Parser.cs", Parser.Replace("using System.IO;", string.Empty, StringComparison.Ordinal).Replace("BinaryReader reader", "Reader reader", StringComparison.Ordinal));
        Write("src/Parser.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <Using Include="System.IO.BinaryReader" Alias="Reader" />
                <Using Include="System.IO" />
                <Using Include="System;class Parser { }" />
              </ItemGroup>
            </Project>
            """);
        (_, string output, _) = Sbd("scan", _dir);
        Assert.Single(Findings(output));
        Assert.Contains("compile errors: 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectFiles_CompileItemsLinkSourcesFromOutsideTheFolder_ReportedRelativeToIt()
    {
        Write("shared/Parser.cs", Parser);
        Write("shared/deep/Unused.cs", "public static class Unused { }");
        Write("app/Program.cs", "public static class Program { }");
        Write("app/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <Compile Include="../shared/*.cs" LinkBase="Shared" />
                <Compile Include="$(Elsewhere)/*.cs" />
              </ItemGroup>
            </Project>
            """);
        (int exit, string output, _) = Sbd("scan", Path.Combine(_dir, "app"));
        Assert.Equal(1, exit);
        string finding = Assert.Single(Findings(output));
        Assert.StartsWith("../shared/Parser.cs(10,16): warning SBD2001: ", finding, StringComparison.Ordinal);
        Assert.Contains("scanned: 2 files, ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SharedProjectImport_ItsCompileItemsJoinTheCompilation()
    {
        // A shared project (a git submodule beside the library, as helper classes often come): the project imports its
        // .projitems, whose items are written relative to the .projitems itself.
        Write("infrastructure/src/Shared/Shared.projitems", """
            <?xml version="1.0" encoding="utf-8"?>
            <Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <PropertyGroup><HasSharedItems>true</HasSharedItems></PropertyGroup>
              <ItemGroup>
                <Compile Include="$(MSBuildThisFileDirectory)Guard.cs" />
                <Compile Include="$(MSBuildThisFileDirectory)Readers\*.cs" />
              </ItemGroup>
              <Import Project="$(MSBuildThisFileDirectory)..\More\More.projitems" />
              <Import Project="$(MSBuildThisFileDirectory)Shared.projitems" />
            </Project>
            """);
        Write("infrastructure/src/Shared/Guard.cs", """
            public static class Guard
            {
                public static void MustBeLessThan(int value, int max, string name)
                {
                    if (value >= max) throw new System.ArgumentOutOfRangeException(name);
                }
            }
            """);
        Write("infrastructure/src/Shared/Readers/Parser.cs", Parser);
        Write("infrastructure/src/Shared/NotInTheProject.cs", "public static class NotInTheProject { int broken = ; }");
        Write("infrastructure/src/More/More.projitems", """
            <Project>
              <ItemGroup><Compile Include="$(MSBuildThisFileDirectory)Helper.cs" /></ItemGroup>
            </Project>
            """);
        Write("infrastructure/src/More/Helper.cs", "public static class Helper { public const int Max = 16; }");
        Write("src/Library/Decoder.cs", """
            public static class Decoder
            {
                public static void Check(int value) => Guard.MustBeLessThan(value, Helper.Max, nameof(value));
            }
            """);
        Write("src/Library/Library.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="..\..\infrastructure\src\Shared\Shared.projitems" Label="Shared" />
              <Import Project="..\..\build\Missing.projitems" />
              <Import Project="$(SomewhereElse)\Other.projitems" />
            </Project>
            """);
        (int exit, string output, _) = Sbd("scan", Path.Combine(_dir, "src", "Library"));
        Assert.Equal(1, exit);
        Assert.Contains("compile errors: 0", output, StringComparison.Ordinal);
        Assert.Contains("scanned: 4 files, ", output, StringComparison.Ordinal);
        string finding = Assert.Single(Findings(output));
        Assert.StartsWith("../../infrastructure/src/Shared/Readers/Parser.cs(10,16): warning SBD2001: ", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryBuildPropsAboveTheFolder_AndThePropsItImports_GiveTheSettings()
    {
        // Implicit usings and a global using turned on in a .props file that the Directory.Build.props above the
        // scanned folder imports (a build settings submodule); without them nothing below binds.
        Write("build/props/Common.props", """
            <Project>
              <PropertyGroup><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup Condition="'$(ImplicitUsings)' == 'enable'"><Using Include="Company.Helpers" /></ItemGroup>
            </Project>
            """);
        Write("Directory.Build.props", """
            <Project>
              <Import Project="$(MSBuildThisFileDirectory)build\props\Common.props" />
              <Import Project="$(MSBuildThisFileDirectory)build\props\Missing.props" />
            </Project>
            """);
        Write("src/Library/Helpers.cs", "namespace Company.Helpers { public static class Limits { public const int Max = 16; } }");
        Write("src/Library/Parser.cs", """
            public static class Parser
            {
                private static readonly int[] Table = new int[Limits.Max];

                public static int Read(Stream stream, List<int> seen)
                {
                    var index = stream.ReadByte();
                    return Table[index];
                }
            }
            """);
        Write("src/Library/Library.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        (_, string output, _) = Sbd("scan", Path.Combine(_dir, "src", "Library"));
        Assert.Contains("compile errors: 0", output, StringComparison.Ordinal);
        Assert.StartsWith("Parser.cs(8,16): warning SBD2001: ", Assert.Single(Findings(output)), StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectFiles_RecursiveCompileItems_FindEveryFileBelow()
    {
        Write("shared/deep/Parser.cs", Parser);
        Write("app/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><Compile Include="..\shared\**\*.cs" /></ItemGroup>
            </Project>
            """);
        (_, string output, _) = Sbd("scan", Path.Combine(_dir, "app"));
        string finding = Assert.Single(Findings(output));
        Assert.StartsWith("../shared/deep/Parser.cs(10,16): warning SBD2001: ", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void PackageReference_IsRestored_AndItsTypesBind()
    {
        Write("Settings.cs", """
            using Newtonsoft.Json;

            public static class Settings
            {
                public static object Load(string json) =>
                    JsonConvert.DeserializeObject(json, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All })!;
            }
            """);
        Write("Settings.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup>
            </Project>
            """);
        (int exit, string output, _) = Sbd("scan", _dir);
        Assert.Equal(1, exit);
        Assert.Contains("packages: restored Newtonsoft.Json 13.0.3", output, StringComparison.Ordinal);
        Assert.Contains("compile errors: 0", output, StringComparison.Ordinal);
        Assert.StartsWith("Settings.cs(6,", Assert.Single(Findings(output), f => f.Contains("SBD1001", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void NoRestore_LeavesThePackagesOut_AndStillAnalyzes()
    {
        Write("src/Parser.cs", Parser);
        Write("src/Parser.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup>
            </Project>
            """);
        (int exit, string output, _) = Sbd("scan", _dir, "--no-restore");
        Assert.Equal(1, exit);
        Assert.Single(Findings(output));
        Assert.Contains("packages: none restored\n  left out Newtonsoft.Json: not restored (--no-restore)\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolder_IsUsage()
    {
        (int exit, _, string error) = Sbd("scan", Path.Combine(_dir, "absent"));
        Assert.Equal(2, exit);
        Assert.Contains("folder not found", error, StringComparison.Ordinal);
    }
}
