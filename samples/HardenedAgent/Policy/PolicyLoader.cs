using System.Xml;

namespace EndpointAgent.Policy;

/// <summary>The agent policy an administrator pushes to the endpoint.</summary>
public sealed record AgentPolicy(string Name, bool UpdatesEnabled);

/// <summary>Loads the XML policy file and the policy fragments embedded in management messages, DTDs prohibited.</summary>
public static class PolicyLoader
{
    public static AgentPolicy Load(string path)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        using var reader = XmlReader.Create(path, settings);
        var document = new XmlDocument { XmlResolver = null };
        document.Load(reader);
        return Read(document);
    }

    /// <summary>A policy fragment that came in a management message: XmlReader.Create's defaults prohibit DTDs.</summary>
    public static AgentPolicy FromMessage(string xml)
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
