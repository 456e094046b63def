using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>SBD2001, SBD2002: where an untrusted index or range meets a buffer.</summary>
public sealed partial class MemoryBoundsAnalyzer
{
    private static void CheckIndex(Action<Diagnostic> report, IOperation index, IOperation bufferOperation, IOperation access, FlowState state, FlowContext flow, string? sink = null, IEnumerable<Location>? more = null)
    {
        var fact = Evaluator.Eval(index, state, flow);
        // A counter the content drives (top++ in a loop over codes from the content) is as untrusted as the loop.
        if (!fact.Untrusted && sink is null && !index.ConstantValue.HasValue)
        {
            fact = LoopCounters.ContentDriven(index, FlowKey.Sized(bufferOperation), fact, state, flow) ?? fact;
        }

        if (!fact.Untrusted || index.ConstantValue.HasValue)
        {
            return;
        }

        var buffer = FlowKey.Sized(bufferOperation);
        if (buffer is not null && sink is null && Accesses.Reached(index, buffer, state))
        {
            // data[i] again, with neither changed since: the first access is the one that can fail, and is reported.
            return;
        }

        var bufferFact = Evaluator.Eval(bufferOperation, state, flow);
        var belowBuffer = buffer is not null && (fact.BelowLength.Contains(buffer) || fact.BelowLength.Contains(new FlowKey.Allocated(buffer)));
        var belowConstant = fact.Upper is { } upper && bufferFact.ConstantLength is { } constantLength && upper < constantLength;
        // Below the length, and either not negative or untrusted only in how high it goes (a negative value is the code's own).
        if (fact.LowerIsOwn && (belowBuffer || belowConstant))
        {
            return;
        }

        var length = LengthName(bufferOperation.Type);
        var bufferText = bufferOperation.Describe();
        string why;
        if (belowBuffer || belowConstant)
        {
            why = $"with no check that it is not negative";
        }
        else if (buffer is not null && (fact.AtMostLength.Contains(buffer) || fact.AtMostLength.Contains(new FlowKey.Allocated(buffer))))
        {
            why = $"with a check that lets it equal '{bufferText}.{length}' (one short: use <, not <=)";
        }
        else if (fact.BelowLength.Concat(fact.AtMostLength).Where(k => k is not (FlowKey.Remainder or FlowKey.Allocated) && k != FlowKey.Capped).Select(FlowKey.Root).Where(s => s is not null).OrderBy(s => s!.Name, StringComparer.Ordinal).FirstOrDefault() is { } other)
        {
            why = $"with a check against '{other.Name}.{length}', not '{bufferText}.{length}'";
        }
        else if (bufferFact.ConstantLength is { } known && fact.Upper is { } high)
        {
            why = $"which can be {high}, past the {known} elements of '{bufferText}'";
        }
        else
        {
            why = $"with no check against '{bufferText}.{length}'";
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(UnsignedKey, index.Type?.SpecialType == SpecialType.System_Int64 ? "ulong" : "uint")
            .Add(IndexKey, index.Syntax.ToString())
            .Add(BufferKey, bufferOperation.Syntax.ToString())
            .Add(LengthKey, length);
        report(Diagnostic.Create(Descriptors.UncheckedIndex, access.Syntax.GetLocation(), more, properties, index.Describe(), fact.Origin, sink ?? access.Describe(), why));
    }

    private static void CheckRanges(Action<Diagnostic> report, IInvocationOperation invocation, FlowState state, FlowContext flow)
    {
        foreach (var slice in flow.Trust.FindAll(invocation.TargetMethod, TrustRole.Slice))
        {
            var buffer = TrustEntry.Argument(invocation, slice.Buffer);
            var offset = invocation.Arguments.Argument(slice.Offset!)?.Value;
            var length = invocation.Arguments.Argument(slice.Length!)?.Value;
            if (buffer is null || (offset is null && length is null) || buffer.Type is IPointerTypeSymbol || buffer.Type?.SpecialType == SpecialType.System_IntPtr)
            {
                continue;
            }

            CheckRange(report, invocation, buffer, offset, length, invocation.Describe(), null, state, flow);
        }
    }

    /// <summary>A range of a buffer (offset or length may be absent) that a call, or a helper's call, takes: flagged unless it fits.</summary>
    private static void CheckRange(Action<Diagnostic> report, IOperation call, IOperation buffer, IOperation? offset, IOperation? length, string sink, IEnumerable<Location>? more, FlowState state, FlowContext flow)
    {
        // Array.Copy(source, destination, length): an overload with a length and no offset copies from the start.
        var offsetFact = offset is null ? ValueFact.Constant(0) : Evaluator.Eval(offset, state, flow);
        var lengthFact = length is null ? null : Evaluator.Eval(length, state, flow);
        if (!offsetFact.Untrusted && lengthFact?.Untrusted != true)
        {
            return;
        }

        // text.Substring(prefix.Length) after text.StartsWith(prefix, Ordinal): the offset is within text.
        if (offset is not null && lengthFact?.Untrusted != true && PrefixGuards.Skips(call, buffer, offset, flow.Model))
        {
            return;
        }

        // A call with a conditional argument captures the arguments before it: the buffer is then a capture of the local.
        var bufferKey = FlowKey.Of(flow.Resolve(buffer));
        var bufferFact = Evaluator.Eval(buffer, state, flow);
        if (bufferKey is not null && lengthFact is not null
            && length!.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Length" or "Count" } own
            && FlowKey.Of(own.Instance) is { } owner && FlowKey.Comparer.Equals(owner, bufferKey))
        {
            lengthFact = lengthFact.AtMost(bufferKey); // buffer.Length always fits buffer.
        }
        else if (bufferKey is not null && lengthFact is not null && SizedBy(buffer, length!, flow))
        {
            lengthFact = lengthFact.AtMost(bufferKey); // var copy = new byte[read]; Array.Copy(buffer, copy, read).
        }

        // Read(byte[] buffer, int offset, int count) copying Math.Min(count, available) to buffer at offset: the caller's room.
        if (MadeFor(buffer, offset, length, lengthFact, flow) || Fits(offsetFact, lengthFact, offset, bufferKey, bufferFact) || CallerRanges.Within(buffer, offset, length, lengthFact, flow.Model)
            || (bufferKey is not null && offset is not null && length is not null && CallerRanges.ClampedPastOwnOffset(bufferKey, offset, offsetFact, length, lengthFact!, state, flow)))
        {
            return;
        }

        // A helper's constant (its header size, say) is written at the call as its value: its name may not be in scope there.
        string Written(IOperation operation, bool shortened = false) => call.Syntax.Span.Contains(operation.Syntax.Span) && call.Syntax.SyntaxTree == operation.Syntax.SyntaxTree || operation.ConstantValue.Value is not { } constant
            ? shortened ? operation.Describe() : operation.Syntax.ToString()
            : Convert.ToString(constant, System.Globalization.CultureInfo.InvariantCulture)!;

        var range = length is null ? Written(offset!, true) : offset is null ? $"0, {Written(length, true)}" : $"{Written(offset, true)}, {Written(length, true)}";
        var origin = offsetFact.Untrusted ? offsetFact.Origin : lengthFact!.Origin;
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(BufferKey, buffer.Syntax.ToString())
            .Add(OffsetKey, offset is null ? "0" : Written(offset))
            .Add(CountKey, length is null ? null : Written(length))
            .Add(LengthKey, LengthName(buffer.Type));
        report(Diagnostic.Create(Descriptors.UncheckedRange, call.Syntax.GetLocation(), more, properties, range, origin, sink, $"{buffer.Describe()}.{LengthName(buffer.Type)}"));
    }

    /// <summary>
    /// True when the buffer is a local array created with the length as its size, and neither was assigned since: the
    /// length is the array's own.
    /// </summary>
    private static bool SizedBy(IOperation buffer, IOperation length, FlowContext flow) =>
        length.WalkDownConversions() is ILocalReferenceOperation size
        && Verification.Initial(length, flow.Model) is not null
        && Verification.Initial(buffer, flow.Model) is IArrayCreationOperation { DimensionSizes.Length: 1 } creation
        && creation.DimensionSizes[0].WalkDownConversions() is ILocalReferenceOperation sized
        && SymbolEqualityComparer.Default.Equals(sized.Local, size.Local);

    /// <summary>
    /// <c>writer.GetSpan(n).Slice(0, n)</c>, <c>pool.Rent(n).AsSpan(0, n)</c>: a range from the start, of the very
    /// variable the buffer was just made with at least that many elements for (an int local or parameter, read twice in
    /// one expression).
    /// </summary>
    private static bool MadeFor(IOperation buffer, IOperation? offset, IOperation? length, ValueFact? lengthFact, FlowContext flow) =>
        length is not null && offset?.ConstantValue is null or { HasValue: true, Value: 0 }
        && buffer.WalkDownConversions() is IInvocationOperation call && TrustEntry.MadeSize(call, flow.Trust, out var hint) is { } size
        && (!hint || lengthFact is { IsNonNegative: true })
        && Variable(size) is { } made && Variable(length) is { } asked && FlowKey.Comparer.Equals(made, asked);

    private static object? Variable(IOperation operation) => operation switch
    {
        ILocalReferenceOperation { Local.Type.SpecialType: SpecialType.System_Int32 } local => local.Local,
        IParameterReferenceOperation { Parameter.Type.SpecialType: SpecialType.System_Int32 } parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>offset in [0, Length] and length in [0, Length - offset], from facts or constant sizes.</summary>
    private static bool Fits(ValueFact offset, ValueFact? length, IOperation? offsetOperation, object? buffer, ValueFact bufferFact)
    {
        // (buf, 4, len) after len <= buf.Length - 4 (or - 8) with len >= 0: both fit, since buf.Length >= 4 + len.
        if (length is { IsNonNegative: true } && buffer is not null && offsetOperation?.ConstantValue is { HasValue: true, Value: { } first }
            && Evaluator.TryGetInteger(first, out var header) && header >= 0
            && length.AtMostLength.Any(b => b is FlowKey.Shortened shortened && shortened.Amount >= header && FlowKey.Comparer.Equals(shortened.Buffer, buffer)))
        {
            return true;
        }

        var constantLength = bufferFact.ConstantLength;
        var isZero = offset.Lower == 0 && offset.Upper == 0;
        // Not negative, or the code's own below a bound the content chose (LowerIsOwn): the content cannot make it negative.
        var offsetFits = isZero || offset.LowerIsOwn
            && ((buffer is not null && (offset.BelowLength.Contains(buffer) || offset.AtMostLength.Contains(buffer)))
                || (offset.Upper is { } high && constantLength is { } n && high <= n));
        if (!offsetFits || length is null)
        {
            return offsetFits;
        }

        var offsetKey = FlowKey.Of(offsetOperation);
        return length.LowerIsOwn
            && ((buffer is not null && offsetKey is not null && length.AtMostLength.Contains(new FlowKey.Remainder(buffer, offsetKey)))
                || (isZero && buffer is not null && (length.BelowLength.Contains(buffer) || length.AtMostLength.Contains(buffer) || length.AtMostLength.Contains(new FlowKey.Allocated(buffer))))
                || (length.Upper is { } most && offset.Upper is { } start && constantLength is { } size && most + start <= size));
    }
}
