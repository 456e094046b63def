using System.Diagnostics;
using System.Net;
using SecureByDesign.Updates.Client;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Updates.Tests.Client;

/// <summary>Slow retrieval: a server that sends its headers, then the body a byte at a time.</summary>
public class HttpFetcherTests
{
    [Fact]
    public async Task SlowBody_PastTheDeadline_IsADownloadFailure()
    {
        using var client = new HttpClient(new DrippingHandler(bytes: 200, delay: TimeSpan.FromMilliseconds(100)));
        var fetcher = new HttpFetcher(client, bodyDeadline: TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        UpdateException e = await Assert.ThrowsAnyAsync<UpdateException>(() =>
            CappedDownload.ReadAsync(fetcher, new Uri("https://repository.invalid/metadata/timestamp.json"), 2000, ProblemCodes.MetadataTooLarge, CancellationToken.None));
        Assert.Equal(ProblemCodes.DownloadFailed, e.Code);
        Assert.Contains("slow retrieval", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Body_WithinTheDeadline_IsRead()
    {
        using var client = new HttpClient(new DrippingHandler(bytes: 5, delay: TimeSpan.FromMilliseconds(10)));
        var fetcher = new HttpFetcher(client, bodyDeadline: TimeSpan.FromSeconds(10));
        byte[] body = await CappedDownload.ReadAsync(fetcher, new Uri("https://repository.invalid/x"), 100, ProblemCodes.MetadataTooLarge, CancellationToken.None);
        Assert.Equal(5, body.Length);
    }

    private sealed class DrippingHandler(int bytes, TimeSpan delay) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new DrippingStream(bytes, delay)) });
    }

    private sealed class DrippingStream(int bytes, TimeSpan delay) : Stream
    {
        private int _left = bytes;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0 || buffer.Length == 0)
            {
                return 0;
            }

            await Task.Delay(delay, cancellationToken);
            _left--;
            buffer.Span[0] = (byte)'x';
            return 1;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
