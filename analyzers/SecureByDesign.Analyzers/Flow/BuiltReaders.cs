using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A text reader the method builds itself over text it does not trace to content reads that text, not content:
/// <c>var tokenizer = new Tokenizer(pattern); ... tokenizer.ReadToken().Value</c> with a pattern the program wrote. Its
/// reads, and the strings of the tokens they return, are then as trusted as the text. The receiver of the read is
/// followed down calls on the compilation's readers and tokens (<c>ReadToken().Expect(...)</c>) and through locals with
/// one value, to a local holding <c>new Reader(...)</c>. Every argument of that creation must be trusted where the read
/// is, and none may be something text is read from (a <c>TextReader</c>, a stream, another text reader): those are
/// content by their type. A reader handed in (a parameter, a field) stays a source.
/// </summary>
internal static class BuiltReaders
{
    private const int MaxSteps = 8;

    /// <summary>True when the receiver is (a token of) a text reader this method built over trusted text.</summary>
    public static bool OverTrustedText(IOperation? receiver, FlowState state, FlowContext context, int depth)
    {
        var readers = context.Trust.Readers;
        for (var step = 0; receiver is not null && step < MaxSteps; step++)
        {
            switch (receiver.WalkDownConversions())
            {
                case IInvocationOperation { Instance: { } instance } call when readers.IsTextReaderOrToken(call.TargetMethod.ContainingType):
                    receiver = instance;
                    break;
                case ILocalReferenceOperation local when Verification.Initial(local, context.Model) is { } value:
                    if (value is IObjectCreationOperation creation)
                    {
                        return readers.IsTextReaderType(creation.Type) && Trusted(creation, state, context, depth);
                    }

                    receiver = value;
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Every argument is known trusted (past the evaluator's depth, nothing is known, and the reader stays a source).</summary>
    private static bool Trusted(IObjectCreationOperation creation, FlowState state, FlowContext context, int depth) =>
        depth + 1 < Evaluator.MaxDepth
        && creation.Arguments.All(argument =>
            !IsStream(argument.Value.WalkDownConversions().Type, context)
            && !Evaluator.Eval(argument.Value, state, context, depth + 1).Untrusted);

    private static bool IsStream(ITypeSymbol? type, FlowContext context)
    {
        if (context.Trust.Readers.IsReadText(type))
        {
            return true;
        }

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current.Name is "Stream" && current.ContainingNamespace?.ToDisplayString() == "System.IO")
            {
                return true;
            }
        }

        return false;
    }
}
