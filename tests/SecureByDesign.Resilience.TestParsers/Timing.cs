using System;
using System.Threading;

namespace Vendor.Content;

/// <summary>A parser whose speed depends on the machine, not the content. Not marked: tests name it.</summary>
public static class Timing
{
    private static int calls;

    /// <summary>The first call in a process is slow, as on a starved build machine; every later call is quick.</summary>
    public static int SlowOnce(byte[] data)
    {
        if (Interlocked.Increment(ref calls) == 1)
        {
            Thread.Sleep(700);
        }

        return data.Length;
    }
}

/// <summary>A parser that allocates past a 64 MB limit in one quick step. Not marked: tests name it.</summary>
public static class Memory
{
    /// <summary>Allocates 80 MB and returns at once, often between two samples of the memory watchdog.</summary>
    public static int QuickOverLimit(byte[] data)
    {
        byte[] block = GC.AllocateUninitializedArray<byte>(80 << 20);
        return block.Length + data.Length;
    }
}
