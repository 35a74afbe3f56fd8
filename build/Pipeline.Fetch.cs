using HmmCi.Build.Engine;
using HmmCi.Trees;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Fetch => _ => _
        .Description("Fetch the topic, mainline and downstream trees into one object store and pin their heads")
        .DependsOn(Prerequisites, Sample)
        .Executes(async cancellation =>
        {
            _store = await TreeStore.OpenAsync(Workspace);

            var topic = await FetchOne(Settings.Topic, withTags: false, cancellation);
            (ReadinessReport.Topic.Head, ReadinessReport.Topic.Error) = (topic.Head, topic.Error);
            var mainline = await FetchOne(Settings.Mainline, withTags: true, cancellation);
            (ReadinessReport.Mainline.Head, ReadinessReport.Mainline.Error) = (mainline.Head, mainline.Error);
            foreach (var tree in ReadinessReport.Trees)
            {
                var fetched = await FetchOne(Settings.Trees.Single(t => t.Name == tree.Name), withTags: false, cancellation);
                (tree.Head, tree.Error) = (fetched.Head, fetched.Error);
            }
            if (topic.Ok && mainline.Ok)
            {
                ReadinessReport.Topic.Base = await Store.MergeBaseAsync(topic.Head!, mainline.Head!);
                if (ReadinessReport.Topic.Base is null) ReadinessReport.Topic.Error = "the topic has no history in common with mainline";
                else ReadinessReport.Topic.Commits.AddRange(await Store.CommitsAsync(topic.Head!, mainline.Head!));
            }
        });

    async Task<FetchedTree> FetchOne(HmmCi.Config.TreeConfig tree, bool withTags, CancellationToken cancellation)
    {
        Host.Info($"fetching {tree.Name} ({tree.Branch}) from {tree.Url}");
        var fetched = await Store.FetchAsync(tree, withTags, line => Host.Info($"  {tree.Name}: {line}"), cancellation);
        if (fetched.Ok) Host.Info($"  {tree.Name} is at {fetched.Head![..12]}");
        else Host.Error($"{tree.Name}: {fetched.Error}");
        return fetched;
    }
}
