using HmmCi.Reports;

namespace HmmCi.Config;

/// <summary>The <c>kernel:</c> section: how the Build stage builds, and what its results mean for the verdict.</summary>
public sealed class KernelConfig
{
    public static readonly KernelConfig Default = new();

    /// <summary>The values <see cref="Runtime"/> takes.</summary>
    public static readonly IReadOnlyList<string> Runtimes = ["auto", "podman", "docker", "host"];

    /// <summary>
    /// Where builds run: <c>podman</c> or <c>docker</c> containers, or <c>host</c> (the machine's own toolchain,
    /// only when asked); <c>auto</c> takes a container engine that can really start containers.
    /// </summary>
    public string Runtime { get; init; } = "auto";

    /// <summary>Whether a warning the merged build has and its baseline has not blocks the verdict (error) or is listed (warning).</summary>
    public Severity NewWarnings { get; init; } = Severity.Warning;
}
