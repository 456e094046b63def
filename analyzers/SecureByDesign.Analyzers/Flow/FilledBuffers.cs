using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Buffers a call fills with content. A source fills the buffers it is given (<c>stream.Read(buffer)</c>); a method of
/// the compilation fills a buffer parameter (an array, <c>Span&lt;T&gt;</c> or <c>Memory&lt;T&gt;</c>) when it passes it,
/// or a view of it (<c>buffer.Slice(offset, count)</c>, <c>buffer.AsSpan(0, n)</c>, <c>span[..n]</c>), to a source or to
/// another method that fills that parameter, or stores content into its elements (<c>buffer[i] = reader.ReadByte()</c>).
/// Part of a method's summary (<see cref="MethodSummaries"/>), so solved once per compilation with the summaries of
/// the methods it calls; the depth is that of the call graph, cycles included.
/// </summary>
internal static class FilledBuffers
{
    /// <summary>A buffer parameter a method fills, and the source its content comes from ("Stream.Read (line 12)").</summary>
    internal readonly struct Fill : IEquatable<Fill>
    {
        public Fill(int ordinal, string origin)
        {
            Ordinal = ordinal;
            Origin = origin;
        }

        public int Ordinal { get; }

        public string Origin { get; }

        public bool Equals(Fill other) => Ordinal == other.Ordinal && Origin == other.Origin;

        public override bool Equals(object? obj) => obj is Fill other && Equals(other);

        public override int GetHashCode() => Ordinal ^ Origin.GetHashCode();
    }

    /// <summary>
    /// The storage whose elements a view shows: <c>buffer</c> for <c>buffer.Slice(a, b)</c>, <c>buffer.AsSpan(a)</c>,
    /// <c>buffer.AsMemory()</c>, <c>memory.Span</c>, <c>span[a..b]</c>, <c>new Span&lt;T&gt;(buffer, a, b)</c> and
    /// conversions; the value itself for anything else. <c>array[a..b]</c> is a copy, not a view.
    /// </summary>
    public static IOperation Root(IOperation value)
    {
        for (var steps = 0; steps < 8; steps++)
        {
            value = value.WalkDownConversions();
            IOperation? inner = value switch
            {
                IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" or "AsMemory" } view when IsView(view.Type) =>
                    view.Instance ?? view.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value,
                // memory.Span, and a type's own view of the storage it keeps (scratch.Span of a struct over a fixed buffer).
                IPropertyReferenceOperation { Property: { Name: "Span" or "Memory", IsIndexer: false }, Instance: { } owner } when IsView(value.Type) => owner,
                IImplicitIndexerReferenceOperation { Instance: { } sliced, Argument.Type.Name: "Range" } when IsView(sliced.Type) => sliced,
                IObjectCreationOperation { Constructor.ContainingType.Name: "Span" or "Memory", Arguments.Length: > 0 } created
                    when created.Arguments[0].Value.WalkDownConversions().Type is IArrayTypeSymbol => created.Arguments[0].Value,
                _ => null,
            };
            if (inner is null)
            {
                return value;
            }

            value = inner;
        }

        return value;
    }

    /// <summary>A type whose elements a call can write: a one-dimensional array, <c>Span&lt;T&gt;</c> or <c>Memory&lt;T&gt;</c>.</summary>
    public static bool IsFillable(ITypeSymbol? type) => type is IArrayTypeSymbol { Rank: 1 } || IsView(type);

    private static bool IsView(ITypeSymbol? type) => type is INamedTypeSymbol { Name: "Span" or "Memory", ContainingNamespace.Name: "System" };

