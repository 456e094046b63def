using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>The value of a call: sources, Math bounds, summaries of the compilation's methods, split records, verifications.</summary>
internal static partial class Evaluator
{
    private static ValueFact Invocation(IInvocationOperation invocation, FlowState state, FlowContext context, int depth)
    {
        var method = invocation.TargetMethod;
        if (TaintSources.Origin(invocation, context.Trust, context.Options, context.CancellationToken) is { } origin
            && !(context.Trust.Readers.IsTextRead(method, context.Options) && BuiltReaders.OverTrustedText(invocation.Instance, state, context, depth)))
        {
            var (lower, upper) = method.Name is "ReadByte" && method.ReturnType.SpecialType == SpecialType.System_Int32
                ? (-1L, (long?)byte.MaxValue)
                : method.Name is "Read" or "Peek" && invocation.Arguments.Length == 0 && method.ReturnType.SpecialType == SpecialType.System_Int32
                    ? (-1L, (long?)char.MaxValue)
                    : TaintSources.RangeOf(method.ReturnType);
            var read = ValueFact.Source(origin, lower, upper);
            // reader.ReadArrayHeader(), which throws when the count is more than its input has left: bounded by the input.
            read = InputCheckedCounts.Returns(method, context) ? read.AtMost(FlowKey.Capped) : read;
            // Read from the network, or from a stream or content that came from it.
            var download = Verification.IsDownload(method, context.Trust) ? origin : Eval(invocation.Instance, state, context, depth + 1).Trail?.Download;
            if (download is not null)
            {
                read = read.WithTrail(UpdateTrail.FromDownload(download));
            }

            return ReadCounts.Buffer(invocation) is { } buffer ? BytesRead(buffer, invocation, state, context, depth) : read;
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

        if (ReadCounts.Counted(invocation) is { } filled)
        {
            // stream.Read(buffer, offset, count) on a stream of the compilation (its own Read override): a count, as above.
            return BytesRead(filled, invocation, state, context, depth);
        }

        if (SearchResults.Of(invocation, () => FromChildren(invocation, state, context, depth)) is { } position)
        {
            // line.IndexOf('#'): -1 or a position in line.
            return position;
        }

        if (DecodedCounts.Of(invocation, state, context, depth) is { } decoded)
        {
            return decoded;
        }

        if (context.Summaries.Get(method, context.CancellationToken) is { } summary)
        {
            // Padding(length), which returns length % 4 == 0 ? 0 : 4 - length % 4: between 0 and 7, whatever length is.
            // FetchDirectory(offset, out entries), which returns the count it made entries with: at most entries.Length.
            ValueFact Ranged(ValueFact fact)
            {
                fact = summary.ReturnRange is { } range ? fact.WithLower(range.Lower).WithUpper(range.Upper) : fact;
                // ReadNumField(reader, reasonable) that throws when what it read is more than reasonable: capped by a trusted reasonable.
                fact = InputCheckedCounts.CappedParameter(method, context) is { } cap
                    && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == cap) is { ArgumentKind: ArgumentKind.Explicit } limit
                    && Eval(limit.Value, state, context, depth + 1) is { Untrusted: false, Trail: null }
                    ? fact.AtMost(FlowKey.Capped)
                    : fact;
                // ReadBytes(4) of a ReadBytes(count) that throws unless it got count bytes: at least 4 elements.
                fact = summary.LengthParameter is { } sized && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == sized) is { } asked
                    && Eval(asked.Value, state, context, depth + 1).Lower is { } least and >= 1 && least > fact.FewestElements
                    ? fact.WithMinLength((int)Math.Min(least, int.MaxValue))
                    : fact;
                return summary.OutLength is { } ordinal && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal) is { } made
                    && FlowKey.Of(made.Value) is { } entries
                    ? fact.AtMost(entries)
                    : fact;
            }

            // A reader built here over trusted text returns what that text holds, whatever its body reads it with.
            if (summary.ReturnOrigin is { } returned
                && !(context.Trust.Readers.IsTextReaderOrToken(method.ContainingType) && BuiltReaders.OverTrustedText(invocation.Instance, state, context, depth)))
            {
                var fromSource = Ranged(Typed(ValueFact.Source($"{method.Name} ({returned})", null, null), method.ReturnType));
                return summary.ReturnDownload is { } download ? fromSource.WithTrail(UpdateTrail.FromDownload($"{method.Name} ({download})")) : fromSource;
            }

            // Find(funcs, key), which returns Array.BinarySearch(funcs, ...): once not negative, an index into funcs.
            ValueFact Searched(ValueFact fact) =>
                summary.SearchedParameter is { } searched && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == searched) is { } argument && FlowKey.Of(argument.Value) is { } key
                    ? Ranged(fact).WithUpper(int.MaxValue - 1).Below(key)
                    : Ranged(fact);
            foreach (var index in summary.ParametersToReturn)
            {
                var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == index);
                var fact = Eval(argument?.Value, state, context, depth + 1);
                if (fact.Untrusted || fact.Trail?.Download is not null)
                {
                    return Searched(Typed(ValueFact.Unknown.TaintedLike(fact), method.ReturnType));
                }
            }

            return Searched(Typed(ValueFact.Unknown, method.ReturnType));
        }

        var result = Records.Shape(invocation, Typed(FromChildren(invocation, state, context, depth), method.ReturnType));
        return Verification.ProvenWhenTrue(invocation, context) is { IsEmpty: false } proven ? result.WithTrail(UpdateTrail.ProvingWhenTrue(proven)) : result;
    }

    /// <summary>
    /// stream.Read(buffer, offset, count), ReadAsync, ReadAtLeast, TextReader.Read(buffer, index, count): the result
    /// is how many elements the callee stored, which it bounds by its count argument (or the span's length), not
    /// content. It is in [0, count], and as untrusted as count is; a read with no buffer (ReadInt32) stays content.
    /// </summary>
    private static ValueFact BytesRead(IArgumentOperation buffer, IInvocationOperation invocation, FlowState state, FlowContext context, int depth)
    {
        var count = invocation.Arguments.Argument("count");
        var stored = ValueFact.Range(0, int.MaxValue);
        if (count is null)
        {
            return FlowKey.Of(buffer.Value) is { } whole ? stored.AtMost(whole) : stored;
        }

        var most = Eval(count.Value, state, context, depth + 1);
        stored = most.Upper is { } upper ? stored.WithUpper(upper) : stored;
        stored = most.AtMostLength.Concat(most.BelowLength).Aggregate(stored, (fact, sized) => fact.AtMost(sized));
        stored = most.Untrusted ? stored.WithUntrusted(true, most.Origin) : stored;

        // A framework read throws when (0, count) does not fit the buffer: when it returns, what it stored fits it.
        if (!invocation.TargetMethod.Locations.Any(l => l.IsInSource) && invocation.Arguments.Argument("offset")?.Value.ConstantValue.Value is null or 0
            && FlowKey.Of(buffer.Value) is { } into)
        {
            stored = stored.AtMost(into);
        }

        return count.Value.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Length" } length && FlowKey.Of(length.Instance) is { } sized
            ? stored.AtMost(sized)
            : stored;
    }
}
