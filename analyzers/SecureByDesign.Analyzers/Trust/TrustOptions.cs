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
    public const string MaxAllocationKey = Prefix + "max_allocation";
    public const string MaxStackallocBytesKey = Prefix + "max_stackalloc_bytes";

    public const int DefaultMaxAllocation = 16 * 1024 * 1024;
    public const int DefaultMaxStackallocBytes = 1024;

    private static readonly ConditionalWeakTable<AnalyzerConfigOptions, TrustOptions> Cache = new();
    private static readonly char[] ListSeparators = [',', ';', ' ', '\t', '\r', '\n'];

    private readonly ImmutableHashSet<string> untrustedMethods;
    private readonly ImmutableHashSet<string> untrustedTypes;

    private TrustOptions(ImmutableHashSet<string> untrustedMethods, ImmutableHashSet<string> untrustedTypes, int maxAllocation, int maxStackallocBytes)
    {
        this.untrustedMethods = untrustedMethods;
        this.untrustedTypes = untrustedTypes;
        MaxAllocation = maxAllocation;
        MaxStackallocBytes = maxStackallocBytes;
    }

    public static TrustOptions Default { get; } = Parse(key => null);

    /// <summary>Upper bound that makes an allocation size acceptable (SBD2003).</summary>
    public int MaxAllocation { get; }

    /// <summary>Largest <c>stackalloc</c> in bytes that needs no cap (SBD2004).</summary>
    public int MaxStackallocBytes { get; }

    /// <summary>The methods named in <c>secure_by_design.untrusted_sources</c>, as written.</summary>
    public IEnumerable<string> UntrustedSources => untrustedMethods.Concat(untrustedTypes);

    public static TrustOptions For(AnalyzerOptions options, SyntaxTree tree) =>
        For(options.AnalyzerConfigOptionsProvider.GetOptions(tree));

    public static TrustOptions For(AnalyzerConfigOptions options) =>
        Cache.GetValue(options, o => Parse(key => o.TryGetValue(key, out var value) ? value : null));

    /// <summary>
    /// True when the method was declared untrusted in configuration: its documentation-comment id is
    /// listed (<c>M:Ns.Type.Method</c> matches every overload, <c>M:Ns.Type.Method(System.Int32)</c> one),
    /// or its type is (<c>T:Ns.Type</c>).
    /// </summary>
    public bool IsConfiguredSource(IMethodSymbol method)
    {
        if (untrustedMethods.Count == 0 && untrustedTypes.Count == 0)
        {
            return false;
        }

        var definition = method.ReducedFrom ?? method.OriginalDefinition;
        if (definition.ContainingType?.OriginalDefinition.GetDocumentationCommentId() is { } typeId && untrustedTypes.Contains(typeId))
        {
            return true;
        }

        var id = definition.GetDocumentationCommentId();
        if (id is null)
        {
            return false;
        }

        if (untrustedMethods.Contains(id))
        {
            return true;
        }

        var parenthesis = id.IndexOf('(');
        return parenthesis > 0 && untrustedMethods.Contains(id.Substring(0, parenthesis));
    }

    private static TrustOptions Parse(Func<string, string?> read)
    {
        var methods = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var types = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var entry in (read(UntrustedSourcesKey) ?? string.Empty).Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.StartsWith("M:", StringComparison.Ordinal) && entry.Length > 2)
            {
                methods.Add(entry);
            }
            else if (entry.StartsWith("T:", StringComparison.Ordinal) && entry.Length > 2)
            {
                types.Add(entry);
            }
            else if (entry.IndexOf(':') < 0)
            {
                // A bare name is read as a method: "Ns.Type.Method" means "M:Ns.Type.Method".
                methods.Add("M:" + entry);
            }
        }

        return new TrustOptions(
            methods.ToImmutable(),
            types.ToImmutable(),
            ReadPositive(read(MaxAllocationKey), DefaultMaxAllocation),
            ReadPositive(read(MaxStackallocBytesKey), DefaultMaxStackallocBytes));
    }

    private static int ReadPositive(string? text, int fallback) =>
        int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
