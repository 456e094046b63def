using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

public sealed partial class ResilienceAnalyzer
{
    /// <summary>
    /// A receive loop that hands each item it reads to a task of its own:
    /// <c>while (true) { var count = socket.ReceiveFrom(buffer, ref remote); Task.Run(() =&gt; Handle(buffer, count)); }</c>.
    /// An exception in one such task ends the handling of that one item; the loop, and the next item, go on. The loop
    /// itself only reads, and its reads are the tasks' business, not its own.
    /// </summary>
    internal sealed partial class Reach
    {
        /// <summary>
        /// True when the task callback <paramref name="callback"/> is started inside a loop (of the same body) that
        /// handles content itself outside the callbacks it starts: one task per item received.
        /// </summary>
        public bool StartedPerItem(IOperation callback, TrustOptions options)
        {
            for (var parent = callback.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
                {
                    return false;
                }

                if (parent is ILoopOperation loop)
                {
                    return Find(loop, (call, o) => HandlesContent(call, Trust, o), handlers: false, options).Any();
                }
            }

            return false;
        }

        /// <summary>
        /// True when <paramref name="read"/>'s results (its value, the locals it fills or sets by reference) are used
        /// nowhere in <paramref name="body"/> but inside callbacks that are entries of their own.
        /// </summary>
        private bool HandedOff(IInvocationOperation read, IOperation body)
        {
            if (Annotations.Has(read.TargetMethod, Annotations.ContentParser))
            {
                return false; // A parser handles the content in the call itself.
            }

            var results = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var user = read.Parent;
            while (user is IConversionOperation)
            {
                user = user.Parent;
            }

            switch (user)
            {
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    results.Add(declarator.Symbol);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Parent: IExpressionStatementOperation }:
                    results.Add(target.Local);
                    break;
                case IExpressionStatementOperation:
                    break;
                default:
                    return false; // The value is used where it is read.
            }

            foreach (var argument in read.Arguments)
            {
                if (argument.Value.WalkDownConversions() is ILocalReferenceOperation passed)
                {
                    results.Add(passed.Local);
                }
                else if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out || argument.Value.Type is { IsReferenceType: true, SpecialType: not SpecialType.System_String } or { Name: "Span" or "Memory" })
                {
                    return false; // Filled storage the rest of the body can reach: a field, an element, a view of one.
                }
            }

            return body.Descendants().OfType<ILocalReferenceOperation>()
                .Where(r => results.Contains(r.Local) && !r.IsDeclaration && !read.Syntax.Span.Contains(r.Syntax.Span))
                .All(r => InsideOwnEntry(r, body));
        }

        /// <summary>True when the operation is inside a callback, itself an entry, that <paramref name="body"/> starts.</summary>
        private bool InsideOwnEntry(IOperation operation, IOperation body)
        {
            for (var parent = operation.Parent; parent is not null && parent != body; parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation && CallbackKind(parent.Parent) is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
