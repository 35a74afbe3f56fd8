using System.Text;
using System.Text.RegularExpressions;

namespace HmmCi.Checks;

/// <summary>A <c>Key: value</c> line of a commit message, with its 1-based line number in the message.</summary>
public sealed record Trailer(string Key, string Value, int Line)
{
    public bool Is(string key) => string.Equals(Key, key, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A commit message split the way kernel tooling reads it.</summary>
public sealed partial record CommitMessage(string Subject, IReadOnlyList<string> Body, IReadOnlyList<Trailer> Trailers)
{
    /// <summary>
    /// Parses a raw message. The subject is the first paragraph joined with spaces, as git's <c>%s</c> does, and
    /// <see cref="Body"/> is the rest, line by line, as <c>%b</c>. Trailers are taken from every body line, not only
    /// the last paragraph: linux-next's checks grep the whole body, and real kernel messages put notes such as
    /// <c>[ fixed typo ]</c> or blank lines between trailers. Each line stands alone: like linux-next's scripts,
    /// nothing folds an indented line into the trailer above it.
    /// </summary>
    public static CommitMessage Parse(string raw)
    {
        var lines = raw.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var index = 0;
        while (index < lines.Length && lines[index].Trim().Length == 0) index++;
        var subject = new List<string>();
        for (; index < lines.Length && lines[index].Trim().Length > 0; index++) subject.Add(lines[index].Trim());

        var body = new List<string>();
        var trailers = new List<Trailer>();
        while (index < lines.Length && lines[index].Trim().Length == 0) index++;
        for (; index < lines.Length; index++)
        {
            body.Add(lines[index]);
            var match = TrailerLine().Match(lines[index]);
            if (match.Success) trailers.Add(new Trailer(match.Groups[1].Value, match.Groups[2].Value.Trim(), index + 1));
        }
        return new CommitMessage(string.Join(' ', subject), body, trailers);
    }

    public IEnumerable<Trailer> Find(string key) => Trailers.Where(t => t.Is(key));

    // Like linux-next's `sed -En 's/^\s*Signed-off-by:?\s*//ip'`: leading space allowed, key case-insensitive.
    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\s*:\s*(.*)$")]
    private static partial Regex TrailerLine();
}

/// <summary>A person as a trailer or a MAINTAINERS entry names them: <c>Name &lt;email&gt;</c>, either part optional.</summary>
public sealed record Person(string Name, string Email)
{
    public static Person Parse(string value)
    {
        // Drop a trailing "# 5.4+" comment (stable Cc: lines) and "[tweaks]" notes.
        var text = value;
        var hash = text.IndexOf(" #", StringComparison.Ordinal);
        if (hash >= 0) text = text[..hash];
        var lt = text.LastIndexOf('<');
        var gt = lt < 0 ? -1 : text.IndexOf('>', lt);
        if (lt >= 0 && gt > lt)
            return new Person(CleanName(text[..lt]), text[(lt + 1)..gt].Trim());
        text = text.Trim();
        return text.Contains('@') && !text.Contains(' ') ? new Person("", text) : new Person(CleanName(text), "");
    }

    /// <summary>
    /// Same person, as linux-next decides it: the email matches, or the name does, case-insensitively;
    /// "Last, First" matches "First Last", and names compare in Unicode normal form C.
    /// </summary>
    public bool SameAs(Person other)
    {
        if (Email.Length > 0 && string.Equals(Email, other.Email, StringComparison.OrdinalIgnoreCase)) return true;
        if (Name.Length == 0 || other.Name.Length == 0) return false;
        var mine = NameForms(Name);
        return NameForms(other.Name).Any(n => mine.Contains(n, StringComparer.OrdinalIgnoreCase));
    }

    public override string ToString() => Email.Length == 0 ? Name : Name.Length == 0 ? Email : $"{Name} <{Email}>";

    private static string CleanName(string name) =>
        string.Join(' ', name.Trim().Trim('"', '\'').Split(' ', StringSplitOptions.RemoveEmptyEntries)).Normalize(NormalizationForm.FormC);

    private static string[] NameForms(string name)
    {
        var comma = name.IndexOf(',');
        return comma < 0 ? [name] : [name, CleanName($"{name[(comma + 1)..]} {name[..comma]}")];
    }
}
