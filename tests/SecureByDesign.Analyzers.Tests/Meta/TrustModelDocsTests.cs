using System.Text;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Tests.Meta;

/// <summary>
/// docs/trust-model.md is generated from the catalog, the annotations and the .editorconfig keys. This test fails when
/// it is stale; run it with SBD_UPDATE_DOCS=1 to rewrite it.
/// </summary>
public class TrustModelDocsTests
{
    private const string Page = "docs/trust-model.md";

    [Fact]
    public void TrustModelPage_MatchesTheCatalog()
    {
        var path = Path.Combine(Catalog.RepositoryRoot, Page);
        var expected = Generate();
        if (Environment.GetEnvironmentVariable("SBD_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.True(File.Exists(path), $"{Page} is missing: run SBD_UPDATE_DOCS=1 dotnet test --filter TrustModelDocsTests");
        Assert.True(expected == File.ReadAllText(path).ReplaceLineEndings("\n"), $"{Page} is stale: run SBD_UPDATE_DOCS=1 dotnet test --filter TrustModelDocsTests");
    }

    [Fact]
    public void EveryRole_IsDescribedOnce_AndEveryEntryHasARole()
    {
        var described = TrustCatalog.Roles.Select(r => r.Role).ToList();
        Assert.Equal(described.Count, described.Distinct().Count());
        Assert.All(TrustCatalog.Entries, e => Assert.Contains(e.Role, described));
        Assert.All(TrustCatalog.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Note), $"{e.Type}.{e.Member} has no note"));
    }

    private static string Generate()
    {
        var page = new StringBuilder();
        page.Append("# The trust model\n\n");
        page.Append("<!-- Generated from analyzers/SecureByDesign.Analyzers/Trust/ by tests/SecureByDesign.Analyzers.Tests/Meta/TrustModelDocsTests.cs:\n");
        page.Append("     do not edit; run SBD_UPDATE_DOCS=1 dotnet test tests/SecureByDesign.Analyzers.Tests --filter TrustModelDocsTests. -->\n\n");
        page.Append("What the analyzers take for untrusted content, what checks it, and where it must be checked: the catalog in\n");
        page.Append("`Trust/TrustCatalog.cs`, the vendor's annotations and the `.editorconfig` settings. Framework members are matched\n");
        page.Append("by symbol: each type is resolved once per compilation by its metadata name, and a call matches when its member is\n");
        page.Append("declared on that type or a type derived from it (a constructor only on the type itself). A type the compilation does\n");
        page.Append("not reference matches nothing. A member is a name, a prefix (`Read*`), any member (`*`) or a constructor (`.ctor`);\n");
        page.Append("a parameter is named as the framework names it, `this` for the receiver, or `#N` by position. Annotations,\n");
        page.Append("requests and configured methods are the only names matched as text.\n");

        foreach (var (role, meaning) in TrustCatalog.Roles)
        {
            page.Append($"\n## {role}\n\n{meaning}\n\n");
            page.Append("| Type | Member | Parameters | What |\n| --- | --- | --- | --- |\n");
            foreach (var entry in TrustCatalog.Entries.Where(e => e.Role == role))
            {
                page.Append($"| `{entry.Type}` | {(entry.Member is null ? "(the type)" : $"`{entry.Member}`")} | {Parameters(entry)} | {entry.Note} |\n");
            }
        }

        page.Append("\n## Loop\n\nSink, loop: a loop whose condition compares with an untrusted count no check has capped, when its body creates\n");
        page.Append("objects or arrays or calls a method named " + string.Join(", ", TrustCatalog.LoopWork.Select(n => $"`{n}`")) + " (SBD2007).\n");
        page.Append("This one is matched in syntax, by name, before any symbol is bound, so it stays cheap on every loop.\n");

        page.Append("\n## Native verifiers\n\nPlatform functions the program declares itself (`[DllImport]`, `[LibraryImport]`), matched by library and\n");
        page.Append("entry point: each verifies the file its data argument is made from (through the structures marshalled into it) where\n");
        page.Append("its result is compared with the success code; a method of the program that returns `bool` and returns true only where\n");
        page.Append("such a check (or another verifier) held is a verifier of that parameter (SBD3001-SBD3005).\n\n");
        page.Append("| Library | Function | Data | Success | What |\n| --- | --- | --- | --- | --- |\n");
        foreach (var native in TrustCatalog.NativeVerifiers)
        {
            page.Append($"| `{native.Library}` | `{native.Function}` | `#{native.Data}` | `{native.Success}` | {native.Note} |\n");
        }

        page.Append("\n## Requests\n\nWhat a web server's client sent: these properties of a request are sources, whatever their type (a dictionary of\n");
        page.Append("cookies, a `dynamic` form), and so is what is read out of them. A request is a type named " + string.Join(", ", TrustCatalog.RequestTypes.Select(n => $"`{n}`")) + ",\n");
        page.Append("in any namespace, or a type derived from one: matched by name, as the annotations are, so a web framework's own request type\n");
        page.Append("is one when the framework itself is scanned, and ASP.NET's `HttpRequest` is one in an application. Another framework's\n");
        page.Append("members are named in `secure_by_design.content_names` (`P:Ns.Type.Property`).\n\n");
        page.Append("| Member | What |\n| --- | --- |\n");
        foreach (var (member, note) in TrustCatalog.RequestMembers)
        {
            page.Append($"| `{member}` | {note} |\n");
        }

        page.Append("\n## Reader types\n\n" + ReaderTypes.Description);
        page.Append("\n### Text readers and their tokens\n\n" + ReaderTypes.TextDescription + "\n" + ReaderTypes.ScannerDescription);
        page.Append("\n## Field sources\n\n" + SecureByDesign.Analyzers.Flow.FieldSources.Description);
        page.Append("\n" + SecureByDesign.Analyzers.Flow.FieldEffects.Description);
        page.Append("\n## Document parameters\n\n" + SecureByDesign.Analyzers.Flow.DocumentParameters.Description);

        page.Append("\n## Annotations\n\nMatched by simple name in any namespace, so a vendor can declare its own copies instead of referencing\n");
        page.Append("SecureByDesign.Annotations (`[UntrustedContent]` and `[UntrustedContentAttribute]` are the same).\n\n");
        page.Append("| Attribute | What |\n| --- | --- |\n");
        foreach (var (name, meaning) in Annotations.All)
        {
            page.Append($"| `{name}` | {meaning} |\n");
        }

        page.Append("\n## .editorconfig\n\nPer file, in `.editorconfig` or `.globalconfig` (a summarized method is read with the settings of its own file).\n");
        page.Append("The method lists take documentation-comment ids: `M:Ns.Type.Method` matches every overload,\n");
        page.Append("`M:Ns.Type.Method(System.Int32)` one, `T:Ns.Type` every method of the type, and a bare `Ns.Type.Method` reads as\n");
        page.Append("`M:Ns.Type.Method`; separate them with commas, semicolons or white space.\n\n");
        page.Append("| Key | Default | What |\n| --- | --- | --- |\n");
        foreach (var (key, value, meaning) in TrustOptions.Keys)
        {
            page.Append($"| `{key}` | {value} | {meaning} |\n");
        }

        return page.ToString();
    }

    private static string Parameters(TrustEntry entry)
    {
        var parts = new[] { ("path", entry.Path), ("data", entry.Data), ("buffer", entry.Buffer), ("offset", entry.Offset), ("length", entry.Length), ("size", entry.Size) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}: `{p.Item2}`");
        var text = string.Join(", ", parts);
        return text.Length == 0 ? string.Empty : text;
    }
}
