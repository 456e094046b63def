using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The dataflow engine: a forward analysis over Roslyn's control flow graph that refines facts on each
/// branch's condition, joins them where paths merge, widens them on loops, and stops on a budget. Rules do
/// not run it themselves: they hand it a callback that sees every operation with the facts that hold
/// before its statement, on every path.
/// </summary>
internal static class FlowEngine
{
    private const int VisitsBeforeWidening = 3;

    /// <summary>Facts a state may hold before a block visit costs more than one unit of the budget.</summary>
    private const int FactsPerVisit = 64;


    /// <summary>
    /// Analyzes a graph and, when the budget allows, calls <paramref name="inspect"/> for every operation of every
    /// reachable block, then does the same for the graph's local functions and lambdas. When the budget runs out
    /// it stops and returns false: a graph that was not solved gets no callbacks (what was inspected before, in
    /// graphs that were solved, stands).
    /// </summary>
    /// <summary>The state when the graph returns normally (null when nothing returns, or the budget ran out): what a constructor leaves in its fields.</summary>
    public static FlowState? ExitState(ControlFlowGraph graph, FlowState entry, FlowContext context)
    {
        context.AddCaptures(graph);
        return Solve(graph, entry, context) is { } states ? states[graph.Blocks[graph.Blocks.Length - 1].Ordinal] : null;
    }

