namespace SecureByDesign.Resilience.Parsers
{
    /// <summary>The parameter type of a content parser: how the runner hands it the input bytes.</summary>
    public enum InputKind
    {
        /// <summary><c>byte[]</c>.</summary>
        ByteArray,

        /// <summary><c>ReadOnlySpan&lt;byte&gt;</c>.</summary>
        ReadOnlySpan,

        /// <summary><c>ReadOnlyMemory&lt;byte&gt;</c>.</summary>
        ReadOnlyMemory,

        /// <summary><c>System.IO.Stream</c>: a read-only <c>MemoryStream</c> over the bytes.</summary>
        Stream,

        /// <summary><c>string</c>: the bytes decoded as UTF-8.</summary>
        String,
    }
}
