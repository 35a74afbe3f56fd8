using System.Text.RegularExpressions;

namespace HmmCi.Kernel.Runtimes;

/// <summary>
/// The Debian mirror apt already uses (sources.list and deb822 .sources files), so the base image is made from the
/// same place the machine's packages come from and HmmCi never names a host of its own.
/// </summary>
public static partial class AptSources
{
    /// <summary>The first <c>deb</c> source of <paramref name="suite"/> with the main component, or null.</summary>
    public static string? Mirror(string suite, string root = "/etc/apt")
    {
        var files = new List<string>();
        if (File.Exists(Path.Combine(root, "sources.list"))) files.Add(Path.Combine(root, "sources.list"));
        var folder = Path.Combine(root, "sources.list.d");
        if (Directory.Exists(folder)) files.AddRange(Directory.GetFiles(folder).Where(f => f.EndsWith(".list") || f.EndsWith(".sources")).Order());
        return files.Select(f => f.EndsWith(".sources") ? FromDeb822(File.ReadAllText(f), suite) : FromOneLine(File.ReadAllLines(f), suite))
            .FirstOrDefault(m => m is not null);
    }

    /// <summary><c>deb [options] URI suite component...</c></summary>
    internal static string? FromOneLine(IEnumerable<string> lines, string suite)
    {
        foreach (var raw in lines)
        {
            var line = Options().Replace(raw.Split('#')[0], " ").Trim();
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 4 && words[0] == "deb" && words[2] == suite && words.Skip(3).Contains("main")) return words[1];
        }
        return null;
    }

    /// <summary>Stanzas of <c>Types:</c>, <c>URIs:</c>, <c>Suites:</c>, <c>Components:</c>, separated by blank lines.</summary>
    internal static string? FromDeb822(string text, string suite)
    {
        foreach (var stanza in BlankLine().Split(text.Replace("\r", "")))
        {
            var fields = stanza.Split('\n').Where(l => !l.StartsWith('#') && l.Contains(':'))
                .Select(l => (Key: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim()))
                .GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
            string[] Field(string key) => fields.GetValueOrDefault(key) ?? [];
            if (Field("Enabled").Contains("no")) continue;
            if (Field("Types").Contains("deb") && Field("Suites").Contains(suite) && Field("Components").Contains("main") && Field("URIs").Length > 0)
                return Field("URIs")[0];
        }
        return null;
    }

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Options();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLine();
}
