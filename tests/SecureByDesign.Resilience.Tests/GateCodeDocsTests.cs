using SecureByDesign.Resilience.Fuzzing;

namespace SecureByDesign.Resilience.Tests;

public class GateCodeDocsTests
{
    private static readonly string[] AllCodes = typeof(GateCodes).GetFields()
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .Where(value => value.StartsWith("SBD", StringComparison.Ordinal))
        .ToArray();

    public static TheoryData<string> Codes() => new(AllCodes);

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryCode_HasItsPage_TitledWithTheCode(string code)
    {
        string page = Path.Combine(RepositoryRoot(), "docs", "gates", code + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.StartsWith($"# {code}: ", File.ReadLines(page).First(), StringComparison.Ordinal);
        Assert.Equal(GateCodes.HelpLinkBase + code + ".md", GateCodes.HelpLink(code));
    }

    [Fact]
    public void Codes_AreUnique_InTheirRanges()
    {
        Assert.Equal(8, AllCodes.Length);
        Assert.Equal(AllCodes.Length, AllCodes.Distinct().Count());
        Assert.All(AllCodes, c => Assert.Matches("^SBD(600[1-9]|70[5-9][0-9])$", c));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureByDesign.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (SecureByDesign.sln) is not above the test output.");
    }
}
