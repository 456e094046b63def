using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>The value of a call: sources, Math bounds, summaries of the compilation's methods, split records, verifications.</summary>
internal static partial class Evaluator
{
    private static ValueFact Invocation(IInvocationOperation invocation, FlowState state, FlowContext context, int depth)
    {
        var method = invocation.TargetMethod;
        if (TaintSources.Origin(invocation, context.Options) is { } origin)
        {
            var (lower, upper) = method.Name is "ReadByte" && method.ReturnType.SpecialType == SpecialType.System_Int32
                ? (-1L, (long?)byte.MaxValue)
                : method.Name is "Read" or "Peek" && invocation.Arguments.Length == 0 && method.ReturnType.SpecialType == SpecialType.System_Int32
                    ? (-1L, (long?)char.MaxValue)
                    : TaintSources.RangeOf(method.ReturnType);
            var read = ValueFact.Source(origin, lower, upper);
            // Read from the network, or from a stream or content that came from it.
            var download = Verification.IsDownload(method) ? origin : Eval(invocation.Instance, state, context, depth + 1).Trail?.Download;
            if (download is not null)
            {
                read = read.WithTrail(UpdateTrail.FromDownload(download));
            }

            return method.Name.StartsWith("Read", StringComparison.Ordinal) && method.ReturnType.SpecialType == SpecialType.System_Int32
                ? BytesRead(read, invocation, state, context, depth)
                : read;
        }

        if (method.ContainingType?.Name == "Math" && invocation.Arguments.Length >= 2)
        {
            var values = invocation.Arguments.Select(a => Eval(a.Value, state, context, depth + 1)).ToList();
            return method.Name switch
            {
                "Min" => Arithmetic.Min(values[0], values[1]),
                "Max" => Arithmetic.Max(values[0], values[1]),
                "Clamp" when values.Count == 3 => Arithmetic.Min(Arithmetic.Max(values[0], values[1]), values[2]),
                _ => FromChildren(invocation, state, context, depth),
            };
        }

        if (context.Summaries.Get(method, context.CancellationToken) is { } summary)
        {
            if (summary.ReturnOrigin is { } returned)
            {
                var fromSource = Typed(ValueFact.Source($"{method.Name} ({returned})", null, null), method.ReturnType);
                return summary.ReturnDownload is { } download ? fromSource.WithTrail(UpdateTrail.FromDownload($"{method.Name} ({download})")) : fromSource;
            }

            foreach (var index in summary.ParametersToReturn)
            {
                var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == index);
                var fact = Eval(argument?.Value, state, context, depth + 1);
                if (fact.Untrusted || fact.Trail?.Download is not null)
                {
                    return Typed(ValueFact.Unknown.TaintedLike(fact), method.ReturnType);
                }
            }

            return Typed(ValueFact.Unknown, method.ReturnType);
        }

        var result = Records.Shape(invocation, Typed(FromChildren(invocation, state, context, depth), method.ReturnType));
        return Verification.ProvenWhenTrue(invocation, context.Model) is { IsEmpty: false } proven ? result.WithTrail(UpdateTrail.ProvingWhenTrue(proven)) : result;
    }

    /// <summary>stream.Read(buffer, offset, count) returns at most count; stream.Read(span) at most the span's length.</summary>
    private static ValueFact BytesRead(ValueFact read, IInvocationOperation invocation, FlowState state, FlowContext context, int depth)
    {
        var buffer = invocation.Arguments.FirstOrDefault(a => a.Value.WalkDownConversions().Type is IArrayTypeSymbol || a.Value.Type?.Name is "Span" or "Memory");
        var count = invocation.Arguments.Argument("count");
        if (buffer is null)
        {
            return read;
        }

        read = read.WithLower(0);
        if (count is null)
        {
            return FlowKey.Of(buffer.Value) is { } whole ? read.AtMost(whole) : read;
        }

        var most = Eval(count.Value, state, context, depth + 1);
        read = most.Upper is { } upper ? read.WithUpper(upper) : read;
        return count.Value.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Length" } length && FlowKey.Of(length.Instance) is { } sized
            ? read.AtMost(sized)
            : read;
    }
}
