using SecureByDesign;

namespace EndpointAgent.Content;

/// <summary>One template instance of a channel file: the detection it describes, its parameters and its wildcard.</summary>
public sealed record TemplateInstance(string Name, string Operator, IReadOnlyList<string> Parameters, string Wildcard);

/// <summary>
/// Reads the text form of channel 291: template instances, one record a line, comma-separated. The reader declares
/// the 21 fields the records carry (the gate holds content to it) and checks the exact count before it reads a field.
/// </summary>
public static class TemplateRecordReader
{
    private const int FieldCount = 21;

    [ContentParser(Schema = "templates", Fields = FieldCount)]
    public static IReadOnlyList<TemplateInstance> Read(string channelFile)
    {
        var instances = new List<TemplateInstance>();
        foreach (var line in channelFile.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',');
            if (fields.Length != FieldCount)
            {
                throw new InvalidDataException($"Expected {FieldCount} fields but found {fields.Length}.");
            }

            instances.Add(new TemplateInstance(fields[0], fields[1], fields[2..20], fields[20]));
        }

        return instances;
    }

    /// <summary>Checks the record before the helper reads field 3.</summary>
    public static string ReadOperatorName([UntrustedContent] string line)
    {
        var fields = line.Split(',');
        if (fields.Length != FieldCount)
        {
            throw new InvalidDataException($"Expected {FieldCount} fields but found {fields.Length}.");
        }

        return OperatorName(fields);
    }

    private static string OperatorName(string[] record) => record[3].Trim();
}
