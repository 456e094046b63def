namespace SecureByDesign.Updates.Errors
{
    /// <summary>
    /// Stable codes of every problem the library reports, one per kind of failure (the error tree of
    /// python-tuf and go-tuf, one code per leaf; the tree itself is in the exception types). The build gate maps each one to one SBD5xxx diagnostic, so a code
    /// never changes meaning; new kinds get new codes.
    /// </summary>
    public static class ProblemCodes
    {
        /// <summary>A metadata file that the workflow needs is not in the repository.</summary>
        public const string MetadataMissing = "SBDU001";

        /// <summary>A metadata file is larger than its configured maximum.</summary>
        public const string MetadataTooLarge = "SBDU002";

        /// <summary>A metadata file is not well-formed strict JSON (syntax, duplicate key, float, depth, encoding).</summary>
        public const string MalformedJson = "SBDU003";

        /// <summary>A metadata file is JSON but not valid TUF metadata (missing or mistyped field, wrong role type).</summary>
        public const string InvalidMetadata = "SBDU004";

        /// <summary>The metadata's <c>spec_version</c> has a major version this library does not implement.</summary>
        public const string UnsupportedSpecVersion = "SBDU005";

        /// <summary>
        /// Some trusted keys of the role signed the metadata, but fewer distinct ones than its threshold. No valid
        /// signature at all is <see cref="SignatureMissing"/>.
        /// </summary>
        public const string ThresholdNotMet = "SBDU006";

        /// <summary>A version differs from the one the workflow expects (root N+1, snapshot and targets as listed).</summary>
        public const string BadVersion = "SBDU007";

        /// <summary>A version is lower than one already trusted (rollback attack).</summary>
        public const string Rollback = "SBDU008";

        /// <summary>Metadata has expired (freeze attack).</summary>
        public const string Expired = "SBDU009";

        /// <summary>Metadata expires within the release policy's minimum validity.</summary>
        public const string ExpiresTooSoon = "SBDU010";

        /// <summary>A metadata file's length differs from the length its parent role lists (mix-and-match).</summary>
        public const string MetadataLengthMismatch = "SBDU011";

        /// <summary>A metadata file's hash differs from the hash its parent role lists (mix-and-match).</summary>
        public const string MetadataHashMismatch = "SBDU012";

        /// <summary>A listed target file is not in the repository.</summary>
        public const string TargetMissing = "SBDU013";

        /// <summary>A target file's length differs from the listed length (checked before hashing: endless data).</summary>
        public const string TargetLengthMismatch = "SBDU014";

        /// <summary>A target file's hash differs from the listed hash (arbitrary installation).</summary>
        public const string TargetHashMismatch = "SBDU015";

        /// <summary>A file in the targets folder is listed by no trusted role (extraneous content).</summary>
        public const string UnlistedTarget = "SBDU016";

        /// <summary>A target is listed only by a role that is not trusted for its path (wrong software).</summary>
        public const string UntrustedDelegation = "SBDU017";

        /// <summary>The delegation search stopped at its cap before finding a target, or a repository delegates to more roles than the verifier loads.</summary>
        public const string DelegationLimit = "SBDU018";

        /// <summary>More root versions than the configured maximum of root rotations.</summary>
        public const string TooManyRootRotations = "SBDU019";

        /// <summary>A key's id is not the SHA-256 of its canonical JSON.</summary>
        public const string KeyIdMismatch = "SBDU020";

        /// <summary>A target path cannot name a file inside the repository (absolute, <c>..</c>, backslash, empty segment).</summary>
        public const string InvalidTargetPath = "SBDU021";

        /// <summary>The snapshot does not list a targets role that the workflow needs.</summary>
        public const string RoleNotInSnapshot = "SBDU022";

        /// <summary>A file could not be downloaded (network error, HTTP status other than success).</summary>
        public const string DownloadFailed = "SBDU023";

        /// <summary>No trusted role lists the requested target.</summary>
        public const string TargetNotFound = "SBDU024";

        /// <summary>A target's <c>custom.schema</c> is malformed (name, version, fields).</summary>
        public const string InvalidSchemaDeclaration = "SBDU025";

        /// <summary>A target's records have more or fewer fields than the parser that reads its schema.</summary>
        public const string SchemaFieldCountMismatch = "SBDU026";

        /// <summary>A target's <c>custom.rollout</c> is malformed, names an unknown ring, or is missing where required.</summary>
        public const string InvalidRolloutDeclaration = "SBDU027";

        /// <summary>A target skips a rollout ring, or leaves a ring before its minimum soak time.</summary>
        public const string RolloutViolation = "SBDU028";

        /// <summary><c>metadata/root.json</c> is not byte for byte the newest root of the verified chain (<c>N.root.json</c>).</summary>
        public const string RootJsonMismatch = "SBDU029";

        /// <summary>
        /// Not one valid signature from a key of the role: the signatures are missing, made by keys the role does not
        /// trust, or do not match the signed bytes (the metadata was changed after signing).
        /// </summary>
        public const string SignatureMissing = "SBDU030";

        /// <summary>An internal error: a bug, reported rather than thrown so no exception escapes the verifier.</summary>
        public const string InternalError = "SBDU099";

    }
}
