using System.Text.RegularExpressions;
using HmmCi.Config;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;

namespace HmmCi.Kernel;

/// <summary>
/// The shell script one build runs, in the words a kernel developer would type: make O= of the base config,
/// scripts/kconfig/merge_config.sh of the fragments, make olddefconfig, make, and for a bootable config
/// headers_install and a static hmm-tests against those headers. Each step is announced by a marker line, so a
/// failure is told by its step. The result cache keys on the script itself (<see cref="BuildInputs"/>): a changed
/// recipe is a new key.
/// </summary>
public static partial class BuildScript
{
    public const string Marker = "### hmmci: ";

    /// <summary>Where the script starts and ends, in ns since the epoch: what bench/build counts as make's own time.</summary>
    public const string ClockMarker = "### hmmci-clock: ";

    /// <summary>Folder in O= that HmmCi owns: fragments, the base file, headers, the selftest copy, hmm-tests.</summary>
    public const string Folder = "hmmci";

    public const string Arch = "x86_64";

    /// <summary>
    /// The arguments of every make: the same in every build so that the result cache key and ccache hits hold
    /// (-j aside, which changes nothing in the result). <paramref name="cc"/> lets the focused compile wrap the
    /// compiler in a per-object timeout.
    /// </summary>
    public static IReadOnlyList<string> MakeArguments(BuildMounts inside, string cc = "ccache gcc") =>
        ["-C", inside.Source, $"O={inside.Output}", $"ARCH={Arch}", $"CC={cc}", "HOSTCC=ccache gcc"];

    /// <summary>Fixed build identity (init/version.c and the like), so rebuilds of the same tree hit ccache.</summary>
    static readonly string[] Environment = ["KBUILD_BUILD_TIMESTAMP=@0", "KBUILD_BUILD_USER=hmmci", "KBUILD_BUILD_HOST=hmmci"];

    /// <summary>The fragment files the script merges, relative to O=, in order, each with its content.</summary>
    public static IReadOnlyList<(string File, string Content)> Fragments(KernelBuildConfig config) =>
        config.Fragments.Select((f, i) => ($"{Folder}/fragments/{i + 1:00}-{SafeName().Replace(Path.GetFileNameWithoutExtension(f.Name), "_")}.config", f.Content)).ToList();

    /// <param name="hmmTests">hmm-tests.c relative to the selftest copy in O=, or null (not bootable, or no hmm-tests in the tree).</param>
    public static string Render(KernelBuildConfig config, BuildMounts inside, int jobs, string? hmmTests)
    {
        var fragments = Fragments(config).Select(f => f.File).ToList();
        var make = Shell.Join(["make", .. MakeArguments(inside)]);
        var output = inside.Output;
        var lines = new List<string>
        {
            $"echo \"{ClockMarker}start $(date +%s%N)\"",
            $"trap 'echo \"{ClockMarker}end $(date +%s%N)\"' EXIT",
            $"export CCACHE_DIR={Shell.Quote(inside.Ccache)} {string.Join(" ", Environment)}",
        };
        void Step(string name, string command)
        {
            lines.Add($"echo {Shell.Quote(Marker + name)}");
            lines.Add(command);
        }
        if (config.BaseFile is null) Step($"make {config.Base}", $"{make} {config.Base}");
        else Step("base.config", $"cp {Folder}/base.config .config");
        if (fragments.Count > 0)
            Step("merge_config.sh", $"sh {Shell.Quote(inside.Source + "/scripts/kconfig/merge_config.sh")} -m -O {Shell.Quote(output)} .config {Shell.Join(fragments)}");
        Step("make olddefconfig", $"{make} olddefconfig");
        Step("make", $"{make} -j{jobs}");
        if (config.Boot)
        {
            Step("make headers_install", $"rm -rf {Folder}/headers && {make} headers_install INSTALL_HDR_PATH={Shell.Quote($"{output}/{Folder}/headers")}");
            if (hmmTests is not null)
                Step("hmm-tests", Shell.Join(["gcc", "-static", "-Wall", "-I", $"{output}/{Folder}/selftests", "-I", inside.Source,
                    "-isystem", $"{output}/{Folder}/headers/include", $"{output}/{Folder}/selftests/{hmmTests}", "-lrt", "-lpthread", "-o", $"{output}/{Folder}/hmm-tests"]));
        }
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The last step the log announced: the one that failed when the script stopped.</summary>
    public static string? LastStep(IEnumerable<string> log) =>
        log.LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal))?[Marker.Length..];

    /// <summary>What a file or container name may hold; anything else becomes '_'.</summary>
    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    internal static partial Regex SafeName();
}
