namespace SecureByDesign.Updates.Errors
{
    /// <summary>
    /// The repository served metadata or a target that breaks a rule of the specification (python-tuf's
    /// RepositoryError, go-tuf's ErrRepository): missing, malformed, oversized or otherwise invalid.
    /// </summary>
    public class RepositoryException : UpdateException
    {
        /// <summary>Creates the exception.</summary>
        public RepositoryException(string code, string message)
            : base(code, message)
        {
        }
    }

    /// <summary>
    /// Fewer distinct trusted keys than the threshold signed the metadata (SBDU006; python-tuf's UnsignedMetadataError).
    /// Catch it for both signature failures; <see cref="MissingSignatureException"/> is the case of no valid signature at all.
    /// </summary>
    public class UnsignedMetadataException : RepositoryException
    {
        /// <summary>Creates the exception.</summary>
        public UnsignedMetadataException(string message)
            : base(ProblemCodes.ThresholdNotMet, message)
        {
        }

        /// <summary>Creates the exception with a more specific code.</summary>
        protected UnsignedMetadataException(string code, string message)
            : base(code, message)
        {
        }
    }

    /// <summary>Not one valid signature from a key of the role (SBDU030): unsigned, signed by untrusted keys, or changed after signing.</summary>
    public sealed class MissingSignatureException : UnsignedMetadataException
    {
        /// <summary>Creates the exception.</summary>
        public MissingSignatureException(string message)
            : base(ProblemCodes.SignatureMissing, message)
        {
        }
    }

    /// <summary>A version other than the one expected (SBDU007; python-tuf's BadVersionNumberError).</summary>
    public class BadVersionException : RepositoryException
    {
        /// <summary>Creates the exception.</summary>
        public BadVersionException(string message)
            : base(ProblemCodes.BadVersion, message)
        {
        }

        /// <summary>Creates the exception with a more specific code.</summary>
        protected BadVersionException(string code, string message)
            : base(code, message)
        {
        }
    }

    /// <summary>
    /// The trusted version again, with other content (SBDU007; python-tuf's EqualVersionNumberError). A client
    /// keeps what it trusts (spec §5.4.3.1); a release gate rejects the release.
    /// </summary>
    public sealed class EqualVersionException : BadVersionException
    {
        /// <summary>Creates the exception.</summary>
        public EqualVersionException(string message)
            : base(message)
        {
        }
    }

    /// <summary>A version lower than one already trusted (SBDU008: rollback attack).</summary>
    public sealed class RollbackException : BadVersionException
    {
        /// <summary>Creates the exception.</summary>
        public RollbackException(string message)
            : base(ProblemCodes.Rollback, message)
        {
        }
    }

    /// <summary>The metadata has expired (SBDU009: freeze attack; python-tuf's ExpiredMetadataError).</summary>
    public sealed class ExpiredMetadataException : RepositoryException
    {
        /// <summary>Creates the exception.</summary>
        public ExpiredMetadataException(string message)
            : base(ProblemCodes.Expired, message)
        {
        }
    }

    /// <summary>
    /// Metadata or a target has another length or hash than its listing (SBDU011, SBDU012, SBDU014, SBDU015;
    /// python-tuf's LengthOrHashMismatchError).
    /// </summary>
    public sealed class LengthOrHashMismatchException : RepositoryException
    {
        /// <summary>Creates the exception with one of the four length and hash codes.</summary>
        public LengthOrHashMismatchException(string code, string message)
            : base(code, message)
        {
        }
    }

    /// <summary>A file could not be downloaded (SBDU023; python-tuf's DownloadError): network, HTTP status, slow retrieval.</summary>
    public sealed class DownloadException : UpdateException
    {
        /// <summary>Creates the exception.</summary>
        public DownloadException(string message)
            : base(ProblemCodes.DownloadFailed, message)
        {
        }
    }
}
