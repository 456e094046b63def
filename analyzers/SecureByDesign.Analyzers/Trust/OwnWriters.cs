using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// Whether the compilation declares a buffer writer of its own (a type implementing <c>IBufferWriter&lt;T&gt;</c>): a call
/// through the interface may reach it, and it need not keep the interface's promise of at least the size hinted.
/// Cached per compilation.
/// </summary>
internal static class OwnWriters
{
    private static readonly ConditionalWeakTable<Compilation, object> Cache = new();

    private static readonly object Yes = new();

    private static readonly object No = new();

    public static bool Declares(Compilation compilation) =>
        Cache.GetValue(compilation, c => c.GetSymbolsWithName(name => name == "GetSpan", SymbolFilter.Member)
            .Any(member => member.ContainingType?.AllInterfaces.Any(i => i is { Name: "IBufferWriter", ContainingNamespace.Name: "Buffers" }) == true) ? Yes : No) == Yes;
}
