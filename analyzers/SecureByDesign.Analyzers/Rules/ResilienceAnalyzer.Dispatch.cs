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
        /// True when the task callback <paramref name="callback"/> is started inside a loop (of the same body) and given
        /// what a read of that loop returned or filled: one task per item received. A task started in a loop over items
        /// that are not read there (feeds from a list, a consumer started once) may run for good, and is not this.
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
                    var used = new HashSet<ILocalSymbol>(callback.Descendants().OfType<ILocalReferenceOperation>().Select(r => r.Local), SymbolEqualityComparer.Default);
                    return Find(loop.Body, (call, o) => HandlesContent(call, Trust, o), handlers: false, options)
                        .Any(hit => Results(hit.Site) is { } results && results.Overlaps(used));
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
            // Only a raw read (bytes into a buffer, a count back) does nothing with the content: a parser, or a read that
            // decodes (ReadString, Deserialize), can throw on it in the call itself.
            if (Annotations.Has(read.TargetMethod, Annotations.ContentParser) || !IsRawRead(read) || Results(read) is not { } results)
            {
                return false;
            }

            return body.Descendants().OfType<ILocalReferenceOperation>()
                .Where(r => results.Contains(r.Local) && !r.IsDeclaration && !read.Syntax.Span.Contains(r.Syntax.Span))
                .All(r => InsideOwnEntry(r, body));
        }

        /// <summary>
        /// The locals that hold what a call returned or filled (its value's local, the locals it is given), when that is
        /// all of it: null when the value is used in place, or storage other code can reach is filled (a field, an
        /// element, a local that aliases other storage).
        /// </summary>
        private static HashSet<ILocalSymbol>? Results(IInvocationOperation read)
        {
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
                    return null; // The value is used where it is read.
            }

            var fills = read.Arguments.Where(a => a.Parameter?.RefKind is RefKind.Ref or RefKind.Out
                || a.Value.Type is { IsReferenceType: true, SpecialType: not SpecialType.System_String } or { Name: "Span" or "Memory" });
            foreach (var argument in fills)
            {
                // A buffer made here (var buffer = new byte[n]) is the read's alone; var b = _shared; is the field's too.
                if (argument.Value.WalkDownConversions() is not ILocalReferenceOperation { Local: var passed }
                    || argument.Parameter?.RefKind is RefKind.None && !Fresh(passed, read))
                {
                    return null;
                }

                results.Add(passed);
            }

            return results;
        }

        /// <summary>Whether every value the local is given in the body around the call is a new array.</summary>
        private static bool Fresh(ILocalSymbol local, IOperation near)
        {
            var root = near;
            while (root.Parent is { } parent)
            {
                root = parent;
            }

            return root.DescendantsAndSelf().All(o => o switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) =>
                    declarator.Initializer?.Value.WalkDownConversions() is IArrayCreationOperation,
                IAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) =>
                    assignment is ISimpleAssignmentOperation { Value: var value } && value.WalkDownConversions() is IArrayCreationOperation,
                _ => true,
            });
        }

        /// <summary>A framework read of bytes or characters into a buffer that returns how many it stored (Receive, ReceiveFrom, Read).</summary>
        private static bool IsRawRead(IInvocationOperation read) =>
            !read.TargetMethod.Locations.Any(l => l.IsInSource)
            && (read.TargetMethod.ReturnType.SpecialType == SpecialType.System_Int32
                || read.TargetMethod.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task && task.TypeArguments[0].SpecialType == SpecialType.System_Int32)
            && read.Arguments.Any(a => a.Value.WalkDownConversions().Type is IArrayTypeSymbol || a.Value.Type?.Name is "Span" or "Memory");

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
