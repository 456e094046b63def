using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;
using System.Threading.Tasks;
using SecureByDesign.Updates.Client;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// The TUF conformance suite's client-under-test protocol (tuf-conformance CLIENT-CLI.md), so the public
    /// suite can be pointed at sbd: <c>sbd --metadata-dir D init ROOT</c>, <c>sbd --metadata-dir D
    /// --metadata-url U refresh</c>, <c>sbd ... --target-name T [--target-name T2 ...] --target-base-url U
    /// --target-dir D download</c> (the targets in order, by one updater, stopping at the first that fails).
    /// Exit 0 on success, 1 on any failure.
    /// </summary>
    internal static class ConformanceClient
    {
        /// <summary>Whether the arguments are this protocol's (they always name the metadata folder).</summary>
        public static bool Claims(string[] args) => Array.IndexOf(args, "--metadata-dir") >= 0;

        public static int Run(string[] args, CommandContext context)
        {
            var metadataDir = new Option<DirectoryInfo>("--metadata-dir") { Description = "The client's trusted metadata folder", Required = true, Recursive = true };
            var metadataUrl = new Option<string?>("--metadata-url") { Description = "The repository's metadata URL", Recursive = true };
            var targetName = new Option<string[]>("--target-name") { Description = "A target path to download (repeat for several, processed in order)", Recursive = true };
            var targetBaseUrl = new Option<string?>("--target-base-url") { Description = "The repository's targets URL", Recursive = true };
            var targetDir = new Option<DirectoryInfo?>("--target-dir") { Description = "Where downloaded targets go", Recursive = true };
            var trustedRoot = new Argument<FileInfo>("TRUSTED_ROOT") { Description = "The initial trusted root.json" };

            var init = new Command("init", "Start trusting the given root (no requests)") { trustedRoot };
            init.SetAction(parse =>
            {
                DirectoryInfo directory = parse.GetValue(metadataDir)!;
                directory.Create();
                File.Copy(parse.GetValue(trustedRoot)!.FullName, Path.Combine(directory.FullName, "root.json"), overwrite: true);
                context.Output.WriteLine($"initialised {directory.Name}");
                return Cli.Ok;
            });

            var refresh = new Command("refresh", "Update the top-level metadata");
            refresh.SetAction(parse => Guard(context, async () =>
            {
                await NewUpdater(parse, metadataDir, metadataUrl).RefreshAsync().ConfigureAwait(false);
                context.Output.WriteLine("refreshed");
            }));

            var download = new Command("download", "Refresh, then download and verify each target, in order");
            download.SetAction(parse => Guard(context, async () =>
            {
                string[] names = parse.GetValue(targetName) is { Length: > 0 } given ? given : throw new ArgumentException("--target-name is required for download");
                Uri baseUrl = Url(parse.GetValue(targetBaseUrl), "--target-base-url");
                DirectoryInfo into = parse.GetValue(targetDir) ?? throw new ArgumentException("--target-dir is required for download");
                Updater updater = NewUpdater(parse, metadataDir, metadataUrl);
                await updater.RefreshAsync().ConfigureAwait(false);
                foreach (string name in names)
                {
                    TargetFile target = await updater.GetTargetInfoAsync(name).ConfigureAwait(false)
                        ?? throw new UpdateException(ProblemCodes.TargetNotFound, $"target '{name}': listed by no trusted role");
                    string file = await updater.DownloadTargetAsync(target, into.FullName, baseUrl).ConfigureAwait(false);
                    context.Output.WriteLine($"downloaded {name} to {Path.GetFileName(file)}");
                }
            }));

            var root = new RootCommand("sbd as a TUF conformance client") { metadataDir, metadataUrl, targetName, targetBaseUrl, targetDir, init, refresh, download };
            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (ParseError parseError in parsed.Errors)
                {
                    context.Error.WriteLine("usage: " + parseError.Message);
                }

                return Cli.Usage;
            }

            return parsed.Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false });
        }

        private static Updater NewUpdater(ParseResult parse, Option<DirectoryInfo> metadataDir, Option<string?> metadataUrl) =>
            new Updater(parse.GetValue(metadataDir)!.FullName, Url(parse.GetValue(metadataUrl), "--metadata-url"), new HttpFetcher());

        private static Uri Url(string? text, string option) =>
            text is not null && Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw new ArgumentException($"{option} must be an http or https URL");

        private static int Guard(CommandContext context, Func<Task> action)
        {
            try
            {
                action().GetAwaiter().GetResult();
                return Cli.Ok;
            }
            catch (UpdateException e)
            {
                context.Error.WriteLine(e.ToProblem().ToString());
            }
            catch (Exception e) when (e is ArgumentException || e is IOException || e is UnauthorizedAccessException)
            {
                context.Error.WriteLine(e.Message);
            }

            return Cli.Problem;
        }
    }
}
