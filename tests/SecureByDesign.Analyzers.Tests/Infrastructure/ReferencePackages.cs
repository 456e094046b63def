using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace SecureByDesign.Analyzers.Tests;

/// <summary>
/// The testing library downloads reference packages on first use, and two tests that download the same
/// package at once on a fresh machine can see a half-written folder. The first resolution of each set is
/// done here, one at a time; later ones come from its cache.
/// </summary>
internal static class ReferencePackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly HashSet<ReferenceAssemblies> Resolved = [];

    public static async Task EnsureAsync(ReferenceAssemblies references)
    {
        await Gate.WaitAsync();
        try
        {
            if (Resolved.Add(references))
            {
                await references.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
