using System.Globalization;
using System.Text.Json;
using SecureByDesign;

namespace EndpointAgent.Content;

/// <summary>
/// Reads the signature feed: a JSON manifest, then one record a line, "id|severity|key id|engine version|published".
/// The feed comes from the update server, so every field of it is untrusted. One bad field must reject the feed,
/// not throw out of the agent on every machine that downloads it: the Try forms return false, the throwing
/// parsers do not.
/// </summary>
public static class SignatureRecordReader
{
    // Raised once for a deeply nested test manifest, and never lowered again.
    private static readonly JsonDocumentOptions ManifestOptions = new()
    {
        MaxDepth = 4096, // Expected: SBD1010 (content may nest 4096 levels deep)
    };

    [ContentParser(Schema = "signatures", Fields = 5)]
    public static SignatureRecord ParseLine(string line)
    {
        var fields = line.Split('|');
        if (fields.Length != 5)
        {
            throw new InvalidDataException($"A signature record has 5 fields, not {fields.Length}.");
        }

        // The Try form with its result tested: no finding.
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new InvalidDataException("The signature id is not a number.");
        }

        var severity = Enum.Parse<SignatureSeverity>(fields[1]); // Expected: SBD1004 (throws on an unknown name)
        var keyId = Guid.Parse(fields[2]); // Expected: SBD1004
        var minimumEngine = Version.Parse(fields[3]); // Expected: SBD1004
        var published = DateTime.ParseExact(fields[4], "yyyy-MM-dd", CultureInfo.InvariantCulture); // Expected: SBD1004
        return new SignatureRecord(id, severity, keyId, minimumEngine, published); // Expected: SBD1007 (Enum.Parse accepts "42", which no member has)
    }

    /// <summary>
    /// How many hits of a signature raise an alert. It lists every severity and has no default, so it takes for granted
    /// that a record's severity is a member: that is what makes the unchecked severity stored above a finding.
    /// </summary>
    public static int AlertThreshold(SignatureRecord record)
    {
        switch (record.Severity)
        {
            case SignatureSeverity.Low: return 100;
            case SignatureSeverity.Medium: return 10;
            case SignatureSeverity.High: return 3;
            case SignatureSeverity.Critical: return 1;
        }

        return 0;
    }

    [ContentParser]
    public static SignatureManifest ParseManifest(string json)
    {
        using var document = JsonDocument.Parse(json, ManifestOptions);
        var root = document.RootElement;

        var count = root.GetProperty("count"); // Expected: SBD1008 (a missing property throws)
        if (!count.TryGetInt32(out var records) || records < 0)
        {
            throw new InvalidDataException("The manifest's record count is not a count.");
        }

        var channel = root.TryGetProperty("channel", out var name) ? name.GetString() : null; // Expected: SBD1008 (a number here throws)
        var enabled = root.TryGetProperty("enabled", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new SignatureManifest(records, channel, enabled);
    }
}
