using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>var buffer = new byte[4096]; stream.Read(buffer, 0, buffer.Length)</c>: an array a method creates in a local has
/// the length it was created with, however untrusted the elements a read fills it with. Its <c>Length</c> is as
/// untrusted as that size, not as its elements: a read count bounded by it, and a position stepped by such counts,
/// stay the program's. Only for a local nothing assigns again (or declared with no initializer and assigned once),
/// created with one size whose locals nothing assigns again either (and whose parameters the method never assigns),
/// so that the size evaluated now is the one the array was created with.
/// </summary>
internal static class LocalBuffers
{
    /// <summary>True when the instance is such a local and its size is trusted.</summary>
    public static bool ProgramSized(IOperation? instance, FlowState state, FlowContext context, int depth) =>
        (Verification.Initial(instance, context.Model) ?? OnlyStore(instance, context.Model)) is IArrayCreationOperation { DimensionSizes.Length: 1 } creation
        && Unchanged(creation.DimensionSizes[0], context.Model)
        && !Evaluator.Eval(creation.DimensionSizes[0], state, context, depth + 1).Untrusted;

    /// <summary>
    /// <c>byte[] bitmap; ... bitmap = new byte[stream.Length];</c>: the value of a local declared with no initializer and
    /// assigned once in its scope (and never passed by <c>ref</c> or <c>out</c>), as an operation; null otherwise.
    /// </summary>
    private static IOperation? OnlyStore(IOperation? instance, SemanticModel? model)
    {
        if (instance?.WalkDownConversions() is not ILocalReferenceOperation { Local: var local }
            || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer: null } declarator
            || declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } scope
            || model is null || model.SyntaxTree != scope.SyntaxTree)
        {
            return null;
        }

        ExpressionSyntax? stored = null;
        foreach (var name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != local.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local))
            {
                continue;
            }

            switch (name.Parent)
            {
                case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment when assignment.Left == name && stored is null:
                    stored = assignment.Right;
                    break;
                case AssignmentExpressionSyntax assignment when assignment.Left == name:
                case ArgumentSyntax { RefKindKeyword.RawKind: not 0 }:
                case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                case RefExpressionSyntax:
                case TupleExpressionSyntax or ArgumentSyntax { Parent: TupleExpressionSyntax }:
                    return null;
            }
        }

        return stored is null ? null : model.GetOperation(stored)?.WalkDownConversions();
    }

    /// <summary>A local declared with <c>new T[size]</c>, and the size as written.</summary>
    internal sealed record SizedLocal(ILocalSymbol Array, ExpressionSyntax Size);

    /// <summary>
    /// <c>var offsets = new int[(int)trailer.Count]; for (var i = 0; i &lt; (int)trailer.Count; i++) offsets[i] = ...</c>:
    /// a bound written as the very size a local array was created with (before it, in the same member) is that array's
    /// length, when what the size reads cannot change in between: locals that hold only their initializer, parameters
    /// the method never assigns, constants, arrays' lengths, read-only fields and get-only or init-only auto-properties of classes or
    /// read-only structs, through conversions and arithmetic; no call. Such a size need not be a variable the engine
    /// tracks (a narrowing cast of a long, a property of a record), so the relation is found from the bound's syntax. An
    /// untrusted size nothing caps relates as an allocation does (an index below it fits; a loop up to it is still the
    /// content's). Where the array is assigned again, the state drops the relation, as for any length.
    /// </summary>
    public static ValueFact SizedBy(IOperation bound, ValueFact fact, FlowContext context)
    {
        if (bound is ILocalReferenceOperation or IParameterReferenceOperation or ILiteralOperation
            || bound.Syntax is not ExpressionSyntax written || context.Model is not { } model || model.SyntaxTree != written.SyntaxTree
            || written.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member)
        {
            return fact;
        }

        if (!context.SizedLocals.TryGetValue(member, out var sized))
        {
            context.SizedLocals[member] = sized = SizedLocals(member, model);
        }

        foreach (var local in sized)
        {
            if (local.Size.Span.End < written.SpanStart && SyntaxFactory.AreEquivalent(local.Size, written)
                && Initializers.ValueOf(local.Array, null, model) is not null
                && model.GetOperation(local.Size) is { } size && Stable(size, model, Constructing(member)))
            {
                var uncapped = fact.Untrusted && !fact.AtMostLength.Contains(FlowKey.Capped) && !(fact.Upper <= context.Options.MaxAllocation);
                fact = fact.AtMost(uncapped ? new FlowKey.Allocated(local.Array) : local.Array);
            }
        }

        return fact;
    }

    private static List<SizedLocal> SizedLocals(MemberDeclarationSyntax member, SemanticModel model)
    {
        var found = new List<SizedLocal>();
        foreach (var declarator in member.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (declarator.Initializer?.Value is ArrayCreationExpressionSyntax { Type.RankSpecifiers.Count: 1, Initializer: null } creation
                && creation.Type.RankSpecifiers[0].Sizes is { Count: 1 } sizes && sizes[0] is var size
                && size is not (IdentifierNameSyntax or LiteralExpressionSyntax or OmittedArraySizeExpressionSyntax)
                && model.GetDeclaredSymbol(declarator) is ILocalSymbol local)
            {
                found.Add(new SizedLocal(local, size));
            }
        }

        return found;
    }

    /// <summary>
    /// The size reads only what holds one value for the whole method (see <see cref="SizedBy"/>). A constructor or an
    /// <c>init</c> accessor may still assign the read-only members of the instance (or type) it makes.
    /// </summary>
    private static bool Stable(IOperation size, SemanticModel model, bool constructing)
    {
        foreach (var operation in size.DescendantsAndSelf())
        {
            var stable = operation switch
            {
                ILiteralOperation or IConversionOperation or IParenthesizedOperation or IBinaryOperation or IUnaryOperation or IInstanceReferenceOperation => true,
                ILocalReferenceOperation or IParameterReferenceOperation => Unchanged(operation, model),
                IFieldReferenceOperation field => field.Field.IsConst
                    || field.Field.IsReadOnly && Unmutated(field.Field.ContainingType) && !(constructing && field.Instance is null or IInstanceReferenceOperation),
                IPropertyReferenceOperation { Property.Name: "Length" or "LongLength", Instance.Type: IArrayTypeSymbol } => true,
                IPropertyReferenceOperation property => FlowKey.IsStoredOnce(property.Property) && Unmutated(property.Property.ContainingType)
                    && !(constructing && property.Instance is null or IInstanceReferenceOperation),
                _ => false,
            };
            if (!stable)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Constructing(MemberDeclarationSyntax member) =>
        member is ConstructorDeclarationSyntax
        || member is BasePropertyDeclarationSyntax { AccessorList: { } accessors } && accessors.Accessors.Any(a => a.IsKind(SyntaxKind.InitAccessorDeclaration));

    /// <summary>A class, or a read-only struct: nothing but a constructor writes a read-only member of it (a struct's method may assign <c>this</c>).</summary>
    private static bool Unmutated(INamedTypeSymbol? type) => type is { IsReferenceType: true } or { IsValueType: true, IsReadOnly: true };

    /// <summary>Every local the size reads holds only its initializer, and every parameter it reads is never assigned.</summary>
    private static bool Unchanged(IOperation size, SemanticModel? model)
    {
        foreach (var operation in size.DescendantsAndSelf())
        {
            switch (operation)
            {
                case ILocalReferenceOperation local when !local.Local.IsConst && Initializers.ValueOf(local.Local, null, size.SemanticModel ?? model) is null:
                case IParameterReferenceOperation parameter when parameter.Parameter.RefKind != RefKind.None || Assigned(parameter.Parameter, size.Root()):
                    return false;
            }
        }

        return true;
    }

    private static bool Assigned(IParameterSymbol parameter, IOperation root) =>
        root.Descendants().Any(operation => operation switch
        {
            IAssignmentOperation { Target: IParameterReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Parameter, parameter),
            IIncrementOrDecrementOperation { Target: IParameterReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Parameter, parameter),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } => SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter),
            _ => false,
        });
}
