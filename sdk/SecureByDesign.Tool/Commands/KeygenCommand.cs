using System;
using System.CommandLine;
using System.IO;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary><c>sbd keygen --type ed25519|ecdsa|rsa --out FILE</c>: writes a private key file, prints the key id.</summary>
    internal static class KeygenCommand
    {
        public static Command Create(CommandContext context)
        {
            var type = new Option<string>("--type") { Description = "Key type: ed25519 (default), ecdsa (P-256) or rsa (3072-bit, RSA-PSS)", DefaultValueFactory = _ => "ed25519" };
            type.AcceptOnlyFromAmong("ed25519", "ecdsa", "rsa");
            var output = new Option<FileInfo>("--out") { Description = "The private key file to create (it must not exist)", Required = true };
            var command = new Command("keygen", "Create a signing key") { type, output };
            command.SetAction(parse =>
            {
                FileInfo file = parse.GetValue(output)!;
                if (file.Exists)
                {
                    context.Error.WriteLine($"{file.Name}: already exists; keygen never overwrites a key");
                    return Cli.Problem;
                }

                using KeySigner signer = parse.GetValue(type) switch
                {
                    "ecdsa" => EcdsaKeySigner.Generate(),
                    "rsa" => RsaPssKeySigner.Generate(),
                    _ => Ed25519KeySigner.Generate(),
                };
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    // A private key: readable and writable by its owner only, from the moment it exists.
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var stream = new FileStream(file.FullName, create))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(KeyFile.Write(signer));
                }

                context.Output.WriteLine(signer.PublicKey.Id);
                return Cli.Ok;
            });
            return command;
        }
    }
}
