using HmmCi.Config;
using HmmCi.Kernel;
using HmmCi.Kernel.Runtimes;
using HmmCi.Merging;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;
using HmmCi.Trees;

namespace HmmCi.Tests.Kernel;

/// <summary>
/// A real git repository holding the fake kernel tree (Kernel/FakeLinux: a Makefile that answers like Kbuild and
/// compiles with the real gcc), with helpers to commit downstream and merged states, a report as Merge leaves it,
/// and a run of the real Build stage over them.
/// </summary>
public sealed class FakeKernel : IDisposable
{
    public FakeKernel()
    {
        Repo = new GitRepository(Directory.Combine("repo"));
        var source = Path.Combine(AppContext.BaseDirectory, "Kernel", "FakeLinux");
        Base = Repo.Commit("fake v6.1", Directory2Files(source));
    }

    public TempDirectory Directory { get; } = new();
    public GitRepository Repo { get; }
    public string Base { get; }
    public string Workspace => Directory.Combine("workspace");
    public string Output => Directory.Combine("out");
    public RunIdentity Run { get; } = RunIdentity.New();
    public List<string> Lines { get; } = [];

    /// <summary>A commit on top of <paramref name="parent"/> (the base by default) changing the given files.</summary>
    public string Commit(string message, IReadOnlyDictionary<string, string?> files, string? parent = null)
    {
        Repo.Git("checkout", "-q", "--detach", parent ?? Base);
        return Repo.Commit(message, files);
    }

    public HmmCiConfig Config(string kernelYaml = "kernel: { runtime: host }") => ConfigLoader.Parse($"""
        topic:    {"{"} name: hmm, url: {Repo.Path}, branch: hmm {"}"}
        mainline: {"{"} url: {Repo.Path}, branch: master {"}"}
        trees:
          - {"{"} name: rdma, url: {Repo.Path}, branch: for-next {"}"}
          - {"{"} name: drm, url: {Repo.Path}, branch: drm-next {"}"}
        {kernelYaml}
        """, Directory.WriteFile("hmmci.yml", ""));

    /// <summary>A report as Merge leaves it: each tree with its head and this run's merge commit, or a conflict.</summary>
    public static MergeReadinessReport Report(params (string Tree, string Head, string? Merged)[] trees)
    {
        var report = new MergeReadinessReport
        {
            Topic = new TopicReport { Name = "hmm", Url = "-", Branch = "hmm" },
            Mainline = new MainlineReport { Url = "-", Branch = "master" },
        };
        foreach (var (tree, head, merged) in trees)
            report.Trees.Add(new TreeReport
            {
                Name = tree, Url = "-", Branch = "-", Head = head,
                Merge = merged is null
                    ? new MergeReport { Status = MergeStatus.Conflict, Conflicts = [new ConflictReport { Path = "lib/hmm.c", Kind = "content" }] }
                    : new MergeReport { Status = MergeStatus.Clean, Commit = merged },
            });
        return report;
    }

    public KernelBuildStage Stage(HmmCiConfig config, Func<IProcessRunner, BuildRuntime?>? runtime = null, IProcessRunner? runner = null) =>
        new(new KernelBuildStage.Settings(config, System.IO.Path.Combine(Repo.Path, ".git"), Workspace, Output, Run)
        {
            Runtime = runtime,
            ProgressInterval = TimeSpan.FromMilliseconds(200),
        }, runner ?? ProcessRunner.Default, line => { lock (Lines) Lines.Add(line); });

    public async Task<MergeReadinessReport> BuildAsync(MergeReadinessReport report, HmmCiConfig? config = null,
        Func<IProcessRunner, BuildRuntime?>? runtime = null, CancellationToken cancellation = default)
    {
        await Stage(config ?? Config(), runtime).RunAsync(report, cancellation);
        return report;
    }

    public string GitDirectory => System.IO.Path.Combine(Repo.Path, ".git");

    StoreObjects? _objects;

    /// <summary>The repository's objects in-process, as the Merge stage reads and writes the store's.</summary>
    public StoreObjects Objects => _objects ??= new StoreObjects(GitDirectory);

    /// <summary>The merge recipe over the repository, with the recorded resolutions next to the config (resolutions/).</summary>
    public MergeRecipe Merges(HmmCiConfig config) => new(new GitCli(GitDirectory), Objects, RecordedResolutions.Of(config, new GitCli(GitDirectory)));

    public string OutputFile(string? relative) => System.IO.Path.Combine(Output, relative ?? throw new InvalidOperationException("no such artifact"));

    static Dictionary<string, string?> Directory2Files(string root) =>
        System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(root, f), f => (string?)File.ReadAllText(f));

    public void Dispose()
    {
        _objects?.Dispose();
        if (Environment.GetEnvironmentVariable("HMMCI_KEEP_TEST_DIRS") is null) Directory.Dispose();
    }
}
