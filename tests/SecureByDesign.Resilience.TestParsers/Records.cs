using System;
using System.IO;

namespace Vendor.Content;

/// <summary>Channel-file records of 20 comma-separated fields; the 21-against-20 bug.</summary>
public static class Records
{
    private const int Fields = 20;

    /// <summary>Checks for too few fields but not too many, then copies every field into a 20-slot array.</summary>
    [ContentParser]
    public static int Parse(string text)
    {
        int count = 0;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(',');
            if (fields.Length < Fields)
            {
                throw new InvalidDataException($"a record has {fields.Length} fields, fewer than {Fields}");
            }

            var values = new string[Fields];
            for (int i = 0; i < fields.Length; i++)
            {
                values[i] = fields[i];
            }

            count++;
        }

        return count;
    }

    /// <summary>The fixed parser: exactly 20 fields or a rejection.</summary>
    [ContentParser]
    public static int ParseChecked(string text)
    {
        int count = 0;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(',');
            if (fields.Length != Fields)
            {
                throw new InvalidDataException($"a record has {fields.Length} fields, not {Fields}");
            }

            if (!int.TryParse(fields[0], out int id) || id < 0)
            {
                throw new InvalidDataException("field 0 is not a record id");
            }

            count++;
        }

        return count;
    }
}
