using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HmmCi.Reports;

/// <summary>
/// kcidb.json: the report in KernelCI's kcidb I/O schema v5.3 (docs/report-schema.md), for kcidb-submit. One checkout
/// per tree and kind (the tree alone, the test merge, the topic, the merge window), one build per build record, one
/// test per selftest result. Ids are hmmci:&lt;...&gt; and include the commit, so each run's objects are new ones.
/// </summary>
public static partial class Kcidb
{
    public const int Major = 5;
    public const int Minor = 3;
    public const string Origin = "hmmci";
    /// <summary>kcidb caps every log_excerpt.</summary>
    public const int ExcerptLimit = 16384;

    public static string Export(MergeReadinessReport report)
    {
        var checkouts = new JsonArray();
        var builds = new JsonArray();
        var tests = new JsonArray();
        var ids = new HashSet<string>();
        var time = report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        string? Checkout(string tree, string kind, string? url, string? branch, string? commit, bool? valid, string? comment, string? excerpt)
        {
            if (commit is null) return null;
            var id = $"{Origin}:{tree}:{kind}:{commit}";
            if (!ids.Add(id)) return id;
            checkouts.Add(Object(
                ("id", id), ("origin", Origin), ("tree_name", tree),
                // v5 accepts only https:// here; a local path or ssh:// URL would not mean anything to KernelCI.
                ("git_repository_url", url is not null && url.StartsWith("https://", StringComparison.Ordinal) ? url : null),
                ("git_repository_branch", branch), ("git_commit_hash", commit), ("start_time", time), ("valid", valid),
                ("comment", comment), ("log_excerpt", Excerpt(excerpt)), ("misc", new JsonObject { ["kind"] = kind })));
            return id;
        }

        void Builds(string tree, IEnumerable<BuildRecord> records, Func<BuildKind, string?> checkout)
        {
            foreach (var b in records)
            {
                // A build of a commit the report has no checkout for (e.g. one built by hand) gets its own.
                if ((checkout(b.Kind) ?? Checkout(tree, WireNames.Of(b.Kind), null, null, b.Commit, null, null, null)) is not { } checkoutId) continue;
                builds.Add(Object(
                    ("id", BuildId(tree, b)), ("checkout_id", checkoutId), ("origin", Origin), ("start_time", time),
                    ("duration", b.DurationMs / 1000.0), ("architecture", b.Arch), ("config_name", b.Config), ("command", b.Reproducer),
                    ("status", Status(b.Status)), ("log_excerpt", Excerpt(b.LogTail ?? Diagnostics(b.Errors))),
                    ("comment", $"{WireNames.Of(b.Kind)} build of {tree}"),
                    ("misc", Object(("kind", WireNames.Of(b.Kind)), ("errors", b.Errors.Count), ("warnings", b.Warnings), ("new_warnings", b.NewWarnings.Count),
                        ("log", b.Log), ("cached", b.Cached)))));
            }
        }

        var topic = report.Topic;
        var topicCheckout = Checkout(topic.Name, "topic", topic.Url, topic.Branch, topic.Head, topic.Error is null, $"the {topic.Name} topic", topic.Error);
        var mainlineCheckout = Checkout("mainline", "baseline", report.Mainline.Url, report.Mainline.Branch, topic.Base, true, $"mainline at the {topic.Name} topic's base", null);
        Builds(topic.Name, topic.Builds, kind => kind == BuildKind.Baseline ? mainlineCheckout : topicCheckout);

        foreach (var tree in report.Trees)
        {
            var merged = tree.Merge.Status is MergeStatus.Clean or MergeStatus.Resolved;
            var baseline = Checkout(tree.Name, "baseline", tree.Url, tree.Branch, tree.Head, tree.Error is null, $"the {tree.Name} tree alone", tree.Error);
            var merge = Checkout(tree.Name, "merged", tree.Url, tree.Branch, tree.Merge.Commit, merged, $"the {topic.Name} topic merged into the {tree.Name} tree",
                tree.Merge.Conflicts.Count == 0 ? tree.Merge.Reason : "conflicts in " + string.Join(", ", tree.Merge.Conflicts.Select(c => c.Path)));
            Builds(tree.Name, tree.Builds, kind => kind == BuildKind.Baseline ? baseline : merge);
            var build = tree.Builds.FirstOrDefault(b => b.Kind == BuildKind.Merged);
            if (build is null) continue;
            foreach (var test in tree.Selftests.Tests)
                tests.Add(Object(
                    ("id", $"{Origin}:{tree.Name}:{test.Name}:{build.Commit ?? tree.Merge.Commit ?? tree.Head}"), ("build_id", BuildId(tree.Name, build)), ("origin", Origin),
                    ("path", TestPath(test.Name)), ("status", Status(test.Status)), ("start_time", time),
                    ("log_excerpt", Excerpt(test.Diagnostics.Count == 0 ? null : string.Join("\n", test.Diagnostics))),
                    ("misc", Object(("name", test.Name), ("baseline", test.Baseline is { } s ? WireNames.Of(s) : null), ("flaky", test.Flaky)))));
        }

        var window = report.MergeWindow;
        var windowCheckout = Checkout("merge-window", "merge-window", null, null, window.Commit, window.Status is MergeStatus.Clean or MergeStatus.Resolved,
            "mainline, the topic and every tree merged together", window.Reason);
        Builds("merge-window", window.Builds, kind => kind == BuildKind.Baseline ? mainlineCheckout : windowCheckout);

        var root = new JsonObject
        {
            ["version"] = new JsonObject { ["major"] = Major, ["minor"] = Minor },
            ["checkouts"] = checkouts,
            ["builds"] = builds,
            ["tests"] = tests,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>A dotted kcidb test path: hmm-tests, then the selftest's own name, each part reduced to [A-Za-z0-9_-].</summary>
    public static string TestPath(string name) =>
        "hmm-tests." + string.Join(".", name.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(part => NotPathCharacter().Replace(part, "_")));

    public static string Status(StageStatus status) => status switch
    {
        StageStatus.Pass => "PASS",
        StageStatus.Fail => "FAIL",
        StageStatus.Skipped => "SKIP",
        // Planned but never done: the harness (HmmCi) did not get to it.
        _ => "MISS",
    };

    public static string Status(TestStatus status) => status switch
    {
        TestStatus.Pass or TestStatus.XFail => "PASS",
        TestStatus.Fail or TestStatus.Timeout or TestStatus.XPass => "FAIL",
        TestStatus.Skip => "SKIP",
        TestStatus.Missing => "MISS",
        _ => "ERROR",
    };

    private static string BuildId(string tree, BuildRecord b) => $"{Origin}:{tree}:{WireNames.Of(b.Kind)}:{b.Arch}:{b.Config}:{b.Commit ?? "unknown"}";

    private static string? Diagnostics(List<BuildDiagnostic> errors) =>
        errors.Count == 0 ? null : string.Join("\n", errors.Select(d => $"{d.File}:{d.Line}: {d.Severity}: {d.Message}"));

    /// <summary>The end of the text, where a log's failure is, within kcidb's limit; no NUL characters.</summary>
    private static string? Excerpt(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        text = text.Replace("\0", "");
        return text.Length <= ExcerptLimit ? text : text[^ExcerptLimit..];
    }

    /// <summary>An object without its null members: kcidb allows a property to be missing, never null.</summary>
    private static JsonObject Object(params (string Name, object? Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (name, value) in members)
            o[name] = value switch
            {
                null => null,
                JsonNode node => node,
                string text => JsonValue.Create(text),
                bool flag => JsonValue.Create(flag),
                int number => JsonValue.Create(number),
                double number => JsonValue.Create(number),
                _ => throw new ArgumentException($"kcidb: {name} has unexpected type {value.GetType().Name}"),
            };
        foreach (var name in o.Where(p => p.Value is null).Select(p => p.Key).ToList()) o.Remove(name);
        return o;
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex NotPathCharacter();
}
