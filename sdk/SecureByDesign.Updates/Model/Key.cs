using System.Collections.Generic;
using System.Security.Cryptography;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// A public key as TUF metadata lists it (spec §4.2): <c>keytype</c>, <c>scheme</c> and <c>keyval</c>.
    /// Its id is recomputed from its content (<see cref="ComputeKeyId(JsonObject)"/>), never taken from the file.
    /// </summary>
    public sealed class Key
    {
        /// <summary>Creates a key.</summary>
        public Key(string keyType, string scheme, JsonObject keyValue, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
        {
            KeyType = keyType;
            Scheme = scheme;
            KeyValue = keyValue;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
            Id = ComputeKeyId(ToJson());
        }

        /// <summary>The key type: <c>ed25519</c>, <c>ecdsa</c> (or <c>ecdsa-sha2-nistp256</c>), <c>rsa</c>.</summary>
        public string KeyType { get; }

        /// <summary>The signature scheme: <c>ed25519</c>, <c>ecdsa-sha2-nistp256</c>, <c>rsassa-pss-sha256</c>.</summary>
        public string Scheme { get; }

        /// <summary>The <c>keyval</c> object; <c>keyval.public</c> holds the key (hex for ed25519, PEM otherwise).</summary>
        public JsonObject KeyValue { get; }

        /// <summary><c>keyval.public</c> when it is a string.</summary>
        public string? Public => KeyValue.TryGet("public", out JsonValue v) && v is JsonString s ? s.Value : null;

        /// <summary>
        /// The key id: hex SHA-256 of the canonical JSON of the whole key object as read (keytype, scheme, keyval
        /// and any other field, such as the legacy <c>keyid_hash_algorithms</c>), as python-tuf computes it.
        /// </summary>
        public string Id { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>The key id as python-securesystemslib computes it (compute_default_keyid).</summary>
        public static string ComputeKeyId(string keyType, string scheme, JsonObject keyValue) =>
            ComputeKeyId(new JsonObject()
                .Set("keytype", new JsonString(keyType))
                .Set("scheme", new JsonString(scheme))
                .Set("keyval", keyValue));

        /// <summary>The key id of a whole key object: hex SHA-256 of its canonical JSON, every field included.</summary>
        public static string ComputeKeyId(JsonObject key)
        {
            using SHA256 sha = SHA256.Create();
            return Hex.Encode(sha.ComputeHash(CanonicalJson.Encode(key)));
        }

        /// <summary>The key as metadata lists it.</summary>
        public JsonObject ToJson() => JsonWriting.WithUnrecognized(Unrecognized)
            .Set("keytype", new JsonString(KeyType))
            .Set("scheme", new JsonString(Scheme))
            .Set("keyval", KeyValue);

        /// <summary>Reads a <c>keys</c> map and checks that every id is the key's computed id.</summary>
        internal static IReadOnlyDictionary<string, Key> ReadKeys(FieldReader keys)
        {
            var result = new Dictionary<string, Key>(System.StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonValue> member in keys.Object.Members)
            {
                FieldReader fields = FieldReader.Of(member.Value, keys.Source, keys.Path + "." + member.Key);
                string keyType = fields.String("keytype");
                string scheme = fields.String("scheme");
                JsonObject keyValue = fields.Child("keyval").Object;
                var key = new Key(keyType, scheme, keyValue, fields.Unrecognized());
                if (key.Id != member.Key)
                {
                    throw new RepositoryException(
                        ProblemCodes.KeyIdMismatch,
                        $"{keys.Source}: {keys.Path}.{member.Key} is not the key's id; the SHA-256 of its canonical JSON is {key.Id}");
                }

                result.Add(member.Key, key);
            }

            return result;
        }
    }
}
