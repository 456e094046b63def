using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The writes to a path (SBD1006): the catalog's (<c>File.Create(path)</c>, <c>entry.ExtractToFile(path)</c>, ...) and
/// those reached through a helper of the compilation, a method that passes one of its string parameters as it was given
/// as the path of a catalogued write (or of another such helper's, a few calls deep) and checks no path itself: no
/// <c>StartsWith</c> and no validator in its body. A call of the helper writes to its argument's path, so the check is
/// the caller's. A parameter the helper itself holds as untrusted (<c>[UntrustedContent]</c>, a <c>[ContentParser]</c>'s)
/// is reported in the helper, not at its calls.
/// </summary>
internal static class PathHelpers
{
    private const int MaxDepth = 3;
    private const int ReadAccess = 1;

    private static readonly ConditionalWeakTable<MethodSummaries, ConcurrentDictionary<IMethodSymbol, Write?>> Helpers = new();

    /// <summary>The path parameter of a call that writes to a path, and the catalogued call that writes it; null for any other method.</summary>
    public static Write? Find(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        if (Catalogued(method, summaries.Trust) is { } path)
        {
            return new Write(path, method);
        }

        return MayBeHelper(method)
            ? Helpers.GetValue(summaries, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m => Helper(m, summaries, 0, cancellationToken))
            : null;
    }

    /// <summary>True when the method may write through a catalogued call or a helper (a cheap test, for what the rule needs to see).</summary>
    public static bool MayWrite(IMethodSymbol method, TrustModel trust) => Catalogued(method, trust) is not null || MayBeHelper(method);

    /// <summary><c>File.Open</c> and <c>FileStream</c> with <c>FileAccess.Read</c> only read.</summary>
    public static bool OnlyReads(ImmutableArray<IArgumentOperation> arguments) =>
        arguments.Argument("access")?.Value.ConstantValue is { HasValue: true, Value: int access } && access == ReadAccess;

    private static string? Catalogued(IMethodSymbol method, TrustModel trust) =>
        (trust.Find(method, TrustRole.WriteFile) ?? trust.Find(method, TrustRole.CopyFile) ?? trust.Find(method, TrustRole.Extract))?.Path;

    private static bool MayBeHelper(IMethodSymbol method) =>
        !method.DeclaringSyntaxReferences.IsEmpty && method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String);

    private static Write? Helper(IMethodSymbol method, MethodSummaries summaries, int depth, CancellationToken cancellationToken)
    {
        if (depth >= MaxDepth || !MayBeHelper(method) || summaries.Body(method, cancellationToken) is not { } body)
        {
            return null;
        }

        var options = summaries.OptionsOf(method);
        var operations = body.Descendants().ToList();
        if (Annotations.IsValidator(method, options) || operations.Any(o => o is IInvocationOperation invocation && (PathContainment.IsPrefixCheck(invocation) || Annotations.IsValidator(invocation.TargetMethod, options))))
        {
            return null;
        }

        foreach (var operation in operations)
        {
            var (target, arguments) = operation switch
            {
                IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
                IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments),
                _ => ((IMethodSymbol?)null, ImmutableArray<IArgumentOperation>.Empty),
            };
            if (target is null || OnlyReads(arguments) || SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method))
            {
                continue;
            }

            var write = Catalogued(target, summaries.Trust) is { } path ? new Write(path, target) : Helper(target.OriginalDefinition, summaries, depth + 1, cancellationToken);
            if (write is not null
                && arguments.Argument(write.Parameter)?.Value.WalkDownConversions() is IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_String } parameter }
                && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method)
                && !Annotations.IsUntrustedParameter(parameter)
                && !Assigned(parameter, operations))
            {
                return new Write(parameter.Name, write.Sink);
            }
        }

        return null;
    }

    private static bool Assigned(IParameterSymbol parameter, List<IOperation> operations) =>
        operations.Any(o => o is IAssignmentOperation { Target: IParameterReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Parameter, parameter)
            || o is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } && SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter));

    /// <summary>A write to a path: the parameter that names the path, and the catalogued call that writes it.</summary>
    internal sealed record Write(string Parameter, IMethodSymbol Sink);
}
