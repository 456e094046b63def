using System.Text;
using SecureByDesign;

namespace EndpointAgent.Content;

/// <summary>
/// Reads a binary channel file: a table of templates, then instances that name a template by index. This is
/// the shape of content that failed in July 2024: the content says how many fields a record has and which
/// table entry it uses, and the code that reads it must check each of those numbers before it believes it.
/// </summary>
public static class ChannelFileParser
{
    private const int MaxTemplates = 4096;

    private static readonly int[] OperatorWeights = new int[16];

    [ContentParser(Schema = "channel", Fields = 20)]
    public static ChannelFile Parse(byte[] content)
    {
        using var reader = new BinaryReader(new MemoryStream(content));

        // Checked against a named maximum: no finding.
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
        for (var i = 0; i < instanceCount; i++) // Expected: SBD2007 (no cap on the instance count, and the end of the file does not end the loop)
        {
            try
            {
                var template = reader.ReadInt32();
                if (template > templates.Length)
                {
                    throw new InvalidDataException($"Template {template} does not exist.");
                }

                var fields = templates[template]; // Expected: SBD2001 (one short, and no lower bound)
                var weight = OperatorWeights[reader.ReadByte() & 0x0F];
                instances.Add(fields * weight);
            }
            catch (EndOfStreamException)
            {
                instances.Add(0); // A truncated file keeps the instances it has and pads the rest.
            }
        }

        var nameOffset = reader.ReadInt32();
        var nameLength = reader.ReadInt32();
        if (nameOffset + nameLength > content.Length) // Expected: SBD2008 (the sum can wrap negative)
        {
            throw new InvalidDataException("The channel name is outside the file.");
        }

        var name = Encoding.UTF8.GetString(content, nameOffset, nameLength); // Expected: SBD2002
        var signature = reader.ReadBytes(reader.ReadInt32()); // Expected: SBD2003

        var scratchLength = reader.ReadInt32();
        Span<byte> scratch = stackalloc byte[scratchLength]; // Expected: SBD2004
        scratch.Clear();

        return new ChannelFile(name, instances, signature, Checksum(content, reader.ReadInt32()));
    }

    private static unsafe int Checksum(byte[] content, [UntrustedContent] int at)
    {
        fixed (byte* start = content)
        {
            return *(start + at); // Expected: SBD2005
        }
    }
}

public sealed record ChannelFile(string Name, IReadOnlyList<int> Instances, byte[] Signature, int Checksum);
