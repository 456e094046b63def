using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

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

        // File.WriteAllBytes(path, data) and File.Copy(source, destination): the catalog's writes of data or of a file to a path.
        var write = context.Trust.Find(method, TrustRole.WriteFile) ?? context.Trust.Find(method, TrustRole.CopyFile);
        if (write?.Data is null)
        {
            return state;
        }

        var from = TrustEntry.Argument(invocation, write.Data);
        var to = TrustEntry.Argument(invocation, write.Path);
        if (from is null || FlowKey.Of(to) is not { } path || Evaluator.Eval(from, state, context).Trail?.Derived() is not { } trail)
        {
            return state;
        }

        return state.Refine(path, Evaluator.Eval(to, state, context).WithTrail(trail));
    }
}
