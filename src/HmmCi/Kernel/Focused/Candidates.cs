using System.Text.RegularExpressions;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Kernel.Focused;

/// <summary>The commits one focused compile looks at: the topic's range, the downstream head and their test merge.</summary>
public sealed record FocusedCommits(string TopicBase, string TopicHead, string TreeHead, string Merged);

/// <summary>The files to compile, in priority order, each with its reason; those over the cap; what the topic changed.</summary>
public sealed record CandidateSelection(IReadOnlyList<FocusedFile> Files, IReadOnlyList<FocusedFile> LeftOut, IReadOnlyList<ChangedIdentifier> Identifiers);

/// <summary>
/// Picks what a focused compile compiles, without a checkout (everything is read from the store):
/// 1. every .c file of the merged tree that still mentions an identifier the topic removed, renamed or whose
///    declaration it changed (<c>git grep -w</c> on the merged commit);
/// 2. every .c file the topic changed;
/// 3. the .c files the downstream tree changed since its merge base with the topic that include a header the topic
///    changed (not every file the downstream changed: drm-next changes thousands per cycle).
/// Past <c>maxFiles</c> the priority holds and the rest is listed as left out, never dropped silently.
/// </summary>
public static partial class Candidates
{
    public static async Task<CandidateSelection> SelectAsync(GitCli git, FocusedCommits commits, int maxFiles, CancellationToken cancellation)
    {
        var diff = await Read(git, cancellation, "diff", "-U0", "--no-color", "--no-renames", commits.TopicBase, commits.TopicHead);
        var identifiers = TopicInterface.Read(diff);
        var chosen = new List<FocusedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string file, string reason)
        {
            if (seen.Add(file)) chosen.Add(new FocusedFile(file, reason));
        }

        if (identifiers.Count > 0)
        {
            var byName = identifiers.ToDictionary(i => i.Name);
            var grep = await git.RunAsync(["grep", "-w", "-o", "-I", .. identifiers.SelectMany(i => new[] { "-e", i.Name }), commits.Merged, "--", "*.c"],
                cancellation: cancellation);
            // git grep exits 1 when nothing matches.
            if (grep.ExitCode > 1) throw new GitException($"git grep on {Short(commits.Merged)}: {GitCli.FirstLines(grep.Error)}");
            var uses = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var line in Lines(grep.Output))
            {
                // <commit>:<path>:<match>
                var rest = line[(commits.Merged.Length + 1)..];
                var colon = rest.LastIndexOf(':');
                var (file, name) = (rest[..colon], rest[(colon + 1)..]);
                if (!uses.TryGetValue(file, out var names)) uses[file] = names = new SortedSet<string>(StringComparer.Ordinal);
                names.Add(name);
            }
            foreach (var (file, names) in uses)
                Add(file, string.Join("; ", names.Select(n => byName[n].Reason)));
        }

        var merged = (await Read(git, cancellation, "ls-tree", "-r", "--name-only", commits.Merged)).Split('\n').ToHashSet(StringComparer.Ordinal);
        var topicFiles = Lines(await Read(git, cancellation, "diff", "--name-only", "--no-renames", commits.TopicBase, commits.TopicHead)).ToList();
        foreach (var file in topicFiles.Where(f => f.EndsWith(".c", StringComparison.Ordinal) && merged.Contains(f)))
            Add(file, "changed by the topic");

        var headers = topicFiles.Where(f => f.EndsWith(".h", StringComparison.Ordinal)).ToList();
        if (headers.Count > 0)
        {
            var mergeBase = (await Read(git, cancellation, "merge-base", commits.TreeHead, commits.TopicHead)).Trim();
            var downstream = Lines(await Read(git, cancellation, "diff", "--name-only", "--no-renames", mergeBase, commits.TreeHead, "--", "*.c"))
                .Where(merged.Contains).ToList();
            if (downstream.Count > 0)
            {
                var includes = await git.RunAsync(["grep", "-E", "-I", @"^\s*#\s*include\s*[<""]", commits.Merged, "--", .. downstream], cancellation: cancellation);
                if (includes.ExitCode > 1) throw new GitException($"git grep on {Short(commits.Merged)}: {GitCli.FirstLines(includes.Error)}");
                foreach (var line in Lines(includes.Output))
                {
                    var rest = line[(commits.Merged.Length + 1)..];
                    var file = rest[..rest.IndexOf(':')];
                    if (Include().Match(rest) is not { Success: true } m) continue;
                    if (headers.FirstOrDefault(h => Includes(file, m.Groups["path"].Value, h)) is { } header)
                        Add(file, $"changed downstream since the merge base and includes {header}, which the topic changes");
                }
            }
        }

        var kept = chosen.Take(maxFiles).ToList();
        var leftOut = chosen.Skip(maxFiles)
            .Select(f => new FocusedFile(f.File, $"over kernel.focused.maxFiles ({maxFiles}): {f.Reason}")).ToList();
        return new CandidateSelection(kept, leftOut, identifiers);
    }

    /// <summary>Whether <c>#include</c> of <paramref name="spelled"/> in <paramref name="file"/> names <paramref name="header"/>.</summary>
    static bool Includes(string file, string spelled, string header)
    {
        if (header == $"include/{spelled}" || header == $"include/uapi/{spelled}") return true;
        if (header.StartsWith("arch/", StringComparison.Ordinal) && (header.EndsWith($"/include/{spelled}", StringComparison.Ordinal)
            || header.EndsWith($"/include/uapi/{spelled}", StringComparison.Ordinal))) return true;
        var local = Path.GetFullPath(Path.Combine("/", Path.GetDirectoryName(file) ?? "", spelled))[1..];
        return header == local;
    }

    static async Task<string> Read(GitCli git, CancellationToken cancellation, params string[] arguments)
    {
        var result = await git.RunAsync(arguments, cancellation: cancellation);
        return result.Success ? result.Output : throw new GitException($"git {string.Join(' ', arguments.Take(2))}: {GitCli.FirstLines(result.Error)}");
    }

    static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static string Short(string sha) => sha[..Math.Min(12, sha.Length)];

    [GeneratedRegex(@":\s*#\s*include\s*[<""](?<path>[^>""]+)[>""]")]
    private static partial Regex Include();
}
