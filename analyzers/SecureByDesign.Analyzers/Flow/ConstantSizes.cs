using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The length of a <c>static readonly</c> (or readonly) array field that is created with a constant size (a literal, or a
/// constant of its type by name) or initializer where it is declared. Read from syntax: the declaration may be in another tree.
/// </summary>
internal static class ConstantSizes
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IFieldSymbol, int?>> StoredSizes = new();

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IFieldSymbol, bool>> AllocatedFields = new();

    public static int? Of(IFieldSymbol field)
    {
        if (field.Type is not IArrayTypeSymbol { Rank: 1 })
        {
            return null;
        }

        return Operations.DeclaredInitializer(field) switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.Count,
            ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks } when ranks[0].Sizes.Count == 1 && Size(field, ranks[0].Sizes[0]) is { } length => length,
            ImplicitArrayCreationExpressionSyntax creation => creation.Initializer.Expressions.Count,
            InitializerExpressionSyntax initializer => initializer.Expressions.Count,
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) => collection.Elements.Count,
            _ => null,
        };
    }

    /// <summary>A literal size, or a constant of the field's own type named by itself (<c>new int[TableSize]</c>).</summary>
    private static int? Size(IFieldSymbol field, ExpressionSyntax size) => size switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression) && literal.Token.Value is int length => length,
        IdentifierNameSyntax name => field.ContainingType.GetMembers(name.Identifier.ValueText).OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.IsConst && f.ConstantValue is int)?.ConstantValue is int named && named >= 0 ? named : null,
        _ => null,
    };

    /// <summary>
    /// The length of a private array field that every store in its type's own code gives the same constant length: its
    /// initializer and each assignment are <c>new byte[Size]</c>, an initializer list, or a catalogued allocation of
    /// exactly its count (<c>derive.GetBytes(VerifierLength)</c>); <c>null</c> stores aside. Null when any store is
    /// something else, or the field is passed by <c>ref</c> or <c>out</c>, or assigned through a tuple. Cached per compilation.
    /// </summary>
    public static int? Stored(IFieldSymbol field, Compilation compilation)
    {
        if (field.Type is not IArrayTypeSymbol { Rank: 1 } || field.DeclaredAccessibility != Accessibility.Private)
        {
            return null;
        }

        return StoredSizes.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(field.OriginalDefinition, f => StoredUncached(f, compilation));
    }

    private static int? StoredUncached(IFieldSymbol field, Compilation compilation)
    {
        int? length = null;
        var sizes = Stores(field, compilation, (stored, model) => LengthOf(stored, model, compilation) is { } size && (length is null || length == size) ? length = size : null);
        return sizes ? length : null;
    }

    /// <summary>
    /// True for a private array field that the type's own code only ever sets to an array it creates with a size the
    /// content does not give: a constant, a constructor's parameter (the engine holds parameters trusted, and judges a
    /// content size at the call that passes it), or arithmetic of them (<c>new byte[bufferSize]</c>, <c>new byte[1024 * 8]</c>),
    /// or to what a method of the compilation returns that creates an array of exactly one parameter's length
    /// (<paramref name="lengthParameter"/>, from its summary) given such a size (<c>buffer = Decode(count)</c>). Its
    /// length is the program's, however untrusted the elements a stream fills it with are. Cached per compilation.
    /// </summary>
    public static bool Allocated(IFieldSymbol field, Compilation compilation, Func<IMethodSymbol, int?> lengthParameter) =>
        field.Type is IArrayTypeSymbol { Rank: 1 } && field.DeclaredAccessibility == Accessibility.Private
        && AllocatedFields.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(
            field.OriginalDefinition, f => Stores(f, compilation, (stored, model) => ProgramSized(stored, model, lengthParameter) ? 0 : null));

    /// <summary>
    /// Walks every store of a private field in its type's declarations (its initializer, assignments, and a ref, out or
    /// tuple use, which stores something not in sight); false as soon as <paramref name="judge"/> rejects one (returns
    /// null). <c>null</c> stores are skipped.
    /// </summary>
    private static bool Stores(IFieldSymbol field, Compilation compilation, Func<ExpressionSyntax, SemanticModel, int?> judge)
    {
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            if (!compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                return false;
            }

            SemanticModel? model = null;
            foreach (var node in declaration.DescendantNodes())
            {
                var stored = node switch
                {
                    VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator when declarator.Identifier.ValueText == field.Name => initial,
                    IdentifierNameSyntax name when name.Identifier.ValueText == field.Name => Store(name),
                    _ => null,
                };
                if (stored is null)
                {
                    continue;
                }

#pragma warning disable RS1030 // A field's stores are read once per compilation.
                model ??= compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
                var symbol = node is VariableDeclaratorSyntax declared ? model.GetDeclaredSymbol(declared) : model.GetSymbolInfo(node).Symbol;
                if (!SymbolEqualityComparer.Default.Equals(symbol?.OriginalDefinition, field)
                    || (stored is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.NullLiteralExpression)))
                {
                    continue;
                }

                if (judge(stored, model) is null)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>An array the code creates with a size made of constants and parameters only.</summary>
    private static bool ProgramSized(ExpressionSyntax value, SemanticModel model, Func<IMethodSymbol, int?> lengthParameter) => value switch
    {
        ArrayCreationExpressionSyntax { Initializer: not null } or ImplicitArrayCreationExpressionSyntax or InitializerExpressionSyntax => true,
        ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks } when ranks[0].Sizes.Count == 1 => OfProgram(ranks[0].Sizes[0], model),
        InvocationExpressionSyntax call when model.GetOperation(call) is Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation
            && lengthParameter(invocation.TargetMethod) is { } ordinal =>
            invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value.Syntax is ExpressionSyntax size && OfProgram(size, model),
        ParenthesizedExpressionSyntax parenthesized => ProgramSized(parenthesized.Expression, model, lengthParameter),
        // Array.Empty<byte>(): no elements, the program's choice.
        InvocationExpressionSyntax empty when model.GetSymbolInfo(empty).Symbol is IMethodSymbol { Name: "Empty", ContainingType.SpecialType: SpecialType.System_Array } => true,
        _ => false,
    };

    private static bool OfProgram(ExpressionSyntax size, SemanticModel model) =>
        model.GetConstantValue(size).HasValue || size switch
        {
            IdentifierNameSyntax name => model.GetSymbolInfo(name).Symbol is IParameterSymbol { RefKind: RefKind.None, ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } parameter
                && !Annotations.IsUntrustedParameter(parameter),
            ParenthesizedExpressionSyntax parenthesized => OfProgram(parenthesized.Expression, model),
            CastExpressionSyntax cast => OfProgram(cast.Expression, model),
            BinaryExpressionSyntax binary => OfProgram(binary.Left, model) && OfProgram(binary.Right, model),
            // new byte[Math.Max(MinimumBufferSize, bufferSize)]: the larger (or smaller) of two sizes of the program's.
            InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 2 } arguments } call
                when model.GetSymbolInfo(call).Symbol is IMethodSymbol { Name: "Max" or "Min", ContainingType: { Name: "Math", ContainingNamespace.Name: "System" } } =>
                OfProgram(arguments[0].Expression, model) && OfProgram(arguments[1].Expression, model),
            _ => false,
        };

    /// <summary>
    /// What a reference of the field stores into it: the assigned value, or the reference itself when it is written in a
    /// way whose length is not in sight (ref, out, a tuple, a deconstruction); null for a read or an element write.
    /// </summary>
    private static ExpressionSyntax? Store(IdentifierNameSyntax name)
    {
        ExpressionSyntax reference = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        return reference.Parent switch
        {
            AssignmentExpressionSyntax assignment when assignment.Left == reference => assignment.Right,
            ArgumentSyntax { RefKindKeyword.RawKind: not 0 } => reference,
            ArgumentSyntax { Parent: TupleExpressionSyntax } => reference,
            RefExpressionSyntax => reference,
            _ => null,
        };
    }

    private static int? LengthOf(ExpressionSyntax value, SemanticModel model, Compilation compilation) => value switch
    {
        ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.Count,
        ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks } when ranks[0].Sizes.Count == 1 => Constant(ranks[0].Sizes[0], model),
        ImplicitArrayCreationExpressionSyntax creation => creation.Initializer.Expressions.Count,
        InitializerExpressionSyntax initializer => initializer.Expressions.Count,
        CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) => collection.Elements.Count,
        InvocationExpressionSyntax call when model.GetSymbolInfo(call).Symbol is IMethodSymbol method
            && TrustModel.For(compilation).Find(method, TrustRole.Allocate) is { Exact: true } entry =>
            call.ArgumentList.Arguments.Select(a => (Argument: a, Parameter: model.GetOperation(a) is Microsoft.CodeAnalysis.Operations.IArgumentOperation op ? op.Parameter : null))
                .FirstOrDefault(a => entry.Size is { } named ? a.Parameter?.Name == named : a.Parameter?.Type.SpecialType == SpecialType.System_Int32).Argument is { } size
                ? Constant(size.Expression, model)
                : null,
        ParenthesizedExpressionSyntax parenthesized => LengthOf(parenthesized.Expression, model, compilation),
        _ => null,
    };

    private static int? Constant(ExpressionSyntax size, SemanticModel model) =>
        model.GetConstantValue(size) is { HasValue: true, Value: int length } && length >= 0 ? length : null;
}
