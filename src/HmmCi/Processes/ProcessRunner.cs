using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace HmmCi.Processes;

/// <summary>
/// Starts every child in a process group of its own (through setsid), so a timeout or a cancellation can kill
/// make's compilers, a container client's helpers or QEMU along with the direct child.
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    public static readonly ProcessRunner Default = new();

    /// <summary>How long a group gets between SIGTERM and SIGKILL (podman and QEMU clean up on SIGTERM).</summary>
    static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(3);
    /// <summary>How long output may still flow after the child exited (a grandchild holding the pipe).</summary>
    static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    /// <summary>Groups still running, killed if HmmCi exits without reaching their end.</summary>
    static readonly ConcurrentDictionary<int, byte> LiveGroups = new();

    static ProcessRunner() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var group in LiveGroups.Keys) Signal(group, SigKill);
    };

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var program = Resolve(spec.FileName, spec.WorkingDirectory);
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? "",
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(program);
        foreach (var argument in spec.Arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in spec.Environment)
            if (value is null) info.Environment.Remove(key); else info.Environment[key] = value;

        StreamWriter? log = null;
        if (spec.LogFile is { } logFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
            log = new StreamWriter(logFile, append: true, new UTF8Encoding(false));
        }
        using var process = new Process { StartInfo = info };
        var watch = Stopwatch.StartNew();
        try
        {
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new ProcessStartException($"{spec.FileName}: cannot start: {e.Message}", e);
            }
            // setsid execs the program in place: the child's pid is the group's id.
            var group = process.Id;
            LiveGroups[group] = 0;
            try
            {
                var output = new Capture(spec.OutputCap);
                var error = new Capture(spec.OutputCap);
                var pumps = new List<Task>
                {
                    spec.OutputStream is { } sink
                        ? process.StandardOutput.BaseStream.CopyToAsync(sink)
                        : Pump(process.StandardOutput, output, log, spec.OnLine),
                    Pump(process.StandardError, error, log, spec.OnLine),
                };
                _ = WriteInputAsync(process, spec, cancellation);

                using var timeout = new CancellationTokenSource();
                if (spec.Timeout is { } limit) timeout.CancelAfter(limit);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
                var killed = false;
                try
                {
                    await process.WaitForExitAsync(either.Token);
                }
                catch (OperationCanceledException)
                {
                    killed = true;
                    await KillAsync(process, group);
                }
                var drained = Task.WhenAll(pumps);
                if (await Task.WhenAny(drained, Task.Delay(DrainLimit, CancellationToken.None)) != drained) Signal(group, SigKill);
                else await drained;
                cancellation.ThrowIfCancellationRequested();
                return new ProcessResult(killed ? -1 : process.ExitCode, output.ToString(), error.ToString(), watch.Elapsed)
                {
                    TimedOut = killed,
                    Dropped = output.Dropped + error.Dropped,
                };
            }
            finally
            {
                // Whatever the child left in its group (a background job) ends with it.
                Signal(group, SigKill);
                LiveGroups.TryRemove(group, out _);
            }
        }
        finally
        {
            if (log is not null) await log.DisposeAsync();
        }
    }

    static async Task WriteInputAsync(Process process, ProcessSpec spec, CancellationToken cancellation)
    {
        try
        {
            await using var stdin = process.StandardInput.BaseStream;
            if (spec.InputWriter is { } writer) await writer(stdin, cancellation);
            else if (spec.Input is { } text) await stdin.WriteAsync(Encoding.UTF8.GetBytes(text), cancellation);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The child stopped reading (it exited or was killed); its exit status says what happened.
        }
    }

    static async Task Pump(StreamReader reader, Capture capture, StreamWriter? log, Action<string>? onLine)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            capture.Append(chunk);
            if (log is not null)
                lock (log)
                {
                    log.Write(chunk);
                    log.Flush();
                }
            if (onLine is null) continue;
            foreach (var ch in chunk)
            {
                if (ch is not ('\r' or '\n')) { line.Append(ch); continue; }
                if (line.Length > 0) onLine(line.ToString());
                line.Clear();
            }
        }
        if (onLine is not null && line.Length > 0) onLine(line.ToString());
    }

    static async Task KillAsync(Process process, int group)
    {
        Signal(group, SigTerm);
        using var grace = new CancellationTokenSource(KillGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Signal(group, SigKill);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The program's path; a missing one is said at once, not as setsid's exit status.</summary>
    static string Resolve(string fileName, string? workingDirectory)
    {
        if (fileName.Contains('/'))
        {
            var path = Path.IsPathRooted(fileName) ? fileName : Path.Combine(workingDirectory ?? Environment.CurrentDirectory, fileName);
            return File.Exists(path) ? Path.GetFullPath(path) : throw new ProcessStartException($"{fileName}: no such file");
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, fileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new ProcessStartException($"{fileName}: command not found");
    }

    const int SigKill = 9;
    const int SigTerm = 15;

    static void Signal(int group, int signal) => _ = kill(-group, signal);

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    /// <summary>Keeps the first and the last half of the cap; the middle is counted, not kept.</summary>
    sealed class Capture(int cap)
    {
        readonly int _half = Math.Max(1, cap / 2);
        readonly StringBuilder _head = new();
        readonly StringBuilder _tail = new();
        public long Dropped { get; private set; }

        public void Append(ReadOnlySpan<char> text)
        {
            lock (this)
            {
                var toHead = Math.Min(text.Length, _half - _head.Length);
                if (toHead > 0) _head.Append(text[..toHead]);
                if (toHead == text.Length) return;
                _tail.Append(text[Math.Max(0, toHead)..]);
                if (_tail.Length <= 2 * _half) return;
                var excess = _tail.Length - _half;
                _tail.Remove(0, excess);
                Dropped += excess;
            }
        }

        public override string ToString()
        {
            lock (this)
            {
                if (Dropped == 0 && _tail.Length <= _half) return _head.ToString() + _tail;
                var excess = Math.Max(0, _tail.Length - _half);
                return $"{_head}\n[... {Dropped + excess} characters left out ...]\n{_tail.ToString(excess, _tail.Length - excess)}";
            }
        }
    }
}
