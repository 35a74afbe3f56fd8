using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HmmCi.Tests.Checks;

/// <summary>
/// A second, independent reading of linux-next's check_commits and check_fixes (as Stephen Rothwell posts them),
/// to compare HmmCi's rules with, finding by finding. It works like the scripts do: one git process per commit
/// and per tag in the repository being checked, and a separate repository holding only Linus' tree. It shares
/// no parsing code with the production rules on purpose.
/// </summary>
public sealed class LinuxNextReference(string repository, string linusTree)
{
    /// <summary>One complaint of check_fixes: the commit, the trimmed Fixes: line, and the first line of each problem.</summary>
    public sealed record FixesComplaint(string Commit, string Line, IReadOnlyList<string> Problems);

    /// <summary>
    /// A bare repository with only <paramref name="branch"/> of <paramref name="source"/> (and its tags), as linux-next keeps Linus' tree;
    /// --no-local, because a local clone would hard-link every object of the source, reachable or not.
    /// </summary>
    public static string CloneLinusTree(string source, string branch, string destination)
    {
        Run(Path.GetDirectoryName(destination)!, "clone", "-q", "--bare", "--no-local", "--single-branch", "--branch", branch, source, destination);
        return destination;
    }

    /// <summary>check_commits: the commits missing a Signed-off-by from their author, and from their committer.</summary>
    public (IReadOnlySet<string> Author, IReadOnlySet<string> Committer) CheckCommits(params string[] range)
    {
        var author = new HashSet<string>();
        var committer = new HashSet<string>();
        foreach (var c in Lines(Git(["rev-list", "--no-merges", .. range])))
        {
            // sed -En 's/^\s*Signed-off-by:?\s*/ /ip' over %b: every such line, its prefix replaced by one space.
            var sob = Lines(Git("log", "-1", "--format=%b", c))
                .Select(l => Regex.Match(l, @"^\s*signed-off-by:?\s*", RegexOptions.IgnoreCase) is { Success: true } m ? " " + l[m.Length..] : null)
                .OfType<string>().ToList();
            if (!Found(Git("log", "-1", "--format=<%ae>%n<%aE>%n %an %n %aN ", c), sob)) author.Add(c);
            if (!Found(Git("log", "-1", "--format=<%ce>%n<%cE>%n %cn %n %cN ", c), sob)) committer.Add(c);
        }
        return (author, committer);

        // grep -i -F -q "$ae" <<<"$sob": any of the patterns anywhere in any line, ignoring case.
        static bool Found(string patterns, List<string> lines) =>
            patterns.Split('\n').Where(p => p.Length > 0).Distinct()
                .Any(p => lines.Any(l => l.Contains(p, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>check_fixes over the range: one complaint per Fixes: line that has problems.</summary>
    public IReadOnlyList<FixesComplaint> CheckFixes(params string[] range)
    {
        var complaints = new List<FixesComplaint>();
        foreach (var c in Lines(Git(["rev-list", "--no-merges", "-i", "--grep=^[[:space:]]*Fixes:", .. range])))
        {
            var fixesLines = Git("log", "-1", "--format=%B", c).Split('\n')
                .Where(l => Regex.IsMatch(l, @"^[\s]*fixes:", RegexOptions.IgnoreCase));
            foreach (var raw in fixesLines)
            {
                var fline = raw.Trim(' ', '\t', '\n');
                var problems = Problems(c, fline);
                if (problems.Count > 0) complaints.Add(new FixesComplaint(c, fline, problems));
            }
        }
        return complaints;
    }

    private List<string> Problems(string c, string fline)
    {
        var f = Regex.Match(fline, @"^\s*[Ff][Ii][Xx][Ee][Ss]:\s*(.*)$", RegexOptions.Singleline).Groups[1].Value;
        var msg = new List<string>();
        var split = Regex.Match(f, @"^([Cc][Oo][Mm][Mm][Ii][Tt])?\s*([0-9a-fA-F]{5,})(\s*)(.*)$", RegexOptions.Singleline);
        if (!split.Success) return ["No SHA1 recognised"];
        var (first, sha, spaces, subject) = (split.Groups[1].Value, split.Groups[2].Value, split.Groups[3].Value, split.Groups[4].Value);
        if (first != "") msg.Add($"leading word '{first}' unexpected");
        if (subject == "") msg.Add("missing subject");
        else if (spaces == "") msg.Add("missing space between the SHA1 and the subject");
        if (!Verify(repository, sha)) return ["Target SHA1 does not exist"];

        if (sha.Length < 12) msg.Add("SHA1 should be at least 12 digits long");
        if (Regex.Match(subject, @"^\((.*)\)", RegexOptions.Singleline) is { Success: true } p) subject = p.Groups[1].Value;
        else if (Regex.Match(subject, @"^\((.*)", RegexOptions.Singleline) is { Success: true } q)
        {
            subject = q.Groups[1].Value;
            msg.Add("Subject has leading but no trailing parentheses");
        }
        if (Regex.Match(subject, "^[\"\u201C](.*)[\"\u201D]$", RegexOptions.Singleline) is { Success: true } r1) subject = r1.Groups[1].Value;
        else if (Regex.Match(subject, "^['\u2018](.*)['\u2019]$", RegexOptions.Singleline) is { Success: true } r2) subject = r2.Groups[1].Value;
        else if (Regex.Match(subject, "^[\"'\u201C\u2018](.*)$", RegexOptions.Singleline) is { Success: true } r3)
        {
            subject = r3.Groups[1].Value;
            msg.Add("Subject has leading but no trailing quotes");
        }
        subject = StripSpaces(subject);
        // git log on a tree or blob fails and leaves the target's subject empty, as in the script.
        var target = StripSpaces(TryRun(repository, "log", "-1", "--format=%s", sha)?.TrimEnd('\n') ?? "");

        // match with ellipses, as the script's case statement does
        if (subject.EndsWith("..."))
        {
            subject = subject[..^3];
            target = Left(target, subject.Length);
        }
        else if (subject.StartsWith("..."))
        {
            subject = subject[3..];
            target = Right(target, subject.Length);
        }
        else if (subject.Contains(" ... "))
        {
            var s1 = subject[..subject.LastIndexOf(" ... ", StringComparison.Ordinal)];
            var s2 = subject[(subject.IndexOf(" ... ", StringComparison.Ordinal) + 5)..];
            subject = $"{s1} {s2}";
            target = $"{Left(target, s1.Length)} {Right(target, s2.Length)}";
        }
        subject = StripSpaces(subject);
        target = StripSpaces(target);
        if (subject != Left(target, subject.Length)) msg.Add("Subject does not match target commit subject");

        // `[ "$count" -eq 0 ]` is false when rev-list failed and printed nothing.
        if (!Verify(linusTree, sha) && TryRun(repository, "rev-list", "--count", $"{sha}..{c}")?.Trim() == "0")
            msg.Add("Target is not an ancestor of this commit");
        return msg;
    }

    private static string Left(string s, int n) => n >= s.Length ? s : s[..n];

    // ${s: -n}: the last n characters; nothing when n is longer than s, all of s when n is 0.
    private static string Right(string s, int n) => n == 0 ? s : n > s.Length ? "" : s[^n..];

    private static string StripSpaces(string s) =>
        Regex.Match(s, @"^\s*(.*\S)\s*$", RegexOptions.Singleline) is { Success: true } m ? m.Groups[1].Value : "";

    private static bool Verify(string repo, string sha) => TryRun(repo, "rev-parse", "-q", "--verify", sha) is not null;

    private string Git(params string[] args) => Run(repository, args);

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Run(string directory, params string[] args) =>
        TryRun(directory, args) ?? throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {directory}");

    private static string? TryRun(string directory, params string[] args)
    {
        using var process = Process.Start(Start(directory, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result : null;
    }

    private static ProcessStartInfo Start(string directory, string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["LC_ALL"] = "C.UTF-8";
        return start;
    }
}

/// <summary>Compares a Check run's signed-off-by and fixes-tag findings with <see cref="LinuxNextReference"/>'s, HmmCi's own problems aside.</summary>
public static partial class LinuxNextComparison
{
    public static void AssertSameAsLinuxNext(Fixtures.TopicScenario s, CheckRun run, string topicBranch = "hmm")
    {
        var linus = LinuxNextReference.CloneLinusTree(s.Upstream.Path, "master", s.Directory.Combine($"linus-{Guid.NewGuid():N}.git"));
        var reference = new LinuxNextReference(s.Upstream.Path, linus);
        string[] range = [topicBranch, "^master"];

        // HmmCi quotes a CRLF message's line without its CR.
        var expectedFixes = reference.CheckFixes(range).Select(c => (c.Commit, c.Line.TrimEnd('\r'), string.Join(" | ", c.Problems))).Order().ToList();
        var actualFixes = run.Findings.Where(f => f.Check == "fixes-tag").Select(f => (f.Commit!, Parse(f.Message))).Select(x => (x.Item1, x.Item2.Line, Problems: string.Join(" | ", x.Item2.Problems)))
            .Where(x => x.Problems.Length > 0).Order().ToList();
        Assert.Equal(expectedFixes, actualFixes);

        var (author, committer) = reference.CheckCommits(range);
        var expectedSob = author.Union(committer).Select(c => (c, author.Contains(c), committer.Contains(c))).Order().ToList();
        var actualSob = run.Findings.Where(f => f.Check == "signed-off-by" && f.Message.Contains(" is missing a Signed-off-by from its "))
            .Select(f => (f.Commit!, f.Message.Contains("from its author"), f.Message.Contains("from its committer") || f.Message.Contains("author and committer"))).Order().ToList();
        Assert.Equal(expectedSob, actualSob);
    }

    /// <summary>A fixes-tag message as (line, linux-next problems): HmmCi's own problems and its "just use" hints dropped.</summary>
    private static (string Line, IReadOnlyList<string> Problems) Parse(string message)
    {
        var m = Message().Match(message);
        Assert.True(m.Success, message);
        var problems = ProblemStart().Split(m.Groups[2].Value).Where(p => p.Length > 0)
            .Where(p => !p.EndsWith("(HmmCi's own check)", StringComparison.Ordinal))
            .Select(p => p.Split("; just use ")[0])
            .ToList();
        return (m.Groups[1].Value, problems);
    }

    [GeneratedRegex(@"^In commit [0-9a-f]{12} \("".*?""\), Fixes tag ""(.*)"" has these problem\(s\): (.*)$", RegexOptions.Singleline)]
    private static partial Regex Message();

    [GeneratedRegex(@"(?:^| )- (?=No SHA1|leading word|missing subject|missing space|Target |SHA1 should|Subject |the target is)")]
    private static partial Regex ProblemStart();
}
