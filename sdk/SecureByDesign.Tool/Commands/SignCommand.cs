using System;
using System.CommandLine;
using System.IO;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// <c>sbd sign --repo D --role R --key F</c>: signs a role (top-level, delegated, or every bin of hash bins by their
    /// prefix); snapshot and timestamp are re-issued when stale, any other role gets this key's signature added.
    /// </summary>
    internal static class SignCommand
    {
        public static Command Create(CommandContext context)
        {
            var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder", Required = true };
            var role = new Option<string>("--role") { Description = "root, targets, snapshot, timestamp, a delegated role, or the prefix of hash bins", Required = true };
            var key = new Option<FileInfo>("--key") { Description = "The role's private key file", Required = true };
            var command = new Command("sign", "Sign a role (snapshot and timestamp: re-issue when what they list changed)") { repo, role, key };
            command.SetAction(parse =>
            {
                using KeySigner signer = Keys.Read(parse.GetValue(key)!.FullName);
                string name = parse.GetValue(role)!;
                new RepositoryEditor(parse.GetValue(repo)!.FullName, DateTimeOffset.UtcNow).Sign(name, signer);
                context.Output.WriteLine($"signed {name} with {signer.PublicKey.Id}");
                return Cli.Ok;
            });
            return command;
        }
    }
}
