namespace SecureByDesign.Updates.Tests.Support;

/// <summary>
/// A test that runs tuf-js with Node.js. On a machine without Node.js it is skipped, with the reason in the test
/// report, so that `dotnet test` works with the .NET SDK alone; CI sets SBD_REQUIRE_NODE=1 (.ci/run), and there a
/// missing Node.js fails the test instead of skipping it.
/// </summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute() => Skip = NodeAvailability.SkipReason;
}

/// <inheritdoc cref="NodeFactAttribute"/>
public sealed class NodeTheoryAttribute : TheoryAttribute
{
    public NodeTheoryAttribute() => Skip = NodeAvailability.SkipReason;
}

internal static class NodeAvailability
{
    public static string? SkipReason { get; } = Find();

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("SBD_REQUIRE_NODE") == "1")
        {
            return null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe", "npm.cmd" } : new[] { "node", "npm" };
        var found = names.All(name => path.Split(Path.PathSeparator).Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, name))));
        return found ? null : "Node.js and npm are not on PATH: the tuf-js interoperability tests need them (CI installs them and requires these tests)";
    }
}
