using System.Text;
using HmmCi.Config;
using MimeKit;

namespace HmmCi.Reports.Email;

/// <summary>
/// report.eml: the report as linux-next's mails read, one self-contained note per problem. Prose is wrapped at 72
/// columns; paths, commit citations, conflict hunks and compiler output are kept verbatim, as linux-next keeps them.
/// </summary>
public static class ReportEmail
{
    private static readonly string Separator = new('-', Prose.Width);

    public static MimeMessage Message(ReportView view, EmailConfig config, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = Subject(view), Date = date };
        message.From.Add(MailboxAddress.Parse(config.From));
        message.To.AddRange(config.To.Select(MailboxAddress.Parse));
        message.Cc.AddRange(config.Cc.Select(MailboxAddress.Parse));
        var body = Body(view);
        message.Body = new TextPart("plain")
        {
            Text = body,
            // Compiler output can have lines longer than SMTP allows: quoted-printable keeps them intact.
            ContentTransferEncoding = body.Split('\n').Any(l => Encoding.UTF8.GetByteCount(l) > 998) ? ContentEncoding.QuotedPrintable : ContentEncoding.EightBit,
        };
        return message;
    }

    public static string Subject(ReportView view)
    {
        var errors = view.Problems.Count(p => p.IsError);
        var warnings = view.Problems.Count - errors;
        var counts = string.Join(", ", new[] { Plural(errors, "problem"), Plural(warnings, "warning") }.Where(s => s.Length > 0));
        var trees = string.Join(", ", view.Trees.Select(t => t.Name));
        return $"hmmci: the {view.Topic} tree {(view.Ready ? "is ready" : view.Incomplete ? "could not be fully verified" : "is not ready")} to be merged into {trees}{(counts.Length > 0 ? $" ({counts})" : "")}";
    }

    public static string Body(ReportView view)
    {
        var text = new StringBuilder("Hi all,\n\n");
        var verified = view.Ready ? "Every tree merged, built and passed its selftests with it." :
            view.Incomplete ? "Nothing was found wrong, but not everything could be verified:" : "";
        text.Append(Prose.Wrap($"Today's merge-readiness run of the {view.Topic} tree ({view.TopicBranch} at {view.TopicHead}) "
            + $"{(view.Ready ? "found it ready" : view.Incomplete ? "found nothing wrong, but could not verify all" : "found it NOT ready")} to be merged into the {Prose.List(view.Trees.Select(t => t.Name))} tree{(view.Trees.Count == 1 ? "" : "s")}. {verified}").TrimEnd()).Append('\n');
        if (view.Incomplete)
            text.Append('\n').Append(string.Concat(view.Unverified.Select(r => Prose.Wrap("  " + r) + "\n")));
        foreach (var note in view.PublishNotes) text.Append('\n').Append(Prose.Wrap(note)).Append('\n');
        foreach (var problem in view.Problems)
            text.Append('\n').Append(Separator).Append("\n\n").Append(Note(view, problem).TrimEnd('\n')).Append('\n');
        text.Append("\n-- \nHmmCi, for the ").Append(view.Topic).Append(" tree\n");
        return text.ToString();
    }

    /// <summary>One problem as a note that stands on its own: what happened, between which commits, and the evidence.</summary>
    public static string Note(ReportView view, ProblemView p)
    {
        var note = new Note();
        switch (p.Kind)
        {
            case "fetch":
                note.Prose($"The {p.Tree} tree could not be fetched:").Verbatim("  " + p.Text);
                break;
            case "merge":
                note.Prose($"The test merge of the {view.Topic} tree into the {p.Tree} tree could not be attempted:").Verbatim("  " + p.Text);
                break;
            case "conflict" or "merge-window-conflict":
                var c = p.Conflict!;
                note.Prose(p.Kind == "conflict"
                        ? $"Today's test merge of the {view.Topic} tree into the {p.Tree} tree got a conflict in:"
                        : $"When Linus merges the {c.Sides[1].Tree} tree in the merge window, he will get a conflict in:")
                    .Verbatim("  " + c.Path);
                Sides(note, c.Sides[0], c.Sides[1]);
                // A content conflict's message only repeats the path; the others say what happened (modify/delete...).
                if (c.Message is not null && c.Kind != "content") note.Prose($"git says: {c.Message}");
                if (c.NoLongerApplies is not null) note.Prose($"The recorded resolution no longer applies: {c.NoLongerApplies}.");
                if (c.Excerpt is not null) note.Prose(c.ExcerptTruncated ? "The conflict (cut short) looks like this:" : "The conflict looks like this:").Verbatim(c.Excerpt);
                break;
            case "build-error" or "new-warnings":
                var b = p.Build!;
                note.Prose(b.Lead);
                if (b.Diagnostics.Count > 0) note.Verbatim(string.Join("\n", b.Diagnostics.Select(d => d.Text)));
                else if (b.LogTail is not null) note.Verbatim(b.LogTail);
                foreach (var culprit in b.Culprits) note.Prose(culprit);
                if (b.Reproducer is not null) note.Prose("To reproduce:").Verbatim("  " + b.Reproducer);
                break;
            case "selftest-regression" or "flaky-tests" or "kernel-problem":
                var s = p.Selftests!;
                note.Prose(s.Lead);
                if (s.Tests.Count > 0)
                    note.Verbatim(string.Join("\n", s.Tests.Select(t => $"  {t.Name}: {t.Status}{(t.Baseline is null ? "" : $" ({t.Baseline} on the {p.Tree} tree alone)")}")));
                foreach (var t in s.Tests.Where(t => t.Diagnostics.Count > 0)) note.Verbatim(string.Join("\n", t.Diagnostics));
                if (p.Text is not null) note.Verbatim(p.Text);
                if (s.Culprit is not null) note.Prose(s.Culprit);
                if (s.Bisect.Count > 0) note.Prose("Bisected:").Verbatim(string.Join("\n", s.Bisect.Select(x => "  " + x)));
                break;
            case "duplicates":
                note.Prose($"The following commits are also in the {p.Tree} tree as different commits (but the same patches):")
                    .Verbatim(string.Join("\n", p.Duplicates.Select(d => $"  {d.Topic.Cite} is {d.TreeSha12} there")));
                break;
            case "check":
                var message = p.Check!.Message;
                note.Prose(message + (message.EndsWith('.') ? "" : ".") + $" ({p.Check.Check} check, {p.Check.Severity})");
                break;
        }
        return note.ToString();
    }

    /// <summary>linux-next's "between commit: X from the a tree and commit: Y from the b tree."</summary>
    private static void Sides(Note note, SideView first, SideView second)
    {
        if (first.Commits.Count == 0) note.Prose($"between {first.Name} and {Commits(second)}");
        else note.Prose($"between {Commits(first)}").Verbatim(Citations(first)).Prose($"from {first.Name} and {Commits(second)}");
        if (second.Commits.Count > 0) note.Verbatim(Citations(second)).Prose($"from {second.Name}.");
    }

    private static string Commits(SideView side) => side.Commits.Count switch { 0 => side.Name + ".", 1 => "commit:", _ => "commits:" };

    private static string Citations(SideView side) => string.Join("\n", side.Commits.Select(c => "  " + c.Cite));

    private static string Plural(int n, string what) => n == 0 ? "" : $"{n} {what}{(n == 1 ? "" : "s")}";
}

/// <summary>Paragraphs of a note, blank-line separated: prose wrapped, verbatim blocks as they are.</summary>
internal sealed class Note
{
    private readonly List<string> _paragraphs = [];

    public Note Prose(string text) { _paragraphs.Add(Email.Prose.Wrap(text)); return this; }

    public Note Verbatim(string text) { _paragraphs.Add(text.TrimEnd('\n')); return this; }

    public override string ToString() => string.Join("\n\n", _paragraphs) + "\n";
}
