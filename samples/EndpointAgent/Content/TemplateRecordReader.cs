using SecureByDesign;

namespace EndpointAgent.Content;

/// <summary>One template instance of a channel file: the detection it describes, its parameters and its wildcard.</summary>
public sealed record TemplateInstance(string Name, string Operator, IReadOnlyList<string> Parameters, string Wildcard);

/// <summary>
/// Reads the text form of channel 291: template instances, one record a line, comma-separated. The template type
/// gained a 21st field, the wildcard; this reader was written when records had 20, still declares 20, checks for
/// at least 20 and reads the 21st anyway. That is the July 2024 failure: content and code disagreed by one field.
/// </summary>
public static class TemplateRecordReader
{
    private const int FieldCount = 20;

    [ContentParser(Schema = "templates", Fields = FieldCount)]
    public static IReadOnlyList<TemplateInstance> Read(string channelFile)
    {
        var instances = new List<TemplateInstance>();
        foreach (var line in channelFile.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',');
            if (fields.Length < FieldCount)
            {
                throw new InvalidDataException($"Expected {FieldCount} fields but found {fields.Length}.");
            }

            var wildcard = fields[20]; // Expected: SBD1003 (field 20 read after a check that proves only 20 fields)
            instances.Add(new TemplateInstance(fields[0], fields[1], fields[2..20], wildcard));
        }

        return instances;
    }

    /// <summary>Hands a record to a helper that reads field 3 without looking.</summary>
    public static string ReadOperatorName([UntrustedContent] string line)
    {
        var fields = line.Split(',');
        return OperatorName(fields); // Expected: SBD1003 (OperatorName reads field 3)
    }

    private static string OperatorName(string[] record) => record[3].Trim();
}
