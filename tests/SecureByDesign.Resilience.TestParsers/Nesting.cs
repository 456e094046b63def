using System.IO;

namespace Vendor.Content;

/// <summary>Nested brackets, read by recursion with no depth limit.</summary>
public static class Nesting
{
    [ContentParser]
    public static int Depth(string text) => Read(text, 0, out _);

    private static int Read(string text, int at, out int end)
    {
        int depth = 0;
        while (at < text.Length)
        {
            char c = text[at];
            if (c == '[')
            {
                depth = System.Math.Max(depth, 1 + Read(text, at + 1, out at));
            }
            else if (c == ']')
            {
                end = at + 1;
                return depth;
            }
            else
            {
                at++;
            }
        }

        end = at;
        return depth;
    }
}