    public static bool Run(ControlFlowGraph graph, FlowState entry, FlowContext context, Action<IOperation, FlowState> inspect)
    {
        context.AddCaptures(graph);
        var states = Solve(graph, entry, context);
        if (states is null)
        {
            return false;
        }

        var nested = new List<(IFlowAnonymousFunctionOperation Lambda, FlowState State)>();
        foreach (var block in graph.Blocks)
        {
            if (states[block.Ordinal] is not { } state)
            {
                continue;
            }

            // As in the solve, the block's statements change one copy of its state in place; the callbacks see it frozen
            // (a change they make copies), and a lambda that keeps it makes the next statement copy again.
            var published = state;
            foreach (var operation in block.Operations)
            {
                var lambdas = nested.Count;
                Visit(operation, state.Freeze(), inspect, nested);
                if (nested.Count > lambdas)
                {
                    published = state;
                }

                state = Transfer.Apply(operation, state.Claim(published), context);
            }

            if (block.BranchValue is { } branch)
            {
                Visit(branch, state.Freeze(), inspect, nested);
            }
        }

        // A local function can be called from anywhere in its method: it starts from what holds anywhere (the join of every block's entry).
        // Only when there is one, and without the method's temporaries, which a local function cannot see: joined in, the
        // temporaries of every block would make each join as long as the method.
        var anywhere = graph.LocalFunctions.IsEmpty
            ? entry
            : states.Where(s => s is not null).Aggregate(entry, (joined, s) => joined.Join(s!.WithoutCaptures(), context));
        foreach (var localFunction in graph.LocalFunctions)
        {
            if (!Run(graph.GetLocalFunctionControlFlowGraph(localFunction, context.CancellationToken), anywhere, context, inspect))
            {
                return false;
            }
        }

        foreach (var (lambda, state) in nested)
        {
            if (!Run(graph.GetAnonymousFunctionControlFlowGraph(lambda, context.CancellationToken), state, context, inspect))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The state at the entry of every block (null for unreachable ones), or null when the budget ran out.</summary>
    private static FlowState?[]? Solve(ControlFlowGraph graph, FlowState entry, FlowContext context)
    {
        var blocks = graph.Blocks;
        var input = new FlowState?[blocks.Length];
        // Counted per back edge: a loop whose body ends in several branches to its head (kind == A, kind == B, kind ==
        // C of a check that throws otherwise) comes back along each of them in one pass, and must not widen in the first.
        var visits = new Dictionary<(int Source, int Target), int>();
        var work = new SortedSet<int>();

        void Propagate(int source, int target, FlowState state)
        {
            // Every edge followed costs budget too: a block deep in nested trys reaches hundreds of handlers per visit.
            context.Budget--;
            var previous = input[target];
            var next = previous is null ? state : previous.Join(state, context);

            // Widen only where a loop comes back (blocks are in source order, so a back edge goes up):
            // elsewhere the bounds a condition just proved must survive.
            if (previous is not null && target <= source && Visit(source, target) > VisitsBeforeWidening)
            {
                next = previous.Widen(next);
            }

            if (previous is null || !next.SameAs(previous))
            {
                input[target] = next;
                work.Add(target);
            }
        }

        int Visit(int source, int target)
        {
            visits.TryGetValue((source, target), out var count);
            return visits[(source, target)] = count + 1;
        }

        void Follow(int source, ControlFlowBranch? branch, FlowState state)
        {
            if (branch is null)
            {
                return;
            }

            // The temporaries of the regions the branch leaves are dead: dropping them keeps the facts as many as the
            // live values, not as many as the method has temporaries. A state the block or the branch's refinement made
            // is held by nothing else yet (the engine claimed it): dropped in place, then frozen before any target keeps it.
            foreach (var region in branch.LeavingRegions)
            {
                state = state.Forget(region.CaptureIds);
            }

            state = state.Freeze();

            // Leaving a try through a finally runs the finally: its blocks start from this state.
            foreach (var region in branch.FinallyRegions)
            {
                Propagate(source, region.FirstBlockOrdinal, state);
            }

            if (branch.Destination is { } destination)
            {
                Propagate(source, destination.Ordinal, state);
            }
        }

        input[0] = entry;
        work.Add(0);
        while (work.Count > 0)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var ordinal = work.Min;
            work.Remove(ordinal);
            var block = blocks[ordinal];
            var state = input[ordinal]!;

            // A visit costs more when the state is large (each assignment and join walks the facts): hundreds of live
            // values make a method stop sooner instead of growing with the square of its size.
            context.Budget -= 1 + (state.Facts.Count / FactsPerVisit);
            if (context.Budget < 0)
            {
                return null;
            }

            // An exception can leave any block of a try: its handlers start from what holds at the block's entry.
            foreach (var handler in Handlers(block))
            {
                Propagate(ordinal, handler, state);
            }

            // The block's statements change one copy of its state in place (made on the first change), frozen before
            // the branches refine it two ways and the successors keep it.
            var published = state;
            foreach (var operation in block.Operations)
            {
                state = Transfer.Apply(operation, state, context).Claim(published);
            }

            if (block.BranchValue is { } condition && block.ConditionKind != ControlFlowConditionKind.None)
            {
                // The condition runs before the branch: TryParse(s, out n), (line = reader.ReadLine()) != null.
                state = Transfer.Apply(condition, state, context).Freeze();
                var whenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                // Refined two ways: each way's first change copies the state, and its later changes are made in that copy.
                state.Branching(true);
                var whenCondition = Conditions.Refine(condition, whenTrue, state, context);
                var otherwise = Conditions.Refine(condition, !whenTrue, state, context);
                state.Branching(false);
                Follow(ordinal, block.ConditionalSuccessor, whenCondition.Claim(state));
                Follow(ordinal, block.FallThroughSuccessor, otherwise.Claim(state));
            }
            else
            {
                if (block.BranchValue is { } value)
                {
                    state = Transfer.Apply(value, state, context).Claim(published);
                }
                else if (NeverReturning.Ends(block, context.Compilation))
                {
                    continue; // ThrowHelper.ThrowInvalid(...): the path ends here, as at a throw.
                }

                Follow(ordinal, block.FallThroughSuccessor, state);
            }
        }

        return input;
    }

    private static IEnumerable<int> Handlers(BasicBlock block) => InTry(block) ? HandlersOf(block) : Array.Empty<int>();

    /// <summary>Whether the block lies in a try at all: most do not, and they need no walk of the handlers.</summary>
    private static bool InTry(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null && region.Kind != ControlFlowRegionKind.Root; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Try)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<int> HandlersOf(BasicBlock block)
    {
        // Up to the graph's own root: the root of a lambda's or local function's graph is enclosed in regions of the
        // method's graph, whose handlers are blocks of that other graph.
        for (var region = block.EnclosingRegion; region is not null && region.Kind != ControlFlowRegionKind.Root; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryAndHandlers)
            {
                continue;
            }

            foreach (var sibling in tryAndHandlers.NestedRegions)
            {
                if (sibling.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    yield return sibling.FirstBlockOrdinal;
                }
            }
        }
    }

    private static void Visit(IOperation operation, FlowState state, Action<IOperation, FlowState> inspect, List<(IFlowAnonymousFunctionOperation, FlowState)> nested)
    {
        if (operation is IFlowAnonymousFunctionOperation lambda)
        {
            nested.Add((lambda, state));
            return;
        }

        inspect(operation, state);
        foreach (var child in operation.ChildOperations)
        {
            Visit(child, state, inspect, nested);
        }
    }
}
