namespace SecureByDesign.Analyzers;

/// <summary>
/// Every rule id, once. Ids are fixed: tests, docs and users' .editorconfig files depend on them.
/// Category is the first digit: 1 parsing, 2 memory bounds, 3 update validation, 4 resilience.
/// </summary>
internal static class RuleIds
{
    public const string InsecureDeserializer = "SBD1001";
    public const string XmlDtdProcessing = "SBD1002";
    public const string FieldCountNotChecked = "SBD1003";
    public const string ThrowingParse = "SBD1004";
    public const string RegexWithoutTimeout = "SBD1005";
    public const string PathWithoutContainment = "SBD1006";
    public const string UncheckedEnumValue = "SBD1007";
    public const string ThrowingJsonAccessor = "SBD1008";
    public const string UncheckedDeserializedMember = "SBD1009";
    public const string DeserializerLimitOff = "SBD1010";
    public const string ContentChosenType = "SBD1011";

    public const string UncheckedIndex = "SBD2001";
    public const string UncheckedRange = "SBD2002";
    public const string UnboundedAllocation = "SBD2003";
    public const string UncappedStackalloc = "SBD2004";
    public const string UnsafeOffset = "SBD2005";
    public const string UnboundedRead = "SBD2006";
    public const string UncappedLoop = "SBD2007";
    public const string OverflowingBoundsCheck = "SBD2008";

    public const string UnverifiedUpdate = "SBD3001";
    public const string VerificationResultIgnored = "SBD3002";
    public const string CertificateValidationDisabled = "SBD3003";
    public const string SameChannelIntegrity = "SBD3004";
    public const string FailOpenVerification = "SBD3005";
    public const string InsecureTransport = "SBD3006";
    public const string EmbeddedPrivateKey = "SBD3007";

    public const string ContentExceptionEscapes = "SBD4001";
    public const string ProcessEndedByContent = "SBD4002";
}
