namespace HmmCi.Tests.Fixtures;

/// <summary>
/// A small shared-topic world in a temp folder: one upstream repository whose branches are mainline
/// (master, tagged v6.1), the topic (hmm) and downstream trees, each created by the test.
/// A config pointing at it is written with <see cref="WriteConfig"/>.
/// </summary>
public sealed class TopicScenario : IDisposable
{
    public TopicScenario()
    {
        Upstream = new GitRepository(Directory.Combine("upstream"));
        Upstream.Commit("Linux 6.1", new Dictionary<string, string?>
        {
            ["Makefile"] = "VERSION = 6\nPATCHLEVEL = 1\n",
            ["mm/hmm.c"] = "// SPDX-License-Identifier: GPL-2.0-only\nint hmm_range_fault(void)\n{\n\treturn 0;\n}\n",
            ["include/linux/hmm.h"] = "#ifndef _LINUX_HMM_H\n#define _LINUX_HMM_H\nint hmm_range_fault(void);\n#endif\n",
        }, author: "Linus Torvalds <torvalds@example.org>");
        Upstream.Git("tag", "-a", "v6.1", "-m", "Linux 6.1");
    }

    public TempDirectory Directory { get; } = new();
    public GitRepository Upstream { get; }

    /// <summary>Starts a branch at v6.1 (or another start point) and checks it out.</summary>
    public void Branch(string name, string startPoint = "v6.1") => Upstream.Checkout(name, create: true, startPoint);

    public string WriteConfig(IEnumerable<(string Name, string Branch)> trees, string topicBranch = "hmm", string extra = "")
    {
        var lines = new List<string>
        {
            $"topic: {{ name: hmm, url: {Upstream.Path}, branch: {topicBranch} }}",
            $"mainline: {{ url: {Upstream.Path}, branch: master }}",
            "trees:",
        };
        lines.AddRange(trees.Select(t => $"  - {{ name: {t.Name}, url: {Upstream.Path}, branch: {t.Branch} }}"));
        return Directory.WriteFile("hmmci.yml", string.Join("\n", lines) + "\n" + extra);
    }

    public void Dispose() => Directory.Dispose();
}
