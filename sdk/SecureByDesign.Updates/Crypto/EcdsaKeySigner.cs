using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using SecureByDesign.Updates.Model;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureByDesign.Updates.Crypto
{
    /// <summary>
    /// An ECDSA P-256 signing key (framework <see cref="ECDsa"/>). Signatures are DER-encoded, as
    /// python-securesystemslib and tuf-js write and read them.
    /// </summary>
    public sealed class EcdsaKeySigner : KeySigner
    {
        private readonly ECDsa _ecdsa;

        /// <summary>Wraps a P-256 key; the signer owns it from now on.</summary>
        public EcdsaKeySigner(ECDsa ecdsa)
        {
            _ecdsa = ecdsa;
            ECParameters parameters = ecdsa.ExportParameters(false);
            var curve = SecNamedCurves.GetByName("secp256r1");
            var point = curve.Curve.CreatePoint(new BigInteger(1, parameters.Q.X), new BigInteger(1, parameters.Q.Y));
            var publicKey = new ECPublicKeyParameters("EC", point, SecObjectIdentifiers.SecP256r1);
            PublicKey = MakeKey(KeySchemes.EcdsaKeyType, KeySchemes.EcdsaP256, PublicKeyEncoding.EncodePem(publicKey));
        }

        /// <inheritdoc />
        public override Key PublicKey { get; }

        /// <summary>Generates a new key.</summary>
        public static EcdsaKeySigner Generate() => new EcdsaKeySigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        /// <summary>The private parameters, for writing a key file.</summary>
        internal ECParameters ExportPrivate() => _ecdsa.ExportParameters(true);

        /// <inheritdoc />
        protected override byte[] SignBytes(byte[] data)
        {
            byte[] p1363 = _ecdsa.SignData(data, HashAlgorithmName.SHA256);
            byte[] r = new byte[32];
            byte[] s = new byte[32];
            System.Buffer.BlockCopy(p1363, 0, r, 0, 32);
            System.Buffer.BlockCopy(p1363, 32, s, 0, 32);
            return new DerSequence(new DerInteger(new BigInteger(1, r)), new DerInteger(new BigInteger(1, s))).GetEncoded(Asn1Encodable.Der);
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _ecdsa.Dispose();
            }
        }
    }
}
