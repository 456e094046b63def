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

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static (int ExitCode, string Output) Execute(string program, IEnumerable<string> arguments) => Execute(program, arguments, Timeout);

    /// <summary>Runs <paramref name="program"/>; its standard output then its standard error. Killed, with its children, at <paramref name="timeout"/>.</summary>
    internal static (int ExitCode, string Output) Execute(string program, IEnumerable<string> arguments, TimeSpan timeout)
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
        // Both pipes are drained asynchronously, so the timeout runs while the process writes (or hangs).
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited just now.
            }

            throw new TimeoutException($"{program} did not finish in {timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        return (process.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
    }
}
