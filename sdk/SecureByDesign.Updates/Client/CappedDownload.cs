using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Updates.Client
{
    /// <summary>Reads a fetched file, refusing more bytes than expected as soon as they arrive (endless data).</summary>
    internal static class CappedDownload
    {
        public static async Task<byte[]> ReadAsync(IFetcher fetcher, Uri url, long maxLength, string tooLongCode, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            await CopyAsync(fetcher, url, buffer, maxLength, tooLongCode, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }

        public static async Task CopyAsync(IFetcher fetcher, Uri url, Stream destination, long maxLength, string tooLongCode, CancellationToken cancellationToken)
        {
            try
            {
                using Stream source = await fetcher.OpenAsync(url, cancellationToken).ConfigureAwait(false);
                byte[] chunk = new byte[81920];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > maxLength)
                    {
                        throw UpdateException.Create(tooLongCode, $"{url}: more than the {maxLength} bytes expected; download stopped");
                    }

                    await destination.WriteAsync(chunk, 0, read, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new DownloadException($"{url}: {e.Message}");
            }
        }
    }
}
