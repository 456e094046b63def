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
    private const int ReadAccess = 1;

    private static readonly HelperSinks Helpers = new(
        DirectWrite,
        parameter => parameter.Type.SpecialType == SpecialType.System_String,
        (method, operations, summaries) =>
        {
            var options = summaries.OptionsOf(method);
            return Annotations.IsValidator(method, options)
                || operations.Any(o => o is IInvocationOperation invocation && (PathContainment.IsPrefixCheck(invocation) || Annotations.IsValidator(invocation.TargetMethod, options)));
        },
        (_, _) => false,
        throughConstantArithmetic: false);

    /// <summary>The path parameter of a call that writes to a path, and the catalogued call that writes it; null for any other method.</summary>
    public static Write? Find(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        if (Catalogued(method, summaries.Trust) is { } path)
        {
            return new Write(path, method);
        }

        return Helpers.Find(method, summaries, cancellationToken).FirstOrDefault() is { Method: { } sink } reach ? new Write(reach.Parameter, sink) : null;
    }

    /// <summary>True when the method may write through a catalogued call or a helper (a cheap test, for what the rule needs to see).</summary>
    public static bool MayWrite(IMethodSymbol method, TrustModel trust) => Catalogued(method, trust) is not null || Helpers.MayBeHelper(method);

    /// <summary><c>File.Open</c> and <c>FileStream</c> with <c>FileAccess.Read</c> only read.</summary>
    public static bool OnlyReads(ImmutableArray<IArgumentOperation> arguments) =>
        arguments.Argument("access")?.Value.ConstantValue is { HasValue: true, Value: int access } && access == ReadAccess;

    private static string? Catalogued(IMethodSymbol method, TrustModel trust) =>
        (trust.Find(method, TrustRole.WriteFile) ?? trust.Find(method, TrustRole.CopyFile) ?? trust.Find(method, TrustRole.Extract))?.Path;

    /// <summary>A catalogued write inside a helper, with the value it takes as its path.</summary>
    private static HelperSinks.DirectSink? DirectWrite(IOperation operation, TrustModel trust)
    {
        var (target, arguments) = operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
            IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments),
            _ => ((IMethodSymbol?)null, ImmutableArray<IArgumentOperation>.Empty),
        };
        return target is not null && !OnlyReads(arguments) && Catalogued(target, trust) is { } path && arguments.Argument(path)?.Value is { } value
            ? new HelperSinks.DirectSink(value, operation, target)
            : null;
    }

    /// <summary>A write to a path: the parameter that names the path, and the catalogued call that writes it.</summary>
    internal sealed record Write(string Parameter, IMethodSymbol Sink);
}
