using CliWrap;
using CliWrap.Buffered;

namespace HmmCi.Prerequisites;

/// <summary>Debian packages a run needs that are missing and could not be installed; the run exits 2.</summary>
public sealed class MissingPrerequisitesException(string message) : Exception(message);

/// <summary>Makes sure the Debian packages a plan needs are installed: installs them as root, else says how.</summary>
public sealed class AptPrerequisites(Action<string> progress)
{
    public async Task<IReadOnlyList<string>> MissingAsync(IEnumerable<string> packages)
    {
        var missing = new List<string>();
        foreach (var package in packages.Distinct())
        {
            var query = await Cli.Wrap("dpkg-query").WithArguments(["-W", "-f=${Status}", package])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            if (query.ExitCode != 0 || !query.StandardOutput.Contains("install ok installed", StringComparison.Ordinal))
                missing.Add(package);
        }
        return missing;
    }

    public async Task EnsureAsync(IReadOnlyCollection<string> packages, bool isRoot)
    {
        var missing = await MissingAsync(packages);
        if (missing.Count == 0) return;
        var install = $"apt-get install -y --no-install-recommends {string.Join(' ', missing)}";
        if (!isRoot)
            throw new MissingPrerequisitesException($"missing Debian packages: {string.Join(", ", missing)}; run: sudo apt-get update && sudo {install}");

        progress($"installing {string.Join(", ", missing)} with apt-get");
        foreach (var args in new[] { "update -qq", install["apt-get ".Length..] })
        {
            var result = await Cli.Wrap("apt-get").WithArguments(args.Split(' '))
                .WithEnvironmentVariables(e => e.Set("DEBIAN_FRONTEND", "noninteractive"))
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            if (result.ExitCode != 0)
                throw new MissingPrerequisitesException($"apt-get {args} failed: {result.StandardError.Trim().Split('\n').LastOrDefault()}");
        }
    }
}
