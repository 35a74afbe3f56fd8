using System.Text.RegularExpressions;

namespace HmmCi.Merging;

/// <summary>
/// One conflicted path of a merge: its kind, git's message(s) about it, its index stages, and every path the
/// messages name with it (a rename's other name), whose history explains the conflict too.
/// </summary>
public sealed record Conflict(string Path, string Kind, string? Message, IReadOnlyList<ConflictedEntry> Entries, IReadOnlyList<string> RelatedPaths)
{
    public bool IsRegularFile => Entries.Count == 0 || Entries.All(e => e.Mode is "100644" or "100755");
}

/// <summary>Turns merge-tree's entries and messages into one conflict per path, each with a kind a maintainer knows.</summary>
public static partial class ConflictClassifier
{
    public static IReadOnlyList<Conflict> Classify(MergeTreeOutput output)
    {
        var conflictMessages = output.Messages.Where(m => m.IsConflict).ToList();
        var staged = output.Entries.GroupBy(e => e.Path, StringComparer.Ordinal).ToList();
        var stagedPaths = staged.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var conflicts = staged.Select(g =>
        {
            var messages = conflictMessages.Where(m => m.Paths.Contains(g.Key)).ToList();
            return new Conflict(g.Key, KindOf(messages, g.ToList()), Join(messages), g.ToList(), Related(g.Key, messages));
        }).ToList();

        // Some conflicts leave no stages, e.g. a file git moved out of a directory's way (file/directory):
        // they are reported at git's primary path.
        conflicts.AddRange(conflictMessages
            .Where(m => !m.Paths.Any(stagedPaths.Contains))
            .GroupBy(m => m.Paths[0], StringComparer.Ordinal)
            .Select(g => new Conflict(g.Key, KindOf(g.ToList(), []), Join(g.ToList()), [], Related(g.Key, g.ToList()))));
        return conflicts.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The most specific kind: submodule and binary first (their "content" message is misleading), then git's own
    /// label from the message text (merge-ort types add/add as "contents", but its text says add/add), then stages.
    /// </summary>
    internal static string KindOf(IReadOnlyList<MergeMessage> messages, IReadOnlyList<ConflictedEntry> entries)
    {
        var labels = messages.Select(Label).ToList();
        if (entries.Any(e => e.Mode == "160000") || labels.Any(l => l.StartsWith("submodule", StringComparison.Ordinal))) return "submodule";
        if (labels.Contains("binary")) return "binary";
        var specific = labels.Select(Normalize).FirstOrDefault(l => l != "content");
        if (specific is not null) return specific;
        if (entries.Any(e => e.Mode == "120000")) return "symlink";
        if (labels.Count > 0) return "content";

        var stages = entries.Select(e => e.Stage).ToHashSet();
        return stages.SetEquals([1, 2, 3]) ? "content"
            : stages.SetEquals([2, 3]) ? "add/add"
            : stages.Contains(1) && stages.Count == 2 ? "modify/delete"
            : "unknown";
    }

    private static string Label(MergeMessage message)
    {
        var fromText = ConflictLabel().Match(message.Text);
        if (fromText.Success) return fromText.Groups[1].Value;
        var fromType = ConflictLabel().Match(message.Type);
        return fromType.Success ? fromType.Groups[1].Value : message.Type;
    }

    // The issue's and linux-next's wording for git's "file/directory".
    private static string Normalize(string label) => label switch
    {
        "file/directory" => "directory/file",
        "contents" => "content",
        _ => label,
    };

    private static List<string> Related(string path, IEnumerable<MergeMessage> messages) =>
        messages.SelectMany(m => m.Paths).Prepend(path).Distinct(StringComparer.Ordinal).ToList();

    private static string? Join(IReadOnlyList<MergeMessage> messages) =>
        messages.Count == 0 ? null : string.Join("\n", messages.Select(m => m.Text).Distinct());

    [GeneratedRegex(@"^CONFLICT ?\(([^)]+)\)")]
    private static partial Regex ConflictLabel();
}
