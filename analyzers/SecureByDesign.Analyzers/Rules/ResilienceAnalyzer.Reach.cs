using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

public sealed partial class ResilienceAnalyzer
{
    /// <summary>
    /// What a body does, directly or through the methods of the compilation it calls (up to <see cref="MaxDepth"/>
    /// calls deep, <see cref="MaxMethods"/> methods per walk), and which of it a rejecting handler covers.
    /// </summary>
    internal sealed partial class Reach
    {
        private const int MaxDepth = 3;
        private const int MaxMethods = 32;

        /// <summary>The exceptions a parser throws on content nobody expected, which SBD4001's handler must catch.</summary>
        private static readonly string[] Incidental =
        [
            "System.IndexOutOfRangeException",
            "System.NullReferenceException",
            "System.InvalidCastException",
            "System.Collections.Generic.KeyNotFoundException",
            "System.ArgumentOutOfRangeException",
            "System.OverflowException",
        ];

        private readonly Compilation compilation;
        /// <summary>The trust model's catalog, resolved for the compilation.</summary>
        public TrustModel Trust { get; }

        private readonly WellKnownTypes types;
        private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> bodies = new(SymbolEqualityComparer.Default);

        public Reach(Compilation compilation)
        {
            this.compilation = compilation;
            types = WellKnownTypes.For(compilation);
            Trust = TrustModel.For(compilation);
        }

        /// <summary>A call found by a walk. <see cref="Site"/> is in the walked body; <see cref="Action"/> says what the call at the end does.</summary>
        public sealed record Hit(IInvocationOperation Site, string Action, string Through, string? Handler);

        /// <summary>
        /// The calls of <paramref name="body"/> for which <paramref name="leaf"/> says something, directly or through a
        /// method of the compilation, in source order. With <paramref name="handlers"/>, calls under a handler that
        /// rejects the content are left out, and each hit says what the nearest handler lets through.
        /// </summary>
        /// <param name="ownUse">Leave out the reads whose results only callbacks of their own use (<see cref="HandedOff"/>).</param>
        public IEnumerable<Hit> Find(IOperation body, Func<IInvocationOperation, TrustOptions, string?> leaf, bool handlers, TrustOptions options, bool ownUse = false) =>
            Find(body, leaf, handlers, options, ownUse, new Dictionary<IMethodSymbol, Hit?>(SymbolEqualityComparer.Default), depth: 0);

        private IEnumerable<Hit> Find(IOperation body, Func<IInvocationOperation, TrustOptions, string?> leaf, bool handlers, TrustOptions options, bool ownUse, Dictionary<IMethodSymbol, Hit?> seen, int depth)
        {
            foreach (var call in Calls(body))
            {
                Hit? hit = null;
                if (leaf(call, options) is { } action)
                {
                    hit = ownUse && HandedOff(call, body) ? null : new Hit(call, action, string.Empty, null);
                }
                else if (depth < MaxDepth && Callee(call.TargetMethod) is { } callee && !Annotations.Has(callee, Annotations.ContentParser))
                {
                    if (!seen.TryGetValue(callee, out var inner))
                    {
                        seen[callee] = null; // Recursion, and the budget: a method is walked once.
                        inner = seen.Count <= MaxMethods && BodyOf(callee) is { } calleeBody
                            ? Find(calleeBody, leaf, handlers, options, ownUse, seen, depth + 1).FirstOrDefault()
                            : null;
                        seen[callee] = inner;
                    }

                    if (inner is not null)
                    {
                        hit = inner with { Site = call, Through = $", through {callee.ShortName()} ({Line(call)}){inner.Through}" };
                    }
                }

                if (hit is null)
                {
                    continue;
                }

                if (!handlers)
                {
                    yield return hit;
                }
                else if (Guard(call, body) is var (rejects, handler) && !rejects)
                {
                    yield return hit with { Handler = hit.Handler ?? handler };
                }
            }
        }

        /// <summary>The entry a delegate is handed to, when <paramref name="operation"/> is a delegate passed to one: "Thread callback", ...</summary>
        public string? CallbackKind(IOperation? operation)
        {
            if (operation is not IDelegateCreationOperation { Parent: IArgumentOperation { Parent: { } call } })
            {
                return null;
            }

            switch (call)
            {
                case IObjectCreationOperation { Type: { } type } when Is(type, "System.Threading.Thread"):
                    return "Thread callback";
                case IObjectCreationOperation { Type: { } type } when Is(type, "System.Threading.Timer"):
                    return "Timer callback";
                case IInvocationOperation { TargetMethod: { ContainingType: { } type } method } when Is(type, "System.Threading.ThreadPool") && (method.Name.Contains("QueueUserWorkItem") || method.Name.Contains("RegisterWaitForSingleObject")):
                    return "ThreadPool work item";
                case IInvocationOperation { TargetMethod: { Name: "Run", ContainingType: { } type } } when Is(type, "System.Threading.Tasks.Task") && Discarded(call):
                    return "Task.Run callback";
                case IInvocationOperation { TargetMethod: { Name: "StartNew", ContainingType: { } type } } when Is(type.OriginalDefinition, "System.Threading.Tasks.TaskFactory") && Discarded(call):
                    return "Task.Factory.StartNew callback";
                default:
                    return null;
            }
        }

