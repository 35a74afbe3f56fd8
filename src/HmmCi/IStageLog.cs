namespace HmmCi;

/// <summary>
/// Where a stage tells the maintainer what it is doing and what it found, one line each. The pipeline's host is
/// one (a terminal, or GitHub Actions annotations); benchmarks and tests bring their own.
/// </summary>
public interface IStageLog
{
    void Info(string message);
    void Warning(string message, string? file = null, int? line = null);
    void Error(string message, string? file = null, int? line = null);
}
