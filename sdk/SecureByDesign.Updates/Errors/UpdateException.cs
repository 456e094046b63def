using System;

namespace SecureByDesign.Updates.Errors
{
    /// <summary>
    /// Metadata or a target was rejected. Thrown by the layers below the verifier, which turns each one
    /// into a <see cref="Problem"/>; the code says which rule failed.
    /// </summary>
    public sealed class UpdateException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public UpdateException(string code, string message)
            : base(message)
        {
            Code = code;
        }

        /// <summary>The stable code, one of <see cref="ProblemCodes"/>.</summary>
        public string Code { get; }

        /// <summary>The problem this exception reports.</summary>
        public Problem ToProblem() => new Problem(Code, Message);
    }
}
