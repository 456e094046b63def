using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// The <c>secure_by_design.*</c> options of .editorconfig and .globalconfig files, parsed once per
/// options object (the compiler hands out one per syntax tree and shares it between trees with the same
/// settings). Severities are not here: <c>dotnet_diagnostic.SBDxxxx.severity</c> is the compiler's own.
/// </summary>
internal sealed class TrustOptions
{
    public const string Prefix = "secure_by_design.";
    public const string UntrustedSourcesKey = Prefix + "untrusted_sources";
    public const string ContentValidatorsKey = Prefix + "content_validators";
    public const string UpdateVerifiersKey = Prefix + "update_verifiers";
    public const string ContentNamesKey = Prefix + "content_names";
    public const string MaxAllocationKey = Prefix + "max_allocation";
    public const string MaxStackallocBytesKey = Prefix + "max_stackalloc_bytes";
    public const string CheckTrustedStackallocSizesKey = Prefix + "check_trusted_stackalloc_sizes";

    public const int DefaultMaxAllocation = 16 * 1024 * 1024;
    public const int DefaultMaxStackallocBytes = 1024;

    private static readonly ConditionalWeakTable<AnalyzerConfigOptions, TrustOptions> Cache = new();

    /// <summary>Every key, its default and what it does, for docs/trust-model.md.</summary>
    public static ImmutableArray<(string Key, string Default, string Meaning)> Keys { get; } = ImmutableArray.Create(
        (UntrustedSourcesKey, "(none)", "methods whose results are untrusted, as sources of the catalog"),
        (ContentValidatorsKey, "(none)", "methods that check their arguments, as `[ContentValidator]` does"),
        (UpdateVerifiersKey, "(none)", "methods that verify their arguments' signature, as `[UpdateVerifier]` does"),
        (ContentNamesKey, "(none)", "properties whose value the content chose (`P:Ns.Type.Property`, or `Ns.Type.Property`), as the catalog's names of archive entries and a request's cookies: sources; an interface's property counts on every type that implements it"),
        (MaxAllocationKey, DefaultMaxAllocation.ToString(CultureInfo.InvariantCulture), "the largest allocation, in bytes, an untrusted size may ask for without a check; the code fixes write it as their limit"),
        (MaxStackallocBytesKey, DefaultMaxStackallocBytes.ToString(CultureInfo.InvariantCulture), "the largest `stackalloc`, in bytes, that needs no cap; the code fix writes it as its cap"),
        (CheckTrustedStackallocSizesKey, "false", "`true` to flag (SBD2004) a `stackalloc` whose size is not from content but that nothing in the code bounds either, such as a parameter's length"));

    private readonly ConfiguredMembers sources;
    private readonly ConfiguredMembers validators;
    private readonly ConfiguredMembers verifiers;
    private readonly ConfiguredMembers contentNames;

    private TrustOptions(ConfiguredMembers sources, ConfiguredMembers validators, ConfiguredMembers verifiers, ConfiguredMembers contentNames, int maxAllocation, int maxStackallocBytes, bool checkTrustedStackallocSizes)
    {
        this.sources = sources;
        this.validators = validators;
        this.verifiers = verifiers;
        this.contentNames = contentNames;
        MaxAllocation = maxAllocation;
        MaxStackallocBytes = maxStackallocBytes;
        CheckTrustedStackallocSizes = checkTrustedStackallocSizes;
    }

    public static TrustOptions Default { get; } = Parse(key => null);

    /// <summary>Upper bound that makes an allocation size acceptable (SBD2003).</summary>
    public int MaxAllocation { get; }

    /// <summary>Largest <c>stackalloc</c> in bytes that needs no cap (SBD2004).</summary>
    public int MaxStackallocBytes { get; }

    /// <summary>Whether SBD2004 also flags sizes that are not from content and that nothing bounds (off by default).</summary>
    public bool CheckTrustedStackallocSizes { get; }

    /// <summary>The methods named in <c>secure_by_design.untrusted_sources</c>, as written.</summary>
    public IEnumerable<string> UntrustedSources => sources.Entries;

    public static TrustOptions For(AnalyzerOptions options, SyntaxTree tree) =>
        For(options.AnalyzerConfigOptionsProvider.GetOptions(tree));

    /// <summary>The options of the tree a method is declared in (the defaults without options, or for a method of another compilation).</summary>
    public static Func<IMethodSymbol, TrustOptions> OfTrees(AnalyzerOptions? options, Compilation compilation) =>
        method => options is not null && method.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree is { } tree && compilation.ContainsSyntaxTree(tree)
            ? For(options, tree)
            : Default;

    public static TrustOptions For(AnalyzerConfigOptions options) =>
        Cache.GetValue(options, o => Parse(key => o.TryGetValue(key, out var value) ? value : null));

    /// <summary>True when the method was declared untrusted in configuration (<see cref="UntrustedSourcesKey"/>).</summary>
    public bool IsConfiguredSource(IMethodSymbol method) => sources.Contains(method);

    /// <summary>True when the method was declared a content validator in configuration (<see cref="ContentValidatorsKey"/>).</summary>
    public bool IsConfiguredValidator(IMethodSymbol method) => validators.Contains(method);

    /// <summary>True when the method was declared an update verifier in configuration (<see cref="UpdateVerifiersKey"/>).</summary>
    public bool IsConfiguredVerifier(IMethodSymbol method) => verifiers.Contains(method);

    /// <summary>Whether configuration declares any update verifier.</summary>
    public bool HasConfiguredVerifiers => verifiers.Entries.Any();

    /// <summary>True when the property was declared a name the content chose in configuration (<see cref="ContentNamesKey"/>).</summary>
    public bool IsConfiguredContentName(IPropertySymbol property) => contentNames.Contains(property);

    private static TrustOptions Parse(Func<string, string?> read) => new(
        ConfiguredMembers.Parse(read(UntrustedSourcesKey)),
        ConfiguredMembers.Parse(read(ContentValidatorsKey)),
        ConfiguredMembers.Parse(read(UpdateVerifiersKey)),
        ConfiguredMembers.Parse(read(ContentNamesKey), ConfiguredMembers.Property),
        ReadPositive(read(MaxAllocationKey), DefaultMaxAllocation),
        ReadPositive(read(MaxStackallocBytesKey), DefaultMaxStackallocBytes),
        string.Equals(read(CheckTrustedStackallocSizesKey)?.Trim(), "true", StringComparison.OrdinalIgnoreCase));

    private static int ReadPositive(string? text, int fallback) =>
        int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
