using HmmCi.Processes;

namespace HmmCi.Prerequisites;

/// <summary>Debian packages a run needs that are missing and could not be installed; the run exits 2.</summary>
public sealed class MissingPrerequisitesException(string message) : Exception(message);

/// <summary>Makes sure the Debian packages a plan needs are installed: installs them as root, else says how.</summary>
public sealed class AptPrerequisites(Action<string> progress, IProcessRunner? runner = null)
{
    private readonly IProcessRunner _runner = runner ?? ProcessRunner.Default;

    public async Task<IReadOnlyList<string>> MissingAsync(IEnumerable<string> packages, CancellationToken cancellation = default)
    {
        var missing = new List<string>();
        foreach (var package in packages.Distinct())
        {
            var query = await _runner.RunAsync(new ProcessSpec("dpkg-query", ["-W", "-f=${Status}", package]), cancellation);
            if (query.ExitCode != 0 || !query.Output.Contains("install ok installed", StringComparison.Ordinal))
                missing.Add(package);
        }
        return missing;
    }

    public async Task EnsureAsync(IReadOnlyCollection<string> packages, bool isRoot, CancellationToken cancellation = default)
    {
        var missing = await MissingAsync(packages, cancellation);
        if (missing.Count == 0) return;
        var install = $"apt-get install -y --no-install-recommends {string.Join(' ', missing)}";
        if (!isRoot)
            throw new MissingPrerequisitesException($"missing Debian packages: {string.Join(", ", missing)}; run: sudo apt-get update && sudo {install}");

        progress($"installing {string.Join(", ", missing)} with apt-get");
        foreach (var args in new[] { "update -qq", install["apt-get ".Length..] })
        {
            var result = await _runner.RunAsync(new ProcessSpec("apt-get", args.Split(' '))
            {
                Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
            }, cancellation);
            if (!result.Success)
                throw new MissingPrerequisitesException($"apt-get {args} failed: {result.Error.Trim().Split('\n').LastOrDefault()}");
        }
    }
}
