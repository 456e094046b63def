using System;

namespace SecureByDesign.Updates.Errors
{
    /// <summary>
    /// Metadata or a target was rejected. The code says which rule failed (one of <see cref="ProblemCodes"/>);
    /// the type says what kind of failure it is, as python-tuf's and go-tuf's error trees do:
    /// <see cref="RepositoryException"/> (with <see cref="UnsignedMetadataException"/> and its <see cref="MissingSignatureException"/>,
    /// <see cref="BadVersionException"/>, <see cref="ExpiredMetadataException"/>,
    /// <see cref="LengthOrHashMismatchException"/>) and <see cref="DownloadException"/>. The verifier turns
    /// each one into a <see cref="Problem"/>.
    /// </summary>
    public class UpdateException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public UpdateException(string code, string message)
            : base(message)
        {
            Code = code;
        }

        /// <summary>The stable code, one of <see cref="ProblemCodes"/>.</summary>
        public string Code { get; }

        /// <summary>The exception of the type that <paramref name="code"/> belongs to.</summary>
        public static UpdateException Create(string code, string message) => code switch
        {
            ProblemCodes.ThresholdNotMet => new UnsignedMetadataException(message),
            ProblemCodes.SignatureMissing => new MissingSignatureException(message),
            ProblemCodes.BadVersion => new BadVersionException(message),
            ProblemCodes.Rollback => new RollbackException(message),
            ProblemCodes.Expired => new ExpiredMetadataException(message),
            ProblemCodes.MetadataLengthMismatch or ProblemCodes.MetadataHashMismatch
                or ProblemCodes.TargetLengthMismatch or ProblemCodes.TargetHashMismatch => new LengthOrHashMismatchException(code, message),
            ProblemCodes.DownloadFailed => new DownloadException(message),
            ProblemCodes.MetadataMissing or ProblemCodes.MetadataTooLarge or ProblemCodes.MalformedJson or ProblemCodes.InvalidMetadata
                or ProblemCodes.UnsupportedSpecVersion or ProblemCodes.TargetMissing or ProblemCodes.UntrustedDelegation
                or ProblemCodes.DelegationLimit or ProblemCodes.TooManyRootRotations or ProblemCodes.KeyIdMismatch
                or ProblemCodes.InvalidTargetPath or ProblemCodes.RoleNotInSnapshot or ProblemCodes.RootJsonMismatch => new RepositoryException(code, message),
            _ => new UpdateException(code, message),
        };

        /// <summary>The problem this exception reports.</summary>
        public Problem ToProblem() => new Problem(Code, Message);
    }
}
