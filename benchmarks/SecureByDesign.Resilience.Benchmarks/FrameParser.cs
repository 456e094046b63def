using System.Buffers.Binary;
using System.IO;

namespace SecureByDesign.Resilience.Benchmarks;

/// <summary>A small, correct parser: length-prefixed frames, each length checked against what is left.</summary>
public static class FrameParser
{
    public static int Parse(ReadOnlySpan<byte> data)
    {
        int frames = 0;
        while (data.Length > 0)
        {
            if (data.Length < 4)
            {
                throw new InvalidDataException("truncated frame header");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(data);
            if (length < 0 || length > data.Length - 4)
            {
                throw new InvalidDataException("frame length past the end");
            }

            data = data.Slice(4 + length);
            frames++;
        }

        return frames;
    }

    /// <summary>A valid input of <paramref name="count"/> frames of 16 bytes.</summary>
    public static byte[] Sample(int count)
    {
        var bytes = new byte[count * 20];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 20), 16);
        }

        return bytes;
    }
}
