using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// The names the source calls with arguments, read from the same walk of the tokens as the names it spells: what lets
/// the type-resolution rule skip helpers in a compilation that only ever calls <c>obj.GetType()</c>.
/// </summary>
public class SpelledNamesTests
{
    private static readonly string[] Resolutions = { "GetType", "CreateInstance" };

    [Theory]
    [InlineData("class C { object M(object o) => o.GetType(); }", false)]
    [InlineData("class C { object M() => typeof(C).GetType (); }", false)]
    [InlineData("class C { object M(string n) => System.Type.GetType(n); }", true)]
    [InlineData("class C { object M(string n) => System.Type.GetType (\n n, false); }", true)]
    [InlineData("class C { object M() => System.Activator.CreateInstance<C>(); }", true)]
    [InlineData("class C { int GetType; }", false)]
    public void AnyCalledWithArguments(string source, bool called)
    {
        var compilation = CSharpCompilation.Create("test", new[] { CSharpSyntaxTree.ParseText(source) });

        var names = SpelledNames.For(compilation);

        Assert.Equal(called, names.AnyCalledWithArguments(Resolutions, CancellationToken.None));
        Assert.Equal(source.Contains("GetType") || source.Contains("CreateInstance"), names.Any(Resolutions, CancellationToken.None));
    }
}
