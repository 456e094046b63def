using System.Security;

namespace SecureByDesign.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A fresh folder that stands in for a user's repository: a nuget.config that sees only the packed
/// packages, a package cache of its own (so no SecureByDesign package from another run is used), and
/// empty Directory.Build files so nothing above the temporary folder leaks in. Projects are copied in
/// (the sample) or written by <see cref="WriteProject"/>.
/// </summary>
public sealed class ConsumerWorkspace
{
    private readonly PackedPackages packages;
    private readonly ITestOutputHelper log;
    private readonly Dictionary<string, string> environment;

    private ConsumerWorkspace(PackedPackages packages, ITestOutputHelper log, string root)
    {
        this.packages = packages;
        this.log = log;
        Root = root;
        environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(root, ".packages") };
    }

    public string Root { get; }

    public static ConsumerWorkspace Create(PackedPackages packages, ITestOutputHelper log, string name)
    {
        var root = Directory.CreateDirectory(Path.Combine(packages.WorkRoot, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var workspace = new ConsumerWorkspace(packages, log, root);
        workspace.WriteFile("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{SecurityElement.Escape(packages.Feed)}" />
              </packageSources>
            </configuration>
            """);
        workspace.WriteFile("Directory.Build.props", "<Project />");
        workspace.WriteFile("Directory.Build.targets", "<Project />");
        workspace.WriteFile("Directory.Packages.props", "<Project />");
        return workspace;
    }

    /// <summary>The same workspace, logging to another test's output.</summary>
    public ConsumerWorkspace WithLog(ITestOutputHelper testLog) => new(packages, testLog, Root);

    /// <summary>
    /// Copies samples/ (its Directory.Build files, projects, content and run.sh, without build output) into the
    /// workspace; the samples' nuget.config is left out, so the workspace's feed is used.
    /// </summary>
    public void CopySamples()
    {
        var source = RepositoryPaths.Samples;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Any(p => p is "bin" or "obj") || parts[^1] is "nuget.config")
            {
                continue;
            }

            var target = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>
    /// Writes <c>{name}/{name}.csproj</c>, a net10.0 library that references both packages at the packed
    /// version, and the given source files next to it. Returns the project's folder.
    /// </summary>
    public string WriteProject(string name, params (string Path, string Text)[] files)
    {
        WriteFile(Path.Combine(name, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackages.AnalyzersId}" Version="{packages.Version}" PrivateAssets="all" />
                <PackageReference Include="{PackedPackages.AnnotationsId}" Version="{packages.Version}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (path, text) in files)
        {
            WriteFile(Path.Combine(name, path), text);
        }

        return Path.Combine(Root, name);
    }

    /// <summary>
    /// Writes <c>{name}/{name}.csproj</c>, a net10.0 library on the packed SecureByDesign.Sdk (the one-line
    /// <c>&lt;Sdk&gt;</c> form), with the given MSBuild properties and source files. The version is on the element, or
    /// with <paramref name="versionInGlobalJson"/> in the workspace's global.json (<c>msbuild-sdks</c>). Returns the project's folder.
    /// </summary>
    public string WriteSdkProject(string name, IReadOnlyDictionary<string, string> properties, bool versionInGlobalJson, params (string Path, string Text)[] files)
    {
        var version = $" Version=\"{packages.Version}\"";
        if (versionInGlobalJson)
        {
            WriteFile("global.json", $$"""{ "msbuild-sdks": { "{{PackedPackages.SdkId}}": "{{packages.Version}}" } }""");
            version = string.Empty;
        }

        var settings = string.Concat(properties.Select(p => $"    <{p.Key}>{SecurityElement.Escape(p.Value)}</{p.Key}>\n"));
        WriteFile(Path.Combine(name, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="{PackedPackages.SdkId}"{version} />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <PropertyGroup>
            {settings}  </PropertyGroup>
            </Project>
            """);
        foreach (var (path, text) in files)
        {
            WriteFile(Path.Combine(name, path), text);
        }

        return Path.Combine(Root, name);
    }

    public string WriteFile(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary><c>dotnet build</c> of a project (folder or file, relative to the workspace), restore included.</summary>
    public ProcessResult Build(string project, params string[] extraArguments) =>
        Run(["build", project, "-nologo", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false", .. extraArguments]);

    /// <summary>
    /// A bash script of the workspace, run in it with its nuget.config and package cache; the <c>dotnet</c> it runs is
    /// the one the tests run under.
    /// </summary>
    public ProcessResult RunScript(string script, TimeSpan timeout, params string[] arguments)
    {
        var scriptEnvironment = new Dictionary<string, string>(environment);
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            scriptEnvironment["PATH"] = Path.GetDirectoryName(host) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        }

        return DotNet.RunProgram("bash", "bash", timeout, Root, scriptEnvironment, log, [script, .. arguments]);
    }

    /// <summary>Any dotnet command, run in the workspace with its nuget.config and package cache.</summary>
    public ProcessResult Run(params string[] arguments) => DotNet.Run(Root, environment, log, arguments);
}
