using Spectre.Console;

namespace HmmCi.Build.Engine;

/// <summary>Where the engine and the targets write: a terminal, or GitHub Actions' workflow commands; the stages log to it too.</summary>
public interface IBuildHost : IStageLog
{
    void BeginTarget(string name);
    void EndTarget(string name);

    static IBuildHost ForEnvironment(Func<string, string?> environment) =>
        environment("GITHUB_ACTIONS") == "true" ? new GitHubActionsHost(Console.Out) : new TerminalHost();
}

public sealed class TerminalHost : IBuildHost
{
    // Into a log file or pipe, wrapped lines would split messages and defeat grep: print them whole.
    private readonly bool _plain = Console.IsOutputRedirected;

    public TerminalHost()
    {
        // Spectre assumes 80 columns without a terminal; the summary tables need more.
        if (_plain) AnsiConsole.Profile.Width = 160;
    }

    public void BeginTarget(string name) => AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(name)}[/]").LeftJustified());
    public void EndTarget(string name) { }
    public void Info(string message) => Write("", "", message);
    public void Warning(string message, string? file = null, int? line = null) => Write("yellow", "warning: ", Locate(file, line) + message);
    public void Error(string message, string? file = null, int? line = null) => Write("red", "error: ", Locate(file, line) + message);

    private void Write(string colour, string label, string message)
    {
        if (_plain) Console.WriteLine(label + message);
        else if (colour.Length == 0) AnsiConsole.MarkupLine(Markup.Escape(message));
        else AnsiConsole.MarkupLine($"[{colour}]{label}[/]{Markup.Escape(message)}");
    }

    private static string Locate(string? file, int? line) => file is null ? "" : line is null ? $"{file}: " : $"{file}:{line}: ";
}

/// <summary>Each target is a collapsible group; errors and warnings become annotations on the run.</summary>
public sealed class GitHubActionsHost(TextWriter output) : IBuildHost
{
    public void BeginTarget(string name) => output.WriteLine($"::group::{name}");
    public void EndTarget(string name) => output.WriteLine("::endgroup::");
    public void Info(string message) => output.WriteLine(message);
    public void Warning(string message, string? file = null, int? line = null) => Annotate("warning", message, file, line);
    public void Error(string message, string? file = null, int? line = null) => Annotate("error", message, file, line);

    private void Annotate(string kind, string message, string? file, int? line)
    {
        var properties = new List<string>();
        if (file is not null) properties.Add($"file={Escape(file, property: true)}");
        if (line is not null) properties.Add($"line={line}");
        output.WriteLine($"::{kind}{(properties.Count > 0 ? " " + string.Join(",", properties) : "")}::{Escape(message, property: false)}");
    }

    // The escaping rules of GitHub's workflow commands.
    private static string Escape(string value, bool property)
    {
        var escaped = value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
        return property ? escaped.Replace(":", "%3A").Replace(",", "%2C") : escaped;
    }
}
