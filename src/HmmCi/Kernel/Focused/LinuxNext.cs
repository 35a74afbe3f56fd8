using HmmCi.Reports;

namespace HmmCi.Kernel.Focused;

/// <summary>A focused compile's failure as Stephen Rothwell writes it in linux-next's "build failure after merge" mails.</summary>
public static class LinuxNext
{
    /// <param name="build">Whose build it is: "the rdma build", "the merge window build" (as linux-next says "today's linux-next build").</param>
    public static string FailedLikeThis(string topic, string build, string config, IReadOnlyList<BuildDiagnostic> errors)
    {
        var lines = new List<string> { $"After merging the {topic} tree, {build} (x86_64 {config}, focused) failed like this:", "" };
        foreach (var error in errors)
        {
            // The function the error is in, as gcc prints it; include chains and notes would only lengthen the mail.
            lines.AddRange(error.Context.Where(c => c.EndsWith(':') && (c.Contains(": In function ", StringComparison.Ordinal) || c.Contains(": In member function ", StringComparison.Ordinal))));
            var column = error.Column is { } c ? $"{c}:" : "";
            lines.Add($"{error.File}:{error.Line}:{column} {error.Severity}: {error.Message}{(error.Flag is { } f ? $" [{f}]" : "")}");
        }
        foreach (var culprit in errors.Select(e => e.Culprit?.Text).OfType<string>().Distinct())
        {
            lines.Add("");
            lines.Add(culprit);
        }
        return string.Join("\n", lines);
    }
}
