using System.Text.RegularExpressions;

namespace HmmCi.Checks;

/// <summary>
/// Recognises a merge commit whose subject names the topic the way <c>git pull</c> and <c>git merge</c> write it:
/// <c>Merge branch 'hmm' of &lt;url&gt;</c>, <c>Merge tag '&lt;tag&gt;' of &lt;url&gt;</c>, <c>Merge branch 'hmm'</c>
/// and <c>Merge remote-tracking branch '&lt;remote&gt;/hmm'</c>, each with or without <c> into &lt;branch&gt;</c>.
/// A URL names the topic when it is the topic's repository over any transport (https://, git://, ssh://, scp-style,
/// a path or file://). A GitHub "Merge pull request" or any other wording never does.
/// </summary>
public static partial class TopicMergeMessage
{
    public static bool NamesTopic(string subject, string topicUrl, string topicBranch, string topicName)
    {
        var m = MergeSubject().Match(subject);
        if (!m.Success) return false;
        var url = m.Groups["url"];
        if (m.Groups["kind"].Value == "tag") return url.Success && SameRepository(url.Value, topicUrl);
        var name = m.Groups["name"].Value;
        if (m.Groups["kind"].Value == "remote-tracking branch")
            return !url.Success && name.EndsWith($"/{topicBranch}", StringComparison.Ordinal);
        return url.Success ? name == topicBranch && SameRepository(url.Value, topicUrl) : name == topicBranch || name == topicName;
    }

    /// <summary>Whether two repository URLs name the same repository: transport, user, port, a trailing ".git" or "/" aside.</summary>
    public static bool SameRepository(string a, string b) => Key(a) == Key(b);

    private static string Key(string url)
    {
        var text = url.Trim();
        string host = "", path;
        if (Scheme().Match(text) is { Success: true } s)
        {
            if (s.Groups["scheme"].Value.Equals("file", StringComparison.OrdinalIgnoreCase)) path = s.Groups["rest"].Value;
            else
            {
                var rest = s.Groups["rest"].Value;
                var slash = rest.IndexOf('/');
                host = slash < 0 ? rest : rest[..slash];
                path = slash < 0 ? "" : rest[slash..];
            }
        }
        else if (ScpLike().Match(text) is { Success: true } scp)
        {
            host = scp.Groups["host"].Value;
            path = "/" + scp.Groups["path"].Value.TrimStart('/');
        }
        else path = Path.GetFullPath(text);
        host = host[(host.LastIndexOf('@') + 1)..];
        if (host.LastIndexOf(':') is var colon and > 0) host = host[..colon];
        path = path.TrimEnd('/');
        if (path.EndsWith(".git", StringComparison.Ordinal)) path = path[..^4];
        return $"{host.ToLowerInvariant()}{path}";
    }

    [GeneratedRegex(@"^Merge (?<kind>branch|tag|remote-tracking branch) '(?<name>[^']+)'(?: of (?<url>\S+))?(?: into \S+)?$")]
    private static partial Regex MergeSubject();

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<rest>.*)$")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^(?<host>[^/:]+):(?<path>.+)$")]
    private static partial Regex ScpLike();
}
