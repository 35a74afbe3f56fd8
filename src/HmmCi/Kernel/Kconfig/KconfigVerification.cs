using HmmCi.Reports;

namespace HmmCi.Kernel.Kconfig;

/// <summary>
/// Kconfig drops an option it cannot satisfy without a word. After olddefconfig, every option a fragment asked for
/// that the .config does not have as asked is an error at the fragment's line, with the reason menuconfig's help
/// would show: e.g. "CONFIG_TEST_HMM=y requested, got unset: depends on RUNTIME_TESTING_MENU [=n] &amp;&amp;
/// TRANSPARENT_HUGEPAGE [=y] &amp;&amp; DEVICE_PRIVATE [=y]", the dependency being the symbol's whole one (enclosing if
/// blocks, menus and choice included) with each symbol's value in the .config.
/// </summary>
public static class KconfigVerification
{
    /// <param name="treeRoot">The kernel tree whose Kconfig files define the symbols.</param>
    /// <param name="dotConfig">The text of the .config olddefconfig wrote.</param>
    /// <param name="fragments">The fragments in merge order: a later request for a symbol replaces an earlier one.</param>
    /// <param name="srcArch">SRCARCH, which picks arch/$(SRCARCH)/Kconfig.</param>
    public static IReadOnlyList<BuildDiagnostic> Verify(string treeRoot, string dotConfig, IReadOnlyList<ConfigFragment> fragments, string srcArch = "x86") =>
        Verify(KconfigTree.Load(treeRoot, srcArch), dotConfig, fragments, srcArch);

    /// <summary>The same against an already loaded tree (several builds of one tree).</summary>
    public static IReadOnlyList<BuildDiagnostic> Verify(KconfigTree tree, string dotConfig, IReadOnlyList<ConfigFragment> fragments, string srcArch = "x86")
    {
        var values = new ConfigValues(tree, DotConfig.Values(dotConfig, ".config"));
        var requests = new Dictionary<string, (ConfigAssignment Request, int Order)>(StringComparer.Ordinal);
        var order = 0;
        foreach (var fragment in fragments)
            foreach (var request in DotConfig.Parse(fragment.Text, fragment.Name, fragment.FirstLine))
                requests[request.Symbol] = (request, order++);

        var diagnostics = new List<BuildDiagnostic>();
        foreach (var (request, _) in requests.Values.OrderBy(r => r.Order))
        {
            var symbol = values.Defined(request.Symbol);
            if (symbol is not null && AsAsked(request, symbol.Type, values.Assignment(request.Symbol))) continue;
            var message = $"{Requested(request)} requested, got {Got(symbol?.Type, values.Assignment(request.Symbol))}";
            var reason = symbol is null ? $"no symbol {request.Symbol} in this tree's Kconfig (SRCARCH={srcArch})" : Reason(request, symbol, values);
            diagnostics.Add(new BuildDiagnostic(request.File, request.Line, reason is null ? message : $"{message}: {reason}")
            {
                Severity = "error",
                Context = symbol?.Definitions.Select(d => $"defined at {d.File}:{d.Line}").ToList() ?? [],
            });
        }
        return diagnostics;
    }

    private static string Requested(ConfigAssignment a) => a.Quoted ? $"CONFIG_{a.Symbol}=\"{a.Value}\"" : $"CONFIG_{a.Symbol}={a.Value}";

    private static string Got(string? type, ConfigAssignment? actual) =>
        actual is null || actual.Value == "n" && type is "bool" or "tristate" or null ? "unset"
        : actual.Quoted ? $"\"{actual.Value}\"" : actual.Value;

    private static bool AsAsked(ConfigAssignment request, string? type, ConfigAssignment? actual)
    {
        var got = actual?.Value;
        switch (type)
        {
            case "bool" or "tristate": return request.Value == (got ?? "n");
            case "int" or "hex":
                return got is not null && (got == request.Value
                    || Number(request.Value, type) is { } r && Number(got, type) is { } g && r == g);
            default: return got == request.Value;
        }
    }

