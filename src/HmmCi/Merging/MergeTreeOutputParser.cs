using System.Globalization;

namespace HmmCi.Merging;

/// <summary>One index entry of a conflicted path as git merge-tree lists it: stage 1 is the base, 2 ours, 3 theirs.</summary>
public sealed record ConflictedEntry(string Mode, string ObjectId, int Stage, string Path);

/// <summary>One of merge-ort's informational messages: the paths it concerns (git's primary path first), its type and text.</summary>
public sealed record MergeMessage(IReadOnlyList<string> Paths, string Type, string Text)
{
    public bool IsConflict => Type.StartsWith("CONFLICT", StringComparison.Ordinal);
}

/// <summary>What <c>git merge-tree --write-tree -z --messages</c> printed. The tree holds conflict markers when not clean.</summary>
public sealed record MergeTreeOutput(string Tree, bool Clean, IReadOnlyList<ConflictedEntry> Entries, IReadOnlyList<MergeMessage> Messages);

/// <summary>
/// Parses merge-tree's -z output: the tree, NUL; conflicted entries "mode oid stage\tpath", each NUL-ended; an
/// empty field; then messages as "count NUL path... NUL type NUL text NUL". Git may append free advice text
/// (e.g. about submodules) after the messages; it is not a message and is ignored.
/// </summary>
public static class MergeTreeOutputParser
{
    public static MergeTreeOutput Parse(string output, bool clean)
    {
        var fields = output.Split('\0');
        var tree = fields[0].Trim();
        if (tree.Length is not (40 or 64) || !tree.All(char.IsAsciiHexDigitLower))
            throw new FormatException($"git merge-tree printed no tree id: '{Shorten(output)}'");

        var entries = new List<ConflictedEntry>();
        var i = 1;
        for (; i < fields.Length && fields[i].Length > 0; i++) entries.Add(ParseEntry(fields[i]));
        i++; // the empty field that ends the conflicted-file list

        var messages = new List<MergeMessage>();
        while (i < fields.Length
               && int.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
               && i + count + 2 < fields.Length)
        {
            var paths = fields[(i + 1)..(i + 1 + count)];
            messages.Add(new MergeMessage(paths, fields[i + 1 + count], fields[i + 2 + count].TrimEnd('\n')));
            i += count + 3;
        }
        return new MergeTreeOutput(tree, clean, entries, messages);
    }

    private static ConflictedEntry ParseEntry(string field)
    {
        var tab = field.IndexOf('\t');
        var parts = tab < 0 ? [] : field[..tab].Split(' ');
        if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var stage))
            throw new FormatException($"git merge-tree printed a conflicted entry HmmCi cannot read: '{Shorten(field)}'");
        return new ConflictedEntry(parts[0], parts[1], stage, field[(tab + 1)..]);
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
