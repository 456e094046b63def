using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>using Buffer&lt;ushort&gt; buffer = new(count); Span&lt;ushort&gt; offsets = buffer.GetSpan();</c>: a type of the
/// compilation that keeps a span, memory or array of exactly a constructor parameter's length in a field (or get-only
/// property) only its constructors write, and hands it out from a method or property without arguments, gives a
/// span of the length its constructor was given. A constructor's store is read in order, through the constructor it
/// chains to, a member or local it stored the length or the buffer in before, <c>x[..n]</c>, <c>Slice(0, n)</c>,
/// <c>new T[n]</c> and a memory's <c>Span</c>. Cached per compilation.
/// </summary>
internal static class WrapperLengths
{
    private const int MaxDepth = 6;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, ConcurrentDictionary<ISymbol, int?>>> Parameters = new();

    /// <summary>The argument a wrapper was constructed with that is the length of what <paramref name="value"/> hands out; null when there is none.</summary>
    public static IOperation? LengthArgument(IOperation value, FlowContext context)
    {
        if (value.WalkDownConversions() is IInvocationOperation { TargetMethod: { Name: "AsSpan", ContainingType.Name: "CollectionsMarshal" }, Arguments.Length: 1 } listSpan)
        {
            return SetCount(listSpan, context);
        }

        var (instance, member) = value.WalkDownConversions() switch
        {
            IInvocationOperation { Arguments.Length: 0, Instance: { } target } call => (target, (ISymbol)call.TargetMethod),
            IPropertyReferenceOperation { Arguments.Length: 0, Instance: { } target } property => (target, property.Property),
            _ => (null, null),
        };
        if (instance?.WalkDownConversions() is not ILocalReferenceOperation local || context.Compilation is not { } compilation
            || !(value.Type is IArrayTypeSymbol || value.Type?.Name is "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory")
            || !SymbolEqualityComparer.Default.Equals(member!.ContainingAssembly, compilation.Assembly)
            || Initializers.ValueOf(local.Local, compilation, context.Model)?.WalkDownConversions() is not IObjectCreationOperation { Constructor: { } constructor } creation)
        {
            return null;
        }

        var ordinal = Parameters.GetValue(compilation, _ => new(SymbolEqualityComparer.Default))
            .GetOrAdd(constructor.OriginalDefinition, _ => new(SymbolEqualityComparer.Default))
            .GetOrAdd(member.OriginalDefinition, m => Of(constructor.OriginalDefinition, m, context));
        // The argument is read again where the span is taken: only a local that holds one value is the same number there.
        var argument = ordinal is { } index ? creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == index)?.Value : null;
        return argument?.WalkDownConversions() is ILocalReferenceOperation { Local: var size } && Initializers.ValueOf(size, compilation, context.Model) is not null ? argument : null;
    }

    /// <summary>
    /// <c>CollectionsMarshal.SetCount(list, count); var span = CollectionsMarshal.AsSpan(list);</c>: the count, when the
    /// local list holds one list that the method does nothing else with (no call on it, no other argument use; it may
    /// return it), the one SetCount is a statement of the block the span is taken in, before it, and the count is a local
    /// that holds one value.
    /// </summary>
    private static IOperation? SetCount(IInvocationOperation listSpan, FlowContext context)
    {
        if (listSpan.Arguments[0].Value.WalkDownConversions() is not ILocalReferenceOperation { Local: var list }
            || context.Compilation is not { } compilation || Initializers.ValueOf(list, compilation, context.Model) is not { } initial)
        {
            return null;
        }

        IOperation? count = null;
        foreach (var use in initial.Root().Descendants().OfType<ILocalReferenceOperation>().Where(r => SymbolEqualityComparer.Default.Equals(r.Local, list)))
        {
            var call = use.Parent is IArgumentOperation { Parent: IInvocationOperation invocation } ? invocation : null;
            if (use.Parent is IReturnOperation || call?.TargetMethod is { Name: "AsSpan", ContainingType.Name: "CollectionsMarshal" })
            {
                continue;
            }

            // The one SetCount, a statement of the block the span is taken in, before it.
            if (call?.TargetMethod is not { Name: "SetCount", ContainingType.Name: "CollectionsMarshal" } || count is not null || call.Arguments.Length != 2
                || call.Syntax.SpanStart >= listSpan.Syntax.SpanStart || !SameBlock(call.Syntax, listSpan.Syntax))
            {
                return null;
            }

            count = call.Arguments[1].Value;
        }

        // A count that holds one value, so the span's length is what it is at AsSpan too.
        return count?.WalkDownConversions() is ILocalReferenceOperation { Local: var counted } && Initializers.ValueOf(counted, compilation, context.Model) is not null ? count : null;
    }

    private static bool SameBlock(SyntaxNode first, SyntaxNode second) =>
        first.FirstAncestorOrSelf<SyntaxNode>(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax)?.Parent is { } block
        && second.FirstAncestorOrSelf<SyntaxNode>(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax)?.Parent == block;

    private static int? Of(IMethodSymbol constructor, ISymbol member, FlowContext context) =>
        Handed(member, context) is { } held && WrittenOnlyInConstructors(held) ? Stored(constructor, held, context, 0) : null;

    /// <summary>The field or get-only property every return of the member hands out (itself, or a memory's <c>Span</c> of it).</summary>
    private static ISymbol? Handed(ISymbol member, FlowContext context)
    {
        var method = member switch
        {
            IMethodSymbol { Parameters.Length: 0 } m => m,
            IPropertySymbol { GetMethod: { } getter } => getter,
            _ => null,
        };
        if (method is null || context.Summaries.Body(method, context.CancellationToken) is not { } body)
        {
            return null;
        }

        ISymbol? held = null;
        foreach (var returned in body.Descendants().OfType<IReturnOperation>().Where(r => r.FindOwner() == body))
        {
            var value = returned.ReturnedValue?.WalkDownConversions();
            value = value is IPropertyReferenceOperation { Property.Name: "Span", Instance: { } memory } && IsMemory(memory.Type) ? memory.WalkDownConversions() : value;
            if (OwnMember(value) is not { } symbol || (held is not null && !SymbolEqualityComparer.Default.Equals(held, symbol)))
            {
                return null;
            }

            held = symbol;
        }

        return held;
    }

    private static bool WrittenOnlyInConstructors(ISymbol held) => held switch
    {
        IFieldSymbol field => field.IsReadOnly,
        IPropertySymbol property => property.SetMethod is null && property.GetMethod is { } getter && getter.IsImplicitlyDeclared is false
            && property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property)),
        _ => false,
    };

    /// <summary>The ordinal of the constructor's parameter that is the length of what it stores in <paramref name="held"/>.</summary>
    private static int? Stored(IMethodSymbol constructor, ISymbol held, FlowContext context, int depth)
    {
        if (depth > MaxDepth || context.Summaries.Body(constructor, context.CancellationToken) is not IConstructorBodyOperation body)
        {
            return null;
        }

        var stores = StoresOf(held, body);
        if (stores.Count == 1)
        {
            // Stored on every path: a statement of the constructor's own block, not inside an if or a loop.
            return Unconditional(stores[0].Store, body) ? (Exact(stores[0].Value, body, depth) as IParameterSymbol)?.Ordinal : null;
        }

        // : this(length, clear: false): the length the chained constructor stores, when this one passes its own parameter.
        if (stores.Count > 0 || body.Initializer?.WalkDownConversions() is not { } initializer
            || initializer.DescendantsAndSelf().OfType<IInvocationOperation>().FirstOrDefault() is not { TargetMethod.MethodKind: MethodKind.Constructor } chained
            || !SymbolEqualityComparer.Default.Equals(chained.TargetMethod.ContainingType.OriginalDefinition, constructor.ContainingType.OriginalDefinition)
            || Stored(chained.TargetMethod.OriginalDefinition, held, context, depth + 1) is not { } ordinal)
        {
            return null;
        }

        return chained.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value.WalkDownConversions() is IParameterReferenceOperation passed ? passed.Parameter.Ordinal : null;
    }

    /// <summary>
    /// The parameter, or the constructor's member or local, that is exactly the length of <paramref name="value"/>, or
    /// (for a count, when <paramref name="value"/> is an integer) that the value is.
    /// </summary>
    private static ISymbol? Exact(IOperation value, IOperation body, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        return value.WalkDownConversions() switch
        {
            IArrayCreationOperation { DimensionSizes.Length: 1 } creation => Count(creation.DimensionSizes[0], body, depth),
            // x[..n] and x[0..n]: exactly n elements, or the slice throws.
            IImplicitIndexerReferenceOperation { Argument: IRangeOperation { RightOperand: { } end } range }
                when (range.LeftOperand is null || range.LeftOperand.WalkDownConversions().ConstantValue.Value is 0) && end.WalkDownConversions() is not IUnaryOperation =>
                Count(end, body, depth),
            IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" or "AsMemory" } slice when LengthOfSlice(slice) is { } length => Count(length, body, depth),
            IPropertyReferenceOperation { Property.Name: "Span", Instance: { } memory } when IsMemory(memory.Type) => Exact(memory, body, depth + 1),
            var stored when OwnMember(stored) is { } member => Only(member, body, value) is { } only ? Exact(only, body, depth + 1) : null,
            ILocalReferenceOperation local => Only(local.Local, body, value) is { } only ? Exact(only, body, depth + 1) : null,
            _ => null,
        };
    }

    /// <summary>The parameter an integer is: itself, or a member or local the constructor stored it in once, earlier.</summary>
    private static ISymbol? Count(IOperation count, IOperation body, int depth) => count.WalkDownConversions() switch
    {
        IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter when StoresOf(parameter.Parameter, body).Count == 0 => parameter.Parameter,
        var stored when OwnMember(stored) is { } member => Only(member, body, count) is { } only ? Count(only, body, depth + 1) : null,
        ILocalReferenceOperation local => Only(local.Local, body, count) is { } only ? Count(only, body, depth + 1) : null,
        _ => null,
    };

    /// <summary>The length of <c>x.Slice(0, n)</c>, <c>x.AsSpan(0, n)</c>, <c>x.AsMemory(0, n)</c>.</summary>
    private static IOperation? LengthOfSlice(IInvocationOperation slice)
    {
        if (slice.TargetMethod.Locations.Any(l => l.IsInSource))
        {
            return null;
        }

        var start = slice.Arguments.FirstOrDefault(a => a.Parameter?.Name == "start");
        var length = slice.Arguments.FirstOrDefault(a => a.Parameter?.Name == "length");
        return start?.Value.WalkDownConversions().ConstantValue.Value is 0 ? length?.Value : null;
    }

    /// <summary>The assignments of a member or local in the constructor's body (its initializer for a local), none in a lambda.</summary>
    private static List<(IOperation Store, IOperation Value)> StoresOf(ISymbol symbol, IOperation body)
    {
        var stores = new List<(IOperation, IOperation)>();
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IAssignmentOperation assignment when Same(assignment.Target, symbol):
                    stores.Add((assignment, assignment is ISimpleAssignmentOperation ? assignment.Value : assignment));
                    break;
                case IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, symbol):
                    stores.Add((declarator, initial));
                    break;
                case IIncrementOrDecrementOperation step when Same(step.Target, symbol):
                    stores.Add((step, step));
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when Same(argument.Value, symbol):
                    stores.Add((argument, argument));
                    break;
            }
        }

        return stores;
    }

    private static bool Same(IOperation target, ISymbol symbol) =>
        (OwnMember(target) ?? (target.WalkDownConversions() as ILocalReferenceOperation)?.Local ?? (ISymbol?)(target.WalkDownConversions() as IParameterReferenceOperation)?.Parameter) is { } written
        && SymbolEqualityComparer.Default.Equals(written, symbol);

    /// <summary>A field or property of the instance itself (<c>this.length</c>, <c>Memory</c>).</summary>
    private static ISymbol? OwnMember(IOperation? operation) => operation?.WalkDownConversions() switch
    {
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field => field.Field.OriginalDefinition,
        IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Arguments.Length: 0 } property => property.Property.OriginalDefinition,
        _ => null,
    };

    private static bool Unconditional(IOperation store, IConstructorBodyOperation body) =>
        store.Parent is IExpressionStatementOperation { Parent: IBlockOperation block } && block == body.BlockBody
        || (body.ExpressionBody is { } expression && store.Parent is IExpressionStatementOperation { Parent: var parent } && parent == expression);

    /// <summary>The value of the one store of a member or local, when it ends before <paramref name="use"/>.</summary>
    private static IOperation? Only(ISymbol symbol, IOperation body, IOperation use)
    {
        var stores = StoresOf(symbol, body);
        return stores.Count == 1 && stores[0].Store.Syntax.Span.End <= use.Syntax.SpanStart
            && (stores[0].Store is IVariableDeclaratorOperation || (body is IConstructorBodyOperation constructor && Unconditional(stores[0].Store, constructor)))
            ? stores[0].Value
            : null;
    }

    private static bool IsMemory(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Memory" or "ReadOnlyMemory", ContainingNamespace.Name: "System", Arity: 1 };
}