        /// <summary>The body of a method declared in this compilation, read once per compilation.</summary>
        public IOperation? BodyOf(IMethodSymbol method) => bodies.GetOrAdd(method.PartialImplementationPart ?? method.OriginalDefinition, m =>
        {
            if (m.DeclaringSyntaxReferences.IsEmpty || m.IsAbstract || m.IsExtern)
            {
                return null;
            }

            var syntax = m.DeclaringSyntaxReferences[0].GetSyntax();
            if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                return null;
            }

#pragma warning disable RS1030 // Once per method and compilation, for callees in other trees.
            return compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
        });

        private IMethodSymbol? Callee(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            return SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly) && !method.DeclaringSyntaxReferences.IsEmpty ? method : null;
        }

        /// <summary>
        /// The calls a body makes when it runs, in source order: those of lambdas it hands to another call (LINQ,
        /// <c>ForEach</c>) included; those of lambdas that run elsewhere (entries of their own, event handlers, stored
        /// delegates) and of local function declarations left out, since a call to a local function is followed instead.
        /// </summary>
        private IEnumerable<IInvocationOperation> Calls(IOperation root)
        {
            var pending = new Stack<IOperation>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var operation = pending.Pop();
                if (operation is ILocalFunctionOperation && operation != root
                    || operation is IAnonymousFunctionOperation lambda && operation != root && !RunsInline(lambda))
                {
                    continue;
                }

                if (operation is IInvocationOperation call)
                {
                    yield return call;
                }

                foreach (var child in operation.ChildOperations.Reverse())
                {
                    pending.Push(child);
                }
            }
        }

        private bool RunsInline(IAnonymousFunctionOperation lambda) =>
            lambda.Parent is IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation } } creation
            && CallbackKind(creation) is null
            && lambda.Symbol is not { IsAsync: true, ReturnsVoid: true };

        /// <summary>
        /// Whether the handlers between <paramref name="call"/> and <paramref name="root"/> reject the content, and if
        /// not, what the nearest one lets through (null when there is none).
        /// </summary>
        private (bool Rejects, string? Handler) Guard(IOperation call, IOperation root)
        {
            string? nearest = null;
            for (IOperation? child = call, parent = call.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
            {
                if (parent is not ITryOperation attempt || attempt.Body != child || attempt.Catches.IsEmpty)
                {
                    continue;
                }

                var verdict = Judge(attempt);
                if (verdict is null)
                {
                    return (true, null);
                }

                nearest ??= verdict;
            }

            return (false, nearest);
        }

        /// <summary>Null when the handlers of the try catch every incidental exception and none of them throws again; otherwise what escapes.</summary>
        private string? Judge(ITryOperation attempt)
        {
            var uncaught = new List<string>();
            var rethrown = new List<string>();
            ICatchClauseOperation? rethrowing = null;
            foreach (var name in Incidental)
            {
                if (types.Get(name) is not { } incidental)
                {
                    continue;
                }

                var clause = attempt.Catches.FirstOrDefault(c => incidental.InheritsFromOrEquals(c.ExceptionType as INamedTypeSymbol) && Lets(c.Filter, incidental));
                if (clause is null)
                {
                    uncaught.Add(incidental.Name);
                }
                else if (Throws(clause))
                {
                    rethrown.Add(incidental.Name);
                    rethrowing ??= clause;
                }
            }

            var line = Line(rethrowing ?? attempt.Catches[0]);
            return rethrowing is not null ? $"with a handler ({line}) that throws again, which lets {List(rethrown.Concat(uncaught))} escape"
                : uncaught.Count > 0 ? $"with a handler for {List(attempt.Catches.Select(c => c.ExceptionType.Name))} ({line}) that lets {List(uncaught)} escape"
                : null;
        }

        /// <summary>
        /// True when a filter lets the exception in: no filter, or one that only turns types away (<c>e is not
        /// OperationCanceledException</c>) that the exception is not. Any other filter may turn it away.
        /// </summary>
        private static bool Lets(IOperation? filter, INamedTypeSymbol exception) => filter switch
        {
            null => true,
            IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: ITypePatternOperation { MatchedType: var excluded } } } => !exception.InheritsFromOrEquals(excluded as INamedTypeSymbol),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IIsTypeOperation { TypeOperand: var excluded } } => !exception.InheritsFromOrEquals(excluded as INamedTypeSymbol),
            _ => false,
        };

        /// <summary>A throw in the clause itself (not in a lambda or local function it declares) sends the exception on.</summary>
        private static bool Throws(ICatchClauseOperation clause) =>
            clause.Handler.Descendants().OfType<IThrowOperation>().Any(t => t.FindOwner() == clause.FindOwner());

        private bool Is(ITypeSymbol type, string metadataName) =>
            types.Get(metadataName) is { } known && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known);

        private static bool Discarded(IOperation call)
        {
            var parent = call.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            return parent is IExpressionStatementOperation or ISimpleAssignmentOperation { Target: IDiscardOperation };
        }

        private static string List(IEnumerable<string> names)
        {
            var all = names.Distinct().ToList();
            return all.Count == 1 ? all[0] : string.Join(", ", all.Take(all.Count - 1)) + " and " + all[all.Count - 1];
        }
    }
}
