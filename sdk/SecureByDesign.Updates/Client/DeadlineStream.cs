using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SecureByDesign.Updates.Client
{
    /// <summary>
    /// A response body that must be read to its end before a deadline (slow retrieval: a server that sends a
    /// byte now and then would otherwise hold the client forever). Past it, every read fails with an
    /// <see cref="IOException"/>, which the updater reports as a failed download.
    /// </summary>
    internal sealed class DeadlineStream : Stream
    {
        private readonly Stream _inner;
        private readonly IDisposable _owner;
        private readonly CancellationTokenSource _deadline;
        private readonly TimeSpan _limit;

        public DeadlineStream(Stream inner, IDisposable owner, TimeSpan limit)
        {
            _inner = inner;
            _owner = owner;
            _limit = limit;
            _deadline = new CancellationTokenSource(limit);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
            try
            {
                return await _inner.ReadAsync(buffer, offset, count, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"the body did not arrive within {_limit.TotalSeconds:0.##} s (slow retrieval)");
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _owner.Dispose();
                _deadline.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
