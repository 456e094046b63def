using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The range a caller hands over with a buffer: a method that takes <c>(byte[] buffer, int offset, int count)</c>, as
/// <c>Stream.Read</c> does, is given a buffer with room for <c>count</c> elements from <c>offset</c>; that is the caller's
/// promise, not the content's. So the method copying at most <c>count</c> elements there
/// (<c>int n = Math.Min(count, available); Array.Copy(data, start, buffer, offset, n)</c>) stays inside the buffer,
/// whatever the content made <c>available</c>, as long as the content cannot make it negative (<c>available</c> is a
/// length, or what is left of one). Only the method's own parameters, never assigned, and a length that is a minimum
/// with <c>count</c> (directly, through a cast, or through a local only ever given it).
/// </summary>
internal static class CallerRanges
{
    /// <summary>Whether the range (<paramref name="offset"/>, <paramref name="length"/>) into <paramref name="buffer"/> is within what the caller handed over.</summary>
    public static bool Within(IOperation buffer, IOperation? offset, IOperation? length, ValueFact? lengthFact, SemanticModel? model)
    {
        if (lengthFact is null || (lengthFact.Untrusted && !lengthFact.LowerIsOwn))
        {
            return false;
        }

        if (buffer.WalkDownConversions() is not IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, ContainingSymbol: IMethodSymbol method } bufferParameter }
            || offset?.WalkDownConversions() is not IParameterReferenceOperation { Parameter: var offsetParameter }
            || length is null
            || bufferParameter.Ordinal + 2 >= method.Parameters.Length
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[bufferParameter.Ordinal + 1], offsetParameter)
            || method.Parameters[bufferParameter.Ordinal + 2] is not { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } countParameter
            || offsetParameter.Type.SpecialType != SpecialType.System_Int32
            || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var value = length.WalkDownConversions();
        value = value is ILocalReferenceOperation ? Verification.Initial(value, model) : value;
        return value is IInvocationOperation { TargetMethod: { Name: "Min", ContainingType.Name: "Math" } } minimum
            && minimum.Arguments.Any(a => a.Value.WalkDownConversions() is IParameterReferenceOperation { Parameter: var passed } && SymbolEqualityComparer.Default.Equals(passed, countParameter))
            && !Assigned(method, model, bufferParameter, offsetParameter, countParameter);
    }

    /// <summary>
    /// What the caller promised on entry to a method taking <c>(T[] buffer, int offset, int count)</c>: the offset is
    /// between 0 and the buffer's length, and the count between 0 and the room left after the offset. The method's own
    /// code is held to it only while none of the three is assigned (the engine drops a relation when either side of it is).
    /// A negative or too large argument is the caller's bug, reported at the caller if it came from the content.
    /// </summary>
    public static FlowState Promised(IMethodSymbol method, FlowState state)
    {
        var parameters = method.Parameters;
        for (var i = 0; i + 2 < parameters.Length; i++)
        {
            if (parameters[i] is { RefKind: RefKind.None, Type: IArrayTypeSymbol { Rank: 1 } } buffer
                && parameters[i + 1] is { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } offset
                && parameters[i + 2] is { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } count
                && state[buffer] is null && state[offset] is null && state[count] is null)
            {
                state = state.Assign(offset, ValueFact.Range(0, int.MaxValue).AtMost(buffer));
                return state.Assign(count, ValueFact.Range(0, int.MaxValue).AtMost(new FlowKey.Remainder(buffer, offset)));
            }
        }

        return state;
    }

    /// <summary>
    /// A range whose offset the content did not choose and whose length is at most what is left of the buffer past it,
    /// as a minimum of values each either not from the content or what is left of an array in memory past an offset not
    /// from the content (<c>Math.Min(count, data.Length - start)</c> with <c>start</c> from the caller's address): the
    /// range fails only when the caller's offset is past the end (the caller's bug, reported at the caller if it came
    /// from the content), whatever the content made the length.
    /// </summary>
    public static bool ClampedPastOwnOffset(object buffer, IOperation offset, ValueFact offsetFact, IOperation length, ValueFact lengthFact, FlowState state, FlowContext flow)
    {
        if (offsetFact.Untrusted || FlowKey.Of(offset) is not { } offsetKey
            || !lengthFact.AtMostLength.Contains(new FlowKey.Remainder(buffer, offsetKey)))
        {
            return false;
        }

        var value = length.WalkDownConversions();
        value = value is ILocalReferenceOperation ? Verification.Initial(value, flow.Model) : value;
        return value is IInvocationOperation { TargetMethod: { Name: "Min", ContainingType.Name: "Math" }, Arguments.Length: 2 } minimum
            && minimum.Arguments.All(a => !Evaluator.Eval(a.Value, state, flow).Untrusted || LeftPastOwnOffset(a.Value, state, flow));
    }

    /// <summary><c>data.Length - start</c> of an array, string or span in memory, with <c>start</c> not from the content.</summary>
    private static bool LeftPastOwnOffset(IOperation value, FlowState state, FlowContext flow) =>
        value.WalkDownConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference
        && Transfer.IsLengthOfInMemory(difference.LeftOperand)
        && !Evaluator.Eval(difference.RightOperand, state, flow).Untrusted;

    /// <summary>Whether the method's body gives any of the parameters another value.</summary>
    private static bool Assigned(IMethodSymbol method, SemanticModel? model, params IParameterSymbol[] parameters)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (model is null || model.SyntaxTree != syntax.SyntaxTree || model.GetOperation(syntax) is not { } body)
        {
            return true;
        }

        return body.Descendants().Any(o => o switch
        {
            IAssignmentOperation { Target: IParameterReferenceOperation target } => parameters.Contains(target.Parameter, SymbolEqualityComparer.Default),
            IIncrementOrDecrementOperation { Target: IParameterReferenceOperation stepped } => parameters.Contains(stepped.Parameter, SymbolEqualityComparer.Default),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } => parameters.Contains(passed.Parameter, SymbolEqualityComparer.Default),
            _ => false,
        });
    }
}
