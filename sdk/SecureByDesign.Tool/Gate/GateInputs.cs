using System;
using System.Collections.Generic;
using System.IO;
using SecureByDesign.Updates.Policy;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Tool.Gate
{
    /// <summary>The parts of <c>sbd verify</c> that the build gate adds: schemas from built assemblies, one metadata size cap, a readable root.</summary>
    internal static class GateInputs
    {
        /// <summary>
        /// Adds the schemas every assembly's <c>[ContentParser]</c> declares to <paramref name="parsers"/>. False, with
        /// one line per problem (SBD7005 unreadable, SBD7006 incomplete declaration), when one cannot be used.
        /// </summary>
        public static bool AddSchemas(FileInfo[]? assemblies, List<ParserSchema> parsers, GateReport? report, TextWriter output)
        {
            bool ok = true;
            foreach (FileInfo assembly in assemblies ?? Array.Empty<FileInfo>())
            {
                ParserSchemaReader.Declarations declarations;
                try
                {
                    declarations = ParserSchemaReader.Read(assembly.FullName);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is BadImageFormatException || e is InvalidOperationException)
                {
                    Report(assembly.FullName, GateCodes.AssemblyUnreadable, $"cannot read the [ContentParser] declarations: {e.Message}");
                    ok = false;
                    continue;
                }

                foreach (string invalid in declarations.Invalid)
                {
                    Report(assembly.FullName, GateCodes.InvalidParserDeclaration, invalid);
                    ok = false;
                }

                parsers.AddRange(declarations.Schemas);
            }

            return ok;

            void Report(string file, string code, string message)
            {
                if (report is null)
                {
                    output.WriteLine($"{code} {file}: {message}");
                }
                else
                {
                    report.Error(file, code, message);
                }
            }
        }

        /// <summary>The trusted root's bytes; null, with an SBD7001 line in MSBuild format, when it cannot be read.</summary>
        public static byte[]? ReadTrustedRoot(FileInfo root, GateReport? report)
        {
            try
            {
                return File.ReadAllBytes(root.FullName);
            }
            catch (Exception e) when (report is not null && (e is IOException || e is UnauthorizedAccessException))
            {
                report.Error(root.FullName, GateCodes.TrustedRootMissing, "trusted root cannot be read: " + e.Message);
                return null;
            }
        }

        /// <summary>Sets every role's metadata size limit to <paramref name="maxBytes"/>, when given.</summary>
        public static void LimitMetadata(VerifierOptions options, long? maxBytes)
        {
            if (maxBytes is long max)
            {
                options.MaxRootBytes = options.MaxTimestampBytes = options.MaxSnapshotBytes = options.MaxTargetsBytes = max;
            }
        }
    }
}
