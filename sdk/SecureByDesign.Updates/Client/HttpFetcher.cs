using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace SecureByDesign.Updates.Client
{
    /// <summary>
    /// Fetches over HTTP(S) with a caller-owned or a private <see cref="HttpClient"/>. The client's timeout
    /// covers the request up to the response headers; the body then has its own deadline
    /// (<see cref="BodyDeadline"/>), so a server that drips bytes cannot hold the client (slow retrieval).
    /// </summary>
    public sealed class HttpFetcher : IFetcher
    {
        private readonly HttpClient _client;

        /// <summary>
        /// Creates a fetcher; without a client it makes one with a 30-second timeout. <paramref name="bodyDeadline"/>
        /// is the most time from the response headers to the end of a body (default 5 minutes).
        /// </summary>
        public HttpFetcher(HttpClient? client = null, TimeSpan? bodyDeadline = null)
        {
            _client = client ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            BodyDeadline = bodyDeadline ?? TimeSpan.FromMinutes(5);
            if (BodyDeadline <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(bodyDeadline), "The body deadline must be positive.");
            }
        }

        /// <summary>The most time a response body may take to arrive in full, from its headers.</summary>
        public TimeSpan BodyDeadline { get; }

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

            Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return new DeadlineStream(body, response, BodyDeadline);
        }
    }
}
