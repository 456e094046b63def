using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers;

/// <summary>
/// All descriptors in one table. <see cref="Create"/> is the only road to a descriptor
/// (BannedSymbols.txt bans the raw constructor), so every rule gets its category, help link
/// and tags the same way.
/// </summary>
internal static class Descriptors
{
    public const string HelpLinkBase = "https://github.com/SecureByDesign/SecureByDesign/blob/main/docs/rules/";

    public static readonly DiagnosticDescriptor InsecureDeserializer = Create(
        RuleIds.InsecureDeserializer,
        Category.Parsing,
        "Do not use deserializers that let content choose the types to create",
        "{0} lets {1} choose the types it instantiates; {2}",
        "BinaryFormatter, SoapFormatter, NetDataContractSerializer, LosFormatter, ObjectStateFormatter, JavaScriptSerializer with a type resolver and Newtonsoft.Json with TypeNameHandling other than None create whatever types the content names. Content that reaches them can run code in the process. Use a serializer bound to known types.");

    public static readonly DiagnosticDescriptor XmlDtdProcessing = Create(
        RuleIds.XmlDtdProcessing,
        Category.Parsing,
        "Do not process DTDs or resolve external entities in XML content",
        "{0} {1}; {2}",
        "XML with DTD processing or an external resolver lets the content expand entities without bound (billion laughs) or read local files and URLs (XXE). Prohibit or ignore DTDs and set XmlResolver to null.");

    public static readonly DiagnosticDescriptor FieldCountNotChecked = Create(
        RuleIds.FieldCountNotChecked,
        Category.Parsing,
        "Check the field count of untrusted records before reading a field",
        "Field {0} of '{1}' from {2} is read {3}",
        "A record split or deserialized from content has as many fields as the content says, not as many as the code expects. Reading field k needs a dominating check that the record has more than k fields: Length > k, Length == n with n > k, a list pattern, or an early exit when it is shorter. A check one short is not enough. The characters of a field (field[5], field.Substring(2, 3)) need the field's Length checked the same way. A content update whose records carried 21 fields read by code that expected 20 crashed millions of agents.");

    public static readonly DiagnosticDescriptor ThrowingParse = Create(
        RuleIds.ThrowingParse,
        Category.Parsing,
        "Parse untrusted text with the Try form and reject what fails",
        "{0} parses '{1}' from {2}, {3}",
        "int.Parse, Enum.Parse, Guid.Parse, DateTime.Parse, IPAddress.Parse, Convert.ToInt32(string) and the other throwing parsers throw FormatException or OverflowException on malformed content. In an agent that exception escapes the parser and stops the component that read the content. The Try form returns false instead, and the caller rejects the content and keeps what it had; a TryParse whose result is ignored silently reads malformed content as zero.");

    public static readonly DiagnosticDescriptor RegexWithoutTimeout = Create(
        RuleIds.RegexWithoutTimeout,
        Category.Parsing,
        "Give regular expressions over untrusted input a timeout",
        "{0} matches {1} with no timeout; pass a TimeSpan timeout or use RegexOptions.NonBacktracking",
        "A backtracking regular expression over crafted input can run for minutes and stall the agent. A match timeout (or the non-backtracking engine) bounds the work.");

    public static readonly DiagnosticDescriptor PathWithoutContainment = Create(
        RuleIds.PathWithoutContainment,
        Category.Parsing,
        "Keep paths from content inside their root directory",
        "{0}; {1}",
        "An archive entry's name or another path from content that reaches a file write, copy, move or directory creation can hold '..' segments or be rooted, and so write anywhere the agent may write (zip slip). Path.GetFullPath of the target, checked with StartsWith against a root that ends with a directory separator, on every path before the write, keeps it inside. A root without the trailing separator lets '/data/outside' pass a check against '/data/out'.");

    public static readonly DiagnosticDescriptor UncheckedEnumValue = Create(
        RuleIds.UncheckedEnumValue,
        Category.Parsing,
        "Check enum values from content with Enum.IsDefined",
        "Enum value '{0}' from {1} is {2}, and nothing before it checks the value against the members of '{3}' (Enum.IsDefined or a range check)",
        "A cast of a number read from content to an enum type, or Enum.Parse of text from content, gives any value of the underlying type, not only the declared members. A switch without a rejecting default, a table indexed by the value or a record that stores it then sees a value that no code expects.");

