using System.Runtime.InteropServices;
using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// sbd runs on the .NET 8 runtime, which a vendor's CI may have instead of .NET 10: a self-contained net8.0 publish
/// (the 8.0 runtime comes from NuGet's runtime pack, at the version this SDK picks) verifies a repository and
/// rejects a tampered one. One publish, in a temporary folder, so the repository's build output is untouched.
/// </summary>
public sealed class SbdOnDotNet8Tests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbd-net8-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void SelfContainedNet8Sbd_VerifiesAndRejects()
    {
        var output = Path.Combine(_dir, "sbd");
        var publish = DotNet.Run(
            RepositoryPaths.Root,
            environment: null,
            log,
            "publish", Path.Combine(RepositoryPaths.Root, "sdk", "SecureByDesign.Tool", "SecureByDesign.Tool.csproj"),
            "-f", "net8.0", "-r", PortableRuntimeIdentifier(), "--self-contained", "-c", "Release",
            "--artifacts-path", Path.Combine(_dir, "artifacts"), "-o", output, "-nologo");
        Assert.True(publish.Succeeded, publish.Describe());
        var coreLib = Path.Combine(output, "System.Private.CoreLib.dll");
        Assert.Equal(8, System.Reflection.AssemblyName.GetAssemblyName(coreLib).Version!.Major);

        var repository = ContentRepository.Create(Path.Combine(_dir, "repository"), """{"rollout":{"ring":"canary"}}""");
        var sbd = Path.Combine(output, OperatingSystem.IsWindows() ? "sbd.exe" : "sbd");

        var verified = Run(sbd, "verify", "--root", repository.TrustedRoot, "--repo", repository.Content, "--format", "msbuild");
        Assert.True(verified.Succeeded, verified.Describe());
        Assert.Contains("verified: root version 1, 1 target(s)", verified.Output);

        File.WriteAllText(Path.Combine(repository.Content, "targets", "channel-291.bin"), "a,b,d\n");
        var rejected = Run(sbd, "verify", "--root", repository.TrustedRoot, "--repo", repository.Content, "--format", "msbuild");
        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains(": error SBD5008: targets/channel-291.bin: sha256 ", rejected.Output);
    }

    private static string PortableRuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return os + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
    }

    private ProcessResult Run(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var result = new ProcessResult(program + " " + string.Join(' ', arguments), process.ExitCode, stdout + stderr.Result);
        log.WriteLine(result.Describe());
        return result;
    }
}
