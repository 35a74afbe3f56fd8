namespace HmmCi.Trees;

/// <summary>A commit as maintainers cite it: sha12 ("subject").</summary>
public sealed record CommitRef(string Sha, string Subject)
{
    public override string ToString() => $"{Sha[..Math.Min(12, Sha.Length)]} (\"{Subject}\")";
}
