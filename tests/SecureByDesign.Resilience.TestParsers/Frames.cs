using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace Vendor.Content;

/// <summary>Binary frames: a 4-byte little-endian length, then that many payload bytes, repeated.</summary>
public static class Frames
{
    /// <summary>Trusts the length field: a slice past the end throws ArgumentOutOfRangeException.</summary>
    [ContentParser]
    public static int TrustsLength(ReadOnlySpan<byte> data)
    {
        int frames = 0;
        while (data.Length > 0)
        {
            if (data.Length < 4)
            {
                throw new InvalidDataException("truncated frame header");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(data);
            ReadOnlySpan<byte> payload = data.Slice(4, length);
            data = data.Slice(4 + payload.Length);
            frames++;
        }

        return frames;
    }

    /// <summary>Checks the length field against what is left.</summary>
    [ContentParser]
    public static int Checked(byte[] data)
    {
        int frames = 0;
        int at = 0;
        while (at < data.Length)
        {
            if (data.Length - at < 4)
            {
                throw new InvalidDataException("truncated frame header");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));
            if (length < 0 || length > data.Length - at - 4)
            {
                throw new InvalidDataException("frame length past the end");
            }

            at += 4 + length;
            frames++;
        }

        return frames;
    }

    /// <summary>Walks frames by their length field, and a zero length walks forever.</summary>
    [ContentParser]
    public static int Hangs(ReadOnlyMemory<byte> memory)
    {
        ReadOnlySpan<byte> data = memory.Span;
        int frames = 0;
        int at = 0;
        while (at < data.Length)
        {
            int step = data[at];
            if (step > data.Length - at)
            {
                throw new InvalidDataException("step past the end");
            }

            at += step;
            frames++;
        }

        return frames;
    }

    /// <summary>Allocates one buffer per frame the header announces, with no cap.</summary>
    [ContentParser]
    public static int AllocatesWithoutBound(Stream stream)
    {
        var reader = new BinaryReader(stream);
        int count = reader.ReadInt32();
        var buffers = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            buffers.Add(new byte[1 << 20]);
        }

        return buffers.Count;
    }

    /// <summary>Gives up the whole process on a version it does not know.</summary>
    [ContentParser]
    public static int FailsFast(byte[] data)
    {
        if (data.Length == 0)
        {
            throw new InvalidDataException("empty");
        }

        if (data[0] > 3)
        {
            Environment.FailFast($"unknown content version {data[0]}");
        }

        return data[0];
    }
}