    public static readonly DiagnosticDescriptor UncheckedDeserializedMember = Create(
        RuleIds.UncheckedDeserializedMember,
        Category.Parsing,
        "Check deserialized objects and their members for null before using them",
        "'{0}' from {1} may be null and is dereferenced in '{2}' with no null check or [ContentValidator] call before it",
        "Deserializers return null for the content 'null' and set any reference-typed member to null when the content says so, whatever the declared nullability; the null-forgiving operator ('!') checks nothing. A NullReferenceException in a parser of content crashes the agent wherever the content lands.");

    public static readonly DiagnosticDescriptor ThrowingJsonAccessor = Create(
        RuleIds.ThrowingJsonAccessor,
        Category.Parsing,
        "Read untrusted JSON with the TryGet accessors",
        "{0} reads '{1}' from {2}, which throws when {3}; {4}",
        "JsonElement.GetProperty throws KeyNotFoundException when the property is missing, and GetInt32, GetGuid, GetDateTime, GetString, GetBoolean and the other accessors throw when the value has another kind or does not fit. JSON from a content update or the network decides both. TryGetProperty and the TryGet accessors return false instead, so the caller can reject the content; accessors with no Try form need a ValueKind check first.");

    public static readonly DiagnosticDescriptor DeserializerLimitOff = Create(
        RuleIds.DeserializerLimitOff,
        Category.Parsing,
        "Keep the depth and size limits of deserializers",
        "'{0}' {1}; {2}",
        "Deserializers bound how deeply content may nest and how much entity expansion it may cause. Newtonsoft.Json MaxDepth = null, a System.Text.Json MaxDepth above 256 and XmlReaderSettings.MaxCharactersFromEntities = 0 remove those bounds, and nested or expanding content then overflows the stack (which ends the process) or exhausts memory.");

    public static readonly DiagnosticDescriptor ContentChosenType = Create(
        RuleIds.ContentChosenType,
        Category.Parsing,
        "Do not let content name the types to load or create",
        "{0} from {1} reaches '{2}', which {3}, with no check against an allow-list of known names before it; map the name to a known type (a switch, or a dictionary of allowed types) and reject any other",
        "Type.GetType, Assembly.GetType, Activator.CreateInstance and AppDomain.CreateInstance resolve whatever type a name names, loading its assembly, and create it: running its constructor, and whatever a later deserializer or a call through an interface does with it. A type name taken from content (a document's type field, a YAML tag, a message header) lets the content choose that code among every type the process can load. A check that the type implements an interface does not help: many framework types do. Check the name against the program's own list first.");

    public static readonly DiagnosticDescriptor UncheckedIndex = Create(
        RuleIds.UncheckedIndex,
        Category.MemoryBounds,
        "Check untrusted indexes against the buffer they index",
        "Index '{0}' from {1} reaches '{2}' {3}",
        "An index read from content reaches an array, span, string or list without a check, on every path, that it lies in [0, Length) of that same buffer. A check against another buffer, a check one short (i > a.Length), a one-sided check of a signed value or a Debug.Assert does not count. Out-of-range reads crash the agent or, in unsafe code, read other memory.");

    public static readonly DiagnosticDescriptor UncheckedRange = Create(
        RuleIds.UncheckedRange,
        Category.MemoryBounds,
        "Check untrusted offsets and lengths against the buffer they slice or copy",
        "Range '{0}' from {1} reaches '{2}' with no check that it fits '{3}'; check (uint)offset <= (uint){3} and (uint)length <= (uint)({3} - offset)",
        "An offset or length read from content reaches Slice, AsSpan, Substring, Array.Copy, Buffer.BlockCopy, Encoding.GetString, Stream.Read or Marshal.Copy without a check that the whole range fits the buffer. The call throws, or in unsafe code reads past the buffer.");

    public static readonly DiagnosticDescriptor UnboundedAllocation = Create(
        RuleIds.UnboundedAllocation,
        Category.MemoryBounds,
        "Bound allocation sizes that come from content",
        "Size '{0}' from {1} sizes '{2}' with no upper bound; check it against a named maximum first",
        "A size read from content and used to allocate lets the content ask for gigabytes: the agent fails with OutOfMemoryException on every machine that takes the update. An upper bound by a constant, or by secure_by_design.max_allocation, makes it quiet.");

