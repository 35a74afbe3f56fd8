namespace HmmCi.Processes;

/// <summary>POSIX shell quoting, for reproducers people paste and for the scripts builds run.</summary>
public static class Shell
{
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./_-".Contains(c)) ? word : $"'{word.Replace("'", "'\\''")}'";

    public static string Join(IEnumerable<string> words) => string.Join(" ", words.Select(Quote));
}
