using System.Security.Cryptography;
using System.Text;

namespace HmmCi.Kernel.Focused;

/// <summary>
/// Everything a focused compile's result depends on; its hash is its key in the result cache (<see cref="BuildCache"/>).
/// Computing it runs nothing heavy. The merged side is keyed by its tree (what is compiled, whichever merge commit
/// holds it); the baseline and the topic by their commits, whose history the culprit search reads; the trees a
/// downstream commit is attributed to by name and head, as the culprit sentence names them; the makes by the scripts
/// they run (<see cref="FocusedMake.Recipe"/>), so a changed recipe is a miss without a version to bump.
/// </summary>
public sealed record FocusedInputs(string Target, string MergedTree, string Baseline, string TopicBase, string TopicHead, IReadOnlyList<TreeHead> Trees,
    string Config, string Image, string Recipe, int MaxFiles, bool BlameWarnings)
{
    public string Key()
    {
        var text = new StringBuilder()
            .Append("target ").Append(Target).Append('\n')
            .Append("merged-tree ").Append(MergedTree).Append('\n')
            .Append("baseline ").Append(Baseline).Append('\n')
            .Append("topic ").Append(TopicBase).Append("..").Append(TopicHead).Append('\n')
            .Append("config ").Append(Config).Append('\n')
            .Append("image ").Append(Image).Append('\n')
            .Append("max-files ").Append(MaxFiles).Append('\n')
            .Append("blame-warnings ").Append(BlameWarnings).Append('\n');
        foreach (var tree in Trees) text.Append("tree ").Append(tree.Name).Append(' ').Append(tree.Head).Append('\n');
        text.Append("recipe\n").Append(Recipe);
        return "focused-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
