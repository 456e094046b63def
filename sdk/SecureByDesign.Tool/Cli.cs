using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;
using SecureByDesign.Tool.Commands;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Tool
{
    /// <summary>The command tree, and the exit codes every verb shares.</summary>
    public static class Cli
    {
        /// <summary>Success: the repository verifies, or the operation was done.</summary>
        public const int Ok = 0;

        /// <summary>A problem: the repository does not verify, or the operation could not be done.</summary>
        public const int Problem = 1;

        /// <summary>The command line is wrong.</summary>
        public const int Usage = 2;

        /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams.</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error)
        {
            var context = new CommandContext(output, error);
            if (ConformanceClient.Claims(args))
            {
                return Guard(error, () => ConformanceClient.Run(args, context));
            }

            var root = new RootCommand("sbd: keys, signing and verification of TUF content repositories, and scans of C# sources (SecureByDesign)");
            root.Subcommands.Add(KeygenCommand.Create(context));
            root.Subcommands.Add(InitCommand.Create(context));
            root.Subcommands.Add(AddTargetCommand.Create(context));
            root.Subcommands.Add(SignCommand.Create(context));
            root.Subcommands.Add(RotateCommand.Create(context));
            root.Subcommands.Add(DelegateCommand.Create(context));
            root.Subcommands.Add(VerifyCommand.Create(context));
            root.Subcommands.Add(ScanCommand.Create(context));
            root.Subcommands.Add(FuzzCommand.Create(context));

            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (ParseError parseError in parsed.Errors)
                {
                    error.WriteLine("usage: " + parseError.Message);
                }

                error.WriteLine("Run 'sbd --help' for the commands and their options.");
                return Usage;
            }

            return Guard(error, () => parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }));
        }

        /// <summary>
        /// Runs a command so that nothing escapes: a problem or an I/O error is one line on standard error and
        /// exit code 1, and so is any other exception (<c>error: MESSAGE (TYPE)</c>, a bug to report).
        /// </summary>
        internal static int Guard(TextWriter error, Func<int> command)
        {
            try
            {
                return command();
            }
            catch (UpdateException e)
            {
                error.WriteLine(e.ToProblem().ToString());
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                error.WriteLine(e.Message);
            }
#pragma warning disable CA1031 // The last resort: a command line tool reports, it does not crash with a stack trace.
            catch (Exception e)
#pragma warning restore CA1031
            {
                error.WriteLine($"error: {OneLine(e.Message)} ({e.GetType().Name})");
            }

            return Problem;
        }

        private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
    }

    /// <summary>What every command writes to.</summary>
    public sealed class CommandContext
    {
        /// <summary>Creates the context.</summary>
        public CommandContext(TextWriter output, TextWriter error)
        {
            Output = output;
            Error = error;
        }

        /// <summary>Standard output.</summary>
        public TextWriter Output { get; }

        /// <summary>Standard error.</summary>
        public TextWriter Error { get; }
    }
}