    public static readonly DiagnosticDescriptor UncappedStackalloc = Create(
        RuleIds.UncappedStackalloc,
        Category.MemoryBounds,
        "Cap stackalloc sizes with a small constant",
        "stackalloc of '{0}' elements{1} has no constant cap of {2} bytes; a large size overflows the stack and ends the process",
        "A stack overflow cannot be caught: it ends the process. A stackalloc whose size is not a constant must be proven at most secure_by_design.max_stackalloc_bytes (default 1024) or fall back to the heap.");

    public static readonly DiagnosticDescriptor UnsafeOffset = Create(
        RuleIds.UnsafeOffset,
        Category.MemoryBounds,
        "Check untrusted offsets before unsafe reads",
        "Offset '{0}' from {1} reaches '{2}' {3}; in unsafe code an out-of-range read returns other memory or crashes the process",
        "Pointer arithmetic and indexing, Marshal.Read*/Write* with an offset, Unsafe.Add/AddByteOffset, Unsafe.ReadUnaligned/As and MemoryMarshal.CreateSpan have no bounds checks at all. An offset from content must be proven non-negative and below the length of the buffer it points into (the pinned buffer, the span of MemoryMarshal.GetReference), with room for the whole value read there: offset + 4 <= buffer.Length for an int.");

    public static readonly DiagnosticDescriptor UnboundedRead = Create(
        RuleIds.UnboundedRead,
        Category.MemoryBounds,
        "Limit the size of whole-input reads of untrusted streams",
        "'{0}' reads all of {1} into memory with no size limit; check its length against a named maximum first",
        "ReadToEnd, CopyTo a MemoryStream, HttpContent.ReadAsByteArrayAsync/ReadAsStringAsync and JsonDocument.Parse(stream) read whatever the other side sends. A dominating length check, or a bounded wrapper, keeps a hostile or broken source from exhausting memory.");

    public static readonly DiagnosticDescriptor UncappedLoop = Create(
        RuleIds.UncappedLoop,
        Category.MemoryBounds,
        "Cap loop counts that come from content",
        "Loop count '{0}' from {1} has no cap, and each iteration allocates or does I/O; check it against a named maximum first",
        "A record count read from content decides how many times the loop allocates or reads. Without a cap, one byte of content can make the agent allocate gigabytes or spin for hours.");

    public static readonly DiagnosticDescriptor OverflowingBoundsCheck = Create(
        RuleIds.OverflowingBoundsCheck,
        Category.MemoryBounds,
        "Write bounds checks that cannot overflow",
        "'{0}' can overflow: {1} from {2} can make the sum wrap negative, and then the check passes; compare as unsigned instead",
        "offset + length > buffer.Length with untrusted signed values wraps past int.MaxValue to a negative number, and the check passes. The (uint) form, a checked context or long arithmetic cannot be fooled.");

    public static readonly DiagnosticDescriptor UnverifiedUpdate = Create(
        RuleIds.UnverifiedUpdate,
        Category.UpdateValidation,
        "Verify the signature of downloaded content before it is applied",
        "'{0}' downloaded by {1} reaches {2} with no signature verification of that data on every path before it; verify it against a key the agent holds and reject it on failure",
        "Content or an update downloaded from the network and then written, extracted, loaded or run without a signature check lets whoever controls the server, a mirror or the network path decide what the agent applies. Verify the same data (VerifyData/VerifyHash with a key the agent holds, SignedCms.CheckSignature(false), SecureByDesign.Updates or an [UpdateVerifier] method) on every path before the sink, and reject it when the check fails.");

    public static readonly DiagnosticDescriptor VerificationResultIgnored = Create(
        RuleIds.VerificationResultIgnored,
        Category.UpdateValidation,
        "Act on the result of a signature verification",
        "{0} {1}; {2}",
        "VerifyData, VerifyHash, X509Chain.Build and update verifiers report failure by returning false. A result that is discarded or never tested verifies nothing. SignedCms.CheckSignature(true) checks the signature alone, not that the signer chains to a trusted publisher.");

    public static readonly DiagnosticDescriptor CertificateValidationDisabled = Create(
        RuleIds.CertificateValidationDisabled,
        Category.UpdateValidation,
        "Do not disable TLS certificate validation",
        "{0} {1}; {2}",
        "A certificate validation callback that accepts every certificate, or a revocation check turned off, lets anyone on the network path serve the agent's updates and content.");

