using System.Text.RegularExpressions;

namespace HmmCi.Checks;

/// <summary>One MAINTAINERS section: its title, its people (M: and R:) and its file patterns.</summary>
public sealed record MaintainersSection(string Title, IReadOnlyList<Person> People, IReadOnlyList<string> Files,
    IReadOnlyList<string> Excludes, IReadOnlyList<Regex> NamePatterns)
{
    /// <summary>The section's M: people only (a subset of <see cref="People"/>, which also has the R: reviewers).</summary>
    public IReadOnlyList<Person> MaintainerPeople { get; init; } = [];

    /// <summary>The catch-all section every file matches; it names nobody to ask for an ack.</summary>
    public bool IsCatchAll => Title == "THE REST";
}

/// <summary>A MAINTAINERS file, matched against paths the way scripts/get_maintainer.pl does.</summary>
public sealed partial class Maintainers
{
    private readonly Func<string, bool> _isDirectory;
    private readonly Dictionary<string, Regex> _patterns = [];

    private Maintainers(IReadOnlyList<MaintainersSection> sections, Func<string, bool> isDirectory)
    {
        Sections = sections;
        _isDirectory = isDirectory;
    }

    public IReadOnlyList<MaintainersSection> Sections { get; }

    /// <summary>
    /// Parses the file. A non-blank line that is not <c>X:\tvalue</c> starts a section (prose before the first
    /// section becomes sections without entries, which are dropped, as get_maintainer.pl ignores them).
    /// <paramref name="isDirectory"/> says whether a path is a directory of the tree, because get_maintainer.pl
    /// treats an F: pattern naming a directory as if it ended in '/'.
    /// </summary>
    /// <exception cref="FormatException">The file is malformed; the message starts with <c>MAINTAINERS:line:</c>.</exception>
    public static Maintainers Parse(string text, Func<string, bool> isDirectory)
    {
        var sections = new List<MaintainersSection>();
        string? title = null;
        List<Person> people = [], maintainerPeople = [];
        List<string> files = [], excludes = [];
        List<Regex> names = [];
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var typed = TypedLine().Match(line);
            if (!typed.Success)
            {
                Flush();
                title = line.Trim();
                continue;
            }
            var (type, value) = (typed.Groups[1].Value[0], typed.Groups[2].Value.Trim());
            if (title is null) throw new FormatException($"MAINTAINERS:{i + 1}: '{type}:' entry before any section title");
            if (value.Length == 0) throw new FormatException($"MAINTAINERS:{i + 1}: empty '{type}:' entry in section '{title}'");
            switch (type)
            {
                case 'M': people.Add(Person.Parse(value)); maintainerPeople.Add(Person.Parse(value)); break;
                case 'R': people.Add(Person.Parse(value)); break;
                case 'F': files.Add(value); break;
                case 'X': excludes.Add(value); break;
                case 'N':
                    try { names.Add(new Regex(value, RegexOptions.IgnorePatternWhitespace)); }
                    catch (ArgumentException e) { throw new FormatException($"MAINTAINERS:{i + 1}: N: pattern '{value}' is not a valid regular expression ({e.Message})"); }
                    break;
            }
        }
        Flush();
        if (!sections.Any(s => s.Files.Count > 0 || s.NamePatterns.Count > 0))
            throw new FormatException("MAINTAINERS: no section lists any F: or N: pattern");
        return new Maintainers(sections, isDirectory);

        void Flush()
        {
            if (title is not null && (people.Count > 0 || files.Count > 0 || excludes.Count > 0 || names.Count > 0))
                sections.Add(new MaintainersSection(title, people, files, excludes, names) { MaintainerPeople = maintainerPeople });
            (people, maintainerPeople, files, excludes, names) = ([], [], [], [], []);
        }
    }

    /// <summary>The sections covering a path, in file order: an X: match excludes, else an F: or N: match includes.</summary>
    public IEnumerable<MaintainersSection> SectionsFor(string path) =>
        Sections.Where(s => !s.Excludes.Any(x => FileMatches(path, x))
            && (s.Files.Any(f => FileMatches(path, f)) || s.NamePatterns.Any(n => n.IsMatch(path))));

    // get_maintainer.pl's file_match_pattern: '.' literal, '*' is '.*' and '?' is '.', matched at the start of the
    // path; a pattern ending in '/' covers everything below it, any other must have as many '/' as the path.
    private bool FileMatches(string path, string pattern)
    {
        if (!pattern.EndsWith('/') && pattern.IndexOfAny(['*', '?']) < 0 && _isDirectory(pattern)) pattern += "/";
        if (!_patterns.TryGetValue(pattern, out var regex))
        {
            var body = string.Concat(pattern.Select(c => c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) }));
            _patterns[pattern] = regex = new Regex("^" + body, RegexOptions.CultureInvariant);
        }
        if (!regex.IsMatch(path)) return false;
        return pattern.EndsWith('/') || path.Count(c => c == '/') == pattern.Count(c => c == '/');
    }

    [GeneratedRegex(@"^([A-Z]):\s*(.*)$")]
    private static partial Regex TypedLine();
}
