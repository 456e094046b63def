using System.Collections.Generic;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace SecureByDesign.Build.Tasks
{
    /// <summary>
    /// The signed-content gate (<c>SecureByDesignVerifyContent</c>): <c>sbd verify --format msbuild</c> over the project's
    /// content repository, from its pinned root, with its release policy and the parser schemas of the built assembly.
    /// </summary>
    public sealed class VerifySignedContent : SbdToolTask
    {
        private readonly ContentGateSettings _settings = new ContentGateSettings();

        /// <summary><c>SecureByDesignTrustedRoot</c>: the pinned root.json.</summary>
        public string? TrustedRoot { get => _settings.TrustedRoot; set => _settings.TrustedRoot = value; }

        /// <summary><c>SecureByDesignContentRoot</c>: the folder with metadata/ and targets/.</summary>
        [Required]
        public string ContentRoot { get => _settings.ContentRoot ?? string.Empty; set => _settings.ContentRoot = value; }

        /// <summary><c>SecureByDesignReleasedMetadata</c>: the previous release's folder, for rollback and rollout checks.</summary>
        public string? ReleasedMetadata { get => _settings.ReleasedMetadata; set => _settings.ReleasedMetadata = value; }

        /// <summary><c>SecureByDesignMinimumValidityDays</c>.</summary>
        public string? MinimumValidityDays { get => _settings.MinimumValidityDays; set => _settings.MinimumValidityDays = value; }

        /// <summary><c>SecureByDesignRequireRollout</c>.</summary>
        public string? RequireRollout { get => _settings.RequireRollout; set => _settings.RequireRollout = value; }

        /// <summary><c>SecureByDesignMaxMetadataBytes</c>.</summary>
        public string? MaxMetadataBytes { get => _settings.MaxMetadataBytes; set => _settings.MaxMetadataBytes = value; }

        /// <summary>The built assemblies whose <c>[ContentParser]</c> schemas the content must match.</summary>
        public ITaskItem[] Assemblies { get; set; } = System.Array.Empty<ITaskItem>();

        /// <inheritdoc />
        protected override string SummaryPrefix => "verified:";

        /// <inheritdoc />
        protected override string GateName => "signed content";

        /// <inheritdoc />
        protected override IEnumerable<GateError> CheckSettings() => _settings.Check(new DiskFileSystem());

        /// <inheritdoc />
        protected override void AppendArguments(CommandLineBuilder builder)
        {
            builder.AppendSwitch("verify");
            builder.AppendSwitch("--format msbuild");
            builder.AppendSwitchIfNotNull("--root ", TrustedRoot);
            builder.AppendSwitchIfNotNull("--repo ", ContentRoot);
            if (!string.IsNullOrEmpty(ReleasedMetadata))
            {
                builder.AppendSwitchIfNotNull("--previous ", ReleasedMetadata);
            }

            builder.AppendSwitchIfNotNull("--min-validity-days ", _settings.ValidityDays?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (_settings.Rollout == true)
            {
                builder.AppendSwitch("--require-rollout");
            }

            if (_settings.MetadataBytes is long bytes)
            {
                builder.AppendSwitchIfNotNull("--max-metadata-bytes ", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            foreach (ITaskItem assembly in Assemblies)
            {
                builder.AppendSwitchIfNotNull("--assembly ", assembly.GetMetadata("FullPath"));
            }
        }
    }
}
