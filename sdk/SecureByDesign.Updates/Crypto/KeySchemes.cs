namespace SecureByDesign.Updates.Crypto
{
    /// <summary>The key types and signature schemes this library verifies and signs with.</summary>
    public static class KeySchemes
    {
        /// <summary>Key type and scheme of Ed25519 keys (public key: 64 hex digits).</summary>
        public const string Ed25519 = "ed25519";

        /// <summary>Key type of ECDSA keys as python-securesystemslib and tuf-js write it.</summary>
        public const string EcdsaKeyType = "ecdsa";

        /// <summary>Scheme of ECDSA P-256 with SHA-256 (DER signatures); also an older key type name.</summary>
        public const string EcdsaP256 = "ecdsa-sha2-nistp256";

        /// <summary>Key type of RSA keys.</summary>
        public const string RsaKeyType = "rsa";

        /// <summary>Scheme of RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt the length of the digest.</summary>
        public const string RsaPssSha256 = "rsassa-pss-sha256";

        /// <summary>Whether a key type and scheme pair is one this library can verify.</summary>
        public static bool IsSupported(string keyType, string scheme) =>
            (keyType == Ed25519 && scheme == Ed25519)
            || ((keyType == EcdsaKeyType || keyType == EcdsaP256) && scheme == EcdsaP256)
            || (keyType == RsaKeyType && scheme == RsaPssSha256);
    }
}
