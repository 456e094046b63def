using System;
using System.Collections.Generic;
using System.IO;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>How to start a runner: the program and the arguments before the runner's own.</summary>
    /// <param name="FileName">The program: the <c>dotnet</c> host or the <c>sbd</c> apphost.</param>
    /// <param name="Prefix">The arguments that select the runner (<c>sbd.dll resilience-runner</c>).</param>
    public sealed record RunnerCommand(string FileName, IReadOnlyList<string> Prefix)
    {
        /// <summary>The runner inside the <c>sbd</c> at <paramref name="sbdDll"/>, started with the running <c>dotnet</c> host.</summary>
        public static RunnerCommand ForTool(string sbdDll) => new(DotNetHost(), new[] { sbdDll, RunnerHost.Verb });

        /// <summary>
        /// The <c>dotnet</c> host: this process's own when it is one, else <c>DOTNET_HOST_PATH</c> (set by the SDK for
        /// the tools and tests it starts), else <c>dotnet</c> on the path.
        /// </summary>
        public static string DotNetHost()
        {
            string? self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                return self;
            }

            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        }
    }
}