    /// <summary>
    /// The calls of a body whose summaries <see cref="Of"/> may read: those given a buffer, and those in a value stored
    /// into an element.
    /// </summary>
    public static IEnumerable<IInvocationOperation> Candidates(IOperation body) =>
        body.Descendants().Where(o => o.FindOwner() == body).SelectMany(o => o switch
        {
            IInvocationOperation invocation when invocation.Arguments.Any(a => IsFillable(a.Value.WalkDownConversions().Type)) => new[] { invocation },
            ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } } store =>
                store.Value.DescendantsAndSelf().OfType<IInvocationOperation>(),
            _ => Enumerable.Empty<IInvocationOperation>(),
        });

    /// <summary>
    /// The buffer parameters of a method that it fills with content, each with the first source found (in source order).
    /// <paramref name="contentOrigin"/> is where a stored value comes from when it comes from a source, else null.
    /// </summary>
    public static ImmutableArray<Fill> Of(
        IMethodSymbol method,
        IOperation body,
        List<IOperation> operations,
        TrustModel trust,
        TrustOptions options,
        Func<IMethodSymbol, MethodSummaries.Summary?> summaryOf,
        Func<IOperation, string?> contentOrigin,
        CancellationToken cancellationToken)
    {
        if (!method.Parameters.Any(p => IsFillable(p.Type) && p.RefKind is RefKind.None or RefKind.Ref))
        {
            return ImmutableArray<Fill>.Empty;
        }

        var aliases = Aliases(method, operations);
        int? ParameterOf(IOperation value) => Root(value) switch
        {
            IParameterReferenceOperation { Parameter: { RefKind: RefKind.None or RefKind.Ref } parameter } when IsFillable(parameter.Type)
                && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method) => parameter.Ordinal,
            ILocalReferenceOperation local when aliases.TryGetValue(local.Local, out var ordinal) => ordinal,
            _ => null,
        };

        var fills = new SortedDictionary<int, string>();
        void Add(int? ordinal, string origin)
        {
            if (ordinal is { } filled && !fills.ContainsKey(filled))
            {
                fills[filled] = origin;
            }
        }

        foreach (var operation in operations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation.FindOwner() != body)
            {
                continue;
            }

            switch (operation)
            {
                case IInvocationOperation invocation when TaintSources.Origin(invocation, trust, options, cancellationToken) is { } origin:
                    foreach (var argument in invocation.Arguments.Where(a => a.Parameter?.RefKind is not RefKind.Out && IsFillable(a.Value.WalkDownConversions().Type)))
                    {
                        Add(ParameterOf(argument.Value), origin);
                    }

                    break;
                case IInvocationOperation invocation when invocation.Arguments.Any(a => IsFillable(a.Value.WalkDownConversions().Type))
                    && summaryOf(invocation.TargetMethod) is { Fills.IsEmpty: false } callee:
                    foreach (var fill in callee.Fills)
                    {
                        if (invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == fill.Ordinal) is { } argument)
                        {
                            Add(ParameterOf(argument.Value), fill.Origin);
                        }
                    }

                    break;
                case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation { ArrayReference: var array } } store when contentOrigin(store.Value) is { } stored:
                    Add(ParameterOf(array), stored);
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } span } } store when IsView(span.Type) && contentOrigin(store.Value) is { } stored:
                    Add(ParameterOf(span), stored);
                    break;
            }
        }

        return fills.Select(f => new Fill(f.Key, f.Value)).ToImmutableArray();
    }

    /// <summary>Locals that only ever hold a view of one buffer parameter: <c>var window = buffer.AsSpan(offset)</c>.</summary>
    private static Dictionary<ILocalSymbol, int> Aliases(IMethodSymbol method, List<IOperation> operations)
    {
        var roots = new Dictionary<ILocalSymbol, int?>(SymbolEqualityComparer.Default);
        foreach (var operation in operations)
        {
            var (local, value) = operation switch
            {
                IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator => (declarator.Symbol, initial),
                IAssignmentOperation { Target: ILocalReferenceOperation target } assignment => (target.Local, assignment.Value),
                _ => ((ILocalSymbol?)null, (IOperation?)null),
            };
            if (local is null || value is null || !IsFillable(local.Type))
            {
                continue;
            }

            int? ordinal = Root(value) is IParameterReferenceOperation { Parameter: var parameter } && IsFillable(parameter.Type)
                && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method) ? parameter.Ordinal : null;
            roots[local] = roots.TryGetValue(local, out var known) && known != ordinal ? null : ordinal;
        }

        return roots.Where(r => r.Value is not null).ToDictionary(r => r.Key, r => r.Value!.Value, (IEqualityComparer<ILocalSymbol>)SymbolEqualityComparer.Default);
    }
}
