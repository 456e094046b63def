using System;
using System.Threading.Tasks;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Updates.Trust
{
    /// <summary>
    /// The root chain (spec §5.3.3-5.3.9), one loop for the updater and the repository verifier: root N+1,
    /// N+2, ... from the trusted root until a version is not there, each trusted before the next is read.
    /// At <see cref="MetadataLimits.MaxRootRotations"/> the loop stops; the roots verified so far stay trusted
    /// (a client keeps them, so its next refresh goes on from there), and when a newer root still exists the
    /// refresh fails with SBDU019 rather than go on with a root the repository has already replaced.
    /// </summary>
    public static class RootChain
    {
        /// <summary>
        /// Updates <paramref name="set"/> through every newer root. <paramref name="fetch"/> gives version N's
        /// bytes, or null when there is no such version; <paramref name="trusted"/> is called with each root
        /// once it is trusted (the updater persists it there).
        /// </summary>
        public static async Task UpdateAsync(TrustedMetadataSet set, Func<long, Task<byte[]?>> fetch, Func<long, string> sourceOf, Action<byte[]> trusted)
        {
            long start = set.Root.Signed.Version;
            int maxRotations = set.Limits.MaxRootRotations;
            for (long version = start + 1; version <= start + maxRotations; version++)
            {
                if (await fetch(version).ConfigureAwait(false) is not byte[] bytes)
                {
                    return;
                }

                set.UpdateRoot(bytes, sourceOf(version));
                trusted(bytes);
            }

            long next = start + maxRotations + 1;
            if (await fetch(next).ConfigureAwait(false) is not null)
            {
                throw new RepositoryException(
                    ProblemCodes.TooManyRootRotations,
                    $"{sourceOf(next)}: more than {maxRotations} root versions after the trusted version {start}; version {next - 1} is trusted so far");
            }
        }
    }
}
