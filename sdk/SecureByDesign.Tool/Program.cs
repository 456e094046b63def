using System;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Tool
{
    /// <summary>The <c>sbd</c> entry point.</summary>
    public static class Program
    {
        /// <summary>Runs the command line; exit 0 success, 1 a problem found or an operation failed, 2 usage.</summary>
        public static int Main(string[] args) => args.Length > 0 && args[0] == RunnerHost.Verb
            ? RunnerHost.Run(args[1..])
            : Cli.Run(args, Console.Out, Console.Error);
    }
}
