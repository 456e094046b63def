using System;
using System.Runtime.InteropServices;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Whether a path names a regular file, asked without opening it: opening a FIFO blocks until a writer
    /// comes, and a device can stream without end. netstandard2.0 has no API for the file type, so on Unix
    /// this asks <c>lstat</c> through the .NET runtime's own native shim (System.Native), whose status record
    /// starts with two 32-bit fields, flags then <c>st_mode</c>.
    /// </summary>
    internal static class RegularFile
    {
        private const int TypeMask = 0xF000;
        private const int Regular = 0x8000;

        /// <summary>True or false when known; null when the platform cannot tell (no System.Native: Mono, .NET Framework).</summary>
        public static bool? IsRegular(string fullPath)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return true; // no FIFOs or devices in the Windows file system; reparse points are rejected before
            }

            try
            {
                byte[] status = new byte[512];
                if (LStat(fullPath, status) != 0)
                {
                    return null;
                }

                return (BitConverter.ToInt32(status, 4) & TypeMask) == Regular;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern int LStat(string path, byte[] status);
    }
}
