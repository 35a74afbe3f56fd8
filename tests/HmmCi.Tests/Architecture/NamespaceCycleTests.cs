using System.Reflection;
using HmmCi.Trees;

namespace HmmCi.Tests.Architecture;

/// <summary>
/// The library's namespaces depend on each other one way, in data-flow order (config, trees, checks, merges, builds,
/// selftests, report, publish): a cycle means two namespaces can only be understood, tested or split off together.
/// </summary>
public class NamespaceCycleTests
{
    static readonly Assembly Library = typeof(GitCli).Assembly;

    /// <summary>
    /// Sub-namespaces that are parts of the namespace above them, not a layer of their own: the rules the checks'
    /// catalog lists and that implement its ICheck, and the email rendering of the report's view. Every other
    /// namespace (HmmCi.Kernel.Runtimes, HmmCi.Kernel.Focused, ...) is a node of its own.
    /// </summary>
    static readonly Dictionary<string, string> PartOf = new()
    {
        ["HmmCi.Checks.Rules"] = "HmmCi.Checks",
        ["HmmCi.Reports.Email"] = "HmmCi.Reports",
    };

    const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void The_library_namespaces_depend_on_each_other_without_a_cycle()
    {
        var graph = Dependencies(Library);

        // The graph sees the library's known one-way edges, so it would see the edges of a cycle.
        Assert.Contains("HmmCi.Trees", graph["HmmCi.Merging"]);
        Assert.Contains("HmmCi.Processes", graph["HmmCi.Trees"]);

        var cycles = Cycles(graph).Select(c => $"{string.Join(" -> ", c.Cycle.Append(c.Cycle[0]))} (namespaces that reach each other: {string.Join(", ", c.Group)})").ToList();
        Assert.True(cycles.Count == 0, "Namespace cycles:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void A_cycle_is_found_and_named()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A", "D"], ["D"] = [],
        };

        var cycle = Assert.Single(Cycles(graph));
        Assert.Equal(["A", "B", "C"], cycle.Cycle);
        Assert.Equal(["A", "B", "C"], cycle.Group);
    }

    /// <summary>
    /// Namespace to the namespaces of the assembly its types name: base type, interfaces, attributes, fields,
    /// properties, events, method signatures, locals and what method bodies call, load or make. A nested or
    /// compiler-generated type (a lambda's closure, an async state machine) shares its outer type's namespace.
    /// </summary>
    static Dictionary<string, HashSet<string>> Dependencies(Assembly assembly)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            // <PrivateImplementationDetails>, the regex generator's types and the like are no layer of the library.
            if (Node(type) is not { } from) continue;
            var edges = graph.TryGetValue(from, out var known) ? known : graph[from] = [];
            foreach (var named in Named(type).SelectMany(Expand))
                if (named.Assembly == assembly && Node(named) is { } to && to != from)
                    edges.Add(to);
        }
        return graph;
    }

    static string? Node(Type type) => type.Namespace switch
    {
        { } name when PartOf.TryGetValue(name, out var whole) => whole,
        { } name when name == "HmmCi" || name.StartsWith("HmmCi.", StringComparison.Ordinal) => name,
        _ => null,
    };

    static IEnumerable<Type> Named(Type type)
    {
        if (type.BaseType is { } baseType) yield return baseType;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var t in AttributeTypes(type.CustomAttributes)) yield return t;
        foreach (var field in type.GetFields(Everything))
        {
            yield return field.FieldType;
            foreach (var t in AttributeTypes(field.CustomAttributes)) yield return t;
        }
        foreach (var property in type.GetProperties(Everything))
        {
            yield return property.PropertyType;
            foreach (var t in AttributeTypes(property.CustomAttributes)) yield return t;
        }
        foreach (var e in type.GetEvents(Everything))
            if (e.EventHandlerType is { } handler) yield return handler;
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info) yield return info.ReturnType;
            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
                foreach (var t in AttributeTypes(parameter.CustomAttributes)) yield return t;
            }
            foreach (var t in AttributeTypes(method.CustomAttributes)) yield return t;
            foreach (var local in method.GetMethodBody()?.LocalVariables ?? []) yield return local.LocalType;
            foreach (var t in MethodReferences.Types(method)) yield return t;
        }
    }

    /// <summary>An attribute's type and the types its arguments name (typeof, enum values).</summary>
    static IEnumerable<Type> AttributeTypes(IEnumerable<CustomAttributeData> attributes) =>
        attributes.SelectMany(a => a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue))
            .SelectMany(v => v.Value is Type named ? [v.ArgumentType, named] : new[] { v.ArgumentType })
            .Prepend(a.AttributeType));

    /// <summary>The type, its element type and its generic arguments, all the way down.</summary>
    static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter) yield break;
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
            foreach (var t in Expand(element)) yield return t;
        if (type.IsGenericType)
            foreach (var t in type.GetGenericArguments().SelectMany(Expand)) yield return t;
    }

    /// <summary>
    /// One cycle in each group of namespaces that reach each other (Tarjan's strongly connected components), as the
    /// path from the group's first namespace in ordinal order back to itself.
    /// </summary>
    static List<(List<string> Cycle, List<string> Group)> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var groups = new List<HashSet<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in Edges(node))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                    low[node] = Math.Min(low[node], index[next]);
            }
            if (low[node] != index[node]) return;
            var group = new HashSet<string>();
            string member;
            do group.Add(member = stack.Pop()); while (member != node);
            if (group.Count > 1) groups.Add(group);
        }

        IEnumerable<string> Edges(string node) =>
            graph.TryGetValue(node, out var edges) ? edges.Order(StringComparer.Ordinal) : [];

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(node)) Visit(node);

        return groups.Select(group => group.Order(StringComparer.Ordinal).ToList())
            .Select(group => (PathBack(group[0], group, Edges), group))
            .OrderBy(cycle => cycle.group[0], StringComparer.Ordinal).ToList();
    }

    /// <summary>The shortest path inside the group from start back to start, found breadth first.</summary>
    static List<string> PathBack(string start, List<string> group, Func<string, IEnumerable<string>> edges)
    {
        var cameFrom = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in edges(node).Where(group.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { node };
                    while (path[0] != start) path.Insert(0, cameFrom[path[0]]);
                    return path;
                }
                if (cameFrom.TryAdd(next, node)) queue.Enqueue(next);
            }
        }
        throw new InvalidOperationException($"{start} does not reach itself inside its group");
    }
}
