using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>Runs the source generators of the framework and of the packages over a compilation.</summary>
    internal sealed class GeneratorRun
    {
        /// <summary>How many generators ran.</summary>
        public int Count { get; private set; }

        /// <summary>Sources they added.</summary>
        public int GeneratedFiles { get; private set; }

        /// <summary>What could not be loaded or failed, one line each.</summary>
        public List<string> Problems { get; } = new();

        /// <summary>Loads the generators of <paramref name="assemblies"/>, runs them and replaces <paramref name="compilation"/> with the result.</summary>
        public static GeneratorRun Run(ref CSharpCompilation compilation, IEnumerable<string> assemblies, AnalyzerLoader loader, CSharpParseOptions parseOptions)
        {
            var run = new GeneratorRun();
            var generators = loader.Open(assemblies, run.Problems).SelectMany(r => r.GetGenerators(LanguageNames.CSharp)).ToList();
            run.Count = generators.Count;
            if (generators.Count == 0)
            {
                return run;
            }

            GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions);
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation updated, out ImmutableArray<Diagnostic> diagnostics);
            run.GeneratedFiles = updated.SyntaxTrees.Count() - compilation.SyntaxTrees.Count();
            run.Problems.AddRange(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
            compilation = (CSharpCompilation)updated;
            return run;
        }
    }
}
