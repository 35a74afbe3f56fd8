using HmmCi.Build.Engine;
using HmmCi.Config;
using HmmCi.GitHub;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Build;

/// <summary>
/// The HmmCi pipeline: config → trees → checks → merges → builds → selftests → report → publish.
/// Each target lives in its own partial file and only wires library calls from src/HmmCi.
/// </summary>
public partial class Pipeline : PipelineBuild
{
    public static int Main(string[] args)
    {
        var pipeline = new Pipeline();
        using var signals = pipeline.CancelOnSignals();
        return pipeline.Run(args, Environment.GetEnvironmentVariable, IBuildHost.ForEnvironment(Environment.GetEnvironmentVariable));
    }

    /// <summary>Runs the given targets, or by default everything up to Selftests (and always Report), then Publish when there is a GitHub token.</summary>
    public int Run(string[] args, Func<string, string?> environment, IBuildHost host)
    {
        ProcessEnvironment = environment;
        return GitHubTarget.HasToken(environment) ? Run(args, environment, host, Check, Selftests, Publish) : Run(args, environment, host, Check, Selftests);
    }

    /// <summary>The process environment, as the run was given it (tests give their own).</summary>
    protected Func<string, string?> ProcessEnvironment { get; private set; } = System.Environment.GetEnvironmentVariable;

    [Parameter("The pipeline config file")]
    public string Config = "hmmci.yml";

    [Parameter("Where report.json, report.md and logs are written")]
    public string Output = "artifacts";

    [Parameter("Where the object store and work trees live")]
    public string Workspace = ".hmmci";

    [Parameter("Only these downstream trees (by name); the topic and mainline are always fetched")]
    public string[] Tree = [];

    HmmCiConfig? _config;
    MergeReadinessReport? _report;
    TreeStore? _store;

    /// <summary>The loaded config; loading happens before any target runs.</summary>
    protected HmmCiConfig Settings => _config ?? throw new InvalidOperationException("config not loaded");

    protected MergeReadinessReport ReadinessReport => _report ?? throw new InvalidOperationException("config not loaded");

    protected TreeStore Store => _store ?? throw new InvalidOperationException("Fetch has not opened the store");

    /// <summary>Whether Fetch pinned the heads this run; stages reading the store skip without it (e.g. --skip Fetch).</summary>
    protected bool FetchRan => _store is not null;

    protected override IReadOnlyDictionary<string, string> LoadParameterDefaults()
    {
        var knownParameters = Parameter.Of(GetType()).Select(p => p.ConfigKey).ToArray();
        try
        {
            _config = ConfigLoader.Load(Config, knownParameters);
        }
        catch (ConfigException e)
        {
            throw new UsageException(e.Message, e.File, e.Line);
        }
        return _config.Parameters;
    }

    /// <summary>Builds the report skeleton once every parameter is known.</summary>
    protected override void OnParametersReady()
    {
        var unknown = Tree.Where(t => Settings.Trees.All(c => c.Name != t)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"--tree: no tree named {string.Join(", ", unknown)} in {Config} (trees: {string.Join(", ", Settings.Trees.Select(t => t.Name))})");
        _report = new MergeReadinessReport
        {
            Config = Path.GetFullPath(Config),
            Topic = new TopicReport { Name = Settings.Topic.Name, Url = Settings.Topic.Url, Branch = Settings.Topic.Branch },
            Mainline = new MainlineReport { Url = Settings.Mainline.Url, Branch = Settings.Mainline.Branch },
        };
        foreach (var tree in Settings.Trees.Where(t => Tree.Length == 0 || Tree.Contains(t.Name)))
            _report.Trees.Add(new TreeReport { Name = tree.Name, Url = tree.Url, Branch = tree.Branch });
    }

    /// <summary>0 ready, 1 not ready (a problem was found), 4 incomplete (nothing found, not everything verified), 3 HmmCi itself failed.</summary>
    protected override int ExitCode() =>
        Results.Any(r => r.Status == TargetStatus.Failed) ? ExitToolFailure
        : _report?.Verdict switch { Verdict.Ready => 0, Verdict.Incomplete => ExitIncomplete, _ => 1 };
}
