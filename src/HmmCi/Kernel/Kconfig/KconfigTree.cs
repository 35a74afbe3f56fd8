using System.Text;
using System.Text.RegularExpressions;

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
        var root = new Entry(EntryKind.Root, null, "Kconfig", 0);
        var pending = new List<(Entry Entry, KconfigSymbol Symbol)>();
        var selects = new List<(Entry Entry, string Target, KconfigExpr? Condition)>();
        tree.ReadFile("Kconfig", null, new Stack<Entry>([root]), pending, selects);

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

    private enum EntryKind { Root, Config, Choice, Menu, If, Comment }

    private sealed class Entry(EntryKind kind, Entry? parent, string file, int line)
    {
        public EntryKind Kind { get; } = kind;
        public Entry? Parent { get; } = parent;
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
                while (p is { Kind: EntryKind.If }) p = p.Parent;
                return p?.Choice;
            }
        }

        private KconfigExpr? _dependency;
        /// <summary>parent's dependency &amp;&amp; own: computed once the whole tree is read (a menu's depends on follows its line).</summary>
        public KconfigExpr Dependency => _dependency ??= KconfigExpr.AndAll(Parent?.Dependency, Own);
    }

    private static readonly HashSet<string> Types = ["bool", "tristate", "string", "int", "hex"];

    [GeneratedRegex(@"^(?:[A-Za-z0-9_-]+\s*(?::=|\+=|=)|\$\()")]
    private static partial Regex Preprocessor();

    [GeneratedRegex(@"\$\((?<name>[A-Za-z0-9_]+)\)")]
    private static partial Regex Variable();

    private void ReadFile(string relative, string? sourcedAt, Stack<Entry> blocks, List<(Entry, KconfigSymbol)> pending, List<(Entry, string, KconfigExpr?)> selects)
    {
        var path = Path.Combine(_root, relative);
        if (!File.Exists(path)) throw new FormatException($"{sourcedAt ?? relative}: no Kconfig file {path}");
        _files.Add(relative);
        var lines = File.ReadAllLines(path);
        Entry? current = null;
        var depth = blocks.Count;

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var text = lines[i];
            while (text.EndsWith('\\') && i + 1 < lines.Length) text = text[..^1] + lines[++i];
            // The preprocessor's own lines (scripts/Kconfig.include): variables, and macros such as $(error-if,...).
            if (Preprocessor().IsMatch(text)) continue;
            var tokens = Tokenize(Expand(text), relative, lineNo);
            if (tokens.Count == 0) continue;
            var where = $"{relative}:{lineNo}";
            var keyword = tokens[0];

            switch (keyword)
            {
                case "config" or "menuconfig":
                {
                    var name = Expect(tokens, 1, where);
                    var entry = current = new Entry(EntryKind.Config, blocks.Peek(), relative, lineNo) { Symbol = name };
                    pending.Add((entry, Symbol(name)));
                    entry.EnclosingChoice?.Values.Add(name);
                    continue;
                }
                case "choice":
                    current = new Entry(EntryKind.Choice, blocks.Peek(), relative, lineNo) { Choice = new KconfigChoice() };
                    blocks.Push(current);
                    continue;
                case "endchoice": Close(blocks, EntryKind.Choice, depth, where); current = null; continue;
                case "menu":
                    current = new Entry(EntryKind.Menu, blocks.Peek(), relative, lineNo);
                    blocks.Push(current);
                    continue;
                case "endmenu": Close(blocks, EntryKind.Menu, depth, where); current = null; continue;
                case "if":
                    blocks.Push(new Entry(EntryKind.If, blocks.Peek(), relative, lineNo) { Own = ParseExpr(tokens, 1, where) });
                    current = null;
                    continue;
                case "endif": Close(blocks, EntryKind.If, depth, where); current = null; continue;
                case "comment":
                    current = new Entry(EntryKind.Comment, blocks.Peek(), relative, lineNo);
                    continue;
                case "source":
                    ReadFile(Unquote(Expect(tokens, 1, where)), where, blocks, pending, selects);
                    current = null;
                    continue;
                case "mainmenu": continue;
                case "help" or "---help---":
                    i = SkipHelp(lines, i);
                    continue;
            }

            if (current is null) throw new FormatException($"{where}: '{keyword}' outside a config, menu or choice");
            Attribute(current, tokens, where, selects);
        }
        if (blocks.Count != depth) throw new FormatException($"{relative}: a menu, if or choice opened here is not closed in the same file");
    }

    private void Attribute(Entry entry, List<string> tokens, string where, List<(Entry, string, KconfigExpr?)> selects)
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
                entry.Own = entry.Own is null ? ParseExpr(tokens, 2, where) : new KconfigExpr.And(entry.Own, ParseExpr(tokens, 2, where));
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

    private static void Prompt(Entry entry, List<string> tokens, int at, string where)
    {
        var text = Unquote(Expect(tokens, at, where));
        entry.HasPrompt = true;
        entry.PromptCondition = Condition(tokens, at + 1, where);
        if (entry.Kind == EntryKind.Choice) entry.Choice!.Prompt = text;
    }

    private static KconfigExpr? Condition(List<string> tokens, int at, string where)
    {
        if (tokens.Count <= at) return null;
        if (tokens[at] != "if") throw new FormatException($"{where}: expected 'if' after '{string.Join(' ', tokens.Take(at))}'");
        return ParseExpr(tokens, at + 1, where);
    }

    private static void Close(Stack<Entry> blocks, EntryKind kind, int depth, string where)
    {
        if (blocks.Count <= depth || blocks.Peek().Kind != kind)
            throw new FormatException($"{where}: end{kind.ToString().ToLowerInvariant()} without a matching {kind.ToString().ToLowerInvariant()}");
        blocks.Pop();
    }

    private static string Expect(List<string> tokens, int at, string where) =>
        tokens.Count > at ? tokens[at] : throw new FormatException($"{where}: '{tokens[0]}' needs an argument");

    /// <summary>Help text runs while lines are blank or indented at least as deep as its first line (zconf.l).</summary>
    private static int SkipHelp(string[] lines, int helpLine)
    {
        int? indent = null;
        var i = helpLine + 1;
        for (; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var width = Indent(lines[i]);
            indent ??= width;
            if (width < indent || width == 0) break;
        }
        return i - 1;
    }

    private static int Indent(string line)
    {
        var width = 0;
        foreach (var c in line)
        {
            if (c == ' ') width++;
            else if (c == '\t') width = (width & ~7) + 8;
            else break;
        }
        return width;
    }

    private string Expand(string text) =>
        Variable().Replace(text, m => _variables.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

    private static string Unquote(string token) =>
        token.Length >= 2 && token[0] is '"' or '\'' && token[^1] == token[0] ? token[1..^1] : token;

    /// <summary>Words, quoted strings (kept with their quotes), $(...) macros as one word, and operators; a # outside quotes ends the line.</summary>
    private static List<string> Tokenize(string text, string file, int line)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') break;
            if (c is '"' or '\'')
            {
                var sb = new StringBuilder().Append(c);
                var j = i + 1;
                for (; j < text.Length && text[j] != c; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length) j++;
                    sb.Append(text[j]);
                }
                if (j >= text.Length) throw new FormatException($"{file}:{line}: unterminated string");
                tokens.Add(sb.Append(c).ToString());
                i = j + 1;
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "&&" or "||" or "!=" or "<=" or ">=") { tokens.Add(two); i += 2; continue; }
            if (c is '!' or '(' or ')' or '=' or '<' or '>') { tokens.Add(c.ToString()); i++; continue; }
            var start = i;
            var macro = 0;
            while (i < text.Length)
            {
                if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(') { macro++; i += 2; continue; }
                if (macro > 0) { if (text[i] == '(') macro++; else if (text[i] == ')') macro--; i++; continue; }
                if (char.IsWhiteSpace(text[i]) || text[i] is '#' or '"' or '\'' or '!' or '(' or ')' or '=' or '<' or '>' or '&' or '|') break;
                i++;
            }
            if (i == start) throw new FormatException($"{file}:{line}: unexpected '{c}'");
            tokens.Add(text[start..i]);
        }
        return tokens;
    }

    /// <summary>expr: || of &amp;&amp; of (! term | ( expr ) | word [op word]), the grammar of parser.y.</summary>
    private static KconfigExpr ParseExpr(List<string> tokens, int at, string where)
    {
        var pos = at;
        var e = Or(tokens, ref pos, where);
        if (pos != tokens.Count) throw new FormatException($"{where}: unexpected '{tokens[pos]}' in expression");
        return e;
    }

    private static KconfigExpr Or(List<string> t, ref int pos, string where)
    {
        var left = And(t, ref pos, where);
        while (pos < t.Count && t[pos] == "||") { pos++; left = new KconfigExpr.Or(left, And(t, ref pos, where)); }
        return left;
    }

    private static KconfigExpr And(List<string> t, ref int pos, string where)
    {
        var left = Unary(t, ref pos, where);
        while (pos < t.Count && t[pos] == "&&") { pos++; left = new KconfigExpr.And(left, Unary(t, ref pos, where)); }
        return left;
    }

    private static KconfigExpr Unary(List<string> t, ref int pos, string where)
    {
        if (pos >= t.Count) throw new FormatException($"{where}: expression ends early");
        if (t[pos] == "!") { pos++; return new KconfigExpr.Not(Unary(t, ref pos, where)); }
        if (t[pos] == "(")
        {
            pos++;
            var inner = Or(t, ref pos, where);
            if (pos >= t.Count || t[pos] != ")") throw new FormatException($"{where}: missing ')'");
            pos++;
            return inner;
        }
        var left = Word(t, ref pos, where);
        if (pos < t.Count && t[pos] is "=" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = t[pos++];
            return new KconfigExpr.Compare(op, left, Word(t, ref pos, where));
        }
        // rewrite_m(): a bare m is m && MODULES, so that m means n without module support.
        return left is { Name: "m", Quoted: false } ? new KconfigExpr.And(left, new KconfigExpr.Word("MODULES", false)) : left;
    }

    private static KconfigExpr.Word Word(List<string> t, ref int pos, string where)
    {
        if (pos >= t.Count) throw new FormatException($"{where}: expression ends early");
        var token = t[pos++];
        if (token is "&&" or "||" or ")" or "=" or "!=" or "<" or "<=" or ">" or ">=")
            throw new FormatException($"{where}: unexpected '{token}' in expression");
        return token[0] is '"' or '\'' ? new KconfigExpr.Word(Unquote(token), true) : new KconfigExpr.Word(token, false);
    }
}
