namespace HmmCi.Config;

/// <summary>A git tree as hmmci.yml names it. <see cref="Url"/> is absolute for local paths.</summary>
public sealed record TreeConfig(string Name, string Url, string Branch);

/// <summary>A script that generates the trees the config points at (the bundled sample), run before Fetch.</summary>
public sealed record SampleConfig(string Script, string Output);

/// <summary>The whole of hmmci.yml.</summary>
public sealed record HmmCiConfig(
    string Path,
    TreeConfig Topic,
    TreeConfig Mainline,
    IReadOnlyList<TreeConfig> Trees,
    SampleConfig? Sample,
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The folder relative paths in the config resolve against.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    /// <summary>Topic, mainline, then the downstream trees, in config order.</summary>
    public IEnumerable<TreeConfig> AllTrees => Trees.Prepend(Mainline).Prepend(Topic);
}

/// <summary>Bad input in a config file; the message starts with <c>file:line:col:</c>.</summary>
public sealed class ConfigException(string message) : Exception(message);
