using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// Resolves types by metadata name once per compilation and caches the answer (including "absent").
/// The only caller of <c>Compilation.GetTypeByMetadataName</c> in the analyzers (BannedSymbols.txt).
/// </summary>
internal sealed class WellKnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, WellKnownTypes> Instances = new();

    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> cache = new(StringComparer.Ordinal);

    private WellKnownTypes(Compilation compilation) => this.compilation = compilation;

    public static WellKnownTypes For(Compilation compilation) => Instances.GetValue(compilation, c => new WellKnownTypes(c));

    public INamedTypeSymbol? Get(string metadataName) =>
#pragma warning disable RS0030 // The one place that resolves by metadata name.
        cache.GetOrAdd(metadataName, name => compilation.GetTypeByMetadataName(name));
#pragma warning restore RS0030
}
