using System.Reflection;

namespace HmmCi.Build.Engine;

public sealed class TargetGraphException(string message) : Exception(message);

/// <summary>The targets a build class declares, and the ordered plan for one invocation.</summary>
public sealed class TargetGraph
{
    private readonly List<TargetDefinition> _targets;
    private readonly Dictionary<string, TargetDefinition> _byName;
    private readonly Dictionary<TargetDefinition, List<TargetDefinition>> _dependencies = [];
    private readonly Dictionary<TargetDefinition, List<TargetDefinition>> _predecessors = [];
    private readonly List<Target> _delegates;

    private TargetGraph(List<TargetDefinition> targets, List<Target> delegates)
    {
        _targets = targets;
        _delegates = delegates;
        _byName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var t in targets)
        {
            _dependencies[t] = t.Dependencies.Select(Resolve).ToList();
            _predecessors[t] = t.Predecessors.Select(Resolve).ToList();
        }
        ThrowOnCycle();
    }

    public IReadOnlyList<TargetDefinition> Targets => _targets;

    public static TargetGraph From(object build)
    {
        var properties = build.GetType()
            .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target))
            .ToList();
        var delegates = properties.Select(p => (Target)p.GetValue(build)!).ToList();
        var targets = properties.Select((p, i) => delegates[i](new TargetDefinition(p.Name))).ToList();
        return new TargetGraph(targets, delegates);
    }

    /// <summary>Targets refer to each other by delegate; two reads of the same property give equal delegates.</summary>
    public TargetDefinition Resolve(Target target)
    {
        var index = _delegates.FindIndex(d => d.Equals(target));
        return index >= 0 ? _targets[index] : throw new TargetGraphException("a target refers to a target that is not a member of the build");
    }

    public TargetDefinition Find(string name) =>
        _byName.TryGetValue(name, out var t)
            ? t
            : throw new TargetGraphException($"unknown target '{name}' (targets: {string.Join(", ", _targets.Select(x => x.Name))})");

    /// <summary>The invoked targets, their transitive dependencies and every always-run target, in execution order.</summary>
    public IReadOnlyList<TargetDefinition> Plan(IEnumerable<string> invoked)
    {
        var included = new HashSet<TargetDefinition>();
        void Include(TargetDefinition t)
        {
            if (!included.Add(t)) return;
            foreach (var d in _dependencies[t]) Include(d);
        }
        foreach (var name in invoked) Include(Find(name));
        foreach (var t in _targets.Where(t => t.IsAlwaysRun)) Include(t);

        // Kahn's algorithm; ties keep declaration order so the plan is stable.
        var incoming = included.ToDictionary(t => t, t => Before(t).Count(included.Contains));
        var plan = new List<TargetDefinition>();
        while (plan.Count < included.Count)
        {
            var next = _targets.First(t => included.Contains(t) && !plan.Contains(t) && incoming[t] == 0);
            plan.Add(next);
            foreach (var t in included.Where(t => Before(t).Contains(next))) incoming[t]--;
        }
        return plan;
    }

    internal IReadOnlyList<TargetDefinition> DependenciesOf(TargetDefinition t) => _dependencies[t];

    private IEnumerable<TargetDefinition> Before(TargetDefinition t) => _dependencies[t].Concat(_predecessors[t]).Distinct();

    private void ThrowOnCycle()
    {
        var state = new Dictionary<TargetDefinition, bool>(); // false = on the current path, true = done
        var path = new Stack<TargetDefinition>();
        void Visit(TargetDefinition t)
        {
            if (state.TryGetValue(t, out var done))
            {
                if (done) return;
                var cycle = path.Reverse().SkipWhile(p => p != t).Select(p => p.Name).Append(t.Name);
                throw new TargetGraphException($"target cycle: {string.Join(" -> ", cycle)}");
            }
            state[t] = false;
            path.Push(t);
            foreach (var b in Before(t)) Visit(b);
            path.Pop();
            state[t] = true;
        }
        foreach (var t in _targets) Visit(t);
    }
}
