using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using SecureByDesign.Updates.Model;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureByDesign.Updates.Crypto
{
    /// <summary>An RSA signing key for <c>rsassa-pss-sha256</c> (framework <see cref="RSA"/>, salt = digest length).</summary>
    public sealed class RsaPssKeySigner : KeySigner
    {
        private readonly RSA _rsa;

        /// <summary>Wraps an RSA key; the signer owns it from now on.</summary>
        public RsaPssKeySigner(RSA rsa)
        {
            _rsa = rsa;
            RSAParameters parameters = rsa.ExportParameters(false);
            var publicKey = new RsaKeyParameters(false, new BigInteger(1, parameters.Modulus), new BigInteger(1, parameters.Exponent));
            PublicKey = MakeKey(KeySchemes.RsaKeyType, KeySchemes.RsaPssSha256, PublicKeyEncoding.EncodePem(publicKey));
        }

        /// <inheritdoc />
        public override Key PublicKey { get; }

        /// <summary>Generates a new key of <paramref name="bits"/> bits (3072 by default).</summary>
        public static RsaPssKeySigner Generate(int bits = 3072)
        {
            RSA rsa = RSA.Create();
            rsa.KeySize = bits;
            return new RsaPssKeySigner(rsa);
        }

        /// <summary>The private parameters, for writing a key file.</summary>
        internal RSAParameters ExportPrivate() => _rsa.ExportParameters(true);

        /// <inheritdoc />
        protected override byte[] SignBytes(byte[] data) => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rsa.Dispose();
            }
        }
    }
}
