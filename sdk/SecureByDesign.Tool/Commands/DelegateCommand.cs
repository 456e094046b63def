using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// <c>sbd delegate --repo D [--from R] --role NAME --key F... [--threshold N] (--path P... | --hash-prefix H... |
    /// --bins BITS) [--terminating]</c>: a delegated role (or, with <c>--bins</c>, hash bins named NAME-HEX), unsigned.
    /// </summary>
    internal static class DelegateCommand
    {
        public static Command Create(CommandContext context)
        {
            var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder", Required = true };
            var from = new Option<string>("--from") { Description = "The delegating role (default: targets)", DefaultValueFactory = _ => "targets" };
            var role = new Option<string>("--role") { Description = "The delegated role's name; with --bins, the prefix of the bin names", Required = true };
            var keys = new Option<FileInfo[]>("--key") { Description = "A key file (or public key file) of the role; repeat for several", Required = true };
            var threshold = new Option<int>("--threshold") { Description = "How many of the role's keys must sign (default 1)", DefaultValueFactory = _ => 1 };
            var paths = new Option<string[]>("--path") { Description = "A target path pattern the role is trusted for (* and ? within a segment); repeat for several" };
            var prefixes = new Option<string[]>("--hash-prefix") { Description = "A hex prefix of SHA-256(target path) the role is trusted for; repeat for several" };
            var bins = new Option<int?>("--bins") { Description = $"Delegate every path to 2^BITS hash bins (TAP 15), BITS from 1 to {RepositoryEditor.MaxBinBits}" };
            var terminating = new Option<bool>("--terminating") { Description = "A search that reaches this role for a path goes no further" };
            var command = new Command("delegate", "Delegate targets to a role by path pattern, hash prefix or hash bins (sign the roles after)")
            {
                repo, from, role, keys, threshold, paths, prefixes, bins, terminating,
            };
            command.Validators.Add(result =>
            {
                int kinds = (result.GetValue(paths) is { Length: > 0 } ? 1 : 0) + (result.GetValue(prefixes) is { Length: > 0 } ? 1 : 0) + (result.GetValue(bins) is null ? 0 : 1);
                if (kinds != 1)
                {
                    result.AddError("give exactly one of --path, --hash-prefix and --bins");
                }

                if (result.GetValue(prefixes)?.FirstOrDefault(p => p.Length == 0 || p.Any(c => !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))) is string bad)
                {
                    result.AddError($"--hash-prefix '{bad}' is not lowercase hex");
                }
            });
            command.SetAction(parse =>
            {
                var publicKeys = parse.GetValue(keys)!.Select(f => Keys.ReadPublic(f.FullName)).ToList();
                var keyIds = publicKeys.Select(k => k.Id).Distinct().ToList();
                string name = parse.GetValue(role)!;
                string delegator = parse.GetValue(from)!;
                var editor = new RepositoryEditor(parse.GetValue(repo)!.FullName, DateTimeOffset.UtcNow);
                if (parse.GetValue(bins) is int bits)
                {
                    var succinct = new SuccinctRoles(keyIds, parse.GetValue(threshold), bits, name);
                    editor.DelegateHashBins(delegator, succinct, publicKeys);
                    context.Output.WriteLine($"{delegator} delegates to {succinct.BinCount} hash bins {succinct.BinName(0)} ... {succinct.BinName(succinct.BinCount - 1)}; sign them (sbd sign --role {name}) and {delegator}");
                    return Cli.Ok;
                }

                string[]? pathList = parse.GetValue(paths) is { Length: > 0 } p ? p : null;
                string[]? prefixList = pathList is null ? parse.GetValue(prefixes) : null;
                editor.Delegate(delegator, new DelegatedRole(name, keyIds, parse.GetValue(threshold), parse.GetValue(terminating), pathList, prefixList), publicKeys);
                context.Output.WriteLine($"{delegator} delegates to {name}; sign {name} and {delegator}, then snapshot and timestamp");
                return Cli.Ok;
            });
            return command;
        }
    }
}
