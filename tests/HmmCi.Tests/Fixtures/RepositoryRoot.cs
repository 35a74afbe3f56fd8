namespace HmmCi.Tests.Fixtures;

/// <summary>The HmmCi checkout the tests run from (the folder holding HmmCi.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find(AppContext.BaseDirectory);

    private static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HmmCi.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no HmmCi.sln above {start}");
    }
}
