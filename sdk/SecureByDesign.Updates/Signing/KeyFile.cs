using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureByDesign.Updates.Signing
{
    /// <summary>
    /// A private key file: the key as TUF lists it, with <c>keyval.private</c> added (python-securesystemslib's
    /// layout): hex seed for ed25519, PKCS#8 PEM for ECDSA and RSA. The file is not encrypted: keep it in a
    /// secret store, readable by the release pipeline only.
    /// </summary>
    public static class KeyFile
    {
        private const string PrivateBegin = "-----BEGIN PRIVATE KEY-----";
        private const string PrivateEnd = "-----END PRIVATE KEY-----";

        /// <summary>The file's text for a signer's key.</summary>
        public static string Write(KeySigner signer)
        {
            string privateText = signer switch
            {
                Ed25519KeySigner ed => Hex.Encode(ed.Seed),
                EcdsaKeySigner ec => Pem(PrivateKeyInfoFactory.CreatePrivateKeyInfo(EcPrivate(ec.ExportPrivate())).GetDerEncoded()),
                RsaPssKeySigner rsa => Pem(PrivateKeyInfoFactory.CreatePrivateKeyInfo(RsaPrivate(rsa.ExportPrivate())).GetDerEncoded()),
                _ => throw new ArgumentException("Unknown signer type " + signer.GetType().Name, nameof(signer)),
            };
            var keyValue = new JsonObject()
                .Set("public", new JsonString(signer.PublicKey.Public!))
                .Set("private", new JsonString(privateText));
            JsonObject key = signer.PublicKey.ToJson().Set("keyval", keyValue);
            return Encoding.UTF8.GetString(JsonText.Serialize(key, indented: true)) + "\n";
        }

        /// <summary>Reads a key file; an <see cref="UpdateException"/> when it is not one.</summary>
        public static KeySigner Read(byte[] bytes, string source)
        {
            FieldReader fields = FieldReader.Of(StrictJsonReader.Parse(bytes, source, 64 * 1024), source, "$");
            string keyType = fields.String("keytype");
            string scheme = fields.String("scheme");
            FieldReader keyValue = fields.Child("keyval");
            string publicText = keyValue.String("public");
            string privateText = keyValue.String("private");
            KeySigner signer;
            try
            {
                signer = (keyType, scheme) switch
                {
                    (KeySchemes.Ed25519, KeySchemes.Ed25519) => new Ed25519KeySigner(Hex.TryDecode(privateText) is { Length: 32 } seed ? seed : throw keyValue.Invalid("private", "must be 64 hex digits")),
                    (KeySchemes.EcdsaKeyType, KeySchemes.EcdsaP256) => new EcdsaKeySigner(ToEcdsa(DecodePrivate(privateText, keyValue))),
                    (KeySchemes.RsaKeyType, KeySchemes.RsaPssSha256) => new RsaPssKeySigner(ToRsa(DecodePrivate(privateText, keyValue))),
                    _ => throw fields.Invalid("keytype", $"'{keyType}' with scheme '{scheme}' is not a key type this tool signs with"),
                };
            }
            catch (Exception e) when (e is CryptographicException || e is ArgumentException || e is InvalidCastException || e is IOException)
            {
                throw keyValue.Invalid("private", "is not a valid private key: " + e.Message);
            }

            if (signer.PublicKey.Public != publicText)
            {
                signer.Dispose();
                throw keyValue.Invalid("public", "is not the public half of keyval.private");
            }

            return signer;
        }

        /// <summary>
        /// The public key of a key file, or of a public key file (the same layout without <c>keyval.private</c>): what
        /// adding a key to a role needs, so a signer can hand over the public half only.
        /// </summary>
        public static Key ReadPublicKey(byte[] bytes, string source)
        {
            FieldReader fields = FieldReader.Of(StrictJsonReader.Parse(bytes, source, 64 * 1024), source, "$");
            string keyType = fields.String("keytype");
            string scheme = fields.String("scheme");
            string publicText = fields.Child("keyval").String("public");
            if (!KeySchemes.IsSupported(keyType, scheme))
            {
                throw fields.Invalid("keytype", $"'{keyType}' with scheme '{scheme}' is not a key type this library verifies");
            }

            return new Key(keyType, scheme, new JsonObject().Set("public", new JsonString(publicText)));
        }

        private static string Pem(byte[] der)
        {
            string base64 = Convert.ToBase64String(der);
            var builder = new StringBuilder(PrivateBegin).Append('\n');
            for (int i = 0; i < base64.Length; i += 64)
            {
                builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            return builder.Append(PrivateEnd).Append('\n').ToString();
        }

        private static AsymmetricKeyParameter DecodePrivate(string pem, FieldReader where)
        {
            string text = pem.Trim();
            if (!text.StartsWith(PrivateBegin, StringComparison.Ordinal) || !text.EndsWith(PrivateEnd, StringComparison.Ordinal))
            {
                throw where.Invalid("private", "must be a PKCS#8 PEM private key");
            }

            string body = text.Substring(PrivateBegin.Length, text.Length - PrivateBegin.Length - PrivateEnd.Length);
            return PrivateKeyFactory.CreateKey(Convert.FromBase64String(body.Replace("\r", string.Empty).Replace("\n", string.Empty)));
        }

        private static ECPrivateKeyParameters EcPrivate(ECParameters p) =>
            new ECPrivateKeyParameters("EC", new BigInteger(1, p.D), SecObjectIdentifiers.SecP256r1);

        private static ECDsa ToEcdsa(AsymmetricKeyParameter key)
        {
            var ec = (ECPrivateKeyParameters)key;
            var q = ec.Parameters.G.Multiply(ec.D).Normalize();
            var parameters = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                D = PublicKeyEncoding.FixedSize(ec.D, 32),
                Q = new System.Security.Cryptography.ECPoint
                {
                    X = PublicKeyEncoding.FixedSize(q.AffineXCoord.ToBigInteger(), 32),
                    Y = PublicKeyEncoding.FixedSize(q.AffineYCoord.ToBigInteger(), 32),
                },
            };
            return ECDsa.Create(parameters);
        }

        private static RsaPrivateCrtKeyParameters RsaPrivate(RSAParameters p) => new RsaPrivateCrtKeyParameters(
            new BigInteger(1, p.Modulus), new BigInteger(1, p.Exponent), new BigInteger(1, p.D), new BigInteger(1, p.P),
            new BigInteger(1, p.Q), new BigInteger(1, p.DP), new BigInteger(1, p.DQ), new BigInteger(1, p.InverseQ));

        private static RSA ToRsa(AsymmetricKeyParameter key)
        {
            var k = (RsaPrivateCrtKeyParameters)key;
            int size = (k.Modulus.BitLength + 7) / 8;
            int half = (size + 1) / 2;
            var parameters = new RSAParameters
            {
                Modulus = PublicKeyEncoding.FixedSize(k.Modulus, size),
                Exponent = k.PublicExponent.ToByteArrayUnsigned(),
                D = PublicKeyEncoding.FixedSize(k.Exponent, size),
                P = PublicKeyEncoding.FixedSize(k.P, half),
                Q = PublicKeyEncoding.FixedSize(k.Q, half),
                DP = PublicKeyEncoding.FixedSize(k.DP, half),
                DQ = PublicKeyEncoding.FixedSize(k.DQ, half),
                InverseQ = PublicKeyEncoding.FixedSize(k.QInv, half),
            };
            RSA rsa = RSA.Create();
            rsa.ImportParameters(parameters);
            return rsa;
        }
    }
}
