using System.Diagnostics;

namespace SecureByDesign.Updates.Tests.Support;

/// <summary>Runs the tuf-js interoperability scripts with Node.js, installing their npm packages once.</summary>
internal static class Node
{
    private static readonly object InstallLock = new();

    public static string InteropDirectory => Path.Combine(AppContext.BaseDirectory, "Interop");

    public static (int ExitCode, string Output) Run(string script, params string[] arguments)
    {
        EnsureInstalled();
        return Execute("node", new[] { script }.Concat(arguments));
    }

    private static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (Directory.Exists(Path.Combine(InteropDirectory, "node_modules", "tuf-js")))
            {
                return;
            }

            (int exit, string output) = Execute("npm", new[] { "ci", "--no-audit", "--no-fund" });
            if (exit != 0)
            {
                throw new InvalidOperationException("npm ci failed for the tuf-js interoperability tests:\n" + output);
            }
        }
    }

    private static (int ExitCode, string Output) Execute(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 120 s");
        }

        return (process.ExitCode, output + error.Result);
    }
}
