using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SecureByDesign.Updates.Client
{
    /// <summary>
    /// Opens a remote file (python-tuf's FetcherInterface). Only transport lives here: the updater caps every
    /// read at the length it expects, so a fetcher cannot be made to deliver endless data.
    /// </summary>
    public interface IFetcher
    {
        /// <summary>Opens <paramref name="url"/> for reading; <see cref="FetchException"/> when the server refuses it.</summary>
        Task<Stream> OpenAsync(Uri url, CancellationToken cancellationToken);
    }

    /// <summary>The server answered with a status other than success (404 ends the root chain).</summary>
    public sealed class FetchException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public FetchException(Uri url, int statusCode)
            : base($"{url}: HTTP {statusCode}")
        {
            StatusCode = statusCode;
        }

        /// <summary>The HTTP status code.</summary>
        public int StatusCode { get; }
    }
}
