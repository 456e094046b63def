using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Files as carriers of downloads: <c>File.WriteAllBytes(path, data)</c> with downloaded data makes <c>path</c> a
/// downloaded file (verified if the data was), as does a download copied or written into a stream opened on
/// <c>path</c> (<c>using var file = File.Create(path); await body.CopyToAsync(file);</c>), and
/// <c>File.Copy</c>/<c>Move</c> carry that to the destination.
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

        // File.WriteAllBytes(path, data) and File.Copy(source, destination): the catalog's writes of data or of a file to a path;
        // body.CopyToAsync(file) and file.Write(data), into a stream opened on a path.
        var write = context.Trust.Find(method, TrustRole.WriteFile) ?? context.Trust.Find(method, TrustRole.CopyFile);
        var (from, to) = write?.Data is null
            ? IntoStream(invocation, context.Trust, context.Compilation, context.Model)
            : (TrustEntry.Argument(invocation, write.Data), TrustEntry.Argument(invocation, write.Path));
        if (from is null || FlowKey.Of(to) is not { } path || Evaluator.Eval(from, state, context).Trail?.Derived() is not { } trail)
        {
            return state;
        }

        return state.Refine(path, Evaluator.Eval(to, state, context).WithTrail(trail));
    }

    /// <summary>
    /// The data a call puts into a stream that writes a file, and the path of that file when the stream is a local
    /// opened on one: <c>body.CopyTo(file)</c>, <c>file.Write(data)</c> (and their async forms); nulls otherwise.
    /// </summary>
    public static (IOperation? Data, IOperation? Path) IntoStream(IInvocationOperation invocation, TrustModel trust, Compilation? compilation, SemanticModel? model)
    {
        var method = invocation.TargetMethod;
        var first = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
        var (data, stream) = method.Name switch
        {
            "Write" or "WriteAsync" or "WriteByte" => (first, invocation.Instance),
            "CopyTo" or "CopyToAsync" => (invocation.Instance, first),
            _ => (null, null),
        };
        return data is not null && Opened(stream, trust, compilation, model) is (true, var path) ? (data, path) : (null, null);
    }

    /// <summary>
    /// Whether a stream writes a file: a FileStream, or a stream local whose one value is a catalogued write that opens
    /// a file (File.Create, new FileStream, not opened for reading only); and the path it was opened on, when known.
    /// </summary>
    public static (bool IsFile, IOperation? Path) Opened(IOperation? stream, TrustModel trust, Compilation? compilation, SemanticModel? model)
    {
        if (stream is null)
        {
            return (false, null);
        }

        var fileStream = trust.Types.Get("System.IO.FileStream");
        var isFileStream = stream.WalkDownConversions().Type.InheritsFromOrEquals(fileStream);
        if (stream.WalkDownConversions() is not ILocalReferenceOperation local || Initializers.ValueOf(local.Local, compilation, stream.SemanticModel ?? model)?.WalkDownConversions() is not { } value)
        {
            return (isFileStream, null);
        }

        var (opener, arguments) = value switch
        {
            IInvocationOperation call => (call.TargetMethod, call.Arguments),
            IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        var opens = opener is null ? null : trust.Find(opener, TrustRole.WriteFile);
        if (opens is null || opener is null || !(opener.MethodKind == MethodKind.Constructor ? opener.ContainingType : opener.ReturnType).InheritsFromOrEquals(fileStream))
        {
            return (isFileStream, null);
        }

        // FileAccess.Read (1): a stream opened to read the file writes nothing into it.
        return arguments.Argument("access")?.Value.ConstantValue is { HasValue: true, Value: 1 } ? (false, null) : (true, TrustEntry.Argument(value, opens.Path));
    }
}
