using System.Globalization;
using System.Text.Json;
using SecureByDesign;

namespace EndpointAgent.Content;

/// <summary>
/// Reads the signature feed: a JSON manifest, then one record a line, "id|severity|key id|engine version|published".
/// Every field is read with its Try form, and one that fails rejects the record; the manifest keeps the reader's
/// default depth limit and is read with the TryGet accessors.
/// </summary>
public static class SignatureRecordReader
{
    [ContentParser(Schema = "signatures", Fields = 5)]
    public static SignatureRecord ParseLine(string line)
    {
        var fields = line.Split('|');
        if (fields.Length != 5)
        {
            throw new InvalidDataException($"A signature record has 5 fields, not {fields.Length}.");
        }

        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new InvalidDataException("The signature id is not a number.");
        }

        if (!Enum.TryParse<SignatureSeverity>(fields[1], out var severity) || !Enum.IsDefined(severity))
        {
            throw new InvalidDataException($"Unknown severity '{fields[1]}'.");
        }

        if (!Guid.TryParse(fields[2], out var keyId)
            || !Version.TryParse(fields[3], out var minimumEngine)
            || !DateTime.TryParseExact(fields[4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var published))
        {
            throw new InvalidDataException("A signature record has a malformed key id, engine version or date.");
        }

        return new SignatureRecord(id, severity, keyId, minimumEngine, published);
    }

    [ContentParser]
    public static SignatureManifest ParseManifest(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("The manifest is not a JSON object.");
        }

        if (!root.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number
            || !count.TryGetInt32(out var records) || records < 0)
        {
            throw new InvalidDataException("The manifest's record count is not a count.");
        }

        string? channel = null;
        if (root.TryGetProperty("channel", out var name))
        {
            channel = name.ValueKind == JsonValueKind.String ? name.GetString() : throw new InvalidDataException("The manifest's channel is not a string.");
        }

        var enabled = root.TryGetProperty("enabled", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new SignatureManifest(records, channel, enabled);
    }
}
