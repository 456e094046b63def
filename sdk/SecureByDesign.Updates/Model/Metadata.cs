using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// A metadata file (spec §4.2): the <c>signed</c> role content and its <c>signatures</c>. Signatures
    /// are over <see cref="SignedBytes"/>, the canonical JSON of the <c>signed</c> object exactly as read,
    /// unknown fields included, so fields this library does not model still count.
    /// </summary>
    /// <typeparam name="T">The role type.</typeparam>
    public sealed class Metadata<T>
        where T : SignedMetadata
    {
        internal Metadata(T signed, IReadOnlyList<Signature> signatures, byte[] signedBytes, string source)
        {
            Signed = signed;
            Signatures = signatures;
            SignedBytes = signedBytes;
            Source = source;
        }

        /// <summary>The role content.</summary>
        public T Signed { get; }

        /// <summary>The signatures, in file order.</summary>
        public IReadOnlyList<Signature> Signatures { get; }

        /// <summary>The canonical bytes of the <c>signed</c> object as read: what the signatures cover.</summary>
        public byte[] SignedBytes { get; }

        /// <summary>The name of the file the metadata was read from, for messages.</summary>
        public string Source { get; }

        /// <summary>The whole file as JSON (the model written back, with its signatures).</summary>
        public JsonObject ToJson() => new JsonObject()
            .Set("signed", Signed.ToJson())
            .Set("signatures", new JsonArray(Signatures.Select(s => (JsonValue)s.ToJson())));
    }

    /// <summary>Reads metadata files into the model; every failure is an <see cref="UpdateException"/>.</summary>
    public static class MetadataReader
    {
        /// <summary>Reads root.json.</summary>
        public static Metadata<Root> ReadRoot(byte[] bytes, string source, long maxBytes) => Read(bytes, source, maxBytes, Root.Read);

        /// <summary>Reads timestamp.json.</summary>
        public static Metadata<Timestamp> ReadTimestamp(byte[] bytes, string source, long maxBytes) => Read(bytes, source, maxBytes, Timestamp.Read);

        /// <summary>Reads snapshot.json.</summary>
        public static Metadata<Snapshot> ReadSnapshot(byte[] bytes, string source, long maxBytes) => Read(bytes, source, maxBytes, Snapshot.Read);

        /// <summary>Reads targets.json or a delegated role's metadata.</summary>
        public static Metadata<Targets> ReadTargets(byte[] bytes, string source, long maxBytes) => Read(bytes, source, maxBytes, Targets.Read);

        private static Metadata<T> Read<T>(byte[] bytes, string source, long maxBytes, Func<FieldReader, T> readSigned)
            where T : SignedMetadata
        {
            FieldReader envelope = FieldReader.Of(StrictJsonReader.Parse(bytes, source, maxBytes), source, "$");
            FieldReader signedFields = envelope.Child("signed");
            T signed = readSigned(signedFields);
            IReadOnlyList<JsonValue> items = envelope.Array("signatures");
            var signatures = new List<Signature>(items.Count);
            var keyIds = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < items.Count; i++)
            {
                Signature signature = Signature.Read(FieldReader.Of(items[i], source, $"$.signatures[{i}]"));
                if (!keyIds.Add(signature.KeyId))
                {
                    // Spec §4.2: a key id is unique in "signatures"; metadata that repeats one is invalid, not merely counted once.
                    throw envelope.Invalid($"signatures[{i}]", $"repeats key id {signature.KeyId}");
                }

                signatures.Add(signature);
            }

            byte[] signedBytes;
            try
            {
                signedBytes = CanonicalJson.Encode(signedFields.Object);
            }
            catch (ArgumentException e)
            {
                throw new RepositoryException(ProblemCodes.MalformedJson, $"{source}: $.signed has no canonical form: {e.Message}");
            }

            return new Metadata<T>(signed, signatures, signedBytes, source);
        }
    }
}
