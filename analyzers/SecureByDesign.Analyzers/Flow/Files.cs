using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Files as carriers of downloads: <c>File.WriteAllBytes(path, data)</c> with downloaded data makes <c>path</c> a
/// downloaded file (verified if the data was), and <c>File.Copy</c>/<c>Move</c> carry that to the destination.
/// The path's value is not untrusted (the code chose it); only its content is a download. A key imported from
/// downloaded bytes carries the download too.
/// </summary>
internal static class Files
{
    public static FlowState Written(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        var method = invocation.TargetMethod;
        if (method.Name.StartsWith("Import", StringComparison.Ordinal) && FlowKey.Of(invocation.Instance) is { } key
            && invocation.Arguments.Select(a => Evaluator.Eval(a.Value, state, context).Trail?.Derived()).FirstOrDefault(t => t is not null) is { } imported)
        {
            // rsa.ImportSubjectPublicKeyInfo(downloaded, out _): the key came with the content.
            return state.Refine(key, (state[key] ?? ValueFact.Unknown).WithTrail(imported));
        }

        if (method.ContainingType?.Name != "File" || method.ContainingType.ContainingNamespace?.ToDisplayString() != "System.IO")
        {
            return state;
        }

        IOperation? from = null, to = null;
        if (method.Name.StartsWith("WriteAll", StringComparison.Ordinal) || method.Name.StartsWith("AppendAll", StringComparison.Ordinal))
        {
            from = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value;
            to = invocation.Arguments.Argument("path")?.Value;
        }
        else if (method.Name is "Copy" or "Move" or "Replace")
        {
            from = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
            to = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value;
        }

        if (from is null || FlowKey.Of(to) is not { } path || Evaluator.Eval(from, state, context).Trail?.Derived() is not { } trail)
        {
            return state;
        }

        return state.Refine(path, Evaluator.Eval(to, state, context).WithTrail(trail));
    }
}
