using System.Diagnostics;
using System.Text;

namespace SecureByDesign.EndToEnd.Tests.Infrastructure;

/// <summary>What a finished <c>dotnet</c> process printed, and its exit code.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Text for assertion messages: the command and everything it printed.</summary>
    public string Describe() => $"`{CommandLine}` exited with {ExitCode}:{Environment.NewLine}{Output}";
}

/// <summary>Runs the <c>dotnet</c> CLI the tests themselves run under, in a clean environment.</summary>
public static class DotNet
{
    /// <summary>Restores, builds and formats of a small project take seconds; a cold machine is slower.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, ITestOutputHelper? log, params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        return RunProgram(host, "dotnet", Timeout, workingDirectory, environment, log, arguments);
    }

    /// <summary>Another program (a script that runs dotnet itself), in the same clean environment, with its own time limit.</summary>
    public static ProcessResult RunProgram(string program, string displayName, TimeSpan timeout, string workingDirectory, IReadOnlyDictionary<string, string>? environment, ITestOutputHelper? log, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` hands MSBuild's own settings to its children (SDK paths, node settings): a child
        // build must find its SDK by itself, as on a user's machine.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // English messages ("warning SBD...") whatever the machine's language.
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No build nodes or servers that outlive the command (they would keep the output pipes open).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var commandLine = displayName + " " + string.Join(" ", arguments);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;

        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout}:{Environment.NewLine}{output}");
        }

        process.WaitForExit(); // Drains the output handlers.
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        var result = new ProcessResult(commandLine, process.ExitCode, text);
        log?.WriteLine($"> {commandLine}  (in {workingDirectory}, {clock.Elapsed.TotalSeconds:F1} s, exit code {result.ExitCode})");
        log?.WriteLine(text);
        return result;
    }
}