    public static readonly DiagnosticDescriptor SameChannelIntegrity = Create(
        RuleIds.SameChannelIntegrity,
        Category.UpdateValidation,
        "Check integrity with a key the client holds and a strong hash",
        "{0}; {1}",
        "A hash or signature fetched from the same server as the content proves nothing: whoever can replace the content can replace the hash or the key with it. MD5 and SHA-1 admit collisions. Verify a signature made with a key the agent already holds, over SHA-256 or stronger.");

    public static readonly DiagnosticDescriptor FailOpenVerification = Create(
        RuleIds.FailOpenVerification,
        Category.UpdateValidation,
        "Do not let a failed verification pass",
        "{0}; {1}",
        "A verification whose exception is caught and ignored, or whose handler returns success, lets exactly the content that failed the check through; so does a verification skipped when the signature is missing or empty, since stripping the signature is the easiest attack there is. Let the exception propagate, or reject the content (return false, throw) in the handler and when there is no signature.");

    public static readonly DiagnosticDescriptor InsecureTransport = Create(
        RuleIds.InsecureTransport,
        Category.UpdateValidation,
        "Fetch updates and content over https",
        "{0} connects to '{1}' over plain {2}; anyone on the network path can read or replace the content, use {3}",
        "Content fetched over http://, ftp:// or ws:// can be read and replaced by anyone on the network path. Use https:// or wss:// (and verify the content's signature as well).");

    public static readonly DiagnosticDescriptor EmbeddedPrivateKey = Create(
        RuleIds.EmbeddedPrivateKey,
        Category.UpdateValidation,
        "Do not embed private keys in source",
        "{0} embeds private key material in the source; anyone with the binary or the repository has the key, load it from a key store or a protected file",
        "A private key in source code or in the built assembly is a published key. Whoever holds it can sign content that the fleet will trust.");

    public static readonly DiagnosticDescriptor ContentExceptionEscapes = Create(
        RuleIds.ContentExceptionEscapes,
        Category.Resilience,
        "Reject content that fails where it enters a thread or entry point, instead of ending the process",
        "{0} {1} {2}; an IndexOutOfRangeException, NullReferenceException or other incidental exception there {3}: catch Exception around it, reject the content and keep the last known good",
        "An exception that leaves a thread, timer or thread-pool callback, a fire-and-forget Task.Run, an async void method or Main ends the process (or, for a discarded task, silently stops the work). Parsers of content fail with IndexOutOfRangeException, NullReferenceException, InvalidCastException, KeyNotFoundException, ArgumentOutOfRangeException and OverflowException on content nobody expected, on every machine that receives it. A handler there that catches them all and does not throw again rejects the content and keeps the last known good running.");

    public static readonly DiagnosticDescriptor ProcessEndedByContent = Create(
        RuleIds.ProcessEndedByContent,
        Category.Resilience,
        "Do not end the process from content handling",
        "{0} ends the process {1}; reject the content instead and keep the last known good",
        "Environment.FailFast, Environment.Exit and Process.Kill in a content parser, or in the handler of a failed parse, turn one bad content file into an outage of every machine that receives it, and a service that restarts reads the same file again. Reject the content, report it, and keep running with what was loaded before.");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        InsecureDeserializer,
        XmlDtdProcessing,
        FieldCountNotChecked,
        ThrowingParse,
        RegexWithoutTimeout,
        PathWithoutContainment,
        UncheckedEnumValue,
        ThrowingJsonAccessor,
        UncheckedDeserializedMember,
        DeserializerLimitOff,
        ContentChosenType,
        UncheckedIndex,
        UncheckedRange,
        UnboundedAllocation,
        UncappedStackalloc,
        UnsafeOffset,
        UnboundedRead,
        UncappedLoop,
        OverflowingBoundsCheck,
        UnverifiedUpdate,
        VerificationResultIgnored,
        CertificateValidationDisabled,
        SameChannelIntegrity,
        FailOpenVerification,
        InsecureTransport,
        EmbeddedPrivateKey,
        ContentExceptionEscapes,
        ProcessEndedByContent);

    private static DiagnosticDescriptor Create(string id, string category, string title, string messageFormat, string description)
    {
#pragma warning disable RS0030 // The one place that calls the constructor.
        return new DiagnosticDescriptor(
            id,
            title,
            messageFormat,
            category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description,
            HelpLinkBase + id + ".md",
            "SecureByDesign");
#pragma warning restore RS0030
    }

    public static class Category
    {
        public const string Parsing = "Parsing";
        public const string MemoryBounds = "MemoryBounds";
        public const string UpdateValidation = "UpdateValidation";
        public const string Resilience = "Resilience";
    }
}
