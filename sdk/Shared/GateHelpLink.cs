namespace SecureByDesign.Gates
{
    /// <summary>
    /// Where each gate code's page is. Compiled into both the tasks and sbd (a linked file), which must not reference
    /// each other: the tasks load into MSBuild, sbd's dependencies must not.
    /// </summary>
    internal static class GateHelpLink
    {
        /// <summary>The folder of the pages; the code and <c>.md</c> follow.</summary>
        public const string Base = "https://github.com/SecureByDesign/SecureByDesign/blob/main/docs/gates/";

        /// <summary>The page of <paramref name="code"/>.</summary>
        public static string For(string code) => Base + code + ".md";
    }
}
