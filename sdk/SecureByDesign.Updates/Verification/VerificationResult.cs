using System.Collections.Generic;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>What verification of a repository found: its problems, and what it trusted.</summary>
    public sealed class VerificationResult
    {
        internal VerificationResult(IReadOnlyList<Problem> problems, long? rootVersion, IReadOnlyDictionary<string, TrustedTarget> targets)
        {
            Problems = problems;
            RootVersion = rootVersion;
            Targets = targets;
        }

        /// <summary>True when no problem was found.</summary>
        public bool IsValid => Problems.Count == 0;

        /// <summary>Every problem, one line each, in the order found.</summary>
        public IReadOnlyList<Problem> Problems { get; }

        /// <summary>The version of the newest trusted root, when the trusted root could be read.</summary>
        public long? RootVersion { get; }

        /// <summary>The targets that verified, by path, with the role that lists each.</summary>
        public IReadOnlyDictionary<string, TrustedTarget> Targets { get; }
    }

    /// <summary>A target that verified, and the role trusted for it.</summary>
    public sealed class TrustedTarget
    {
        internal TrustedTarget(TargetFile file, string role)
        {
            File = file;
            Role = role;
        }

        /// <summary>The listing.</summary>
        public TargetFile File { get; }

        /// <summary>The role whose listing the delegation search found.</summary>
        public string Role { get; }
    }
}
