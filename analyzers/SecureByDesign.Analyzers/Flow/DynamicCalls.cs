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
        if (call.Operation is not IDynamicMemberReferenceOperation member
            || (member.ContainingType ?? member.Instance?.Type) is not INamedTypeSymbol receiver)
        {
            yield break;
        }

        var seen = new HashSet<IOperation>();
        var isStatic = member.Instance is null;
        for (var type = receiver; type is not null; type = type.BaseType)
        {
            foreach (var candidate in type.GetMembers(member.MemberName).OfType<IMethodSymbol>())
            {
                if (candidate.IsStatic != isStatic || !Takes(candidate, call.Arguments.Length))
                {
                    continue;
                }

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
    private static IOperation? Argument(IDynamicInvocationOperation call, IParameterSymbol parameter)
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
