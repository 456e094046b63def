using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Crypto
{
    /// <summary>A private key that signs metadata, with the public <see cref="Key"/> that verifies it.</summary>
    public abstract class KeySigner : System.IDisposable
    {
        /// <summary>The public key, as root.json or a delegation lists it.</summary>
        public abstract Key PublicKey { get; }

        /// <summary>Signs <paramref name="data"/> and returns the signature entry (key id and hex signature).</summary>
        public Signature Sign(byte[] data) => new Signature(PublicKey.Id, Hex.Encode(SignBytes(data)));

        /// <summary>Signs the canonical JSON of a <c>signed</c> object.</summary>
        public Signature Sign(JsonObject signed) => Sign(CanonicalJson.Encode(signed));

        /// <inheritdoc />
        public void Dispose()
        {
            Dispose(true);
            System.GC.SuppressFinalize(this);
        }

        /// <summary>The raw signature bytes in the scheme's encoding.</summary>
        protected abstract byte[] SignBytes(byte[] data);

        /// <summary>Releases framework key handles.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }

        /// <summary>Builds a public key with a single <c>keyval.public</c>.</summary>
        protected static Key MakeKey(string keyType, string scheme, string publicValue) =>
            new Key(keyType, scheme, new JsonObject().Set("public", new JsonString(publicValue)));
    }
}
