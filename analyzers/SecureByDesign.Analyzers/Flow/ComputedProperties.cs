using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What a property's getter computes, when the getter is one expression of the compilation (<c>=&gt; 2 &lt;&lt; (Packed &amp; 7)</c>,
/// or a block that only returns one): the range it is proven to lie in, whatever the instance holds, and the length of
/// the buffer it returns or views. A field or property of the instance counts for its type's whole range (a field
/// read would be no better), a constant for itself, and a buffer field for its constant length (<see cref="ConstantSizes"/>);
/// the operators, <c>Math.Min</c>/<c>Max</c>/<c>Clamp</c>, and the views <c>MemoryMarshal.CreateSpan(ref first, Size)</c>,
/// <c>buffer.AsSpan()</c> and <c>new Span&lt;T&gt;(buffer)</c> keep what is known. The value stays as untrusted as the
/// instance it is read from: only its bounds are added. Null when nothing better than the type's range is known.
/// Virtual and abstract getters are not read (another implementation may compute anything). Cached per compilation.
/// </summary>
internal static class ComputedProperties
{
    private const int MaxDepth = 4;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IPropertySymbol, ValueFact?>> Cache = new();

    public static ValueFact? Of(IPropertySymbol property, Compilation compilation) =>
        Readable(property)
            ? Cache.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(property.OriginalDefinition, p => Computed(p, compilation, 0))
            : null;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IPropertySymbol, IOperation?>> Conditions = new();

    /// <summary>
    /// The test a <c>bool</c> getter of one expression makes of its own instance (<c>IsEmpty =&gt; this.data.Length == 0</c>):
    /// a comparison, a negation or a <c>&amp;&amp;</c>/<c>||</c> of them, that reads no other <c>bool</c> property (one level
    /// only). Null for any other getter. Cached per compilation.
    /// </summary>
    public static IOperation? Condition(IPropertySymbol property, Compilation compilation) =>
        property.Type.SpecialType == SpecialType.System_Boolean && Readable(property)
            ? Conditions.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(property.OriginalDefinition, p => Returned(p, compilation) is { } test && IsPlainTest(test) ? test : null)
            : null;

    private static bool IsPlainTest(IOperation test) => test.WalkDownConversions() switch
    {
        IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation => IsPlainTest(negation.Operand),
        IPropertyReferenceOperation { Property.Name: "IsEmpty", Instance: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } } => true,
        IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical => IsPlainTest(logical.LeftOperand) && IsPlainTest(logical.RightOperand),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } comparison =>
            !comparison.DescendantsAndSelf().Any(o => o is IPropertyReferenceOperation { Type.SpecialType: SpecialType.System_Boolean } or IInvocationOperation),
        _ => false,
    };

    private static bool Readable(IPropertySymbol property) =>
        !property.IsIndexer && !property.IsAbstract && !property.ReturnsByRef && !property.ReturnsByRefReadonly
        && (!(property.IsVirtual || property.IsOverride) || property.IsSealed || property.ContainingType.IsSealed)
        && property.GetMethod is { DeclaringSyntaxReferences.IsEmpty: false };

    private static ValueFact? Computed(IPropertySymbol property, Compilation compilation, int depth)
    {
        if (depth > MaxDepth || Returned(property, compilation) is not { } returned)
        {
            return null;
        }

        var fact = Evaluator.Typed(Eval(returned, property.ContainingType, compilation, depth), property.Type);
        var typeRange = Evaluator.Typed(ValueFact.Unknown, property.Type);
        return fact.ConstantLength is not null || fact.Lower != typeRange.Lower || fact.Upper != typeRange.Upper ? fact : null;
    }

    /// <summary>The one expression the getter returns: an expression body, or a block whose only statement returns it.</summary>
    private static IOperation? Returned(IPropertySymbol property, Compilation compilation)
    {
        var syntax = property.GetMethod!.DeclaringSyntaxReferences[0].GetSyntax();
        ExpressionSyntax? expression = syntax switch
        {
            ArrowExpressionClauseSyntax arrow => arrow.Expression,
            AccessorDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            AccessorDeclarationSyntax { Body.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } value } => value,
            _ => null,
        };
        if (expression is null || !compilation.ContainsSyntaxTree(expression.SyntaxTree))
        {
            return null;
        }

