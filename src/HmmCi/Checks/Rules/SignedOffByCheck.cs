using HmmCi.Reports;

namespace HmmCi.Checks.Rules;

/// <summary>
/// linux-next's sign-off check: every non-merge commit carries a Signed-off-by from its author and from its
/// committer, matched on name or email, case-insensitively. A Co-developed-by needs its own Signed-off-by too
/// (Documentation/process/submitting-patches.rst).
/// </summary>
public sealed class SignedOffByCheck : ICheck
{
    public string Id => "signed-off-by";
    public Severity DefaultSeverity => Severity.Error;

    public Task RunAsync(CheckContext context, CheckSink sink)
    {
        foreach (var commit in context.TopicCommits.Where(c => !c.IsMerge))
        {
            var signoffs = commit.Message.Find("Signed-off-by").Select(t => Person.Parse(t.Value)).ToList();
            if (!signoffs.Any(commit.Author.SameAs))
                sink.Problem(commit.Sha, $"Commit {commit} is missing a Signed-off-by from its author");
            if (!signoffs.Any(commit.Committer.SameAs))
                sink.Problem(commit.Sha, $"Commit {commit} is missing a Signed-off-by from its committer");
            foreach (var codeveloper in commit.Message.Find("Co-developed-by").Select(t => Person.Parse(t.Value)))
                if (!signoffs.Any(codeveloper.SameAs))
                    sink.Problem(commit.Sha, $"Commit {commit} has a Co-developed-by from {codeveloper} without a Signed-off-by from them");
        }
        return Task.CompletedTask;
    }
}
