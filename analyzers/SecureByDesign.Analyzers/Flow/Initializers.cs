using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The one value a local, a field or a get-only property holds, as an operation: its initializer, when nothing in sight
/// says it holds another value (a field: assignments elsewhere in the program are not searched, the declaration is the
/// best evidence; a get-only property; a local or constant that nothing in its body assigns again by assignment,
/// compound assignment, <c>++</c>/<c>--</c> or <c>ref</c>/<c>out</c> argument). The only place that finds a variable's value. The control
/// flow graph's operations have no semantic model of their own: the method's model answers when the declaration is in
/// its tree, and the compilation makes one otherwise.
/// </summary>
internal static class Initializers
{
    /// <summary>Per body: the locals it assigns again (<see cref="Reassigned"/>), found in one walk and kept for every later question.</summary>
    private static readonly PerBody<Reassigned> Written = new(root => new Reassigned(root));

    public static IOperation? ValueOf(ISymbol symbol, Compilation? compilation, SemanticModel? model = null)
    {
        compilation ??= model?.Compilation;
        if (compilation is null || Operations.DeclaredInitializer(symbol) is not { } syntax || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

        // ref byte start = ref MemoryMarshal.GetReference(span): the local is the location referred to.
        syntax = syntax is RefExpressionSyntax reference ? reference.Expression : syntax;

        // The operation comes from the semantic model, so its root is the whole body: where a local's assignments are.
#pragma warning disable RS1030 // Only for a declaration in another tree than the analyzed method's.
        var value = (model is not null && model.SyntaxTree == syntax.SyntaxTree ? model : compilation.GetSemanticModel(syntax.SyntaxTree)).GetOperation(syntax);
#pragma warning restore RS1030
        return value is not null && HoldsOnly(symbol, value) ? value : null;
    }

    /// <summary>The same, for a reference from a semantic model (an operation action's): its model answers.</summary>
    public static IOperation? ValueOf(ISymbol symbol, IOperation reference) => ValueOf(symbol, null, reference.SemanticModel);

    private static bool HoldsOnly(ISymbol symbol, IOperation value) => symbol switch
    {
        IFieldSymbol => true,
        IPropertySymbol property => property.SetMethod is null,
        ILocalSymbol local => local.IsConst || !IsReassigned(local, value.Root()),
        _ => false,
    };

    private static bool IsReassigned(ILocalSymbol local, IOperation root)
    {
        var written = Written.Of(root);
        return (local.RefKind == RefKind.None ? written.Values : written.References).Contains(local);
    }

    /// <summary>
    /// The locals a body gives another value: by assignment, compound assignment, <c>++</c>/<c>--</c> or a <c>ref</c>/<c>out</c>
    /// argument (<see cref="Values"/>); and the ref locals it points elsewhere by a ref assignment (<see cref="References"/>),
    /// since a write through a ref local, or passing it by ref, keeps the location it refers to.
    /// </summary>
    private sealed class Reassigned
    {
        public Reassigned(IOperation root)
        {
            foreach (var operation in root.Descendants())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { IsRef: true } assignment:
                        Add(References, assignment.Target);
                        Add(Values, assignment.Target);
                        break;
                    case IAssignmentOperation assignment:
                        Add(Values, assignment.Target);
                        break;
                    case IIncrementOrDecrementOperation step:
                        Add(Values, step.Target);
                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                        Add(Values, argument.Value);
                        break;
                }
            }
        }

        public HashSet<ILocalSymbol> Values { get; } = new(SymbolEqualityComparer.Default);

        public HashSet<ILocalSymbol> References { get; } = new(SymbolEqualityComparer.Default);

        private static void Add(HashSet<ILocalSymbol> set, IOperation target)
        {
            if (target is ILocalReferenceOperation { IsDeclaration: false } reference)
            {
                set.Add(reference.Local);
            }
        }
    }
}