#pragma warning disable RS1030 // A getter's body is read once per compilation.
        return compilation.GetSemanticModel(expression.SyntaxTree).GetOperation(expression);
#pragma warning restore RS1030
    }

    private static ValueFact Eval(IOperation? operation, INamedTypeSymbol owner, Compilation compilation, int depth)
    {
        if (operation is null)
        {
            return ValueFact.Unknown;
        }

        if (operation.ConstantValue is { HasValue: true, Value: { } constant } && Evaluator.TryGetInteger(constant, out var number))
        {
            return ValueFact.Constant(number);
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return Evaluator.Convert(Eval(conversion.Operand, owner, compilation, depth), conversion.Operand.Type, conversion.Type);
            case IParenthesizedOperation parenthesized:
                return Eval(parenthesized.Operand, owner, compilation, depth);
            case IBinaryOperation binary:
                return Arithmetic.Binary(binary.OperatorKind, Eval(binary.LeftOperand, owner, compilation, depth), Eval(binary.RightOperand, owner, compilation, depth), binary.Type, binary.IsChecked);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return Eval(conditional.WhenTrue, owner, compilation, depth).Join(Eval(whenFalse, owner, compilation, depth));
            case IFieldReferenceOperation { Field: var field } when Own(field, owner):
                // A private field's every store is in sight; a read-only one of another kind has its initializer's length.
                var sized = field.DeclaredAccessibility == Accessibility.Private ? ConstantSizes.Stored(field, compilation) : field.IsReadOnly ? ConstantSizes.Of(field) : null;
                return sized is { } stored
                    ? ValueFact.Buffer(stored)
                    : Evaluator.Typed(ValueFact.Unknown, field.Type);
            case IPropertyReferenceOperation { Property: var read } when Own(read, owner) && Readable(read):
                return Computed(read.OriginalDefinition, compilation, depth + 1) ?? Evaluator.Typed(ValueFact.Unknown, read.Type);
            case IInvocationOperation { TargetMethod: { ContainingType.Name: "Math" } math } invocation when invocation.Arguments.Length >= 2:
                var values = invocation.Arguments.Select(a => Eval(a.Value, owner, compilation, depth)).ToList();
                return math.Name switch
                {
                    "Min" => Arithmetic.Min(values[0], values[1]),
                    "Max" => Arithmetic.Max(values[0], values[1]),
                    "Clamp" when values.Count == 3 => Arithmetic.Min(Arithmetic.Max(values[0], values[1]), values[2]),
                    _ => Evaluator.Typed(ValueFact.Unknown, operation.Type),
                };
            case IInvocationOperation { TargetMethod: { Name: "CreateSpan" or "CreateReadOnlySpan", ContainingType.Name: "MemoryMarshal" } } create
                when create.Arguments.FirstOrDefault(a => a.Parameter?.Name == "length") is { } viewed:
                // MemoryMarshal.CreateSpan(ref this.scratch[0], Size): a view of Size elements, whatever they hold.
                return Eval(viewed.Value, owner, compilation, depth) is { Lower: { } size, Upper: { } same } && size == same && size is >= 0 and <= int.MaxValue
                    ? ValueFact.Buffer((int)size)
                    : ValueFact.Unknown;
            case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } whole when whole.Arguments.Length == 1 && IsView(whole.Type):
                // buffer.AsSpan(): all of the buffer.
                return Sized(Eval(whole.Arguments[0].Value, owner, compilation, depth));
            case IObjectCreationOperation { Constructor.ContainingType: var view, Arguments.Length: 1 } created when IsView(view):
                return Sized(Eval(created.Arguments[0].Value, owner, compilation, depth));
            default:
                return Evaluator.Typed(ValueFact.Unknown, operation.Type);
        }
    }

    private static ValueFact Sized(ValueFact buffer) => buffer.ConstantLength is { } length ? ValueFact.Buffer(length) : ValueFact.Unknown;

    private static bool IsView(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory", ContainingNamespace.Name: "System" };

    /// <summary>A member of the type itself, or of a type it is nested in or derives from (read through <c>this</c>, or static).</summary>
    private static bool Own(ISymbol member, INamedTypeSymbol owner)
    {
        for (INamedTypeSymbol? type = owner; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }
}
