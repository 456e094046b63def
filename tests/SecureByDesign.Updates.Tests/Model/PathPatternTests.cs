using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Tests.Model;

public class PathPatternTests
{
    [Theory]
    [InlineData("*", "a.txt", true)]
    [InlineData("*", "dir/a.txt", false)]
    [InlineData("dir/*", "dir/a.txt", true)]
    [InlineData("*/a.txt", "dir/a.txt", true)]
    [InlineData("dir/?.txt", "dir/a.txt", true)]
    [InlineData("dir/?.txt", "dir/ab.txt", false)]
    [InlineData("dir/[ab].txt", "dir/b.txt", true)]
    [InlineData("dir/[!ab].txt", "dir/b.txt", false)]
    [InlineData("dir/[a-c]*", "dir/cat", true)]
    [InlineData("Dir/*", "dir/a", false)]
    [InlineData("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("a[b", "a[b", true)]
    public void Matches_LikePythonTuf(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, PathPattern.Matches(pattern, path));
    }
}
