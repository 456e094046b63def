using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The prefilter: which families a method body is worth a graph for. A family is active when the body has what it
/// inspects (<see cref="FlowFamily.Needs"/>) and either something untrusted is in sight (a source call, an untrusted
/// parameter or member, a call whose summary returns untrusted data) or the body has what the family finds interesting
/// anyway (<see cref="FlowFamily.AlsoInteresting"/>). The cheapest question goes first: when a family inspects every body
/// (one always does when the memory-bounds rules are on), most bodies are dropped by the untrusted test alone, and only
/// the few left are walked for what each family inspects.
/// </summary>
internal static partial class FlowDriver
{
    private static List<FlowFamily> Interested(IOperation block, ImmutableArray<FlowFamily> families, FlowContext context)
    {
        // Without a family that inspects every body, what the families inspect may drop the body before anything else.
        var needed = families.Any(f => f.Needs is null) ? null : Needed(block, families, context);
        if (needed is { Count: 0 })
        {
            return needed;
        }

        // Then whether anything untrusted is in sight, or what a family finds interesting anyway: first what the symbols
        // say, and only then the summaries of the methods called, which may have to read their bodies.
        var candidates = needed ?? families.ToList();
        var (untrusted, interesting) = TouchesUntrusted(block, candidates, context);
        if (!untrusted && interesting.Count < candidates.Count)
        {
            untrusted = ReturnsUntrusted(block, context);
        }

        if (!untrusted)
        {
            candidates = interesting;
        }

        if (needed is null && candidates.Count > 0)
        {
            candidates = Needed(block, candidates, context);
        }

        return families.Where(candidates.Contains).ToList();
    }

    /// <summary>The families among <paramref name="families"/> that find what they inspect in the body.</summary>
    private static List<FlowFamily> Needed(IOperation block, IEnumerable<FlowFamily> families, FlowContext context)
    {
        var needed = families.Where(f => f.Needs is null).ToList();
        var waiting = families.Where(f => f.Needs is not null).ToList();
        foreach (var operation in block.Descendants())
        {
            if (waiting.Count == 0)
            {
                break;
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            for (var i = waiting.Count - 1; i >= 0; i--)
            {
                if (waiting[i].Needs!(operation))
                {
                    needed.Add(waiting[i]);
                    waiting.RemoveAt(i);
                }
            }
        }

        return needed;
    }

    /// <summary>
    /// One walk for what the symbols say: whether something untrusted is in sight, and else which of the families find
    /// something interesting anyway (every family, once something untrusted is).
    /// </summary>
    private static (bool Untrusted, List<FlowFamily> Interesting) TouchesUntrusted(IOperation block, List<FlowFamily> families, FlowContext context)
    {
        var interesting = new List<FlowFamily>();
        var looking = families.Where(f => f.AlsoInteresting is not null).ToList();
        foreach (var operation in block.Descendants())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (TouchesUntrusted(operation, context))
            {
                return (true, interesting);
            }

            for (var i = looking.Count - 1; i >= 0; i--)
            {
                if (looking[i].AlsoInteresting!(operation))
                {
                    interesting.Add(looking[i]);
                    looking.RemoveAt(i);
                }
            }

            if (interesting.Count == families.Count)
            {
                break;
            }
        }

        return (false, interesting);
    }

    /// <summary>Whether a call in the body returns untrusted data or fills a buffer with it, by its summary, or leaves it in a field (<see cref="FieldEffects"/>).</summary>
    private static bool ReturnsUntrusted(IOperation block, FlowContext context)
    {
        foreach (var operation in block.Descendants())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (operation is IInvocationOperation invocation
                && (context.Summaries.Get(invocation.TargetMethod, context.CancellationToken) is { } summary
                        && (summary.ReturnOrigin is not null || !summary.Fills.IsEmpty)
                    || FieldEffects.LeavesUntrusted(invocation, context)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TouchesUntrusted(IOperation operation, FlowContext context) => operation switch
    {
        IInvocationOperation invocation => TaintSources.Origin(invocation, context.Trust, context.Options, context.CancellationToken) is not null,
        IParameterReferenceOperation parameter => Annotations.IsUntrustedParameter(parameter.Parameter)
            || (DocumentParameters.IsDocument(parameter.Parameter.Type) && context.Summaries.Documents.Of(parameter.Parameter, context.CancellationToken) is not null),
        IFieldReferenceOperation field => Annotations.Has(field.Field, Annotations.UntrustedContent)
            || (field.Instance is IInstanceReferenceOperation && context.Summaries.Fields.Of(field.Field, context.CancellationToken) is not null)
            || TaintSources.FieldOrigin(field, context.Trust) is not null,
        IPropertyReferenceOperation property => Annotations.Has(property.Property, Annotations.UntrustedContent) || TaintSources.PropertyOrigin(property, context.Trust, context.Options) is not null,
        _ => false,
    };
}
