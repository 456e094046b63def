using SecureByDesign.Tool.Scanning;

namespace SecureByDesign.Tool.Tests;

/// <summary>Which projects are programs beside a library, and left out of a scan.</summary>
public sealed class SourceSetTests : IDisposable
{
    private const string Library = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>";
    private const string Program = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbd-sources-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private IReadOnlyList<string> Kept() =>
        SourceSet.Find(_dir, SourceSet.DefaultExclusions).WithoutPrograms().Files.Select(f => Path.GetRelativePath(_dir, f).Replace('\\', '/')).ToList();

    [Fact]
    public void OutputTypeInACommentOrUnderACondition_IsNoProgram()
    {
        Write("Parser/Parser.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><!-- <OutputType>Exe</OutputType> --><PropertyGroup Condition=\"'$(Demo)' == 'true'\"><OutputType>Exe</OutputType></PropertyGroup></Project>");
        Write("Parser/Parser.cs", "class Parser { }");
        Write("Parser/Reader.cs", "class Reader { }");
        Write("Tool/Tool.csproj", Program);
        Write("Tool/Tool.cs", "class Tool { }");

        Assert.Equal(new[] { "Parser/Parser.cs", "Parser/Reader.cs" }, Kept());
    }

    [Fact]
    public void ProgramsThatAreMostOfTheFolder_AreKept()
    {
        // A server beside its contracts: the server is the code to review.
        Write("Server/Server.csproj", Program);
        Write("Server/Listener.cs", "class Listener { }");
        Write("Contracts/Contracts.csproj", Library);
        Write("Contracts/Dto.cs", "class Dto { }");

        Assert.Equal(new[] { "Contracts/Dto.cs", "Server/Listener.cs" }, Kept());
    }

    [Fact]
    public void SharedAndHelperProjectsOfTests_AreLeftOut_ALibraryWhoseNameHoldsTestIsKept()
    {
        Write("Parser/Parser.cs", "class Parser { }");
        Write("ParserTests.Shared/Fixtures.cs", "class Fixtures { }");
        Write("Parser.Tests.Common/Assets.cs", "class Assets { }");
        Write("Parser.Test.Utilities/Files.cs", "class Files { }");
        Write("TestHelpers/Streams.cs", "class Streams { }");
        Write("Attestation/Quote.cs", "class Quote { }");

        Assert.Equal(new[] { "Attestation/Quote.cs", "Parser/Parser.cs" }, Kept());
    }
}
