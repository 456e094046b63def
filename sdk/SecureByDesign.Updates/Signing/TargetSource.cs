using System;
using System.IO;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Signing
{
    /// <summary>Content to add as a target: its target path, how to read it, and its custom data.</summary>
    public sealed class TargetSource
    {
        private TargetSource(string path, Func<Stream> open, string? file, JsonValue? custom)
        {
            Path = path;
            Open = open;
            File = file;
            Custom = custom;
        }

        /// <summary>The target path, with <c>/</c> separators.</summary>
        public string Path { get; }

        /// <summary>Opens the content for reading.</summary>
        public Func<Stream> Open { get; }

        /// <summary>The file the content comes from, when it is a file.</summary>
        public string? File { get; }

        /// <summary>The target's <c>custom</c> value, if any.</summary>
        public JsonValue? Custom { get; }

        /// <summary>Content from a file, read as a stream (never whole into memory).</summary>
        public static TargetSource FromFile(string path, string file, JsonValue? custom = null) =>
            new TargetSource(path, () => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), file, custom);

        /// <summary>Content in memory.</summary>
        public static TargetSource FromBytes(string path, byte[] content, JsonValue? custom = null) =>
            new TargetSource(path, () => new MemoryStream(content, writable: false), null, custom);
    }
}
