using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary><c>sbd init --repo D --root-key F --timestamp-key F --snapshot-key F --targets-key F</c>.</summary>
    internal static class InitCommand
    {
        public static Command Create(CommandContext context)
        {
            var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder to create (metadata/ and targets/)", Required = true };
            var consistent = new Option<bool>("--consistent-snapshot") { Description = "Use the consistent-snapshot layout (N.ROLE.json, HASH.NAME targets)" };
            var keys = new Dictionary<string, Option<FileInfo>>();
            var command = new Command("init", "Create a new repository, every role at version 1, signed") { repo, consistent };
            foreach (string role in new[] { "root", "timestamp", "snapshot", "targets" })
            {
                keys[role] = new Option<FileInfo>($"--{role}-key") { Description = $"The {role} role's private key file", Required = true };
                command.Options.Add(keys[role]);
            }

            command.SetAction(parse =>
            {
                var signers = new Dictionary<string, KeySigner>();
                try
                {
                    foreach (KeyValuePair<string, Option<FileInfo>> key in keys)
                    {
                        signers[key.Key] = Keys.Read(parse.GetValue(key.Value)!.FullName);
                    }

                    DirectoryInfo directory = parse.GetValue(repo)!;
                    new RepositoryEditor(directory.FullName, DateTimeOffset.UtcNow).Init(signers, parse.GetValue(consistent));
                    context.Output.WriteLine($"initialised {directory.Name}: root, targets, snapshot and timestamp version 1");
                    return Cli.Ok;
                }
                finally
                {
                    Keys.DisposeAll(signers.Values);
                }
            });
            return command;
        }
    }
}
