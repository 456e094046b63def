using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using SecureByDesign.Updates.Model;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureByDesign.Updates.Crypto
{
    /// <summary>
    /// Verifies one signature by one key (spec §4.2). Never throws: a key or signature that cannot be
    /// decoded, an unknown key type or scheme, and a wrong signature are all simply "not valid".
    /// </summary>
    public static class SignatureVerifier
    {
        /// <summary>The smallest RSA modulus accepted, in bits.</summary>
        public const int MinimumRsaBits = 2048;

        /// <summary>Whether <paramref name="signatureHex"/> is <paramref name="key"/>'s signature of <paramref name="data"/>.</summary>
        public static bool Verify(Key key, byte[] data, string signatureHex)
        {
            byte[]? signature = Hex.TryDecode(signatureHex);
            string? publicKey = key.Public;
            if (signature is null || publicKey is null || !KeySchemes.IsSupported(key.KeyType, key.Scheme))
            {
                return false;
            }

            try
            {
                return key.Scheme switch
                {
                    KeySchemes.Ed25519 => VerifyEd25519(publicKey, data, signature),
                    KeySchemes.EcdsaP256 => VerifyEcdsa(publicKey, data, signature),
                    KeySchemes.RsaPssSha256 => VerifyRsaPss(publicKey, data, signature),
                    _ => false,
                };
            }
            catch (Exception e) when (e is CryptographicException || e is ArgumentException || e is FormatException || e is InvalidOperationException || e is System.IO.IOException)
            {
                return false;
            }
        }

        private static bool VerifyEd25519(string publicHex, byte[] data, byte[] signature)
        {
            byte[]? publicKey = Hex.TryDecode(publicHex);
            if (publicKey is null || publicKey.Length != Ed25519PublicKeyParameters.KeySize || signature.Length != Ed25519PrivateKeyParameters.SignatureSize)
            {
                return false;
            }

            var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.BlockUpdate(data, 0, data.Length);
            return verifier.VerifySignature(signature);
        }

        private static bool VerifyEcdsa(string pem, byte[] data, byte[] derSignature)
        {
            if (PublicKeyEncoding.TryDecodeP256(pem) is not ECPublicKeyParameters key)
            {
                return false;
            }

            byte[]? p1363 = DerToP1363(derSignature);
            byte[]? x = PublicKeyEncoding.FixedSize(key.Q.Normalize().AffineXCoord.ToBigInteger(), 32);
            byte[]? y = PublicKeyEncoding.FixedSize(key.Q.Normalize().AffineYCoord.ToBigInteger(), 32);
            if (p1363 is null || x is null || y is null)
            {
                return false;
            }

            var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };
            using ECDsa ecdsa = ECDsa.Create(parameters);
            return ecdsa.VerifyData(data, p1363, HashAlgorithmName.SHA256);
        }

        /// <summary>A strict DER ECDSA-Sig-Value (SEQUENCE of r, s) as the 64-byte r||s the framework takes.</summary>
        internal static byte[]? DerToP1363(byte[] der)
        {
            try
            {
                if (Asn1Object.FromByteArray(der) is not Asn1Sequence sequence || sequence.Count != 2
                    || !Org.BouncyCastle.Utilities.Arrays.AreEqual(sequence.GetEncoded(Asn1Encodable.Der), der))
                {
                    return null;
                }

                byte[]? r = PublicKeyEncoding.FixedSize(DerInteger.GetInstance(sequence[0]).Value, 32);
                byte[]? s = PublicKeyEncoding.FixedSize(DerInteger.GetInstance(sequence[1]).Value, 32);
                if (r is null || s is null)
                {
                    return null;
                }

                byte[] result = new byte[64];
                Buffer.BlockCopy(r, 0, result, 0, 32);
                Buffer.BlockCopy(s, 0, result, 32, 32);
                return result;
            }
            catch (Exception e) when (e is System.IO.IOException || e is ArgumentException || e is InvalidCastException)
            {
                return null;
            }
        }

        // RSASSA-PSS with SHA-256 and MGF1-SHA-256 (RFC 8017 §9.1.2). The specification fixes no salt length and
        // python-securesystemslib verifies with any (PSS.AUTO), so the length is read from the encoded message
        // and BouncyCastle then verifies the whole signature with it; the framework verifies one length only.
        private static bool VerifyRsaPss(string pem, byte[] data, byte[] signature)
        {
            if (PublicKeyEncoding.TryDecodePem(pem) is not RsaKeyParameters key || key.IsPrivate || key.Modulus.BitLength < MinimumRsaBits)
            {
                return false;
            }

            if (PssSaltLength(key, signature) is not int saltLength)
            {
                return false;
            }

            var verifier = new PssSigner(new RsaBlindedEngine(), new Sha256Digest(), saltLength);
            verifier.Init(false, key);
            verifier.BlockUpdate(data, 0, data.Length);
            return verifier.VerifySignature(signature);
        }

        private static int? PssSaltLength(RsaKeyParameters key, byte[] signature)
        {
            const int HashLength = 32;
            int modulusBytes = (key.Modulus.BitLength + 7) / 8;
            int encodedBits = key.Modulus.BitLength - 1;
            int encodedLength = (encodedBits + 7) / 8;
            var s = new BigInteger(1, signature);
            if (signature.Length != modulusBytes || s.CompareTo(key.Modulus) >= 0 || encodedLength < HashLength + 2)
            {
                return null;
            }

            byte[]? encoded = PublicKeyEncoding.FixedSize(s.ModPow(key.Exponent, key.Modulus), encodedLength);
            if (encoded is null || encoded[encodedLength - 1] != 0xbc)
            {
                return null;
            }

            int dbLength = encodedLength - HashLength - 1;
            byte[] hash = new byte[HashLength];
            Buffer.BlockCopy(encoded, dbLength, hash, 0, HashLength);
            var mgf = new Mgf1BytesGenerator(new Sha256Digest());
            mgf.Init(new MgfParameters(hash));
            byte[] db = new byte[dbLength];
            mgf.GenerateBytes(db, 0, dbLength);
            for (int i = 0; i < dbLength; i++)
            {
                db[i] ^= encoded[i];
            }

            db[0] &= (byte)(0xff >> ((8 * encodedLength) - encodedBits));
            int one = Array.FindIndex(db, b => b != 0);
            return one >= 0 && db[one] == 0x01 ? dbLength - one - 1 : null;
        }
    }
}
