using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>The value of an expression in a state: untrusted or not, from where, in what range.</summary>
internal static partial class Evaluator
{
    internal const int MaxDepth = 32;

    public static ValueFact Eval(IOperation? operation, FlowState state, FlowContext context, int depth = 0)
    {
        if (operation is null || depth > MaxDepth)
        {
            return ValueFact.Unknown;
        }

        if (operation.ConstantValue is { HasValue: true, Value: { } constant } && TryGetInteger(constant, out var number))
        {
            return ValueFact.Constant(number);
        }

        if (operation is not IConversionOperation && FlowKey.Of(operation) is { } key)
        {
            if (state[key] is { } known)
            {
                return known;
            }

            if (operation is not (IPropertyReferenceOperation or IInvocationOperation or IFieldReferenceOperation { Instance: not (null or IInstanceReferenceOperation) }))
            {
                return Initial(operation, context);
            }
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return Convert(Eval(conversion.Operand, state, context, depth + 1), conversion.Operand.Type, conversion.Type);
            case IParenthesizedOperation parenthesized:
                return Eval(parenthesized.Operand, state, context, depth + 1);
            case IAwaitOperation { Operation: IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { Type.Name: "Task" or "ValueTask" } task } }:
                // await stream.ReadAsync(...).ConfigureAwait(false): the awaited task's result, as without it.
                return Eval(task, state, context, depth + 1);
            case IAwaitOperation awaited:
                return Eval(awaited.Operation, state, context, depth + 1);
            case IInvocationOperation invocation:
                return Invocation(invocation, state, context, depth);
            case IBinaryOperation binary:
                var right = Eval(binary.RightOperand, state, context, depth + 1);
                return Remaining(binary, right, Arithmetic.Binary(binary.OperatorKind, Eval(binary.LeftOperand, state, context, depth + 1), right, binary.Type, binary.IsChecked));
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } unary:
                var operand = Eval(unary.Operand, state, context, depth + 1);
                return ValueFact.Range(-operand.Upper, -operand.Lower).WithUntrusted(operand.Untrusted, operand.Origin);
            case IArrayElementReferenceOperation element:
                return Elements.Refined(element, Element(Eval(element.ArrayReference, state, context, depth + 1), element.Type), state);
            case IPropertyReferenceOperation property:
                return Property(property, state, context, depth);
            case IArrayCreationOperation creation when creation.DimensionSizes.Length == 1:
                // new byte[Math.Max(MinimumSize, size)]: at least MinimumSize elements whatever size is.
                return Eval(creation.DimensionSizes[0], state, context, depth + 1) switch
                {
                    { Lower: { } size, Upper: { } same } when size == same && size <= int.MaxValue => ValueFact.Buffer((int)size),
                    { Lower: { } least } when least >= 1 => ValueFact.Unknown.WithMinLength((int)Math.Min(least, int.MaxValue)),
                    _ => ValueFact.Unknown,
                };
            case IFieldReferenceOperation { Instance: not (null or IInstanceReferenceOperation) } field when TaintSources.FieldOrigin(field, context.Trust) is { } token
                && !BuiltReaders.OverTrustedText(field.Instance, state, context, depth):
                return ValueFact.Source(token, null, null);
            case IFieldReferenceOperation { Instance: not (null or IInstanceReferenceOperation) } field:
                // header.Size of an untrusted header is as untrusted as the header.
                var owner = Eval(field.Instance, state, context, depth + 1);
                var initial = Initial(field, context);
                return (owner.Untrusted || owner.Trail?.Download is not null) && !initial.Untrusted
                    ? Typed((StoredRanges.Of(field.Field, context) ?? ValueFact.Unknown).TaintedLike(owner), field.Type)
                    : initial;
            case IFieldReferenceOperation field:
                return Initial(field, context);
            case { Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.StackAllocArrayCreationExpressionSyntax } when Records.StackallocLength(operation) is { } stackLength:
                return ValueFact.Buffer(stackLength);
            case { Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.CollectionExpressionSyntax list } when list.Elements.All(e => e is Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionElementSyntax):
                // [0x85, 0xc0, ...]: as many elements as are written (a spread has no length in sight).
                return ValueFact.Buffer(list.Elements.Count);
            case IIncrementOrDecrementOperation step:
                // n-- > 0: the value compared is n's (before or after the step, the bounds barely move).
                return Eval(step.Target, state, context, depth + 1);
            default:
                return FromChildren(operation, state, context, depth);
        }
    }

    /// <summary>The fact of a storage location before the method assigned it: untrusted parameters and fields, constant-size static arrays.</summary>
    public static ValueFact Initial(IOperation reference, FlowContext context)
    {
        switch (reference.WalkDownConversions())
        {
            case IParameterReferenceOperation parameter when Annotations.IsUntrustedParameter(parameter.Parameter):
                return ParameterSource(parameter.Parameter);
            case IParameterReferenceOperation parameter when context.Summaries.Documents.Of(parameter.Parameter, context.CancellationToken) is { } document:
                return document;
            case IParameterReferenceOperation parameter:
                return Typed(ValueFact.Unknown, parameter.Type);
            case IFieldReferenceOperation field when Annotations.Has(field.Field, Annotations.UntrustedContent):
                return ValueFact.Source($"field '{field.Field.Name}'", TaintSources.RangeOf(field.Type).Lower, TaintSources.RangeOf(field.Type).Upper);
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when context.Summaries.Fields.Of(field.Field, context.CancellationToken) is { } stored:
                // A buffer of constant size the reader fills from its stream keeps its size.
                return SizeOf(field.Field, declared: true, context) is { } size ? ValueFact.Buffer(size).WithUntrusted(true, stored.Origin) : stored;
            case IFieldReferenceOperation field:
                return SizeOf(field.Field, declared: field.Field.IsReadOnly || field.Field.IsConst, context) is { } length ? ValueFact.Buffer(length) : Typed(ValueFact.Unknown, field.Type);
            default:
                return Typed(ValueFact.Unknown, reference.Type);
        }
    }

    /// <summary>
    /// The constant length of an array field: made so where it is declared (when <paramref name="declared"/>: a
    /// read-only field, or a buffer the reader fills), or private and given the same constant length by every store of
    /// its type (<c>peek = new char[1]</c> in the constructor).
    /// </summary>
    private static int? SizeOf(IFieldSymbol field, bool declared, FlowContext context) =>
        (declared ? ConstantSizes.Of(field) : null) ?? ConstantSizes.Stored(field, context.Summaries.Compilation);

    public static ValueFact ParameterSource(IParameterSymbol parameter)
    {
        var (lower, upper) = TaintSources.RangeOf(parameter.Type);
        return ValueFact.Source($"parameter '{parameter.Name}'", lower, upper);
    }

    /// <summary>A value of an integral type cannot leave the type's range, whatever else is known.</summary>
    /// <summary>
    /// <c>data.Length - start</c>, with a tracked start: the room left after it (so a length at most it fits from
    /// start), and not negative when start is at most the length (<c>start = Math.Min(position, data.Length)</c>).
    /// </summary>
    private static ValueFact Remaining(IBinaryOperation binary, ValueFact offset, ValueFact result)
    {
        if (binary.OperatorKind != BinaryOperatorKind.Subtract
            || binary.LeftOperand.WalkDownConversions() is not IPropertyReferenceOperation { Property.Name: "Length" or "Count", Instance: { } instance }
            || FlowKey.Of(instance) is not { } buffer || FlowKey.Of(binary.RightOperand) is not { } start)
        {
            return result;
        }

        result = result.AtMost(new FlowKey.Remainder(buffer, start));
        return offset.BelowLength.Contains(buffer) ? result.WithLower(1) : offset.AtMostLength.Contains(buffer) ? result.WithLower(0) : result;
    }

    public static ValueFact Typed(ValueFact fact, ITypeSymbol? type)
    {
        var (lower, upper) = TaintSources.RangeOf(type);
        return fact.WithRange(
            fact.Lower is { } l ? (lower is { } tl ? Math.Max(l, tl) : l) : lower,
            fact.Upper is { } u ? (upper is { } tu ? Math.Min(u, tu) : u) : upper);
    }

    public static bool TryGetInteger(object value, out long number)
    {
        switch (value)
        {
            case int i: number = i; return true;
            case long l: number = l; return true;
            case short s: number = s; return true;
            case byte b: number = b; return true;
            case sbyte sb: number = sb; return true;
            case ushort us: number = us; return true;
            case uint ui: number = ui; return true;
            case char c: number = c; return true;
            case ulong ul when ul <= long.MaxValue: number = (long)ul; return true;
            default: number = 0; return false;
        }
    }

    private static ValueFact Property(IPropertyReferenceOperation property, FlowState state, FlowContext context, int depth)
    {
        var instance = Eval(property.Instance, state, context, depth + 1);
        if (property.Property.IsIndexer)
        {
            return Elements.Refined(property, Element(instance, property.Type), state);
        }

        if (Annotations.Has(property.Property, Annotations.UntrustedContent))
        {
            return Typed(ValueFact.Source($"property '{property.Property.Name}'", null, null), property.Type);
        }

        if (TaintSources.PropertyOrigin(property, context.Trust, context.Options) is { } origin
            && !(context.Trust.Readers.IsTextReaderOrToken(property.Instance?.Type) && BuiltReaders.OverTrustedText(property.Instance, state, context, depth)))
        {
            return Typed(ValueFact.Source(origin, null, null), property.Type);
        }

        if (IsVectorCount(property.Property))
        {
            // Vector128<byte>.Count and the like: the elements of one hardware vector, 64 bytes at most (Vector512).
            return ValueFact.Range(1, MaxVectorElements);
        }

        if (property.Property.Name is "Length" or "Count" or "LongLength")
        {
            // Untrusted like its object, but never past it: s[s.Length - 1] and loops up to s.Length stay on s.
            var length = instance.ConstantLength is { } known ? ValueFact.Constant(known) : ValueFact.Range(instance.MinLength ?? 0, MostElements(property.Property));
            // A buffer field the type creates itself, or a local array the method creates with a trusted size, has the
            // program's length, whatever a stream filled it with.
            // So does a buffer of a length known exactly (stackalloc byte[512]): no content chose the number.
            length = (!instance.Untrusted && instance.Trail is null) || instance.ConstantLength is not null || OwnBuffer(property.Instance, context) || LocalBuffers.ProgramSized(property.Instance, state, context, depth)
                ? length
                : length.TaintedLike(instance);
            return FlowKey.Sized(property.Instance) is { } owner ? length.AtMost(owner) : length;
        }

        // descriptor.TableSize => 2 << (Packed & 7): as untrusted as the descriptor, and no larger than the getter computes.
        // response.ColumnCount { get; }, stored by a private constructor from (int)reader.ReadUInt16(): no larger than that.
        return (ComputedProperties.Of(property.Property, context.Summaries.Compilation) ?? StoredRanges.Of(property.Property, context)) is { } computed
            ? Typed(computed.TaintedLike(instance), property.Type)
            : Typed(ValueFact.Unknown.TaintedLike(instance), property.Type);
    }

    /// <summary>
    /// The most a Length or Count can be: an array, a string or a framework list, set, queue, stack or dictionary (kept in
    /// an array) holds at most Array.MaxLength elements, so <c>s.Length + 1</c> does not wrap. Anything else (a
    /// <c>BitArray</c>'s bits, an interface's Count) may say int.MaxValue.
    /// </summary>
    private static long MostElements(IPropertySymbol property) =>
        property.Name != "LongLength" && property.ContainingType is { } owner
        && (owner.SpecialType is SpecialType.System_String or SpecialType.System_Array || IsArrayBackedCollection(owner))
            ? MaxArrayLength
            : int.MaxValue;

    /// <summary><c>List&lt;T&gt;</c>, <c>HashSet&lt;T&gt;</c>, <c>Queue&lt;T&gt;</c>, <c>Stack&lt;T&gt;</c>, <c>Dictionary&lt;K, V&gt;</c> of the framework: their elements live in one array.</summary>
    internal static bool IsArrayBackedCollection(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class, Name: "List" or "HashSet" or "Queue" or "Stack" or "Dictionary" } named
        && named.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
        && !named.Locations.Any(l => l.IsInSource);

    /// <summary>Array.MaxLength: the most elements any array (and so any string or list) can hold.</summary>
    private const int MaxArrayLength = 0x7FFFFFC7;

    /// <summary>The most elements a hardware vector holds: 64 bytes of <c>Vector512&lt;byte&gt;</c>.</summary>
    private const int MaxVectorElements = 64;

    /// <summary><c>Count</c> of <c>System.Numerics.Vector&lt;T&gt;</c> or <c>System.Runtime.Intrinsics.Vector64/128/256/512&lt;T&gt;</c>.</summary>
    private static bool IsVectorCount(IPropertySymbol property) =>
        property is { Name: "Count", IsStatic: true, ContainingType: { TypeArguments.Length: 1 } vector }
        && (vector.Name == "Vector" && vector.ContainingNamespace?.ToDisplayString() == "System.Numerics"
            || vector.Name is "Vector64" or "Vector128" or "Vector256" or "Vector512" && vector.ContainingNamespace?.ToDisplayString() == "System.Runtime.Intrinsics");

    private static bool OwnBuffer(IOperation? instance, FlowContext context) =>
        instance?.WalkDownConversions() is IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: var field }
        && ConstantSizes.Allocated(field, context.Summaries.Compilation, method => context.Summaries.Get(method, context.CancellationToken)?.LengthParameter);

    private static ValueFact Element(ValueFact buffer, ITypeSymbol? elementType) =>
        Typed(ValueFact.Unknown.TaintedLike(buffer), elementType);

    /// <summary>What a conversion keeps: the range when it fits the target type, otherwise the target's whole range.</summary>
    internal static ValueFact Convert(ValueFact value, ITypeSymbol? from, ITypeSymbol? to)
    {
        var (lower, upper) = TaintSources.RangeOf(to);
        if (lower is null && upper is null)
        {
            return value;
        }

        var fits = value.Lower is { } l && value.Upper is { } u && (lower is null || l >= lower) && (upper is null || u <= upper);
        if (fits)
        {
            return value;
        }

        // (int)Math.Min(position - start, data.Length) of a long: at most the length, unless the code's own position lies
        // below int.MinValue and wraps; the content cannot make it wrap.
        var ownLower = !value.Untrusted || value.UpperOnly;
        return ownLower && value.Upper is { } most && (upper is null || most <= upper) && (value.AtMostLength.Count > 0 || value.BelowLength.Count > 0)
            ? value.WithRange(lower, most)
            : ValueFact.Range(lower, upper).TaintedLike(value);
    }

    /// <summary>Anything else is untrusted when any of its parts is: string building, parsing, object creation.</summary>
    private static ValueFact FromChildren(IOperation operation, FlowState state, FlowContext context, int depth)
    {
        foreach (var child in operation.ChildOperations)
        {
            if (child is IAnonymousFunctionOperation or IFlowAnonymousFunctionOperation or IDelegateCreationOperation)
            {
                continue;
            }

            var fact = Eval(child is IArgumentOperation argument ? argument.Value : child, state, context, depth + 1);
            if (fact.Untrusted || fact.Trail?.Download is not null)
            {
                return ValueFact.Unknown.TaintedLike(fact);
            }
        }

        return ValueFact.Unknown;
    }
}
