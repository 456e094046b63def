using SecureByDesign;

namespace EndpointAgent.Content;

/// <summary>One template instance of a channel file: the detection it describes and its twenty-one parameters.</summary>
public sealed record TemplateInstance(string Name, string Operator, IReadOnlyList<string> Parameters);

/// <summary>
/// Reads the text form of template instances, one record a line, comma-separated. The record says how many
/// fields it has; this is where the July 2024 content was read by code that expected one field fewer than
/// the content carried.
/// </summary>
public static class TemplateRecordReader
{
    private const int FieldCount = 21;

    /// <summary>Checks one short: a record of 20 fields passes the check, and field 20 is read anyway.</summary>
    [ContentParser(Schema = "templates", Fields = FieldCount)]
    public static TemplateInstance Read(string line)
    {
        var fields = line.Split(',');
        if (fields.Length < 20)
        {
            throw new InvalidDataException($"Expected {FieldCount} fields but found {fields.Length}.");
        }

        var parameters = fields[2..];
        var wildcard = fields[20]; // Expected: SBD1003 (field 20 read after a check that proves only 20 fields)
        return new TemplateInstance(fields[0], fields[1] + wildcard, parameters);
    }

    /// <summary>The same read, with the exact count checked first: no finding.</summary>
    [ContentParser(Schema = "templates", Fields = FieldCount)]
    public static TemplateInstance ReadChecked(string line)
    {
        var fields = line.Split(',');
        if (fields.Length != FieldCount)
        {
            throw new InvalidDataException($"Expected {FieldCount} fields but found {fields.Length}.");
        }

        return new TemplateInstance(fields[0], fields[1] + fields[20], fields[2..]);
    }

    /// <summary>Hands the record to a helper that reads field 3 without looking.</summary>
    [ContentParser(Schema = "templates", Fields = FieldCount)]
    public static string ReadOperatorName(string line)
    {
        var fields = line.Split(',');
        return OperatorName(fields); // Expected: SBD1003 (OperatorName reads field 3)
    }

    private static string OperatorName(string[] record) => record[3].Trim();
}
