using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace SecureByDesign.Updates.Client
{
    /// <summary>Fetches over HTTP(S) with a caller-owned or a private <see cref="HttpClient"/>.</summary>
    public sealed class HttpFetcher : IFetcher
    {
        private readonly HttpClient _client;

        /// <summary>Creates a fetcher; without a client it makes one with a 30-second timeout.</summary>
        public HttpFetcher(HttpClient? client = null)
        {
            _client = client ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        }

        /// <inheritdoc />
        public async Task<Stream> OpenAsync(Uri url, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                int status = (int)response.StatusCode;
                response.Dispose();
                throw new FetchException(url, status);
            }

            return await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        }
    }
}
