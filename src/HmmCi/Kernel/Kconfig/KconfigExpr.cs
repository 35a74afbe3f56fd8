using System.Globalization;
using System.Text;

namespace HmmCi.Kernel.Kconfig;

/// <summary>A Kconfig expression: symbols, constants, comparisons, !, &amp;&amp; and ||, as scripts/kconfig/expr.h has them.</summary>
public abstract record KconfigExpr
{
    /// <summary>A bare word (a symbol, or y/m/n/a number when no symbol has that name) or a quoted constant.</summary>
    public sealed record Word(string Name, bool Quoted) : KconfigExpr;
    public sealed record Not(KconfigExpr Operand) : KconfigExpr;
    public sealed record And(KconfigExpr Left, KconfigExpr Right) : KconfigExpr;
    public sealed record Or(KconfigExpr Left, KconfigExpr Right) : KconfigExpr;
    public sealed record Compare(string Op, Word Left, Word Right) : KconfigExpr;

    public static readonly KconfigExpr Yes = new Word("y", false);

    /// <summary>parent &amp;&amp; own, as menu_finalize() joins a menu entry to its menu, if block or choice; each term once.</summary>
    public static KconfigExpr AndAll(KconfigExpr? left, KconfigExpr? right)
    {
        if (left is null || left == Yes) return right ?? Yes;
        if (right is null || right == Yes) return left;
        var seen = new List<KconfigExpr>();
        foreach (var term in AndTerms(left).Concat(AndTerms(right)))
            if (!seen.Contains(term)) seen.Add(term);
        return seen.Aggregate((a, b) => new And(a, b));
    }

    public static KconfigExpr OrAll(KconfigExpr left, KconfigExpr right) =>
        left == Yes || right == Yes ? Yes : left == right ? left : new Or(left, right);

    private static IEnumerable<KconfigExpr> AndTerms(KconfigExpr e) =>
        e is And a ? AndTerms(a.Left).Concat(AndTerms(a.Right)) : [e];

    /// <summary>The symbols the expression reads, in order, each once.</summary>
    public IEnumerable<string> Symbols(Func<string, bool> isSymbol)
    {
        IEnumerable<Word> Words(KconfigExpr e) => e switch
        {
            Word w => [w],
            Not n => Words(n.Operand),
            And a => Words(a.Left).Concat(Words(a.Right)),
            Or o => Words(o.Left).Concat(Words(o.Right)),
            Compare c => [c.Left, c.Right],
            _ => [],
        };
        return Words(this).Where(w => !w.Quoted && isSymbol(w.Name)).Select(w => w.Name).Distinct();
    }
}

/// <summary>The values an expression is evaluated against: a .config read through the tree's symbol types.</summary>
public interface IKconfigValues
{
    /// <summary>The symbol's type (bool, tristate, string, int, hex), or null when the tree does not define it.</summary>
    string? TypeOf(string name);
    /// <summary>y, m or n for bool and tristate; the value for the others ("" when unset).</summary>
    string ValueOf(string name);
}

public static class KconfigEval
{
    /// <summary>Tristate value: 0 n, 1 m, 2 y, as expr_calc_value() computes it.</summary>
    public static int Tristate(KconfigExpr e, IKconfigValues values) => e switch
    {
        KconfigExpr.Word w => WordTristate(w, values),
        KconfigExpr.Not n => 2 - Tristate(n.Operand, values),
        KconfigExpr.And a => Math.Min(Tristate(a.Left, values), Tristate(a.Right, values)),
        KconfigExpr.Or o => Math.Max(Tristate(o.Left, values), Tristate(o.Right, values)),
        KconfigExpr.Compare c => CompareValues(c, values) ? 2 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    public static string TristateName(int value) => value switch { 2 => "y", 1 => "m", _ => "n" };

    private static int WordTristate(KconfigExpr.Word w, IKconfigValues values)
    {
        if (w.Quoted) return 0;
        var type = values.TypeOf(w.Name);
        if (type is "bool" or "tristate") return values.ValueOf(w.Name) switch { "y" => 2, "m" => 1, _ => 0 };
        if (type is not null) return 0;
        // A $(...) macro is a toolchain test (cc-option, ld-option) the .config does not record: taken as passed.
        return w.Name switch { "y" => 2, "m" => 1, _ when w.Name.StartsWith("$(", StringComparison.Ordinal) => 2, _ => 0 };
    }

    /// <summary>A word's string value: a defined symbol's value, otherwise the word itself (sym_calc_value() on an undefined symbol).</summary>
    public static string StringValue(KconfigExpr.Word w, IKconfigValues values) =>
        !w.Quoted && values.TypeOf(w.Name) is not null ? values.ValueOf(w.Name) : w.Name;

    private static bool CompareValues(KconfigExpr.Compare c, IKconfigValues values)
    {
        var left = StringValue(c.Left, values);
        var right = StringValue(c.Right, values);
        var numeric = new[] { c.Left, c.Right }.Any(w => !w.Quoted && values.TypeOf(w.Name) is "int" or "hex");
        int order;
        if (numeric && TryNumber(left, out var l) && TryNumber(right, out var r)) order = l.CompareTo(r);
        else order = string.CompareOrdinal(left, right);
        return c.Op switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
    }

    public static bool TryNumber(string s, out long value)
    {
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return long.TryParse(s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The expression as menuconfig's help prints it (expr_gstr_print): every defined symbol followed by its value,
    /// e.g. "RUNTIME_TESTING_MENU [=n] &amp;&amp; TRANSPARENT_HUGEPAGE [=y]", parentheses only where precedence needs them.
    /// </summary>
    public static string Print(KconfigExpr e, IKconfigValues? values)
    {
        var sb = new StringBuilder();
        Print(e, values, sb, 0);
        return sb.ToString();
    }

    private static int Precedence(KconfigExpr e) => e switch
    {
        KconfigExpr.Or => 1,
        KconfigExpr.And => 2,
        KconfigExpr.Not => 3,
        KconfigExpr.Compare => 4,
        _ => 5,
    };

    private static void Print(KconfigExpr e, IKconfigValues? values, StringBuilder sb, int parent)
    {
        var parens = parent > Precedence(e);
        if (parens) sb.Append('(');
        switch (e)
        {
            case KconfigExpr.Word w: PrintWord(w, values, sb); break;
            case KconfigExpr.Not n: sb.Append('!'); Print(n.Operand, values, sb, 3); break;
            case KconfigExpr.And a: Print(a.Left, values, sb, 2); sb.Append(" && "); Print(a.Right, values, sb, 2); break;
            case KconfigExpr.Or o: Print(o.Left, values, sb, 1); sb.Append(" || "); Print(o.Right, values, sb, 1); break;
            case KconfigExpr.Compare c: PrintWord(c.Left, values, sb); sb.Append(c.Op); PrintWord(c.Right, values, sb); break;
        }
        if (parens) sb.Append(')');
    }

    private static void PrintWord(KconfigExpr.Word w, IKconfigValues? values, StringBuilder sb)
    {
        sb.Append(w.Quoted ? $"\"{w.Name}\"" : w.Name);
        if (values is null || w.Quoted) return;
        // y, m and n are kconfig's own tristate symbols: menuconfig prints their value too.
        if (values.TypeOf(w.Name) is not null || w.Name is "y" or "m" or "n")
            sb.Append(" [=").Append(values.TypeOf(w.Name) is null ? TristateName(WordTristate(w, values)) : values.ValueOf(w.Name)).Append(']');
    }
}
