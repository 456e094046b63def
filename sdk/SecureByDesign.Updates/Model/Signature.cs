using System.Collections.Generic;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>One entry of <c>signatures</c> (spec §4.2): a key id and a hex signature.</summary>
    public sealed class Signature
    {
        /// <summary>Creates a signature entry.</summary>
        public Signature(string keyId, string sig, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
        {
            KeyId = keyId;
            Sig = sig;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
        }

        /// <summary>The id of the key that made the signature, as the file claims.</summary>
        public string KeyId { get; }

        /// <summary>The signature, hex-encoded.</summary>
        public string Sig { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>The entry as metadata writes it.</summary>
        public JsonObject ToJson() => JsonWriting.WithUnrecognized(Unrecognized)
            .Set("keyid", new JsonString(KeyId))
            .Set("sig", new JsonString(Sig));

        internal static Signature Read(FieldReader fields) =>
            new Signature(fields.String("keyid"), fields.String("sig"), fields.Unrecognized());
    }
}
