namespace HmmCi.Kernel.Kconfig;

/// <summary>Parses the tokens of a Kconfig expression into a KconfigExpr; a malformed expression throws a FormatException naming where.</summary>
internal static class KconfigExprParser
{
    /// <summary>expr: || of &amp;&amp; of (! term | ( expr ) | word [op word]), the grammar of parser.y.</summary>
    public static KconfigExpr Parse(List<string> tokens, int at, string where)
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
        return token[0] is '"' or '\'' ? new KconfigExpr.Word(KconfigLexer.Unquote(token), true) : new KconfigExpr.Word(token, false);
    }
}
