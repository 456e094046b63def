using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A value computed once per method body (the root of an operation tree) and kept as long as the body lives. It is
/// computed outside the table's lock: a table's own <c>GetValue</c> runs the computation under a lock that every other
/// thread's first question waits on, which a profile showed as a convoy. Two threads may compute the same body's value
/// once each; the first stored is kept.
/// </summary>
internal sealed class PerBody<T>
    where T : class
{
    private readonly ConditionalWeakTable<IOperation, T> table = new();
    private readonly Func<IOperation, T> compute;

    public PerBody(Func<IOperation, T> compute) => this.compute = compute;

    public T Of(IOperation root)
    {
        if (table.TryGetValue(root, out var known))
        {
            return known;
        }

        var made = compute(root);
        return table.GetValue(root, _ => made);
    }
}
