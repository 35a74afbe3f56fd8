using System.Text;
using System.Text.RegularExpressions;
using HmmCi.Config;

namespace HmmCi.Checks.Rules;

/// <summary>
/// linux-next's check_commits: every non-merge topic commit carries a <c>Signed-off-by:</c> from its author and
/// from its committer. A person is their recorded and their .mailmap identity (<c>%an %ae %aN %aE</c>, with the
/// topic head's .mailmap); a sign-off matches on the <c>&lt;email&gt;</c> or, with a blank each side, on the name,
/// case-insensitively. One message per commit, in check_commits' words, naming who is missing as NIPA does.
/// A <c>Co-developed-by:</c> needs a sign-off from the same person (checkpatch's rule; HmmCi's own).
/// </summary>
public sealed partial class SignedOffByCheck : ICheck
{
    public string Id => "signed-off-by";
    public Severity DefaultSeverity => Severity.Error;

    public Task RunAsync(CheckContext context, CheckSink sink)
    {
        foreach (var commit in context.TopicCommits.Where(c => !c.IsMerge))
        {
            var signoffs = SignOffs(commit.Message).ToList();
            var author = !signoffs.Any(s => Matches(s, commit.Author, commit.MailmapAuthor));
            var committer = !signoffs.Any(s => Matches(s, commit.Committer, commit.MailmapCommitter));
            if (author || committer)
                sink.Problem(commit.Sha, $"Commit {commit} is missing a Signed-off-by from {Missing(commit, author, committer)}");
            foreach (var codeveloper in commit.Message.Find("Co-developed-by").Select(t => Person.Parse(t.Value)))
                if (!signoffs.Any(s => Matches(s, codeveloper, codeveloper)))
                    sink.Problem(commit.Sha, $"Commit {commit} has a Co-developed-by from {codeveloper} without a Signed-off-by from them");
        }
        return Task.CompletedTask;
    }

    private static string Missing(CommitInfo commit, bool author, bool committer)
    {
        var a = commit.MailmapAuthor.ToString();
        var c = commit.MailmapCommitter.ToString();
        return (author, committer) switch
        {
            (true, false) => $"its author ({a})",
            (false, true) => $"its committer ({c})",
            _ when string.Equals(a, c, StringComparison.OrdinalIgnoreCase) => $"its author and committer ({a})",
            _ => $"its author and committer (author {a}, committer {c})",
        };
    }

    /// <summary>
    /// Each body line's text after <c>Signed-off-by:</c>, as check_commits' <c>sed</c> leaves it: the prefix
    /// replaced by one blank, the rest as written (a mangled address included).
    /// </summary>
    private static IEnumerable<string> SignOffs(CommitMessage message) =>
        message.Body.Select(l => SignOffLine().Match(l)).Where(m => m.Success).Select(m => Normal($" {m.Groups[1].Value}"));

    /// <summary>
    /// check_commits' test: the line holds <c>&lt;email&gt;</c> or <c> name </c> (a blank each side, so "Ann"
    /// does not match "Anna" and a name alone at the end of the line does not count) for the recorded or the
    /// .mailmap identity. The name alone is enough: <c>A U Thor &lt;author _at_ example.org&gt;</c> is A U Thor's.
    /// </summary>
    private static bool Matches(string signoff, Person recorded, Person mailmapped) =>
        new[] { recorded, mailmapped }.Any(p =>
            (p.Email.Length > 0 && signoff.Contains($"<{Normal(p.Email)}>", StringComparison.OrdinalIgnoreCase))
            || (p.Name.Length > 0 && signoff.Contains($" {Normal(p.Name)} ", StringComparison.OrdinalIgnoreCase)));

    private static string Normal(string text) => text.Normalize(NormalizationForm.FormC);

    // check_commits' `sed -En 's/^\s*Signed-off-by:?\s*/ /ip'`.
    [GeneratedRegex(@"^\s*Signed-off-by:?\s*(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex SignOffLine();
}
