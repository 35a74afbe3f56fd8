namespace HmmCi.Processes;

/// <summary>
/// What a run must undo however it ends, cancelled runs too: a stage registers, for example, "remove the containers
/// labelled with this run's id" before it starts them, and disposes the registration once it removed them itself.
/// The pipeline runs what is still registered as soon as the run is cancelled, and again when it ends.
/// </summary>
public sealed class RunCleanup
{
    private readonly List<Registration> _registrations = [];

    /// <summary>Registers a cleanup; disposing the result unregisters it without running it.</summary>
    public IDisposable Register(string description, Func<CancellationToken, Task> cleanup)
    {
        var registration = new Registration(this, description, cleanup);
        lock (_registrations) _registrations.Add(registration);
        return registration;
    }

    /// <summary>
    /// Runs every registered cleanup once, the latest first (what started last stops first), each bounded by
    /// <paramref name="limit"/>; a failing one does not stop the others. Returns the failures, one line each.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunAsync(TimeSpan limit)
    {
        List<Registration> due;
        lock (_registrations)
        {
            due = Enumerable.Reverse(_registrations).ToList();
            _registrations.Clear();
        }
        var failures = new List<string>();
        foreach (var registration in due)
        {
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await registration.Cleanup(timeout.Token).WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                failures.Add($"{registration.Description}: did not finish within {limit.TotalSeconds:0.#} s");
            }
            catch (Exception e)
            {
                failures.Add($"{registration.Description}: {e.Message}");
            }
        }
        return failures;
    }

    private sealed class Registration(RunCleanup owner, string description, Func<CancellationToken, Task> cleanup) : IDisposable
    {
        public string Description { get; } = description;
        public Func<CancellationToken, Task> Cleanup { get; } = cleanup;

        public void Dispose()
        {
            lock (owner._registrations) owner._registrations.Remove(this);
        }
    }
}
