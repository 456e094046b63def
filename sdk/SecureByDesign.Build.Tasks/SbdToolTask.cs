using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace SecureByDesign.Build.Tasks
{
    /// <summary>
    /// Runs the SDK's copy of <c>sbd</c> as <c>dotnet exec sbd.dll ...</c>, out of MSBuild's process, and reports
    /// each <c>FILE: error SBDnnnn: MESSAGE</c> line it prints as an MSBuild error with that code, file and help link.
    /// Fails closed: a tool that cannot start, or that fails without naming a problem, is an error (SBD7007).
    /// A gate derives from it and supplies its arguments and its own checks of the project's settings.
    /// </summary>
    public abstract class SbdToolTask : ToolTask
    {
        /// <summary>The code of "the gate could not run".</summary>
        public const string CouldNotRun = "SBD7007";

        /// <summary>The sbd assembly (<c>sbd.dll</c>) the SDK package carries; overridable for tests.</summary>
        [Required]
        public string SbdPath { get; set; } = string.Empty;

        /// <summary>The <c>dotnet</c> host; empty to find it on PATH.</summary>
        public string? DotNetHost { get; set; }

        /// <summary>The lines that start with this are the tool's summary, logged at high importance.</summary>
        protected abstract string SummaryPrefix { get; }

        /// <summary>The gate's name in messages, e.g. <c>signed content</c>.</summary>
        protected abstract string GateName { get; }

        /// <inheritdoc />
        protected override string ToolName => RuntimeIsWindows ? "dotnet.exe" : "dotnet";

        /// <inheritdoc />
        protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

        private static bool RuntimeIsWindows => Path.DirectorySeparatorChar == '\\';

        /// <inheritdoc />
        public override bool Execute()
        {
            bool ran = base.Execute();
            return ran && !Log.HasLoggedErrors;
        }

        /// <summary>The project's settings, checked before the tool starts; each problem is an error.</summary>
        protected abstract IEnumerable<GateError> CheckSettings();

        /// <summary>The arguments after <c>exec sbd.dll</c>.</summary>
        protected abstract void AppendArguments(CommandLineBuilder builder);

        /// <inheritdoc />
        protected override bool ValidateParameters()
        {
            bool ok = true;
            foreach (GateError error in CheckSettings())
            {
                LogGateError(error);
                ok = false;
            }

            if (!File.Exists(SbdPath))
            {
                LogGateError(new GateError(CouldNotRun, SbdPath, $"the {GateName} gate cannot run: the sbd tool is not at this path; restore the SecureByDesign.Sdk package again"));
                ok = false;
            }

            string host = GenerateFullPathToTool();
            if (Path.IsPathRooted(host) && !File.Exists(host))
            {
                LogGateError(new GateError(CouldNotRun, host, $"the {GateName} gate cannot run: no dotnet host at this path (SecureByDesignDotNetHost)"));
                ok = false;
            }

            return ok;
        }

        /// <inheritdoc />
        protected override string GenerateFullPathToTool()
        {
            if (!string.IsNullOrEmpty(DotNetHost))
            {
                return DotNetHost!;
            }

            foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(directory.Trim(), ToolName);
                if (directory.Length > 0 && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return ToolName;
        }

        /// <inheritdoc />
        protected override string GenerateCommandLineCommands()
        {
            var builder = new CommandLineBuilder();
            builder.AppendSwitch("exec");
            builder.AppendFileNameIfNotNull(SbdPath);
            AppendArguments(builder);
            return builder.ToString();
        }

        /// <inheritdoc />
        protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
        {
            if (GateError.Parse(singleLine) is GateError error)
            {
                LogGateError(error);
            }
            else if (singleLine.StartsWith(SummaryPrefix, StringComparison.Ordinal))
            {
                // "resilience: X: ..." under the resilience gate reads "SecureByDesign resilience: X: ...", not the name twice.
                string summary = singleLine.StartsWith(GateName + ":", StringComparison.Ordinal) ? singleLine.Substring(GateName.Length + 1).TrimStart() : singleLine;
                Log.LogMessage(MessageImportance.High, "SecureByDesign {0}: {1}", GateName, summary);
            }
            else
            {
                Log.LogMessage(messageImportance, "{0}", singleLine);
            }
        }

        /// <inheritdoc />
        protected override bool HandleTaskExecutionErrors()
        {
            if (!Log.HasLoggedErrors)
            {
                LogGateError(new GateError(CouldNotRun, SbdPath, $"the {GateName} gate cannot decide: sbd exited with code {ExitCode} without naming a problem (its output is above at -v:n); the build fails closed"));
            }

            return false;
        }

        /// <summary>Logs one error with its code, file and help link.</summary>
        protected void LogGateError(GateError error) =>
            Log.LogError(null, error.Code, null, error.HelpLink, error.File, 0, 0, 0, 0, "{0}", error.Message);
    }
}
