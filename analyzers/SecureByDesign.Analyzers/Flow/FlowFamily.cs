using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// One rule family's use of the engine: what makes a method worth a graph for it, and what it looks at in the solved
/// states. The engine solves each method once for every family of the compilation (<see cref="CompilationFlow"/>).
/// </summary>
internal sealed class FlowFamily
{
    /// <param name="name">The family, as the timing events name it (the analyzer's type name).</param>
    /// <param name="needs">The operations the family inspects: a method body with none of them is skipped for it; null: any body.</param>
    /// <param name="alsoInteresting">Operations that make a body worth a graph even when nothing untrusted is in sight.</param>
    /// <param name="inspector">
    /// Per method (so a family can keep per-method state, such as what it already reported), the callback that sees
    /// every operation with the facts that hold before its statement, and reports through the action it is given.
    /// </param>
    public FlowFamily(string name, Func<IOperation, bool>? needs, Func<IOperation, bool>? alsoInteresting, Func<Action<Diagnostic>, Action<IOperation, FlowState, FlowContext>> inspector)
    {
        Name = name;
        Needs = needs;
        AlsoInteresting = alsoInteresting;
        Inspector = inspector;
    }

    public string Name { get; }

    /// <summary>
    /// The family needs two tests of the same flag or pure property related (<see cref="Truths"/>): the engine records
    /// their truths in the methods it solves for this family only.
    /// </summary>
    public bool RelatesTests { get; init; }

    public Func<IOperation, bool>? Needs { get; }

    public Func<IOperation, bool>? AlsoInteresting { get; }

    public Func<Action<Diagnostic>, Action<IOperation, FlowState, FlowContext>> Inspector { get; }
}