    private static long? Number(string s, string type)
    {
        var text = type == "hex" && !s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? "0x" + s : s;
        return KconfigEval.TryNumber(text, out var n) ? n : null;
    }

    private static int Tri(string value) => value switch { "y" => 2, "m" => 1, _ => 0 };

    /// <summary>Why olddefconfig did not keep the request, from the symbol's definitions; null when the tree does not say.</summary>
    private static string? Reason(ConfigAssignment request, KconfigSymbol symbol, ConfigValues values)
    {
        var dependency = symbol.DirectDependency;
        var depends = $"depends on {KconfigEval.Print(dependency, values)}";
        var met = KconfigEval.Tristate(dependency, values);
        var prompts = symbol.Definitions.Where(d => d.Prompt is not null).ToList();

        if (symbol.Type is not ("bool" or "tristate"))
        {
            if (met == 0) return depends;
            if (prompts.Count == 0) return "it has no prompt: only its default sets it";
            foreach (var (low, high, condition) in symbol.Definitions.SelectMany(d => d.Ranges))
            {
                if (KconfigEval.Tristate(condition, values) == 0) continue;
                var lowValue = values.Resolve(low);
                var highValue = values.Resolve(high);
                var type = symbol.Type ?? "int";
                if (Number(request.Value, type) is { } asked && Number(lowValue, type) is { } l && Number(highValue, type) is { } h
                    && asked >= l && asked <= h) return null;
                return $"outside its range [{lowValue} {highValue}]";
            }
            return null;
        }

        var wanted = Tri(request.Value);
        var got = Tri(values.ValueOf(request.Symbol));
        if (wanted > got)
        {
            if (met < wanted) return depends;
            if (prompts.Count == 0)
                return "it has no prompt: only a select sets it" + (symbol.SelectedBy.Count == 0 ? ", and nothing selects it"
                    : $"; selected by {string.Join(" || ", symbol.SelectedBy.Select(s => KconfigEval.Print(s, values)))}");
            if (prompts.All(d => KconfigEval.Tristate(d.Prompt!, values) < wanted))
                return $"its prompt depends on {KconfigEval.Print(prompts[0].Prompt!, values)}";
            if (prompts.Select(d => d.Choice).FirstOrDefault(c => c is not null) is { } choice
                && choice.Values.FirstOrDefault(v => v != request.Symbol && values.ValueOf(v) == "y") is { } chosen)
                return $"the choice \"{choice.Prompt}\" has CONFIG_{chosen}=y";
            return null;
        }

        var selectors = symbol.SelectedBy.Where(s => KconfigEval.Tristate(s, values) > wanted).ToList();
        if (selectors.Count > 0) return $"selected by {string.Join(" || ", selectors.Select(s => KconfigEval.Print(s, values)))}";
        if (wanted == 1 && symbol.Type == "bool") return $"{request.Symbol} is a bool";
        if (wanted == 1 && values.ValueOf("MODULES") != "y") return $"modules need MODULES [={values.ValueOf("MODULES")}]";
        if (prompts.Count == 0) return "it has no prompt: only its default sets it";
        return null;
    }

    /// <summary>A .config read through the tree's symbol types.</summary>
    private sealed class ConfigValues(KconfigTree tree, IReadOnlyDictionary<string, ConfigAssignment> config) : IKconfigValues
    {
        public KconfigSymbol? Defined(string name) =>
            tree.Symbols.TryGetValue(name, out var s) && s.Definitions.Count > 0 ? s : null;

        public ConfigAssignment? Assignment(string name) => config.GetValueOrDefault(name);

        public string? TypeOf(string name) => Defined(name)?.Type;

        public string ValueOf(string name)
        {
            var value = config.GetValueOrDefault(name)?.Value;
            return TypeOf(name) is "bool" or "tristate" ? value is "y" or "m" ? value : "n" : value ?? "";
        }

        /// <summary>A range bound: a number, or a symbol's value.</summary>
        public string Resolve(string word) => TypeOf(word) is null ? word : ValueOf(word);
    }
}
