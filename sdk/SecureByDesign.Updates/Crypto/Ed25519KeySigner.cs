using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Crypto
{
    /// <summary>An Ed25519 signing key (BouncyCastle: the framework has no Ed25519).</summary>
    public sealed class Ed25519KeySigner : KeySigner
    {
        private readonly Ed25519PrivateKeyParameters _private;

        /// <summary>Creates the signer from a 32-byte private seed.</summary>
        public Ed25519KeySigner(byte[] seed)
        {
            _private = new Ed25519PrivateKeyParameters(seed, 0);
            PublicKey = MakeKey(KeySchemes.Ed25519, KeySchemes.Ed25519, Hex.Encode(_private.GeneratePublicKey().GetEncoded()));
        }

        /// <inheritdoc />
        public override Key PublicKey { get; }

        /// <summary>The 32-byte private seed.</summary>
        public byte[] Seed => _private.GetEncoded();

        /// <summary>Generates a new key.</summary>
        public static Ed25519KeySigner Generate()
        {
            byte[] seed = new byte[Ed25519PrivateKeyParameters.KeySize];
            new SecureRandom().NextBytes(seed);
            return new Ed25519KeySigner(seed);
        }

        /// <inheritdoc />
        protected override byte[] SignBytes(byte[] data)
        {
            var signer = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
            signer.Init(true, _private);
            signer.BlockUpdate(data, 0, data.Length);
            return signer.GenerateSignature();
        }
    }
}
