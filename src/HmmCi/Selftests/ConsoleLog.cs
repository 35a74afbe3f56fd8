using System.Globalization;
using System.Text;

namespace HmmCi.Selftests;

/// <summary>
/// A console log on disk that never grows past its cap: a run of one repeated line (timestamps aside) becomes one
/// "the previous line repeated N times" note, the first <c>headBytes</c> are written as they come, the last
/// <c>tailBytes</c> are kept in memory and written at the end after a count of what was left out in between.
/// A failing 6.1 hmm-tests prints one assertion line thousands of times a second; this is what keeps that bounded.
/// </summary>
public sealed class ConsoleLog : IDisposable
{
    readonly StreamWriter _file;
    readonly long _headBytes;
    readonly long _tailBytes;
    readonly Queue<string> _tail = new();
    readonly Queue<string> _recent = new();
    long _tailSize;
    long _written;
    string? _last;
    long _repeats;
    bool _closed;

    public ConsoleLog(string path, long headBytes = 1 << 20, long tailBytes = 1 << 20)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _file = new StreamWriter(path, append: false, new UTF8Encoding(false));
        _headBytes = headBytes;
        _tailBytes = tailBytes;
        FilePath = path;
    }

    public string FilePath { get; }
    /// <summary>Lines received, repeats included.</summary>
    public long Lines { get; private set; }
    /// <summary>Lines left out between the head and the tail (repeats collapsed into a note are not counted here).</summary>
    public long DroppedLines { get; private set; }
    public long DroppedBytes { get; private set; }
    /// <summary>Lines folded into "repeated" notes.</summary>
    public long CollapsedLines { get; private set; }

    public static string RepeatedNote(long times) =>
        string.Create(CultureInfo.InvariantCulture, $"[the previous line repeated {times:N0} times]");

    public void Add(string line)
    {
        lock (_file)
        {
            if (_closed) return;
            Lines++;
            var text = KtapParser.StripConsolePrefix(line);
            if (text == _last)
            {
                _repeats++;
                CollapsedLines++;
                return;
            }
            FlushRepeats();
            _last = text;
            Keep(line);
        }
    }

    /// <summary>The last lines as kept (for "no start marker" and panic reasons).</summary>
    public IReadOnlyList<string> LastLines(int count)
    {
        lock (_file) return _recent.TakeLast(count).ToList();
    }

    void FlushRepeats()
    {
        if (_repeats == 0) return;
        Keep(RepeatedNote(_repeats));
        _repeats = 0;
    }

    void Keep(string line)
    {
        _recent.Enqueue(line);
        if (_recent.Count > 50) _recent.Dequeue();
        var size = Encoding.UTF8.GetByteCount(line) + 1;
        if (_written + size <= _headBytes && DroppedLines == 0 && _tail.Count == 0)
        {
            _file.WriteLine(line);
            _written += size;
            return;
        }
        _tail.Enqueue(line);
        _tailSize += size;
        while (_tailSize > _tailBytes && _tail.Count > 0)
        {
            var dropped = _tail.Dequeue();
            var droppedSize = Encoding.UTF8.GetByteCount(dropped) + 1;
            _tailSize -= droppedSize;
            DroppedLines++;
            DroppedBytes += droppedSize;
        }
    }

    /// <summary>Writes the pending repeat note, the count of what was left out and the tail; later lines are ignored.</summary>
    public void Close()
    {
        lock (_file)
        {
            if (_closed) return;
            FlushRepeats();
            if (DroppedLines > 0)
                _file.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[... {DroppedLines:N0} lines ({DroppedBytes:N0} bytes) left out by HmmCi's console cap ...]"));
            foreach (var line in _tail) _file.WriteLine(line);
            _tail.Clear();
            _closed = true;
            _file.Flush();
        }
    }

    public void Dispose()
    {
        Close();
        _file.Dispose();
    }
}
