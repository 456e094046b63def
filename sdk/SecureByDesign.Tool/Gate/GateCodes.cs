using System;
using System.Collections.Generic;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Tool.Gate
{
    /// <summary>
    /// The signed-content gate's codes: one SBD5xxx code per class of problem, mapped from the library's SBDU codes
    /// (docs/gates/README.md has the table), and the SBD70xx configuration codes that <c>sbd verify</c> itself reports.
    /// A code the table does not know (a newer library) maps to <see cref="Unclassified"/>: still an error, never a pass.
    /// </summary>
    public static class GateCodes
    {
        /// <summary>Where every gate code's page is; the code and <c>.md</c> follow.</summary>
        public const string HelpLinkBase = Gates.GateHelpLink.Base;

        /// <summary>A problem the verifier reported with a code this table does not know, or its own internal error.</summary>
        public const string Unclassified = "SBD5099";

        /// <summary>The trusted root (<c>SecureByDesignTrustedRoot</c>) is not set, not found, or cannot be read.</summary>
        public const string TrustedRootMissing = "SBD7001";

        /// <summary>The built assembly could not be read for its <c>[ContentParser]</c> declarations.</summary>
        public const string AssemblyUnreadable = "SBD7005";

        /// <summary>A <c>[ContentParser]</c> declares a schema without a positive field count, or fields without a schema.</summary>
        public const string InvalidParserDeclaration = "SBD7006";

        private static readonly Dictionary<string, string> Map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProblemCodes.MetadataMissing] = "SBD5001",
            [ProblemCodes.RoleNotInSnapshot] = "SBD5001",
            [ProblemCodes.MetadataTooLarge] = "SBD5002",
            [ProblemCodes.MalformedJson] = "SBD5002",
            [ProblemCodes.InvalidMetadata] = "SBD5002",
            [ProblemCodes.UnsupportedSpecVersion] = "SBD5002",
            [ProblemCodes.KeyIdMismatch] = "SBD5002",
            [ProblemCodes.InvalidTargetPath] = "SBD5002",
            [ProblemCodes.ThresholdNotMet] = "SBD5003",
            [ProblemCodes.SignatureMissing] = "SBD5017",
            [ProblemCodes.BadVersion] = "SBD5004",
            [ProblemCodes.MetadataLengthMismatch] = "SBD5004",
            [ProblemCodes.MetadataHashMismatch] = "SBD5004",
            [ProblemCodes.RootJsonMismatch] = "SBD5004",
            [ProblemCodes.Rollback] = "SBD5005",
            [ProblemCodes.Expired] = "SBD5006",
            [ProblemCodes.ExpiresTooSoon] = "SBD5007",
            [ProblemCodes.TargetLengthMismatch] = "SBD5008",
            [ProblemCodes.TargetHashMismatch] = "SBD5008",
            [ProblemCodes.TargetMissing] = "SBD5009",
            [ProblemCodes.UnlistedTarget] = "SBD5010",
            [ProblemCodes.UntrustedDelegation] = "SBD5011",
            [ProblemCodes.DelegationLimit] = "SBD5012",
            [ProblemCodes.TooManyRootRotations] = "SBD5012",
            [ProblemCodes.InvalidSchemaDeclaration] = "SBD5013",
            [ProblemCodes.SchemaFieldCountMismatch] = "SBD5014",
            [ProblemCodes.InvalidRolloutDeclaration] = "SBD5015",
            [ProblemCodes.RolloutViolation] = "SBD5016",
        };

        /// <summary>The gate code for a library problem code.</summary>
        public static string ForProblem(string problemCode) => Map.TryGetValue(problemCode, out string? code) ? code : Unclassified;

        /// <summary>The page of a gate code.</summary>
        public static string HelpLink(string code) => Gates.GateHelpLink.For(code);
    }
}
