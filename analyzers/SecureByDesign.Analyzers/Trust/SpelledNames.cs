using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// The identifiers the compilation's source spells, gathered once per compilation (one walk of the syntax trees, on
/// first use). An analyzer that registers an operation action, however cheap its callback, makes the compiler build the
/// operation tree of every method body: about as much again as the bind of the bodies allocates. A rule whose every
/// finding needs an operation that spells one of a few member names (a call of <c>ReadObject</c>, an assignment of
/// <c>DtdProcessing</c>) asks here at compilation start and registers nothing when none of them is spelled.
/// Only names a call or member access must spell count: a delegate's <c>Invoke</c>, the <c>Add</c> of a collection
/// initializer and the methods of a query expression are called without being spelled, so no gate may rest on them.
/// </summary>
internal sealed class SpelledNames
{
    private static readonly ConditionalWeakTable<Compilation, SpelledNames> Instances = new();

    private readonly Compilation compilation;
    private readonly object gate = new();
    private HashSet<string>? names;
    private HashSet<string>? calledWithArguments;

    private SpelledNames(Compilation compilation) => this.compilation = compilation;

    public static SpelledNames For(Compilation compilation) => Instances.GetValue(compilation, c => new SpelledNames(c));

    /// <summary>Whether the source spells any of <paramref name="candidates"/> as an identifier.</summary>
    public bool Any(IEnumerable<string> candidates, CancellationToken cancellationToken)
    {
        var spelled = Names(cancellationToken);
        return candidates.Any(spelled.Contains);
    }

    /// <summary>
    /// Whether the source may call one of <paramref name="candidates"/> with arguments: the name followed by <c>(</c> and
    /// something other than <c>)</c>, or by <c>&lt;</c> (perhaps a generic call). Read from the same walk of the tokens:
    /// <c>obj.GetType()</c> is spelled everywhere, <c>Type.GetType(name)</c> seldom.
    /// </summary>
    public bool AnyCalledWithArguments(IEnumerable<string> candidates, CancellationToken cancellationToken)
    {
        Names(cancellationToken);
        var called = Volatile.Read(ref calledWithArguments)!;
        return candidates.Any(called.Contains);
    }

    /// <summary>
    /// Whether the source spells the member of an entry of the role in the catalog: a call or member access the role
    /// finds must (a constructor or a name pattern, which need not be spelled, always counts as spelled).
    /// </summary>
    public bool AnyMember(TrustRole role, CancellationToken cancellationToken)
    {
        var members = TrustCatalog.Entries.Where(e => e.Role == role).Select(e => e.Member).ToList();
        return members.Any(m => m is null || m == TrustEntry.Constructor || m.EndsWith("*", StringComparison.Ordinal))
            || Any(members!, cancellationToken);
    }

    private HashSet<string> Names(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref names) is { } known)
        {
            return known;
        }

        lock (gate)
        {
            if (names is null)
            {
                var found = new HashSet<string>(StringComparer.Ordinal);
                var called = new HashSet<string>(StringComparer.Ordinal);
                foreach (var tree in compilation.SyntaxTrees)
                {
                    // The name before an open parenthesis, until the token after it shows whether arguments follow.
                    string? previous = null;
                    string? opened = null;
                    foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens())
                    {
                        if (opened is not null && !token.IsKind(SyntaxKind.CloseParenToken))
                        {
                            called.Add(opened);
                        }

                        opened = previous is not null && token.IsKind(SyntaxKind.OpenParenToken) ? previous : null;
                        if (previous is not null && token.IsKind(SyntaxKind.LessThanToken))
                        {
                            called.Add(previous);
                        }

                        previous = null;
                        if (token.IsKind(SyntaxKind.IdentifierToken))
                        {
                            found.Add(token.ValueText);
                            previous = token.ValueText;
                        }
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                }

                Volatile.Write(ref calledWithArguments, called);
                Volatile.Write(ref names, found);
                return found;
            }

            return names;
        }
    }
}
