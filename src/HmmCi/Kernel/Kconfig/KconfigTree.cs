using System.Text.RegularExpressions;

namespace HmmCi.Kernel.Kconfig;

/// <summary>
/// The symbols of a tree's Kconfig files, read from the top Kconfig through every source line ($(SRCARCH) and
/// $(srctree) expanded), with the dependencies menu_finalize() gives them. Defaults are not needed: values come
/// from the .config that olddefconfig wrote.
/// </summary>
public sealed partial class KconfigTree
{
    public IReadOnlyDictionary<string, KconfigSymbol> Symbols => _symbols;

    /// <summary>The files read, relative to the tree: what the symbols depend on.</summary>
    public IReadOnlyList<string> Files => _files;

    private readonly Dictionary<string, KconfigSymbol> _symbols = new(StringComparer.Ordinal);
    private readonly List<string> _files = [];
    private readonly string _root;
    private readonly Dictionary<string, string> _variables;

    private KconfigTree(string treeRoot, string srcArch)
    {
        _root = treeRoot;
        _variables = new() { ["SRCARCH"] = srcArch, ["ARCH"] = srcArch, ["srctree"] = treeRoot };
    }

    /// <summary>Reads treeRoot/Kconfig and everything it sources; a malformed line throws a FormatException naming file:line.</summary>
    public static KconfigTree Load(string treeRoot, string srcArch = "x86")
    {
        var tree = new KconfigTree(treeRoot.TrimEnd('/'), srcArch);
        var root = new KconfigEntry(KconfigEntryKind.Root, null, "Kconfig", 0);
        var pending = new List<(KconfigEntry Entry, KconfigSymbol Symbol)>();
        var selects = new List<(KconfigEntry Entry, string Target, KconfigExpr? Condition)>();
        tree.ReadFile("Kconfig", null, new Stack<KconfigEntry>([root]), pending, selects);

        foreach (var (entry, symbol) in pending)
            symbol.Definitions.Add(new KconfigDefinition
            {
                File = entry.File,
                Line = entry.Line,
                Dependency = entry.Dependency,
                Prompt = entry.HasPrompt ? KconfigExpr.AndAll(entry.Dependency, entry.PromptCondition) : null,
                Ranges = entry.Ranges.Select(r => (r.Low, r.High, KconfigExpr.AndAll(entry.Dependency, r.Condition))).ToList(),
                Choice = entry.EnclosingChoice,
            });
        foreach (var (entry, target, condition) in selects)
            tree.Symbol(target).SelectedBy.Add(KconfigExpr.AndAll(new KconfigExpr.Word(entry.Symbol!, false),
                KconfigExpr.AndAll(entry.Dependency, condition)));
        return tree;
    }

    private KconfigSymbol Symbol(string name)
    {
        if (!_symbols.TryGetValue(name, out var symbol)) _symbols[name] = symbol = new KconfigSymbol { Name = name };
        return symbol;
    }

    private static readonly HashSet<string> Types = ["bool", "tristate", "string", "int", "hex"];

    [GeneratedRegex(@"\$\((?<name>[A-Za-z0-9_]+)\)")]
    private static partial Regex Variable();

