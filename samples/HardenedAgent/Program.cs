using System.Diagnostics;
using EndpointAgent.Content;
using EndpointAgent.Crypto;
using EndpointAgent.Net;
using EndpointAgent.Policy;
using EndpointAgent.Rules;
using EndpointAgent.State;
using EndpointAgent.Updates;

namespace EndpointAgent;

/// <summary>
/// The hardened endpoint agent: it loads its policy, its detection rules and its scan cache, then fetches a content
/// update. Content that fails to load is rejected, reported, and the agent keeps running with what it had: nothing
/// read from outside ends the process.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var dataDirectory = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data");

        try
        {
            var policy = PolicyLoader.Load(Path.Combine(dataDirectory, "policy.xml"));
            var rules = RuleFileParser.Parse(File.ReadAllText(Path.Combine(dataDirectory, "rules.txt")));
            var cache = ScanCache.Load(Path.Combine(dataDirectory, "scan-cache.json"));
            var channel = ChannelFileParser.Parse(File.ReadAllBytes(Path.Combine(dataDirectory, "channel-291.bin")));
            Console.WriteLine($"Policy '{policy.Name}', {rules.Count} rules, {cache.Count} cached verdicts, channel '{channel.Name}'.");

            if (!policy.UpdatesEnabled)
            {
                return 0;
            }

            using var http = TlsClientFactory.CreateUpdateClient();
            var updater = new ContentUpdateClient(http, PublisherKeys.UpdatePublisher());
            var staged = await updater.DownloadAsync(Path.Combine(dataDirectory, "staging"), CancellationToken.None);
            Console.WriteLine(staged is null ? "No verified update." : $"Staged {staged}.");
            return 0;
        }
        catch (Exception exception)
        {
            // Rejected: reported, and the content loaded before stays in use.
            Trace.TraceError("Content rejected; the last known good stays in use: {0}", exception);
            return 1;
        }
    }
}
