using EndpointAgent.Content;
using EndpointAgent.Crypto;
using EndpointAgent.Net;
using EndpointAgent.Policy;
using EndpointAgent.Rules;
using EndpointAgent.State;
using EndpointAgent.Updates;

namespace EndpointAgent;

/// <summary>
/// A small endpoint-security agent: it loads its policy, its detection rules and its scan cache, then
/// fetches a content update. The code is written the way agents often are, so the SecureByDesign
/// analyzers have something to say. Every line with an expected finding carries a comment
/// "Expected: SBDxxxx"; everything else should build without a finding.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var dataDirectory = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data");

        var policy = PolicyLoader.Load(Path.Combine(dataDirectory, "policy.xml"));
        var rules = RuleFileParser.Parse(File.ReadAllText(Path.Combine(dataDirectory, "rules.txt"))); // Expected: SBD4001 (no handler in Main)
        var cache = ScanCache.Load(Path.Combine(dataDirectory, "scan-cache.bin"));
        ChannelFile channel;
        try
        {
            channel = ChannelFileParser.Parse(File.ReadAllBytes(Path.Combine(dataDirectory, "channel-291.bin")));
        }
        catch (InvalidDataException exception)
        {
            // "A sensor without its channel file must not run": one bad file then stops the agent on every machine.
            Environment.FailFast($"Channel file rejected: {exception.Message}"); // Expected: SBD4002
            return 1;
        }

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
}
