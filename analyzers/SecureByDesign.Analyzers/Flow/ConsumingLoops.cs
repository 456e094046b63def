using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A loop bounded by its input: its count was read from a reader (<c>var count = reader.ReadInt32()</c>) and every
/// pass through its body reads from the same reader with a read that throws at the end of the input
/// (<c>reader.ReadInt32()</c>, <c>reader.ReadString()</c>, <c>stream.ReadExactly(buffer)</c>, a <c>Read*</c> method of a
/// reader of the compilation, or a method or constructor of the compilation that is handed the reader and reads from it
/// on every path). A lying count then runs out of input after as many passes as the input has bytes: the work is linear
/// in the input's size. Read from the semantic model's operations of the loop, not the flow engine's state.
/// </summary>
internal static class ConsumingLoops
{
    /// <summary>How many calls deep a helper's reads are followed.</summary>
    private const int MaxDepth = 4;

    /// <summary>Reads that return short or empty at the end of the input instead of throwing: they do not bound a loop.</summary>
    private static readonly ImmutableHashSet<string> NonThrowingReads = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Read", "ReadAsync", "ReadBytes", "ReadChars", "ReadBlock", "ReadBlockAsync", "ReadLine", "ReadLineAsync",
        "ReadToEnd", "ReadToEndAsync", "ReadAtLeast", "ReadAtLeastAsync");

    /// <summary>
    /// Whether the loop (its syntax, with the side of its condition that holds the count) reads from the count's
    /// reader on every pass.
    /// </summary>
    public static bool Consumes(SyntaxNode loopSyntax, IOperation count, FlowContext flow)
    {
        if (flow.Compilation is not { } compilation || !compilation.ContainsSyntaxTree(loopSyntax.SyntaxTree)
            || ReadBy(count, compilation, flow) is not { } read || ReaderOf(read) is not { } reader
            || SourceOf(reader) is not { } source)
        {
            return false;
        }

#pragma warning disable RS1030 // Only when the loop is in another tree than the method's model (it never is in practice).
        var model = flow.Model is { } own && own.SyntaxTree == loopSyntax.SyntaxTree ? own : compilation.GetSemanticModel(loopSyntax.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(loopSyntax, flow.CancellationToken) is not ILoopOperation loop || Rewinds(loop, source))
        {
            return false;
        }

        var walk = new Walk(flow, loop.ContinueLabel, 0);
        return loop switch
        {
            IForLoopOperation f => walk.Must(f.Condition, source) || f.AtLoopBottom.Any(o => walk.Must(o, source)) || walk.Must(f.Body, source),
            IWhileLoopOperation w => walk.Must(w.Condition, source) || walk.Must(w.Body, source),
            _ => false,
        };
    }

    /// <summary>
    /// The read a count local was initialized with, directly or through a few copies of it
    /// (<c>uint recordCount = reader.ReadUInt32(); int count = (int)recordCount;</c>), or either of two reads of one reader
    /// (<c>wide ? reader.ReadUInt32() : reader.ReadUInt16()</c>). Null for anything else.
    /// </summary>
    private static IInvocationOperation? ReadBy(IOperation count, Compilation compilation, FlowContext flow)
    {
        // A count the loop steps down (toSkip -= read) is its initializer at the start: what tells which reader it came from.
        var value = count.WalkDownConversions();
        for (var copies = 0; copies <= MaxDepth && value is ILocalReferenceOperation local; copies++)
        {
            value = (Initializers.ValueOf(local.Local, compilation, flow.Model) ?? (copies == 0 ? Declared(local.Local, compilation, flow) : null))?.WalkDownConversions();
        }

        // uint count = wide ? reader.ReadUInt32() : reader.ReadUInt16(): either way a read of the same reader.
        if (value is IConditionalOperation { WhenTrue: { } first, WhenFalse: { } second })
        {
            return first.WalkDownConversions() is IInvocationOperation read && ReaderOf(read) is { } one
                && second.WalkDownConversions() is IInvocationOperation otherRead && ReaderOf(otherRead) is { } other
                && SourceOf(one) is { } source && SourceOf(other) is { } same && FlowKey.Comparer.Equals(source, same)
                    ? read
                    : null;
        }

        // long toSkip = size + (size & 1): the reader the count came from is the one whose input bounds the loop, whatever
        // the arithmetic did to the number (a pass that consumes input cannot run more often than the input has bytes).
        return value is IBinaryOperation binary
            ? ReadIn(binary.LeftOperand, compilation, flow, MaxDepth) ?? ReadIn(binary.RightOperand, compilation, flow, MaxDepth)
            : value as IInvocationOperation;
    }

    /// <summary>The initializer a local is declared with, whatever is assigned to it later; null when it has none.</summary>
    private static IOperation? Declared(ILocalSymbol local, Compilation compilation, FlowContext flow)
    {
        if (Operations.DeclaredInitializer(local) is not { } syntax || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

#pragma warning disable RS1030 // Only when the local is declared in another tree than the method's model (it never is).
        var model = flow.Model is { } own && own.SyntaxTree == syntax.SyntaxTree ? own : compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        return model.GetOperation(syntax, flow.CancellationToken);
    }

    /// <summary>The read a part of a count's arithmetic is, directly or through a local's initializer: the first one found.</summary>
    private static IInvocationOperation? ReadIn(IOperation operand, Compilation compilation, FlowContext flow, int depth)
    {
        var value = operand.WalkDownConversions();
        if (depth <= 0)
        {
            return null;
        }

        return value switch
        {
            IInvocationOperation read when ReaderOf(read) is not null => read,
            ILocalReferenceOperation local => Initializers.ValueOf(local.Local, compilation, flow.Model) is { } initial ? ReadIn(initial, compilation, flow, depth - 1) : null,
            IBinaryOperation binary => ReadIn(binary.LeftOperand, compilation, flow, depth - 1) ?? ReadIn(binary.RightOperand, compilation, flow, depth - 1),
            IParenthesizedOperation parenthesized => ReadIn(parenthesized.Operand, compilation, flow, depth - 1),
            _ => null,
        };
    }

    /// <summary>
    /// The reader a read is made on: its instance, or the reader an extension method or a static method of the
    /// compilation is handed (<c>ReadHeader(binaryReader)</c>: the one argument that is a stream, a reader, or a type
    /// named like one). Null when there is none, or more than one.
    /// </summary>
    private static IOperation? ReaderOf(IInvocationOperation read)
    {
        if (read.Instance is { } instance)
        {
            return instance;
        }

        if (read.TargetMethod is not { IsStatic: true } method || !(method.IsExtensionMethod || method.Locations.Any(l => l.IsInSource)))
        {
            return null;
        }

        var readers = read.Arguments.Where(a => a.Value.WalkDownConversions().Type is { } type && IsReaderType(type)).Take(2).ToList();
        return readers.Count == 1 ? readers[0].Value : null;
    }

    private static bool IsReaderType(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "Stream" or "BinaryReader" or "TextReader" || current.Name.EndsWith("Reader", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What a reader is: a local, a parameter, a field or property of this object, or this object itself (for a reader
    /// class whose own methods read, <c>ReadCompressedUInt32()</c>). Null for anything else.
    /// </summary>
    private static object? SourceOf(IOperation? operation) => operation?.WalkDownConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field.OriginalDefinition,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.IsIndexer: false } property => property.Property.OriginalDefinition,
        IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => This.Instance,
        _ => null,
    };

    private static bool Is(IOperation? operation, object source) => SourceOf(operation) is { } found && (found == This.Instance ? source == This.Instance : SymbolEqualityComparer.Default.Equals(found as ISymbol, source as ISymbol));

    /// <summary>
    /// The operations move the reader back or replace it: they set a <c>Position</c> (or a <c>position</c> field of a
    /// reader class) or take from it, call <c>Seek</c>, or assign the reader itself. Reading then proves nothing about
    /// the input left. Moving forward (<c>position += 4</c>, <c>position++</c>) is what a read does.
    /// </summary>
    private static bool Rewinds(IOperation scope, object? source) =>
        scope.Descendants().Any(operation => operation switch
        {
            ISimpleAssignmentOperation { Target: var target } => (source is not null && Is(target, source)) || IsPosition(target),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract, Target: var target } => IsPosition(target),
            IIncrementOrDecrementOperation { Kind: OperationKind.Decrement, Target: var target } => IsPosition(target),
            IInvocationOperation invocation => invocation.TargetMethod.Name == "Seek",
            _ => false,
        });

    private static bool IsPosition(IOperation target) =>
        target.WalkDownConversions() is IMemberReferenceOperation member && string.Equals(member.Member.Name, "Position", StringComparison.OrdinalIgnoreCase);

    /// <summary>A read that throws at the end of the input, on <paramref name="receiver"/>'s type.</summary>
    private static bool IsThrowingRead(IMethodSymbol method, ITypeSymbol? receiver)
    {
        if (!method.Name.StartsWith("Read", StringComparison.Ordinal) || NonThrowingReads.Contains(method.Name))
        {
            return false;
        }

        // A Stream's ReadByte returns -1 at the end, a TextReader's reads return what is left: only ReadExactly throws.
        for (var type = receiver; type is not null; type = type.BaseType)
        {
            if (type.ToDisplayString() is "System.IO.Stream" or "System.IO.TextReader")
            {
                return method.Name.StartsWith("ReadExactly", StringComparison.Ordinal);
            }
        }

        return true;
    }

    /// <summary>
    /// A <c>ReadExactly</c> reads something only when it is asked for at least one element: a count that is a constant of
    /// at least 1, or a buffer made here of a constant size of at least 1. <c>ReadExactly(buffer, 0, size)</c> of a size
    /// that may be 0 reads nothing and returns. Other throwing reads (<c>ReadInt32</c>) always take input.
    /// </summary>
    private static bool TakesAtLeastOne(IInvocationOperation read)
    {
        if (!read.TargetMethod.Name.StartsWith("ReadExactly", StringComparison.Ordinal))
        {
            return true;
        }

        if (read.Arguments.Argument("count") is { } count)
        {
            return count.Value.ConstantValue is { HasValue: true, Value: int asked } && asked >= 1;
        }

        var buffer = read.Arguments.FirstOrDefault()?.Value.WalkDownConversions();
        buffer = buffer is ILocalReferenceOperation local && Operations.DeclaredInitializer(local.Local) is { } syntax
            && buffer.SemanticModel?.GetOperation(syntax) is { } initial ? initial.WalkDownConversions() : buffer;
        var size = buffer is IArrayCreationOperation { DimensionSizes.Length: 1 } creation ? creation.DimensionSizes[0] : buffer is null ? null : Records.StackallocSize(buffer);
        return size?.ConstantValue is { HasValue: true, Value: int made } && made >= 1;
    }

    /// <summary>The marker of a reader that is the object whose methods are read.</summary>
    private sealed class This
    {
        public static readonly This Instance = new();
    }

    /// <summary>One walk over a loop body or a helper's body: which label is a <c>continue</c> of the loop, and how deep in helpers.</summary>
    private sealed class Walk
    {
        private readonly FlowContext flow;
        private readonly ILabelSymbol? continueLabel;
        private readonly int depth;

        public Walk(FlowContext flow, ILabelSymbol? continueLabel, int depth)
        {
            this.flow = flow;
            this.continueLabel = continueLabel;
            this.depth = depth;
        }

        /// <summary>
        /// Every path through the operation that reaches its end (or, in a loop, the next pass; in a helper, its
        /// return) reads from the source. Paths that leave by <c>break</c>, <c>throw</c> or, in a loop, <c>return</c> end
        /// the loop and do not matter.
        /// </summary>
        public bool Must(IOperation? operation, object source)
        {
            switch (operation)
            {
                case null:
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IBlockOperation block:
                    return Sequence(block.Operations, source);
                case IConditionalOperation conditional when conditional.WhenFalse is null && ReferenceEquals(ExitsWhenEmpty(conditional, source), source):
                    // if (reader.Read(buffer, 0, n) <= 0) throw ...: a pass that goes on read at least one element.
                    return true;
                case IConditionalOperation conditional:
                    return Must(conditional.Condition, source) || (conditional.WhenFalse is not null && Must(conditional.WhenTrue, source) && Must(conditional.WhenFalse, source));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical:
                    return Must(logical.LeftOperand, source);
                case ICoalesceOperation coalesce:
                    return Must(coalesce.Value, source);
                case ICoalesceAssignmentOperation coalesceAssignment:
                    return Must(coalesceAssignment.Target, source);
                case IConditionalAccessOperation access:
                    return Must(access.Operation, source);
                case ISwitchOperation switchStatement:
                    return Must(switchStatement.Value, source);
                case ISwitchExpressionOperation switchExpression:
                    return Must(switchExpression.Value, source);
                case IForLoopOperation nestedFor:
                    return nestedFor.Before.Any(o => Must(o, source)) || Must(nestedFor.Condition, source);
                case IWhileLoopOperation { ConditionIsTop: true } nestedWhile:
                    return Must(nestedWhile.Condition, source);
                case IWhileLoopOperation nestedDo:
                    return Must(nestedDo.Body, source) || Must(nestedDo.Condition, source);
                case IForEachLoopOperation nestedForEach:
                    return Must(nestedForEach.Collection, source);
                case ILoopOperation:
                    return false;
                case ITryOperation attempt:
                    // A catch that swallows the end of the input and goes on would let the loop run on without input.
                    return Must(attempt.Finally, source) || (Must(attempt.Body, source) && attempt.Catches.All(c => !Sequence(c.Handler.Operations, null)));
                case IInvocationOperation invocation:
                    return (invocation.Instance is { } instance && (Must(instance, source) || (Is(instance, source) && IsThrowingRead(invocation.TargetMethod, instance.Type) && !MovesBack(invocation.TargetMethod) && TakesAtLeastOne(invocation))))
                        || invocation.Arguments.Any(a => Must(a.Value, source))
                        || Helper(invocation.TargetMethod, invocation.Instance, invocation.Arguments, source);
                case IObjectCreationOperation creation:
                    return creation.Arguments.Any(a => Must(a.Value, source))
                        || (creation.Constructor is { } constructor && Helper(constructor, null, creation.Arguments, source));
                default:
                    return operation.ChildOperations.Any(child => Must(child, source));
            }
        }

        /// <summary>
        /// A read of the compilation's own reader that puts the position back (<c>ReadString(offset)</c> that seeks, reads
        /// and restores): it consumes nothing.
        /// </summary>
        private bool MovesBack(IMethodSymbol method) =>
            flow.Summaries.Body(method, flow.CancellationToken) is { } body && Rewinds(body, null);

        /// <summary>
        /// Statements in order: one that reads on every path makes the rest irrelevant; one that may skip the rest (a
        /// <c>continue</c> of the loop, a <c>return</c> of a helper, a <c>goto</c>) before reading ends the proof. With
        /// no source, whether the statements can fall through to their end or skip ahead (a catch that goes on).
        /// </summary>
        private bool Sequence(IEnumerable<IOperation> operations, object? source)
        {
            ILocalSymbol? counted = null;
            foreach (var operation in operations)
            {
                if (source is not null && Must(operation, source))
                {
                    return true;
                }

                // int read = reader.Read(buffer, 0, n); if (read <= 0) break;: the pass that goes on read something.
                if (source is not null && CountedRead(operation, source) is { } local)
                {
                    counted = local;
                }
                else if (counted is not null && operation is IConditionalOperation { WhenFalse: null } test && ExitsWhenEmpty(test, source!) is ILocalSymbol tested
                    && SymbolEqualityComparer.Default.Equals(tested, counted))
                {
                    return true;
                }

                if (MaySkip(operation))
                {
                    return source is null;
                }

                if (source is null && operation is IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } or IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break })
                {
                    return false;
                }
            }

            return source is null;
        }

        /// <summary>
        /// <c>int read = reader.Read(buffer, 0, n);</c> of the source, with a read that returns how much it read (0 at the
        /// end of the input): the local it is stored in; null for anything else.
        /// </summary>
        private static ILocalSymbol? CountedRead(IOperation operation, object source)
        {
            var (target, value) = operation switch
            {
                IVariableDeclarationGroupOperation { Declarations.Length: 1 } group when group.Declarations[0].Declarators is { Length: 1 } declarators
                    && declarators[0].Initializer is { } initializer => (declarators[0].Symbol, initializer.Value),
                IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation local, Value: var assigned } } => (local.Local, assigned),
                _ => (null, null),
            };
            return target is not null && IsCountedRead(value, source) ? target : null;
        }

        private static bool IsCountedRead(IOperation? value, object source) =>
            value?.WalkDownConversions() is IInvocationOperation { Instance: { } instance } read && Is(instance, source)
            && read.TargetMethod.Name is "Read" or "ReadAtLeast" or "ReadBlock" && ReadCounts.Counted(read) is not null;

        /// <summary>
        /// <c>if (read &lt;= 0) break;</c>, <c>if (reader.Read(buffer, 0, n) == 0) throw ...;</c>: a test that the count
        /// a read of the source returned is not positive (a local holding it, or the read itself) whose branch leaves the
        /// loop. The local tested (or the source itself, for the read in place); null for anything else.
        /// </summary>
        private object? ExitsWhenEmpty(IConditionalOperation test, object source)
        {
            if (test.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.LessThan } comparison
                || comparison.RightOperand.ConstantValue is not { HasValue: true, Value: int limit }
                || !(comparison.OperatorKind == BinaryOperatorKind.LessThan ? limit == 1 : limit == 0)
                || !Leaves(test.WhenTrue))
            {
                return null;
            }

            var tested = comparison.LeftOperand.WalkDownConversions();
            return tested is ILocalReferenceOperation local ? local.Local : IsCountedRead(tested, source) ? source : null;
        }

        /// <summary>The branch leaves the loop on every path: it throws, breaks or returns (alone or last in a block).</summary>
        private bool Leaves(IOperation branch) =>
            (branch is IBlockOperation { Operations.Length: > 0 } block ? block.Operations[block.Operations.Length - 1] : branch) is var last
            && (last is IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } or IBranchOperation { BranchKind: BranchKind.Break }
                || (last is IReturnOperation && continueLabel is not null));

        private bool MaySkip(IOperation operation) =>
            operation.DescendantsAndSelf().Any(o => o switch
            {
                IBranchOperation { BranchKind: BranchKind.GoTo } => true,
                IBranchOperation { BranchKind: BranchKind.Continue } branch => continueLabel is null || SymbolEqualityComparer.Default.Equals(branch.Target, continueLabel),
                IReturnOperation { Kind: OperationKind.Return } => continueLabel is null && !InLambda(o, operation),
                _ => false,
            });

        private static bool InLambda(IOperation operation, IOperation root)
        {
            for (var current = operation.Parent; current is not null && current != root; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// A method or constructor of the compilation handed the reader (as an argument, or as the object it is called
        /// on) that reads from it on every path of its body.
        /// </summary>
        private bool Helper(IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, object source)
        {
            method = method.OriginalDefinition;
            if (depth >= MaxDepth)
            {
                return false;
            }

            // Recursion between helpers ends at the depth: a cycle proves nothing.
            object? inner = instance is not null && !method.IsStatic && Is(instance, source) ? This.Instance : null;
            if (inner is null)
            {
                foreach (var argument in arguments)
                {
                    if (argument.Parameter is { RefKind: RefKind.None } parameter && parameter.Ordinal < method.Parameters.Length && Is(argument.Value, source))
                    {
                        inner = method.Parameters[parameter.Ordinal];
                        break;
                    }
                }
            }

            return inner is not null
                && flow.Summaries.Body(method, flow.CancellationToken) is { } body
                && !Rewinds(body, null)
                && new Walk(flow, null, depth + 1).Must(body, inner);
        }
    }
}
