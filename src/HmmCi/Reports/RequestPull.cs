using System.Text;
using HmmCi.Processes;
using HmmCi.Reports.Email;
using HmmCi.Trees;

namespace HmmCi.Reports;

/// <summary>
/// pull-request.txt: what the topic's maintainer sends Linus early in the merge window. First exactly what
/// <c>git request-pull &lt;base&gt; &lt;url&gt; &lt;tag&gt;</c> prints (git itself writes it, so it is byte-identical), then
/// the conflicts Linus will meet with the downstream trees and how they were resolved, from the merge-window
/// simulation and the recorded resolutions.
/// </summary>
public sealed class RequestPull(string storeGitDirectory, string resolutionsDirectory, IProcessRunner? runner = null)
{
    private readonly IProcessRunner _runner = runner ?? ProcessRunner.Default;

    /// <summary>The text, and git's warnings (e.g. the tag is not pushed to the URL).</summary>
    public async Task<(string Text, string Warnings)> RenderAsync(MergeReadinessReport report, string tag, CancellationToken cancellation = default)
    {
        if (report.Topic.Base is not { } topicBase) throw new RequestPullException("the topic's base is not known (Fetch or Check did not run)");
        // A scratch repository borrowing the store's objects: the tag is fetched from the topic's own URL (as Linus
        // will), and the store's refs stay as Fetch left them.
        var scratch = Path.Combine(Path.GetTempPath(), "hmmci-request-pull-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var git = new GitCli(scratch, _runner);
            var init = await git.RunAsync(["init", "-q", "--bare", scratch], cancellation: cancellation);
            if (!init.Success) throw new RequestPullException($"git init -q --bare {scratch}: {GitCli.FirstLines(init.Error)}");
            await File.WriteAllTextAsync(Path.Combine(scratch, "objects", "info", "alternates"), Path.Combine(Path.GetFullPath(storeGitDirectory), "objects") + "\n", cancellation);
            var fetch = await git.RunAsync(["fetch", "-q", "--no-tags", report.Topic.Url, $"+refs/tags/{tag}:refs/tags/{tag}"], cancellation: cancellation);
            if (!fetch.Success) throw new RequestPullException($"--request-pull: no tag {tag} in {report.Topic.Url}: {GitCli.FirstLines(fetch.Error)}");
            var pull = await git.RunAsync(["request-pull", topicBase, report.Topic.Url, tag], cancellation: cancellation, timeout: TimeSpan.FromMinutes(5));
            // git exits 1 when the URL lacks the tag, and still prints the request: keep it, and say so.
            if (pull.ExitCode is not (0 or 1) || pull.Output.Length == 0)
                throw new RequestPullException($"git request-pull failed: {GitCli.FirstLines(pull.Error)}");
            return (pull.Output + await ConflictsAsync(report, cancellation), pull.Error.Trim());
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The section after git's text, in the words of a pull request to Linus.</summary>
    public async Task<string> ConflictsAsync(MergeReadinessReport report, CancellationToken cancellation = default)
    {
        var topic = report.Topic.Name;
        var window = report.MergeWindow;
        var text = new StringBuilder("\n----------------------------------------------------------------\n");
        text.Append("Conflicts with the downstream trees\n\n");
        if (window.Status is MergeStatus.Skipped or MergeStatus.Error || window.Steps.Count == 0)
            return text.Append(Prose.Wrap($"The merge window was not simulated ({window.Reason ?? WireNames.Of(window.Status)}), so the conflicts with the downstream trees are not known.")).Append('\n').ToString();

        var trees = report.Trees.Select(t => t.Name).ToList();
        var notes = new List<string>();
        foreach (var step in window.Steps.Where(s => s.Status == MergeStatus.Resolved))
        {
            var tree = report.Trees.FirstOrDefault(t => t.Name == step.Tree);
            var paths = tree?.Merge.Conflicts.Where(c => c.Resolution == ResolutionStatus.Applied).ToList() ?? [];
            var note = new StringBuilder(Prose.Wrap($"The {step.Tree} tree conflicts with this in {string.Join(", ", paths.Select(c => c.Path).DefaultIfEmpty("some files"))}. "
                + $"It is resolved as recorded in {tree?.Merge.Resolution ?? "its recorded resolution"}:")).Append("\n\n");
            foreach (var c in paths)
            {
                note.Append(Cited(c.TopicCommits, topic)).Append(Cited(c.TreeCommits, step.Tree));
                if (await ResolutionDiffAsync(step.Tree, c.Path, cancellation) is { } diff) note.Append(diff).Append('\n');
            }
            notes.Add(note.ToString().TrimEnd('\n') + "\n");
        }
        foreach (var c in window.Conflicts)
        {
            var note = new StringBuilder(Prose.Wrap($"When you merge the {c.Trees[1]} tree there will be a conflict in {c.Path} ({c.Kind}) with {(c.Trees[0] == Merging.MergeWindowSimulation.SoFar ? c.Trees[0] : $"the {c.Trees[0]} tree")}. "
                + "It has no recorded resolution yet.")).Append("\n\n");
            foreach (var side in c.Sides) note.Append(Cited(side.Commits, side.Tree));
            if (c.Excerpt is not null) note.Append(c.Excerpt.TrimEnd('\n')).Append('\n');
            notes.Add(note.ToString().TrimEnd('\n') + "\n");
        }
        if (notes.Count == 0)
            return text.Append(Prose.Wrap($"I merged this with the {Prose.List(trees)} tree{(trees.Count == 1 ? "" : "s")} as you will pull them (on {Sha12(report.Mainline.Head)}) and there were no conflicts.")).Append('\n').ToString();
        return text.Append(string.Join("\n", notes)).ToString();
    }

    private static string Cited(List<CommitRef> commits, string tree) => commits.Count == 0 ? "" :
        $"{(commits.Count == 1 ? "Commit" : "Commits")} from the {tree} tree:\n{string.Concat(commits.Select(c => $"  {c}\n"))}\n";

    /// <summary>The recorded resolution as a diff from the conflicted file to the resolved one.</summary>
    private async Task<string?> ResolutionDiffAsync(string tree, string path, CancellationToken cancellation)
    {
        var pre = Path.Combine(resolutionsDirectory, tree, "preimage", path);
        var post = Path.Combine(resolutionsDirectory, tree, "postimage", path);
        if (!File.Exists(pre)) return null;
        var result = await _runner.RunAsync(new ProcessSpec("diff", ["-u", "--label", $"a/{path} (conflict)", "--label", $"b/{path} (resolved)", pre, File.Exists(post) ? post : "/dev/null"]), cancellation);
        return result.ExitCode == 1 ? result.Output.TrimEnd('\n') : null;
    }

    private static string Sha12(string? sha) => sha is null ? "?" : sha[..Math.Min(12, sha.Length)];
}

public sealed class RequestPullException(string message) : Exception(message);
