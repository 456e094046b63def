using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>How a statement of a basic block changes the state: assignments, buffers filled by sources, throw helpers, validators.</summary>
internal static class Transfer
{
    public static FlowState Apply(IOperation operation, FlowState state, FlowContext context)
    {
        // Children first: the value of an assignment is computed before it is stored.
        foreach (var child in operation.ChildOperations)
        {
            if (child is not (IAnonymousFunctionOperation or IFlowAnonymousFunctionOperation))
            {
                state = Apply(child, state, context);
            }
        }

        state = NullStates.Dereferenced(operation, state, context);
        var written = operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation step => step.Target,
            _ => null,
        };
        if (written is not null && Elements.OwnerOf(written) is { } buffer)
        {
            state = Elements.Forget(buffer, state); // data[i] = ...: what was proved of data[0] may no longer hold
        }

        state = Accesses.Done(operation, state, context);

        switch (operation)
        {
            case IFlowCaptureOperation capture:
                return NullStates.Assign(capture.Id, capture.Value, Evaluator.Eval(capture.Value, state, context), state, context);
            case ISimpleAssignmentOperation assignment when FlowKey.Of(context.Resolve(assignment.Target)) is { } key:
                // out p = c ? a : b: the graph captures the target p before the branches, and assigns the capture.
                var contained = context.RelatesTests ? PathContainment.Carried(assignment.Value, state, context) : null;
                state = NullStates.Assign(key, assignment.Value, Evaluator.Typed(Evaluator.Eval(assignment.Value, state, context), assignment.Target.Type), state, context);
                state = PathContainment.Assigned(key, contained, state);
                state = context.RelatesTests ? Truths.Assigned(key, assignment.Value, state) : state;
                state = Sequences.Iterated(key, assignment, state, context);
                return Sized(key, assignment.Value, state, context);
            case ISimpleAssignmentOperation assignment:
                // entry.Flags = ...: what was known of the truth of entry's properties goes.
                state = context.RelatesTests ? Truths.Touched((assignment.Target as IMemberReferenceOperation)?.Instance, state) : state;
                return NullStates.AssignMember(assignment, state, context);
            case ICompoundAssignmentOperation compound when FlowKey.Of(compound.Target) is { } key:
                var current = Evaluator.Eval(compound.Target, state, context);
                var added = Evaluator.Eval(compound.Value, state, context);
                var combined = Arithmetic.Binary(compound.OperatorKind, current, added, compound.Target.Type, compound.IsChecked);
                return state.Assign(key, compound.OperatorKind == BinaryOperatorKind.Add && current.IsNonNegative ? Filled(key, current, added, combined) : combined);
            case IIncrementOrDecrementOperation step when FlowKey.Of(step.Target) is { } key:
                // n-- is n - 1: going down keeps "at most a.Length" and makes it "below" (n = raw.Length; while (n > 0 && raw[n - 1] == 0) n--;).
                var before = Evaluator.Eval(step.Target, state, context);
                var kind = step.Kind == OperationKind.Increment ? BinaryOperatorKind.Add : BinaryOperatorKind.Subtract;
                return state.Assign(key, Arithmetic.Binary(kind, before, ValueFact.Constant(1), step.Target.Type, step.IsChecked));
            case IInvocationOperation invocation:
                return Invocation(invocation, state, context);
            default:
                return state;
        }
    }

    private static FlowState Invocation(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        var method = invocation.TargetMethod;
        if (context.RelatesTests && !Truths.IsPureCall(method, context.Compilation))
        {
            foreach (var argument in invocation.Arguments)
            {
                // Process(entry), entry.Reset(), Parse(ref flag): the call may change what a test of them found.
                state = argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out ? Truths.Passed(argument.Value, state) : Truths.Touched(argument.Value, state);
            }

            state = Truths.Touched(invocation.Instance, state);
        }
        foreach (var passed in invocation.Arguments.Select(a => a.Value).Prepend(invocation.Instance))
        {
            // stream.Read(data), Fill(data), span.Clear(): the call may write the elements.
            if (passed is not null && (passed.WalkDownConversions().Type is IArrayTypeSymbol || IsSpan(passed.Type) || passed.Type?.Name == "ReadOnlySpan") && FlowKey.Of(passed) is { } buffer)
            {
                state = Elements.Forget(buffer, state);
            }
        }

        // Before the sources: body.CopyToAsync(file) reads a stream, and writes the file it is copied into.
        state = Files.Written(invocation, state, context);

        // Array.Resize(ref cache, Math.Max(count, cache.Length * 2)): the array is another one, of the size given; its
        // elements keep their taint, nothing else known of the old one holds.
        if (method is { Name: "Resize", ContainingType: { Name: "Array", ContainingNamespace.Name: "System" } }
            && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value is { } resizedArray
            && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value is { } newSize
            && FlowKey.Of(context.Resolve(resizedArray)) is { } resized)
        {
            state = state.Assign(resized, ValueFact.Unknown.TaintedLike(Evaluator.Eval(resizedArray, state, context)));
            state = SizedBy(resized, newSize, state, context, copies: 1);
        }

        // stream.Read(buffer, 0, 4) returned: buffer has at least 4 elements (the call throws otherwise).
        state = CheckedRanges.After(invocation, state, context);
        if (TaintSources.Origin(invocation, context.Trust, context.Options, context.CancellationToken) is { } origin)
        {
            // stream.Read(buffer), socket.Receive(buffer), reader.Read(span): the buffer now holds content; so does the
            // buffer a view shows (stream.Read(buffer.AsSpan(0, n))).
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && FlowKey.Of(argument.Value) is not null)
                {
                    state = Filled(argument.Value, origin, state, context);
                }
                else if (argument.Value.WalkDownConversions().Type is IArrayTypeSymbol || IsSpan(argument.Value.Type))
                {
                    state = Filled(FilledBuffers.Root(argument.Value), origin, state, context);
                }
            }

            return state;
        }

        // ReadBlock(buffer), where ReadBlock passes its parameter to stream.Read: the caller's buffer now holds content.
        if (context.Summaries.Get(method, context.CancellationToken) is { Fills.IsEmpty: false } summary)
        {
            foreach (var fill in summary.Fills)
            {
                if (invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == fill.Ordinal) is { } argument)
                {
                    state = Filled(FilledBuffers.Root(argument.Value), $"{method.Name} ({fill.Origin})", state, context);
                }
            }
        }

        if (method.ReturnsVoid && Annotations.IsValidator(method, context.Options))
        {
            return Validate(invocation, state, context);
        }

        if (Verification.KindOf(invocation, context.Trust, context.Options, context.Summaries.OptionsOf) == Verification.Kind.Throws)
        {
            return Verification.MarkVerified(state, Verification.Verified(invocation, context.Trust, context.Model));
        }

        // TryParse(text, out value) and friends: the out value is as untrusted as the text; element.TryGetProperty(name,
        // out value): as untrusted as the element the call is made on. map.TryGetValue(key, out value) finds a value the
        // map holds, as map[key] does, whatever the key: as untrusted as the map.
        var inputs = invocation.Arguments.Where(a => a.Parameter?.RefKind is not RefKind.Out).Select(a => a.Value);
        if (invocation.Instance is { } instance)
        {
            inputs = method.Name == "TryGetValue" ? new[] { instance } : new[] { instance }.Concat(inputs);
        }

        var untrustedInput = inputs.Select(input => Evaluator.Eval(input, state, context)).FirstOrDefault(f => f.Untrusted);
        if (untrustedInput is not null)
        {
            foreach (var argument in invocation.Arguments.Where(a => a.Parameter?.RefKind is RefKind.Out && FlowKey.Of(a.Value) is not null))
            {
                state = state.Assign(FlowKey.Of(argument.Value)!, Evaluator.Typed(ValueFact.Unknown.WithUntrusted(true, untrustedInput.Origin), argument.Value.Type));
            }
        }

        // ReadTerminated(data, 0, out var end): end within the range the method leaves it in when it returns.
        state = OutValues.After(invocation, state, context);

        // ReadDescriptor(stream): what the type's own method read into its fields is there after the call.
        state = FieldEffects.After(invocation, state, context);
        return NullStates.AfterCall(invocation, Conditions.ThrowHelper(invocation, state, context), context);
    }

    /// <summary>A content validator's arguments are trusted after it returns normally, or returns true on the branch taken.</summary>
    public static FlowState Validate(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (FlowKey.Of(argument.Value) is { } validated)
            {
                state = state.Refine(validated, Evaluator.Eval(argument.Value, state, context).Validated());
            }
        }

        return state;
    }

    private static bool IsSpan(ITypeSymbol? type) => type?.Name is "Span" or "Memory";

    /// <summary>The storage now holds content from <paramref name="origin"/> (its length and size stay).</summary>
    private static FlowState Filled(IOperation buffer, string origin, FlowState state, FlowContext context)
    {
        if (FlowKey.Of(buffer) is not { } filled)
        {
            return state;
        }

        var known = state[filled] ?? Evaluator.Initial(buffer, context);
        state = KeptLength(filled, buffer, known, state);
        return state.Refine(filled, known.WithUntrusted(true, origin));
    }

    /// <summary>
    /// stream.Read(buffer, 0, len) into a buffer the caller handed over: the read fills its elements, not its length. The
    /// caller's length (not from content, unless the parameter is) is kept in the state for the buffer from then on. A
    /// local made here keeps the length it was made with (<see cref="ProgramLength"/>), from content or not.
    /// </summary>
    private static FlowState KeptLength(object filled, IOperation buffer, ValueFact known, FlowState state)
    {
        var type = buffer.WalkDownConversions().Type;
        var length = (type is IArrayTypeSymbol array ? array.BaseType : type as INamedTypeSymbol)?.GetMembers("Length").OfType<IPropertySymbol>().FirstOrDefault();
        if (filled is not IParameterSymbol || known.Untrusted || known.Trail is not null || length is null)
        {
            return state;
        }

        var key = new FlowKey.MemberKey(filled, length);
        return state[key] is not null ? state : state.Refine(key, ValueFact.Range(0, ArrayMaxLength).AtMost(filled));
    }

    /// <summary>
    /// <c>var data = new byte[n]</c>, or <c>var data = ReadBytes(n)</c> with a callee that returns an array of exactly the
    /// length it was asked for (or a collection it checked has at least n elements), or a catalogued allocation of exactly or at least n (<c>ArrayPool&lt;T&gt;.Shared.Rent(n)</c>): n is at most data.Length, so an index below n, or a range of n from 0, fits data.
    /// </summary>
    private const long ArrayMaxLength = 0x7FFFFFC7;

    /// <summary>
    /// end += n, where n is at most what is left of a buffer after end (<c>n = stream.Read(buffer, end, buffer.Length - end)</c>):
    /// end is still at most the buffer's length, the bytes read into it so far, so the sum cannot wrap.
    /// </summary>
    private static ValueFact Filled(object key, ValueFact current, ValueFact added, ValueFact sum)
    {
        foreach (var bound in added.AtMostLength)
        {
            if (bound is FlowKey.Remainder remainder && FlowKey.Comparer.Equals(remainder.Offset, key) && added.IsNonNegative)
            {
                var least = current.Lower!.Value + added.Lower!.Value;
                sum = ValueFact.Range(least, int.MaxValue).WithUntrusted(current.Untrusted || added.Untrusted, current.Untrusted ? current.Origin : added.Origin).AtMost(remainder.Buffer);
                return current.UpperOnly || added.UpperOnly ? sum.AsUpperOnly() : sum;
            }
        }

        return sum;
    }

    /// <summary>
    /// var index = ReadIndex(data): a method of the compilation whose every returned array the types bound
    /// (<c>new int[count + 1]</c> of a <c>ushort</c> count) returns at most that many elements, so a count taken from
    /// the array's length is as bounded (and as untrusted as the array).
    /// </summary>
    private static FlowState BoundedLength(object array, IOperation value, FlowState state, FlowContext context)
    {
        if (value.WalkDownConversions() is not IInvocationOperation { Type: IArrayTypeSymbol { BaseType: { } arrayType } } call
            || context.Summaries.Get(call.TargetMethod, context.CancellationToken)?.MaxLength is not { } most
            || arrayType.GetMembers("Length").OfType<IPropertySymbol>().FirstOrDefault() is not { } length)
        {
            return state;
        }

        var fact = ValueFact.Range(0, most).TaintedLike(state[array] ?? ValueFact.Unknown).AtMost(array);
        return state.Refine(new FlowKey.MemberKey(array, length), fact);
    }

    /// <summary>
    /// var buffer = new byte[Math.Min(4096, remaining)]: a local array made with a size not from content has the program's
    /// length from then on, whatever a read fills it with and however the size's variables change later (remaining -= read).
    /// So does one rented or allocated through a catalogued call of any such size (<c>ArrayPool&lt;byte&gt;.Shared.Rent(81920)</c>),
    /// of at least that many elements. Its length is kept in the state, and goes when the local is assigned again.
    /// </summary>
    private static FlowState ProgramLength(object array, IOperation value, FlowState state, FlowContext context)
    {
        var (size, atLeast) = value.WalkDownConversions() switch
        {
            IArrayCreationOperation { DimensionSizes.Length: 1 } creation when !creation.DimensionSizes[0].ConstantValue.HasValue => (creation.DimensionSizes[0], false),
            IInvocationOperation { Type: IArrayTypeSymbol } call when TrustEntry.MadeSize(call, context.Trust, out var hint) is { } sized && !hint => (sized, true),
            _ => ((IOperation?)null, false),
        };
        if (array is not ILocalSymbol || size is null || value.WalkDownConversions().Type is not IArrayTypeSymbol { BaseType: { } arrayType }
            || Evaluator.Eval(size, state, context) is not { Untrusted: false, Trail: null } made
            || arrayType.GetMembers("Length").OfType<IPropertySymbol>().FirstOrDefault() is not { } length)
        {
            return state;
        }

        var most = atLeast ? ArrayMaxLength : Math.Min(made.Upper ?? ArrayMaxLength, ArrayMaxLength);
        var fact = ValueFact.Range(Math.Max(made.Lower ?? 0, 0), most).AtMost(array);
        return state.Refine(new FlowKey.MemberKey(array, length), fact);
    }

    /// <summary>
    /// var buffer = GetConnectCommand(...): a local given an array that a method of the compilation makes with at least
    /// n elements (<c>new byte[9 + user.Length]</c>) has at least n, whatever a read fills it with later.
    /// </summary>
    private static FlowState HelperLength(object array, IOperation value, FlowState state, FlowContext context)
    {
        if (array is not ILocalSymbol || value.WalkDownConversions() is not IInvocationOperation { Type: IArrayTypeSymbol { BaseType: { } arrayType } } call
            || context.Summaries.Get(call.TargetMethod, context.CancellationToken)?.MinLength is not { } least
            || arrayType.GetMembers("Length").OfType<IPropertySymbol>().FirstOrDefault() is not { } length)
        {
            return state;
        }

        var key = new FlowKey.MemberKey(array, length);
        return state[key] is { Lower: { } known } && known >= least ? state : state.Refine(key, ValueFact.Range(least, ArrayMaxLength).AtMost(array));
    }

    private static FlowState Sized(object array, IOperation value, FlowState state, FlowContext context)
    {
        state = BoundedLength(array, value, state, context);
        state = ProgramLength(array, value, state, context);
        state = HelperLength(array, value, state, context);
        var size = value.WalkDownConversions() switch
        {
            IArrayCreationOperation { DimensionSizes.Length: 1 } creation => creation.DimensionSizes[0],
            IInvocationOperation call when context.Summaries.Get(call.TargetMethod, context.CancellationToken)?.LengthParameter is { } ordinal =>
                call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value,
            // ArrayPool<byte>.Shared.Rent(n), GC.AllocateUninitializedArray<byte>(n), writer.GetSpan(n): at least (or exactly) n elements.
            IInvocationOperation call when TrustEntry.MadeSize(call, context.Trust, out var hint) is { } made
                && (!hint || Evaluator.Eval(made, state, context).IsNonNegative) => made,
            // Span<byte> scratch = stackalloc byte[a + b]: as an array of that size.
            _ when Records.StackallocSize(value) is { } stacked => stacked,
            // buffer.GetSpan() of a local Buffer<T> buffer = new(n): the span has n elements.
            IInvocationOperation or IPropertyReferenceOperation => WrapperLengths.LengthArgument(value, context),
            _ => null,
        };

        return size is null ? state : SizedBy(array, size, state, context, copies: 1);
    }

    /// <summary>
    /// Relates the variable an allocation's size is to the array made: at most its length, or below it by the constant
    /// added (<c>new T[n + 1]</c>). Through a local only ever holding such a sum or a copy (<c>int offsetCount = glyphCount + 1;</c>),
    /// the variable summed or copied too, when it holds one value (a local assigned once).
    /// </summary>
    private static FlowState SizedBy(object array, IOperation size, FlowState state, FlowContext context, int copies)
    {
        if (Pair(size) is var (first, second))
        {
            return Concatenated(array, first, second, state, context);
        }

        if (Unwidened(size) is IInvocationOperation { TargetMethod: { Name: "Max", ContainingType.Name: "Math" }, Arguments.Length: 2 } larger)
        {
            return larger.Arguments.Aggregate(state, (each, argument) => AtLeast(array, argument.Value, each, context));
        }

        // new T[n + 1] of an int (or narrower) n: when the allocation returns, n + 1 did not wrap, so n is below the length.
        // A uint sum, or (int)n + 1 of a uint n, wraps to a small size instead of throwing: it proves nothing.
        var extra = 0L;
        if (Sum(size) is var (summand, added))
        {
            size = summand;
            extra = added;
        }

        // Only a size that is the variable itself: (int)n of a long n may be another number. A uint n is n or, past
        // int.MaxValue, made negative by (int)n, which the allocation throws on: when it succeeds, the array has n elements.
        if (size.WalkDownConversions().Type?.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_UInt16 or SpecialType.System_Int16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char)
            || (Unwidened(size) is IConversionOperation { Operand.Type.SpecialType: var from } && from != SpecialType.System_UInt32)
            || FlowKey.Of(size) is not { } sizeKey || FactKey.Rooted(sizeKey, array))
        {
            return state;
        }

        // An untrusted size nothing caps gets the weaker relation: an index below it fits the array (its allocation is
        // reported, SBD2003), but a loop up to it is still a loop of the content's choosing (SBD2007), not one over
        // something already in memory.
        var fact = state[sizeKey] ?? Evaluator.Eval(size, state, context);
        var uncapped = fact.Untrusted && !fact.AtMostLength.Contains(FlowKey.Capped) && !(fact.Upper <= context.Options.MaxAllocation);

        // The allocation returned, so its size was between 0 and the largest array length: a loop index below it cannot
        // wrap, even when the size is a uint.
        fact = fact.WithLower(-extra).WithUpper(ArrayMaxLength - extra);
        state = state.Refine(sizeKey, uncapped ? fact.AtMost(new FlowKey.Allocated(array)) : WithRoom(fact, array, extra));

        // int offsetCount = glyphCount + 1; new uint[offsetCount]: glyphCount, assigned once, is below the length too (and at
        // most it, through a plain copy).
        return extra == 0 && copies > 0 && sizeKey is ILocalSymbol local && SingleValue(local, context) is { } initial
            && FlowKey.Of(Sum(initial)?.Summand ?? initial) is ILocalSymbol summed && !SymbolEqualityComparer.Default.Equals(summed, local)
            && SingleValue(summed, context) is not null
            ? SizedBy(array, initial, state, context, copies - 1)
            : state;
    }

    /// <summary>
    /// <c>new byte[a.Length + b.Length]</c>, of two amounts known not to be negative: each is at most the length, and each
    /// fits after the other (<c>b.CopyTo(combined.AsSpan(a.Length))</c>). An int sum: when the allocation returned, it
    /// did not wrap. An untrusted sum nothing caps relates as an allocated size does (its allocation is reported).
    /// </summary>
    private static FlowState Concatenated(object array, IOperation first, IOperation second, FlowState state, FlowContext context)
    {
        // Array.Resize(ref data, data.Length + extra): a length of the array itself is the old one's, not the new one's.
        if (FlowKey.Of(first) is not { } firstKey || FlowKey.Of(second) is not { } secondKey || FlowKey.Comparer.Equals(firstKey, secondKey)
            || FactKey.Rooted(firstKey, array) || FactKey.Rooted(secondKey, array))
        {
            return state;
        }

        var firstFact = state[firstKey] ?? Evaluator.Eval(first, state, context);
        var secondFact = state[secondKey] ?? Evaluator.Eval(second, state, context);
        if (!firstFact.IsNonNegative || !secondFact.IsNonNegative)
        {
            return state;
        }

        ValueFact Related(ValueFact fact, IOperation operand, object other)
        {
            var uncapped = fact.Untrusted && !fact.AtMostLength.Contains(FlowKey.Capped) && !(fact.Upper <= context.Options.MaxAllocation) && !IsLengthOfInMemory(operand);
            return (uncapped ? fact.AtMost(new FlowKey.Allocated(array)) : fact.AtMost(array)).AtMost(new FlowKey.Remainder(array, other));
        }

        state = state.Refine(firstKey, Related(firstFact, first, secondKey));
        return state.Refine(secondKey, Related(secondFact, second, firstKey));
    }

    /// <summary>
    /// <c>new T[Math.Max(count, 16)]</c>, <c>Array.Resize(ref cache, Math.Max(count, cache.Length * 2))</c>: an int (or
    /// narrower) variable given to the maximum is at most the length (nothing is said of its sign: the maximum may be the
    /// other argument). Related as an allocated size when untrusted and uncapped.
    /// </summary>
    private static FlowState AtLeast(object array, IOperation operand, FlowState state, FlowContext context)
    {
        if (Unwidened(operand) is not { } variable || variable is IConversionOperation || !IsIntOrNarrower(variable)
            || FlowKey.Of(operand) is not { } key || FactKey.Rooted(key, array))
        {
            return state;
        }

        var fact = state[key] ?? Evaluator.Eval(operand, state, context);
        var uncapped = fact.Untrusted && !fact.AtMostLength.Contains(FlowKey.Capped) && !(fact.Upper <= context.Options.MaxAllocation);
        return state.Refine(key, uncapped ? fact.AtMost(new FlowKey.Allocated(array)) : fact.AtMost(array));
    }

    /// <summary><c>data.Length</c> of an array, string, span or memory: no more than what is already in memory.</summary>
    internal static bool IsLengthOfInMemory(IOperation operation) =>
        operation.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Length" or "Count", Instance.Type: { } type }
        && (type is IArrayTypeSymbol || type.SpecialType == SpecialType.System_String || type.Name is "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory");

    /// <summary><c>a + b</c> of two int (or narrower) values, neither a constant.</summary>
    private static (IOperation First, IOperation Second)? Pair(IOperation size) =>
        Unwidened(size) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_Int32 } sum
        && !sum.LeftOperand.ConstantValue.HasValue && !sum.RightOperand.ConstantValue.HasValue
        && Unwidened(sum.LeftOperand) is { } left and not IConversionOperation && IsIntOrNarrower(left)
        && Unwidened(sum.RightOperand) is { } right and not IConversionOperation && IsIntOrNarrower(right)
            ? (sum.LeftOperand, sum.RightOperand)
            : null;

    /// <summary>
    /// The operation under the conversions that keep every value (implicit ones, written or not: <c>(int)count16</c>);
    /// <c>(ushort)a</c> of an int, or <c>(int)n</c> of a long, stays a conversion (it may change the value).
    /// </summary>
    private static IOperation Unwidened(IOperation operation)
    {
        while (operation is IConversionOperation { Conversion.IsImplicit: true } widening)
        {
            operation = widening.Operand;
        }

        return operation;
    }

    /// <summary>An int, or a narrower type whose every value an int holds: the operand is its variable's value, not a cast of it.</summary>
    private static bool IsIntOrNarrower(IOperation operation) =>
        operation.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char;

    /// <summary><c>n + 4</c> of an int (or narrower, not uint) <c>n</c>: the variable and the constant added.</summary>
    private static (IOperation Summand, long Added)? Sum(IOperation size) =>
        size.WalkDownConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_Int32 } sum
        && sum.RightOperand.ConstantValue is { HasValue: true, Value: int added and >= 0 }
        && sum.LeftOperand.WalkDownConversions().Type?.SpecialType is not SpecialType.System_UInt32
            ? (sum.LeftOperand, added)
            : null;

    /// <summary>The one value a local ever holds (its initializer, assigned nowhere else), or null.</summary>
    private static IOperation? SingleValue(ILocalSymbol local, FlowContext context) =>
        context.Compilation is { } compilation ? Initializers.ValueOf(local, compilation, context.Model) : null;

    /// <summary>A value with at least <paramref name="room"/> elements of the array from it on: at most, below, or at most <c>Length - room</c>.</summary>
    private static ValueFact WithRoom(ValueFact fact, object array, long room) => room switch
    {
        0 => fact.AtMost(array),
        1 => fact.Below(array),
        _ => fact.Below(array).AtMost(new FlowKey.Shortened(array, room)),
    };
}
