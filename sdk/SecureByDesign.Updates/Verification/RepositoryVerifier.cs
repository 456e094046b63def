using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Trust;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Verifies a local TUF repository (a folder with <c>metadata/</c> and <c>targets/</c>) from a pinned
    /// trusted root, as a careful client would (spec §5.3-5.7), plus the release policy of the SecureByDesign
    /// gate: minimum validity, rollback against the previous release, unlisted files. Never throws for
    /// bad input: every finding is a <see cref="Problem"/> in the result.
    /// </summary>
    public static class RepositoryVerifier
    {
        /// <summary>Verifies <paramref name="repositoryDirectory"/> at the reference time <paramref name="now"/>.</summary>
        public static VerificationResult Verify(byte[] trustedRoot, string repositoryDirectory, DateTimeOffset now, VerifierOptions? options = null)
        {
            var run = new Run(new RepositoryLayout(repositoryDirectory), now, options ?? new VerifierOptions());
            try
            {
                run.Execute(trustedRoot);
            }
            catch (UpdateException e)
            {
                run.Problems.Add(e.ToProblem());
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                run.Problems.Add(new Problem(ProblemCodes.MetadataMissing, "repository could not be read: " + e.Message));
            }
#pragma warning disable CA1031 // The contract is that nothing escapes; an unexpected exception is a bug reported as a problem.
            catch (Exception e)
#pragma warning restore CA1031
            {
                run.Problems.Add(new Problem(ProblemCodes.InternalError, $"internal error ({e.GetType().Name}): {e.Message}"));
            }

            return new VerificationResult(run.Problems, run.Set?.Root.Signed.Version, run.Verified);
        }

        private sealed class Run
        {
            private readonly RepositoryLayout _layout;
            private readonly DateTimeOffset _now;
            private readonly VerifierOptions _options;
            private byte[] _newestRoot = Array.Empty<byte>();
            private long _trustedVersion;

            public Run(RepositoryLayout layout, DateTimeOffset now, VerifierOptions options)
            {
                _layout = layout;
                _now = now;
                _options = options;
            }

            public List<Problem> Problems { get; } = new List<Problem>();

            public TrustedMetadataSet? Set { get; private set; }

            public Dictionary<string, TrustedTarget> Verified { get; } = new Dictionary<string, TrustedTarget>(StringComparer.Ordinal);

            public void Execute(byte[] trustedRoot)
            {
                RollbackBaseline? baseline = null;
                if (_options.PreviousReleaseDirectory is string previous)
                {
                    baseline = Attempt(() => PreviousRelease.Read(previous, _options));
                }

                TrustedMetadataSet set = Set = new TrustedMetadataSet(trustedRoot, "trusted root", _now, _options.Limits, baseline);
                _newestRoot = trustedRoot;
                _trustedVersion = set.Root.Signed.Version;
                UpdateRootChain(set);
                set.FinishRootChain();
                CheckRootJson(set);
                bool consistent = set.Root.Signed.ConsistentSnapshot;
                set.UpdateTimestamp(_layout.ReadMetadata("metadata/timestamp.json", _options.MaxTimestampBytes, null), "metadata/timestamp.json");
                MetaFile snapshotMeta = set.Timestamp!.Signed.SnapshotMeta;
                string snapshotFile = RepositoryLayout.MetadataFile("snapshot", snapshotMeta.Version, consistent);
                set.UpdateSnapshot(_layout.ReadMetadata(snapshotFile, _options.MaxSnapshotBytes, snapshotMeta.Length), snapshotFile);
                LoadTargetsRole(set, "targets", "root", consistent);
                if (!set.TargetsRoles.ContainsKey("targets"))
                {
                    return;
                }

                foreach (string problem in DelegationLoader.LoadAll(set, _options.MaxDelegatedRoles, (role, delegator) => LoadTargetsRole(set, role, delegator, consistent)))
                {
                    Problems.Add(new Problem(ProblemCodes.DelegationLimit, problem));
                }

                CheckMinimumValidity(set);
                var expected = new HashSet<string>(StringComparer.Ordinal);
                TargetsCheck.CheckAll(set, _layout, _options, consistent, Problems, Verified, expected);
                if (_options.RejectUnlistedFiles)
                {
                    TargetsCheck.CheckUnlisted(_layout, expected, Problems);
                }

                if (_options.ParserSchemas.Count > 0)
                {
                    Problems.AddRange(Policy.SchemaCheck.Check(Verified, _options.ParserSchemas));
                }

                CheckRollout();
            }

            private void CheckRollout()
            {
                if (_options.Rollout is not Policy.RolloutPolicy rollout)
                {
                    return;
                }

                IReadOnlyDictionary<string, TargetFile>? previous = null;
                if (_options.PreviousReleaseDirectory is string directory)
                {
                    previous = Attempt(() => PreviousRelease.ReadTargets(directory, _options));
                    if (previous is null)
                    {
                        return;
                    }
                }

                Problems.AddRange(Policy.RolloutCheck.Check(Verified, previous, rollout, _now));
            }

            // Every read completes at once here, so waiting on the task never blocks.
            private void UpdateRootChain(TrustedMetadataSet set) => RootChain.UpdateAsync(
                set,
                version =>
                {
                    string file = RepositoryLayout.RootFile(version);
                    return Task.FromResult(File.Exists(_layout.FullPath(file)) ? _layout.ReadMetadata(file, _options.MaxRootBytes, null) : null);
                },
                RepositoryLayout.RootFile,
                bytes => _newestRoot = bytes).GetAwaiter().GetResult();

            // root.json, when present, must be the newest verified root byte for byte: clients that start from it
            // trust it, so a parse and a version check alone would let a forged root with other keys through.
            private void CheckRootJson(TrustedMetadataSet set)
            {
                const string File = "metadata/root.json";
                if (!System.IO.File.Exists(_layout.FullPath(File)))
                {
                    return;
                }

                Attempt(() =>
                {
                    byte[] bytes = _layout.ReadMetadata(File, _options.MaxRootBytes, null);
                    if (System.Linq.Enumerable.SequenceEqual(bytes, _newestRoot))
                    {
                        return bytes;
                    }

                    Metadata<Root> root = MetadataReader.ReadRoot(bytes, File, _options.MaxRootBytes);
                    if (root.Signed.Version != set.Root.Signed.Version)
                    {
                        throw new BadVersionException($"{File}: version {root.Signed.Version}, but the newest root is version {set.Root.Signed.Version}");
                    }

                    // With no newer root in the repository, the newest verified root is the pinned one, whatever N.root.json holds.
                    string newest = set.Root.Signed.Version == _trustedVersion ? $"the trusted root (version {_trustedVersion})" : RepositoryLayout.RootFile(set.Root.Signed.Version);
                    throw new RepositoryException(ProblemCodes.RootJsonMismatch, $"{File}: not identical to {newest}, the newest verified root");
                });
            }

            private void LoadTargetsRole(TrustedMetadataSet set, string role, string delegator, bool consistent) => Attempt(() =>
            {
                MetaFile meta = TrustedMetadataSet.ListingOf(set.Snapshot!, role);
                string file = RepositoryLayout.MetadataFile(role, meta.Version, consistent);
                set.UpdateDelegatedTargets(_layout.ReadMetadata(file, _options.MaxTargetsBytes, meta.Length), file, role, delegator);
                return file;
            });

            private void CheckMinimumValidity(TrustedMetadataSet set)
            {
                if (_options.MinimumValidity <= TimeSpan.Zero)
                {
                    return;
                }

                var all = new List<(string Source, DateTimeOffset Expires)>
                {
                    (set.Root.Source, set.Root.Signed.Expires),
                    (set.Timestamp!.Source, set.Timestamp.Signed.Expires),
                    (set.Snapshot!.Source, set.Snapshot.Signed.Expires),
                };
                foreach (Metadata<Targets> targets in set.TargetsRoles.Values)
                {
                    all.Add((targets.Source, targets.Signed.Expires));
                }

                foreach ((string source, DateTimeOffset expires) in all)
                {
                    if (expires - _now < _options.MinimumValidity)
                    {
                        Problems.Add(new Problem(ProblemCodes.ExpiresTooSoon, $"{source}: expires at {TrustedMetadataSet.Format(expires)}, within the minimum validity of {_options.MinimumValidity.TotalDays:0.##} days"));
                    }
                }
            }

            private T? Attempt<T>(Func<T> action)
                where T : class
            {
                try
                {
                    return action();
                }
                catch (UpdateException e)
                {
                    Problems.Add(e.ToProblem());
                    return null;
                }
            }
        }
    }
}
