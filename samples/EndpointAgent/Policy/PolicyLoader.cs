using System.Xml;

namespace EndpointAgent.Policy;

/// <summary>The agent policy an administrator pushes to the endpoint.</summary>
public sealed record AgentPolicy(string Name, bool UpdatesEnabled);

/// <summary>Loads the XML policy file and the policy fragments embedded in management messages.</summary>
public static class PolicyLoader
{
    public static AgentPolicy Load(string path)
    {
        // Policies once used entities for shared fragments, so the loader still processes DTDs.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse, // Expected: SBD1002 (DTDs processed: entity expansion, XXE)
            XmlResolver = new XmlUrlResolver(), // Expected: SBD1002 (external entities fetch files and URLs)
        };
        using var reader = XmlReader.Create(path, settings);
        var document = new XmlDocument();
        document.Load(reader);
        return Read(document);
    }

    /// <summary>A policy fragment that came in a management message.</summary>
    public static AgentPolicy FromMessage(string xml)
    {
        var document = new XmlDocument();
        document.LoadXml(xml); // Expected: SBD1002 (raw text loaded with the document's default resolver)
        return Read(document);
    }

    /// <summary>The same, read the safe way: XmlReader.Create's defaults prohibit DTDs. No finding.</summary>
    public static AgentPolicy FromMessageSafely(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml));
        var document = new XmlDocument { XmlResolver = null };
        document.Load(reader);
        return Read(document);
    }

    private static AgentPolicy Read(XmlDocument document)
    {
        var root = document.DocumentElement ?? throw new InvalidDataException("The policy has no root element.");
        return new AgentPolicy(root.GetAttribute("name"), root.GetAttribute("updates") != "off");
    }
}
