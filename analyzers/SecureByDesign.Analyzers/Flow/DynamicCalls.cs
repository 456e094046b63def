using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Calls the runtime binder resolves because an argument is <c>dynamic</c>: <c>Type.GetType(document.TypeObject)</c>, where
/// <c>document</c> is a <c>dynamic</c> parsed from JSON. The compiler knows the receiver (a type, or an instance of a known
/// type) and the member's name, not the overload: a catalog entry matches when a method of that name on the receiver's type,
/// that takes as many arguments, is the entry's member, and the argument is at the entry's parameter's position in it.
/// </summary>
internal static class DynamicCalls
{
    /// <summary>A catalogued member the call may bind to: the entry, the argument in the entry's role, and the parameter it would take.</summary>
    internal sealed record Match(TrustEntry Entry, IOperation Value, IParameterSymbol Parameter);

    /// <summary>The entries of the role the call may bind to, one per argument (the first overload that names it).</summary>
    public static IEnumerable<Match> Find(IDynamicInvocationOperation call, TrustModel trust, TrustRole role)
    {
        var seen = new HashSet<IOperation>();
        foreach (var candidate in Candidates(call))
        {
            foreach (var entry in trust.FindAll(candidate, role))
            {
                if (Parameter(candidate, entry.Data) is { } parameter
                    && Argument(call, parameter) is { } value
                    && seen.Add(value))
                {
                    yield return new Match(entry, value, parameter);
                }
            }
        }
    }

    /// <summary>
    /// The methods the call may bind to: those of the member's name on the receiver's type (its base types, and the interfaces
    /// an interface extends), static or not as the call is, that take as many arguments. None when the receiver is <c>dynamic</c>.
    /// </summary>
    public static IEnumerable<IMethodSymbol> Candidates(IDynamicInvocationOperation call)
    {
        if (call.Operation is not IDynamicMemberReferenceOperation member
            || (member.ContainingType ?? member.Instance?.Type) is not INamedTypeSymbol receiver)
        {
            yield break;
        }

        var isStatic = member.Instance is null;
        var types = receiver.TypeKind == TypeKind.Interface ? receiver.AllInterfaces.Insert(0, receiver) : Bases(receiver);
        foreach (var type in types)
        {
            foreach (var candidate in type.GetMembers(member.MemberName).OfType<IMethodSymbol>())
            {
                if (candidate.IsStatic == isStatic && Takes(candidate, call.Arguments.Length))
                {
                    yield return candidate;
                }
            }
        }
    }

    private static ImmutableArray<INamedTypeSymbol> Bases(INamedTypeSymbol type)
    {
        var bases = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        for (var current = type; current is not null; current = current.BaseType)
        {
            bases.Add(current);
        }

        return bases.ToImmutable();
    }

    /// <summary>True when the call, given as many arguments, may bind to the method: the rest are optional, or a <c>params</c> array.</summary>
    private static bool Takes(IMethodSymbol method, int count)
    {
        var parameters = method.Parameters;
        if (parameters.Length > 0 && parameters[parameters.Length - 1].IsParams && count >= parameters.Length - 1)
        {
            return true;
        }

        return count <= parameters.Length && parameters.Skip(count).All(p => p.IsOptional);
    }

    private static IParameterSymbol? Parameter(IMethodSymbol method, string? name)
    {
        if (name is null || name == TrustEntry.Receiver)
        {
            return null;
        }

        if (name.StartsWith("#", StringComparison.Ordinal))
        {
            return int.TryParse(name.Substring(1), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ordinal)
                && ordinal < method.Parameters.Length
                    ? method.Parameters[ordinal]
                    : null;
        }

        return method.Parameters.FirstOrDefault(p => p.Name == name);
    }

    /// <summary>The argument the parameter would take: the one named for it, or the one at its position before any named one.</summary>
    public static IOperation? Argument(IDynamicInvocationOperation call, IParameterSymbol parameter)
    {
        for (var i = 0; i < call.Arguments.Length; i++)
        {
            var name = call.GetArgumentName(i);
            if (name == parameter.Name)
            {
                return call.Arguments[i];
            }

            if (name is null && i == parameter.Ordinal)
            {
                return call.Arguments[i];
            }

            if (name is not null && i <= parameter.Ordinal)
            {
                // Names follow the positional arguments: past the first name, a position is no parameter's.
                return Named(call, parameter.Name, i);
            }
        }

        return null;
    }

    private static IOperation? Named(IDynamicInvocationOperation call, string name, int from)
    {
        for (var i = from; i < call.Arguments.Length; i++)
        {
            if (call.GetArgumentName(i) == name)
            {
                return call.Arguments[i];
            }
        }

        return null;
    }
}
