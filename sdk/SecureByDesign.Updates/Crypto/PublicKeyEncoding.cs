using System;
using System.Text;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SecureByDesign.Updates.Crypto
{
    /// <summary>
    /// PEM (SubjectPublicKeyInfo) encoding of ECDSA and RSA public keys, as TUF's <c>keyval.public</c>
    /// holds them. BouncyCastle does the ASN.1, because netstandard2.0's framework cannot import or export
    /// SubjectPublicKeyInfo; the framework does the signature arithmetic.
    /// </summary>
    internal static class PublicKeyEncoding
    {
        private const string Begin = "-----BEGIN PUBLIC KEY-----";
        private const string End = "-----END PUBLIC KEY-----";

        /// <summary>Decodes a PEM public key; null when it is not one.</summary>
        public static AsymmetricKeyParameter? TryDecodePem(string pem)
        {
            string text = pem.Trim();
            if (!text.StartsWith(Begin, StringComparison.Ordinal) || !text.EndsWith(End, StringComparison.Ordinal))
            {
                return null;
            }

            string body = text.Substring(Begin.Length, text.Length - Begin.Length - End.Length);
            try
            {
                byte[] der = Convert.FromBase64String(body.Replace("\r", string.Empty).Replace("\n", string.Empty));
                AsymmetricKeyParameter key = PublicKeyFactory.CreateKey(der);
                return key.IsPrivate ? null : key;
            }
            catch (Exception e) when (e is FormatException || e is ArgumentException || e is InvalidOperationException || e is System.IO.IOException || e is SecurityUtilityException)
            {
                return null;
            }
        }

        /// <summary>
        /// Decodes an ECDSA P-256 public key: PEM, or the older hex encoding of the uncompressed point
        /// (<c>04</c>, X, Y: 130 hex digits) that go-tuf wrote and tuf-js reads. Null for anything else,
        /// compressed points and other curves included.
        /// </summary>
        public static ECPublicKeyParameters? TryDecodeP256(string text)
        {
            if (TryDecodePem(text) is ECPublicKeyParameters pem)
            {
                return IsP256(pem) ? pem : null;
            }

            if (Hex.TryDecode(text) is not { Length: 65 } point || point[0] != 0x04)
            {
                return null;
            }

            var curve = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256r1");
            try
            {
                Org.BouncyCastle.Math.EC.ECPoint q = curve.Curve.DecodePoint(point);
                return q.IsValid() ? new ECPublicKeyParameters("EC", q, Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1) : null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        /// <summary>
        /// What makes two listed keys the same key, whatever their ids and extra fields: the key family and the
        /// decoded public key (raw Ed25519 bytes, or the DER SubjectPublicKeyInfo re-encoded from the PEM). Null
        /// when the public key cannot be decoded (such a key verifies nothing anyway).
        /// </summary>
        public static string? Identity(Model.Key key)
        {
            if (key.Public is not string text)
            {
                return null;
            }

            if (key.KeyType == "ed25519")
            {
                return Hex.TryDecode(text) is byte[] raw ? "ed25519:" + Hex.Encode(raw) : null;
            }

            AsymmetricKeyParameter? decoded = key.Scheme == KeySchemes.EcdsaP256 ? TryDecodeP256(text) : TryDecodePem(text);
            return decoded is not null
                ? "spki:" + Hex.Encode(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(decoded).GetDerEncoded())
                : null;
        }

        /// <summary>Encodes a public key as PEM with 64-character lines and a final newline.</summary>
        public static string EncodePem(AsymmetricKeyParameter key)
        {
            byte[] der = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded();
            string base64 = Convert.ToBase64String(der);
            var builder = new StringBuilder();
            builder.Append(Begin).Append('\n');
            for (int i = 0; i < base64.Length; i += 64)
            {
                builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            builder.Append(End).Append('\n');
            return builder.ToString();
        }

        /// <summary>Whether an EC key is on P-256 (secp256r1).</summary>
        public static bool IsP256(ECPublicKeyParameters key) =>
            key.PublicKeyParamSet is not null
                ? key.PublicKeyParamSet.Equals(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1)
                : key.Parameters.Curve.Equals(Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256r1").Curve);

        /// <summary>An unsigned big-endian integer padded or checked to <paramref name="size"/> bytes.</summary>
        public static byte[]? FixedSize(Org.BouncyCastle.Math.BigInteger value, int size)
        {
            byte[] bytes = value.ToByteArrayUnsigned();
            if (value.SignValue < 0 || bytes.Length > size)
            {
                return null;
            }

            byte[] result = new byte[size];
            Buffer.BlockCopy(bytes, 0, result, size - bytes.Length, bytes.Length);
            return result;
        }
    }
}
