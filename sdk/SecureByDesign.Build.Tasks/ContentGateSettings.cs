using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SecureByDesign.Build.Tasks
{
    /// <summary>
    /// The signed-content gate's settings, as the project sets them, and their checks (SBD7001-SBD7004). Plain data
    /// over a file-system interface, so the checks are tested without MSBuild.
    /// </summary>
    public sealed class ContentGateSettings
    {
        /// <summary><c>SecureByDesignTrustedRoot</c>.</summary>
        public string? TrustedRoot { get; set; }

        /// <summary><c>SecureByDesignContentRoot</c>.</summary>
        public string? ContentRoot { get; set; }

        /// <summary><c>SecureByDesignReleasedMetadata</c>, optional.</summary>
        public string? ReleasedMetadata { get; set; }

        /// <summary><c>SecureByDesignMinimumValidityDays</c>.</summary>
        public string? MinimumValidityDays { get; set; }

        /// <summary><c>SecureByDesignRequireRollout</c>.</summary>
        public string? RequireRollout { get; set; }

        /// <summary><c>SecureByDesignMaxMetadataBytes</c>, optional.</summary>
        public string? MaxMetadataBytes { get; set; }

        /// <summary>Every problem with the settings; none when the gate can run.</summary>
        public IEnumerable<GateError> Check(IFileSystem files)
        {
            if (string.IsNullOrWhiteSpace(TrustedRoot))
            {
                yield return new GateError("SBD7001", ContentRoot ?? string.Empty, "SecureByDesignContentRoot is set but SecureByDesignTrustedRoot is not; set it to the pinned root.json checked into the repository");
            }
            else if (!files.FileExists(TrustedRoot!))
            {
                yield return new GateError("SBD7001", TrustedRoot!, "the trusted root (SecureByDesignTrustedRoot) does not exist; check the path, or pin the repository's first root.json there");
            }

            if (!files.DirectoryExists(ContentRoot!))
            {
                yield return new GateError("SBD7002", ContentRoot!, "the content root (SecureByDesignContentRoot) does not exist; it must be the folder that holds metadata/ and targets/");
            }
            else if (!files.DirectoryExists(Path.Combine(ContentRoot!, "metadata")))
            {
                yield return new GateError("SBD7002", ContentRoot!, "the content root (SecureByDesignContentRoot) has no metadata/ folder; it must be the folder that holds metadata/ and targets/");
            }

            if (!string.IsNullOrEmpty(ReleasedMetadata) && !files.DirectoryExists(ReleasedMetadata!))
            {
                yield return new GateError("SBD7004", ReleasedMetadata!, "the released metadata (SecureByDesignReleasedMetadata) does not exist; point it at the previous release's folder (with metadata/), or leave it empty for a first release");
            }

            if (ValidityDays is null)
            {
                yield return BadValue("SecureByDesignMinimumValidityDays", MinimumValidityDays, "a whole number of days from 0 to 3650");
            }

            if (Rollout is null)
            {
                yield return BadValue("SecureByDesignRequireRollout", RequireRollout, "true or false");
            }

            if (!string.IsNullOrEmpty(MaxMetadataBytes) && MetadataBytes is null)
            {
                yield return BadValue("SecureByDesignMaxMetadataBytes", MaxMetadataBytes, "a positive number of bytes");
            }
        }

        /// <summary>The minimum validity in days, null when the value is not one.</summary>
        public int? ValidityDays =>
            int.TryParse(MinimumValidityDays?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int days) && days <= 3650 ? days : (int?)null;

        /// <summary>Whether rollout is required, null when the value is not a boolean.</summary>
        public bool? Rollout =>
            string.Equals(RequireRollout?.Trim(), "true", StringComparison.OrdinalIgnoreCase) ? true
            : string.Equals(RequireRollout?.Trim(), "false", StringComparison.OrdinalIgnoreCase) ? false
            : (bool?)null;

        /// <summary>The metadata size cap, null when absent or not a positive number.</summary>
        public long? MetadataBytes =>
            long.TryParse(MaxMetadataBytes?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) && bytes > 0 ? bytes : (long?)null;

        private GateError BadValue(string property, string? value, string expected) =>
            new GateError("SBD7003", ContentRoot ?? string.Empty, $"{property} is '{value}', which is not {expected}");
    }

    /// <summary>What the settings checks ask of the file system.</summary>
    public interface IFileSystem
    {
        /// <summary>Whether a file exists.</summary>
        bool FileExists(string path);

        /// <summary>Whether a folder exists.</summary>
        bool DirectoryExists(string path);
    }

    /// <summary>The real file system.</summary>
    public sealed class DiskFileSystem : IFileSystem
    {
        /// <inheritdoc />
        public bool FileExists(string path) => File.Exists(path);

        /// <inheritdoc />
        public bool DirectoryExists(string path) => Directory.Exists(path);
    }
}
