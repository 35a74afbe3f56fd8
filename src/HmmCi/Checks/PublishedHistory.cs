using System.Text.Json;
using System.Text.Json.Serialization;

namespace HmmCi.Checks;

/// <summary>A topic commit as it was published; the patch-id maps it to its rewritten self later.</summary>
public sealed record PublishedCommit(string Sha, string? PatchId, string Subject);

/// <summary>The topic head HmmCi last recorded as published, with the commits it had beyond mainline.</summary>
public sealed record PublishedTopic(string Head, DateTimeOffset RecordedAt, IReadOnlyList<PublishedCommit> Commits)
{
    /// <summary>False when only the store's ref survived (no state file); the commits are then read from history.</summary>
    [JsonIgnore] public bool CommitsKnown { get; init; } = true;
}

/// <summary>
/// What the published-history rule remembers between runs, in two places: a ref in the object store
/// (refs/hmmci/published/&lt;topic&gt;, which also keeps the old commits from being pruned) and a JSON state
/// file that CI can cache even when it throws the workspace away. The file wins when both exist, because it
/// also holds the old commits' patch-ids, which a fresh store cannot compute.
/// </summary>
public sealed class PublishedHistory
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    private PublishedHistory(string statePath, string topic, PublishedTopic? previous, string? problem)
    {
        StatePath = statePath;
        Topic = topic;
        Previous = previous;
        Problem = problem;
    }

    public string StatePath { get; }
    public string Topic { get; }
    public PublishedTopic? Previous { get; set; }
    /// <summary>Why the state file could not be read, if it could not.</summary>
    public string? Problem { get; }

    public static string RefName(string topic) => $"refs/hmmci/published/{topic}";

    public static async Task<PublishedHistory> LoadAsync(string statePath, StoreHistory store, string topic)
    {
        string? problem = null;
        if (File.Exists(statePath))
        {
            try
            {
                var state = JsonSerializer.Deserialize<StateFile>(await File.ReadAllTextAsync(statePath), Json);
                if (state?.Topics.GetValueOrDefault(topic) is { } recorded)
                {
                    // Hand-edited or truncated files deserialize with missing members; treat them as unreadable.
                    if (recorded.Head is { Length: 40 } && recorded.Commits is not null)
                        return new PublishedHistory(statePath, topic, recorded, null);
                    problem = $"state file {statePath} has no valid head for {topic}; it will be rewritten";
                }
            }
            catch (JsonException e)
            {
                problem = $"state file {statePath} is not valid JSON ({e.Message}); it will be rewritten";
            }
        }
        var head = await store.ReadRefAsync(RefName(topic));
        var fromRef = head is null ? null : new PublishedTopic(head, DateTimeOffset.MinValue, []) { CommitsKnown = false };
        return new PublishedHistory(statePath, topic, fromRef, problem);
    }

    /// <summary>Remembers <paramref name="head"/> as published, in the store's ref and in the state file (other topics in it are kept).</summary>
    public async Task RecordAsync(StoreHistory store, string head, IReadOnlyList<PublishedCommit> commits)
    {
        await store.UpdateRefAsync(RefName(Topic), head);
        StateFile state;
        try
        {
            state = File.Exists(StatePath) ? JsonSerializer.Deserialize<StateFile>(await File.ReadAllTextAsync(StatePath), Json) ?? new() : new();
        }
        catch (JsonException)
        {
            state = new();
        }
        state.Topics[Topic] = new PublishedTopic(head, DateTimeOffset.UtcNow, commits);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(StatePath))!);
        await File.WriteAllTextAsync(StatePath, JsonSerializer.Serialize(state, Json));
    }

    private sealed class StateFile
    {
        public int SchemaVersion { get; init; } = 1;
        public Dictionary<string, PublishedTopic> Topics { get; init; } = [];
    }
}