    private void ReadFile(string relative, string? sourcedAt, Stack<KconfigEntry> blocks, List<(KconfigEntry, KconfigSymbol)> pending, List<(KconfigEntry, string, KconfigExpr?)> selects)
    {
        var path = Path.Combine(_root, relative);
        if (!File.Exists(path)) throw new FormatException($"{sourcedAt ?? relative}: no Kconfig file {path}");
        _files.Add(relative);
        var lines = File.ReadAllLines(path);
        KconfigEntry? current = null;
        var depth = blocks.Count;

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var text = lines[i];
            while (text.EndsWith('\\') && i + 1 < lines.Length) text = text[..^1] + lines[++i];
            if (KconfigLexer.IsPreprocessorLine(text)) continue;
            var tokens = KconfigLexer.Tokenize(Expand(text), relative, lineNo);
            if (tokens.Count == 0) continue;
            var where = $"{relative}:{lineNo}";
            var keyword = tokens[0];

            switch (keyword)
            {
                case "config" or "menuconfig":
                {
                    var name = Expect(tokens, 1, where);
                    var entry = current = new KconfigEntry(KconfigEntryKind.Config, blocks.Peek(), relative, lineNo) { Symbol = name };
                    pending.Add((entry, Symbol(name)));
                    entry.EnclosingChoice?.Values.Add(name);
                    continue;
                }
                case "choice":
                    current = new KconfigEntry(KconfigEntryKind.Choice, blocks.Peek(), relative, lineNo) { Choice = new KconfigChoice() };
                    blocks.Push(current);
                    continue;
                case "endchoice": Close(blocks, KconfigEntryKind.Choice, depth, where); current = null; continue;
                case "menu":
                    current = new KconfigEntry(KconfigEntryKind.Menu, blocks.Peek(), relative, lineNo);
                    blocks.Push(current);
                    continue;
                case "endmenu": Close(blocks, KconfigEntryKind.Menu, depth, where); current = null; continue;
                case "if":
                    blocks.Push(new KconfigEntry(KconfigEntryKind.If, blocks.Peek(), relative, lineNo) { Own = KconfigExprParser.Parse(tokens, 1, where) });
                    current = null;
                    continue;
                case "endif": Close(blocks, KconfigEntryKind.If, depth, where); current = null; continue;
                case "comment":
                    current = new KconfigEntry(KconfigEntryKind.Comment, blocks.Peek(), relative, lineNo);
                    continue;
                case "source":
                    ReadFile(KconfigLexer.Unquote(Expect(tokens, 1, where)), where, blocks, pending, selects);
                    current = null;
                    continue;
                case "mainmenu": continue;
                case "help" or "---help---":
                    i = KconfigLexer.SkipHelp(lines, i);
                    continue;
            }

            if (current is null) throw new FormatException($"{where}: '{keyword}' outside a config, menu or choice");
            Attribute(current, tokens, where, selects);
        }
        if (blocks.Count != depth) throw new FormatException($"{relative}: a menu, if or choice opened here is not closed in the same file");
    }

    private void Attribute(KconfigEntry entry, List<string> tokens, string where, List<(KconfigEntry, string, KconfigExpr?)> selects)
    {
        var keyword = tokens[0];
        var symbol = entry.Symbol is null ? null : Symbol(entry.Symbol);
        if (Types.Contains(keyword) || keyword is "def_bool" or "def_tristate")
        {
            var type = keyword switch { "def_bool" => "bool", "def_tristate" => "tristate", _ => keyword };
            if (symbol is not null) symbol.Type ??= type;
            if (Types.Contains(keyword) && tokens.Count > 1) Prompt(entry, tokens, 1, where);
            return;
        }
        switch (keyword)
        {
            case "prompt": Prompt(entry, tokens, 1, where); return;
            case "depends" when tokens.Count > 2 && tokens[1] == "on":
                entry.Own = entry.Own is null ? KconfigExprParser.Parse(tokens, 2, where) : new KconfigExpr.And(entry.Own, KconfigExprParser.Parse(tokens, 2, where));
                return;
            case "select" when symbol is not null:
                selects.Add((entry, Expect(tokens, 1, where), Condition(tokens, 2, where)));
                return;
            case "range":
                entry.Ranges.Add((Expect(tokens, 1, where), Expect(tokens, 2, where), Condition(tokens, 3, where)));
                return;
            // Neither changes the dependency nor what a .config holds.
            case "default" or "imply" or "visible" or "option" or "modules" or "optional":
                return;
        }
        throw new FormatException($"{where}: unknown Kconfig attribute '{keyword}'");
    }

    private static void Prompt(KconfigEntry entry, List<string> tokens, int at, string where)
    {
        var text = KconfigLexer.Unquote(Expect(tokens, at, where));
        entry.HasPrompt = true;
        entry.PromptCondition = Condition(tokens, at + 1, where);
        if (entry.Kind == KconfigEntryKind.Choice) entry.Choice!.Prompt = text;
    }

    private static KconfigExpr? Condition(List<string> tokens, int at, string where)
    {
        if (tokens.Count <= at) return null;
        if (tokens[at] != "if") throw new FormatException($"{where}: expected 'if' after '{string.Join(' ', tokens.Take(at))}'");
        return KconfigExprParser.Parse(tokens, at + 1, where);
    }

    private static void Close(Stack<KconfigEntry> blocks, KconfigEntryKind kind, int depth, string where)
    {
        if (blocks.Count <= depth || blocks.Peek().Kind != kind)
            throw new FormatException($"{where}: end{kind.ToString().ToLowerInvariant()} without a matching {kind.ToString().ToLowerInvariant()}");
        blocks.Pop();
    }

    private static string Expect(List<string> tokens, int at, string where) =>
        tokens.Count > at ? tokens[at] : throw new FormatException($"{where}: '{tokens[0]}' needs an argument");

    private string Expand(string text) =>
        Variable().Replace(text, m => _variables.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);
}
