using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Trust;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Client
{
    /// <summary>
    /// The TUF client workflow over a network (spec §5, python-tuf's ngclient Updater): refresh the top-level
    /// metadata from a remote repository into a local trusted folder, find targets through delegations
    /// fetched on demand, download targets with length and hashes checked. Every failure is an
    /// <see cref="UpdateException"/> (a <see cref="RepositoryException"/> or a <see cref="DownloadException"/>);
    /// the local folder only ever holds metadata that was trusted.
    /// </summary>
    public sealed class Updater
    {
        private readonly MetadataCache _cache;
        private readonly Uri _metadataBaseUrl;
        private readonly IFetcher _fetcher;
        private readonly Func<DateTimeOffset> _clock;
        private readonly MetadataLimits _limits;
        private TrustedMetadataSet? _set;

        /// <summary>Creates an updater over <paramref name="metadataDirectory"/>, which must hold a trusted root.json.</summary>
        public Updater(string metadataDirectory, Uri metadataBaseUrl, IFetcher fetcher, Func<DateTimeOffset>? clock = null, MetadataLimits? limits = null)
        {
            _cache = new MetadataCache(metadataDirectory);
            _metadataBaseUrl = metadataBaseUrl;
            _fetcher = fetcher;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
            _limits = limits ?? new MetadataLimits();
        }

        /// <summary>
        /// Updates root (the chain), timestamp, snapshot and targets (spec §5.3-5.6). A timestamp of the trusted
        /// version is no update (spec §5.4.3.1): the trusted one is kept, and so are the snapshot and targets it lists.
        /// </summary>
        public async Task RefreshAsync(CancellationToken cancellationToken = default)
        {
            _set = null;
            byte[] rootBytes = _cache.ReadRoot(_limits.MaxRootBytes);
            Metadata<Root> localRoot = MetadataReader.ReadRoot(rootBytes, "root.json", _limits.MaxRootBytes);
            byte[]? localTimestamp = _cache.TryRead("timestamp", _limits.MaxTimestampBytes);
            RollbackBaseline baseline = RollbackBaseline.FromCache(
                localRoot,
                TryRead(localTimestamp, bytes => MetadataReader.ReadTimestamp(bytes, "timestamp.json", _limits.MaxTimestampBytes)),
                TryRead(_cache.TryRead("snapshot", _limits.MaxSnapshotBytes), bytes => MetadataReader.ReadSnapshot(bytes, "snapshot.json", _limits.MaxSnapshotBytes)));
            var set = new TrustedMetadataSet(rootBytes, "root.json", _clock(), _limits, baseline);
            await RootChain.UpdateAsync(set, version => FetchRootAsync(version, cancellationToken), version => version + ".root.json", bytes => _cache.Write("root", bytes)).ConfigureAwait(false);
            set.FinishRootChain();
            if (baseline.Timestamp is null || RollbackBaseline.OnlineKeysChanged(localRoot.Signed, set.Root.Signed))
            {
                // Spec §5.3.11: with new timestamp or snapshot keys, or a cached timestamp the trusted root did not sign,
                // the cached files prove nothing (fast-forward recovery).
                _cache.Delete("timestamp");
                _cache.Delete("snapshot");
                localTimestamp = null;
            }

            byte[] timestamp = await FetchMetadataAsync("timestamp.json", _limits.MaxTimestampBytes, cancellationToken).ConfigureAwait(false);
            try
            {
                set.UpdateTimestamp(timestamp, "timestamp.json");
                _cache.Write("timestamp", timestamp);
            }
            catch (EqualVersionException) when (localTimestamp is not null)
            {
                set.UpdateTimestamp(localTimestamp, "timestamp.json");
            }

            await LocalOrRemoteAsync(set, "snapshot", set.Timestamp!.Signed.SnapshotMeta, _limits.MaxSnapshotBytes, bytes => set.UpdateSnapshot(bytes, "snapshot.json"), cancellationToken).ConfigureAwait(false);

            await LoadTargetsRoleAsync(set, "targets", "root", cancellationToken).ConfigureAwait(false);
            _set = set;
        }

        /// <summary>Finds a target through the delegations (spec §5.6.7); null when no trusted role lists it.</summary>
        public async Task<TargetFile?> GetTargetInfoAsync(string targetPath, CancellationToken cancellationToken = default)
        {
            if (_set is null)
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }

            TrustedMetadataSet set = _set!;
            DelegationSearch.Result result = await DelegationSearch.FindAsync(
                targetPath,
                async (role, parent) =>
                {
                    if (set.TargetsRoles.ContainsKey(role))
                    {
                        set.RequireDelegatedBy(role, parent);
                    }
                    else
                    {
                        await LoadTargetsRoleAsync(set, role, parent, cancellationToken).ConfigureAwait(false);
                    }

                    return set.TargetsRoles[role];
                },
                _limits.MaxDelegations).ConfigureAwait(false);
            return result.Outcome == DelegationSearch.Outcome.Found ? result.Target : null;
        }

        /// <summary>
        /// Downloads a target into <paramref name="targetDirectory"/> (file name: the percent-encoded target
        /// path) unless a verified copy is already there, and returns its path.
        /// </summary>
        public async Task<string> DownloadTargetAsync(TargetFile target, string targetDirectory, Uri targetBaseUrl, CancellationToken cancellationToken = default)
        {
            if (RepositoryLayout.TargetPathProblem(target.Path) is string why)
            {
                throw new RepositoryException(ProblemCodes.InvalidTargetPath, $"target '{target.Path}' {why}");
            }

            if (_set is null)
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }

            Directory.CreateDirectory(targetDirectory);
            string destination = Path.Combine(targetDirectory, Uri.EscapeDataString(target.Path));
            if (File.Exists(destination) && TargetFileCheck.Check(destination, target.Path, target) is null)
            {
                return destination;
            }

            bool consistent = _set!.Root.Signed.ConsistentSnapshot;
            string relative = RepositoryLayout.TargetFiles(target, consistent)[0].Substring("targets/".Length);
            Uri url = Combine(targetBaseUrl, relative);
            string temporary = destination + ".part";
            try
            {
                using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
                {
                    await CappedDownload.CopyAsync(_fetcher, url, file, target.Length, ProblemCodes.TargetLengthMismatch, cancellationToken).ConfigureAwait(false);
                }

                if (TargetFileCheck.Check(temporary, target.Path, target) is Problem problem)
                {
                    throw UpdateException.Create(problem.Code, problem.Message);
                }

                if (File.Exists(destination))
                {
                    File.Delete(destination);
                }

                File.Move(temporary, destination);
                return destination;
            }
            catch (FetchException e)
            {
                throw new DownloadException(e.Message);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        private async Task<byte[]?> FetchRootAsync(long version, CancellationToken cancellationToken)
        {
            try
            {
                return await CappedDownload.ReadAsync(_fetcher, MetadataUrl(version + ".root.json"), _limits.MaxRootBytes, ProblemCodes.MetadataTooLarge, cancellationToken).ConfigureAwait(false);
            }
            catch (FetchException e) when (e.StatusCode == 404 || e.StatusCode == 403)
            {
                return null;
            }
        }

        private async Task LoadTargetsRoleAsync(TrustedMetadataSet set, string role, string parent, CancellationToken cancellationToken)
        {
            MetaFile meta = TrustedMetadataSet.ListingOf(set.Snapshot!, role);
            await LocalOrRemoteAsync(set, role, meta, _limits.MaxTargetsBytes, bytes => set.UpdateDelegatedTargets(bytes, MetadataCache.FileName(role), role, parent), cancellationToken).ConfigureAwait(false);
        }

        // The local copy when the trusted set accepts it (what the parent lists: no request), else the remote file,
        // which is kept only once accepted (python-tuf's order).
        private async Task LocalOrRemoteAsync(TrustedMetadataSet set, string role, MetaFile meta, long maxBytes, Action<byte[]> update, CancellationToken cancellationToken)
        {
            long limit = meta.Length ?? maxBytes;
            if (_cache.TryRead(role, limit) is byte[] local)
            {
                try
                {
                    update(local);
                    return;
                }
                catch (UpdateException)
                {
                    // Stale or damaged: fetch the listed version.
                }
            }

            string name = set.Root.Signed.ConsistentSnapshot ? meta.Version + "." + MetadataCache.FileName(role) : MetadataCache.FileName(role);
            byte[] remote = await FetchMetadataAsync(name, limit, cancellationToken).ConfigureAwait(false);
            update(remote);
            _cache.Write(role, remote);
        }

        private async Task<byte[]> FetchMetadataAsync(string name, long maxBytes, CancellationToken cancellationToken)
        {
            try
            {
                return await CappedDownload.ReadAsync(_fetcher, MetadataUrl(name), maxBytes, ProblemCodes.MetadataLengthMismatch, cancellationToken).ConfigureAwait(false);
            }
            catch (FetchException e)
            {
                throw new DownloadException(e.Message);
            }
        }

        private static T? TryRead<T>(byte[]? bytes, Func<byte[], T> read)
            where T : class
        {
            try
            {
                return bytes is null ? null : read(bytes);
            }
            catch (RepositoryException)
            {
                return null;
            }
        }

        // Metadata names are already percent-encoded (role names as python-tuf quotes them), so they go in as they are.
        private Uri MetadataUrl(string encodedName)
        {
            string text = _metadataBaseUrl.AbsoluteUri;
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text + encodedName : text + "/" + encodedName);
        }

        private static Uri Combine(Uri baseUrl, string relative)
        {
            string text = baseUrl.AbsoluteUri;
            string escaped = string.Join("/", relative.Split('/').Select(Uri.EscapeDataString));
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text + escaped : text + "/" + escaped);
        }
    }
}
