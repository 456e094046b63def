using System.Text;
using SecureByDesign;

namespace EndpointAgent.Content;

/// <summary>
/// Reads a binary channel file: a table of templates, then instances that name a template by index. Every number
/// the content gives (counts, indexes, offsets, lengths, sizes) is checked against a bound before it is used, and
/// anything outside one rejects the file.
/// </summary>
public static class ChannelFileParser
{
    private const int MaxTemplates = 4096;
    private const int MaxInstances = 65536;
    private const int MaxSignatureBytes = 4096;
    private const int MaxScratchBytes = 256;

    private static readonly int[] OperatorWeights = new int[16];

    [ContentParser(Schema = "channel", Fields = 20)]
    public static ChannelFile Parse(byte[] content)
    {
        using var reader = new BinaryReader(new MemoryStream(content));

        var templateCount = reader.ReadInt32();
        if (templateCount < 0 || templateCount > MaxTemplates)
        {
            throw new InvalidDataException($"{templateCount} templates is more than {MaxTemplates}.");
        }

        var templates = new int[templateCount];
        for (var i = 0; i < templates.Length; i++)
        {
            templates[i] = reader.ReadInt32();
        }

        var instances = new List<int>();
        var instanceCount = reader.ReadInt32();
        if (instanceCount < 0 || instanceCount > MaxInstances)
        {
            throw new InvalidDataException($"{instanceCount} instances is more than {MaxInstances}.");
        }

        for (var i = 0; i < instanceCount; i++)
        {
            var template = reader.ReadInt32();
            if (template < 0 || template >= templates.Length)
            {
                throw new InvalidDataException($"Template {template} does not exist.");
            }

            var fields = templates[template];
            var weight = OperatorWeights[reader.ReadByte() & 0x0F];
            instances.Add(fields * weight);
        }

        var nameOffset = reader.ReadInt32();
        var nameLength = reader.ReadInt32();
        if ((uint)nameOffset > (uint)content.Length || (uint)nameLength > (uint)(content.Length - nameOffset))
        {
            throw new InvalidDataException("The channel name is outside the file.");
        }

        var name = Encoding.UTF8.GetString(content, nameOffset, nameLength);
        var signatureLength = reader.ReadInt32();
        if (signatureLength < 0 || signatureLength > MaxSignatureBytes)
        {
            throw new InvalidDataException($"A signature of {signatureLength} bytes is more than {MaxSignatureBytes}.");
        }

        var signature = reader.ReadBytes(signatureLength);

        var scratchLength = reader.ReadInt32();
        if (scratchLength < 0 || scratchLength > MaxScratchBytes)
        {
            throw new InvalidDataException($"A scratch area of {scratchLength} bytes is more than {MaxScratchBytes}.");
        }

        Span<byte> scratch = stackalloc byte[scratchLength];
        scratch.Clear();

        return new ChannelFile(name, instances, signature, Checksum(content, reader.ReadInt32()));
    }

    private static unsafe int Checksum(byte[] content, [UntrustedContent] int at)
    {
        if ((uint)at >= (uint)content.Length)
        {
            throw new InvalidDataException($"The checksum offset {at} is outside the file.");
        }

        fixed (byte* start = content)
        {
            return *(start + at);
        }
    }
}

public sealed record ChannelFile(string Name, IReadOnlyList<int> Instances, byte[] Signature, int Checksum);
