namespace HmmCi.Kernel.Kconfig;

/// <summary>One place a symbol is defined (config or menuconfig), with what it inherits from the menus, ifs and choice around it.</summary>
public sealed class KconfigDefinition
{
    public required string File { get; init; }
    public required int Line { get; init; }
    /// <summary>The definition's whole direct dependency: enclosing if blocks, menus and choice, then its own depends on lines.</summary>
    public required KconfigExpr Dependency { get; init; }
    /// <summary>When the prompt is visible (its dependency and the prompt's own if), or null without a prompt.</summary>
    public KconfigExpr? Prompt { get; init; }
    public IReadOnlyList<(string Low, string High, KconfigExpr Condition)> Ranges { get; init; } = [];
    /// <summary>The choice this definition is a value of.</summary>
    public KconfigChoice? Choice { get; init; }
}

public sealed class KconfigChoice
{
    public string Prompt { get; internal set; } = "";
    public List<string> Values { get; } = [];
}

public sealed class KconfigSymbol
{
    public required string Name { get; init; }
    public string? Type { get; internal set; }
    public List<KconfigDefinition> Definitions { get; } = [];
    /// <summary>One term per select of this symbol: the selecting symbol and that select's whole condition.</summary>
    public List<KconfigExpr> SelectedBy { get; } = [];

    /// <summary>The OR of every definition's dependency, as sym->dir_dep (and kconfiglib's direct_dep) has it.</summary>
    public KconfigExpr DirectDependency => Definitions.Select(d => d.Dependency).Aggregate(KconfigExpr.OrAll);
}

internal enum KconfigEntryKind { Root, Config, Choice, Menu, If, Comment }

/// <summary>One menu entry as the walker reads it (struct menu): a config, choice, menu, if block or comment inside its parent.</summary>
internal sealed class KconfigEntry(KconfigEntryKind kind, KconfigEntry? parent, string file, int line)
{
    public KconfigEntryKind Kind { get; } = kind;
    public KconfigEntry? Parent { get; } = parent;
    public string File { get; } = file;
    public int Line { get; } = line;
    public string? Symbol { get; init; }
    public KconfigChoice? Choice { get; init; }
    public KconfigExpr? Own { get; set; }
    public bool HasPrompt { get; set; }
    public KconfigExpr? PromptCondition { get; set; }
    public List<(string Low, string High, KconfigExpr? Condition)> Ranges { get; } = [];

    /// <summary>The choice this entry is a value of (if blocks may sit between them).</summary>
    public KconfigChoice? EnclosingChoice
    {
        get
        {
            var p = Parent;
            while (p is { Kind: KconfigEntryKind.If }) p = p.Parent;
            return p?.Choice;
        }
    }

    private KconfigExpr? _dependency;
    /// <summary>parent's dependency &amp;&amp; own: computed once the whole tree is read (a menu's depends on follows its line).</summary>
    public KconfigExpr Dependency => _dependency ??= KconfigExpr.AndAll(Parent?.Dependency, Own);
}
