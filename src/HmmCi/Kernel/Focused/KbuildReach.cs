using System.Text.RegularExpressions;
using HmmCi.Kernel.Kconfig;

namespace HmmCi.Kernel.Focused;

/// <summary>Whether a config builds a .c file: its object target, or why not.</summary>
public sealed record Reach(string Object, string? NotCompiled)
{
    public bool Compiled => NotCompiled is null;
}

/// <summary>
/// Decides from <c>.config</c> and the Makefiles whether a config builds a .c file, as Kbuild would: the object must
/// be listed in its directory's Kbuild or Makefile on an <c>obj-y</c>, <c>obj-m</c> or <c>obj-$(CONFIG_X)</c> line
/// with X set (directly, or as part of a composite object such as <c>ib_core-y += umem.o</c>), and every directory up
/// to the top must be reached the same way (<c>obj-$(CONFIG_INFINIBAND) += infiniband/</c>). Never from make's exit
/// status: a file the config does not build gives "No rule to make target", which looks like a failure.
/// </summary>
/// <param name="config">The .config's values (<see cref="DotConfig.Values"/>).</param>
public sealed partial class KbuildReach(string treeRoot, IReadOnlyDictionary<string, ConfigAssignment> config, string arch = "x86")
{
    readonly Dictionary<string, List<Assignment>> _makefiles = [];

    /// <summary>One <c>name-cond += words</c> line of a Makefile; <see cref="Condition"/> is y, m, or CONFIG_X.</summary>
    sealed record Assignment(string Name, string Condition, IReadOnlyList<string> Words, string Where);

    public Reach Of(string file)
    {
        var obj = Path.ChangeExtension(file, ".o");
        var parts = file.Split('/');
        if (parts.Length > 2 && parts[0] == "arch" && parts[1] != arch)
            return new Reach(obj, $"architecture file: arch/{parts[1]} is not built for {arch} builds");
        var directory = Path.GetDirectoryName(file)!.Replace('\\', '/');
        var why = Enabled(directory, Path.GetFileName(obj));
        if (why is not null) return new Reach(obj, why);
        // Each directory up to the top must be descended into, by the closest Makefile above it (the top Kbuild lists arch/x86/).
        while (directory.Length > 0)
        {
            var parent = Parent(directory);
            while (parent.Length > 0 && MakefileOf(parent) is null) parent = Parent(parent);
            why = Enabled(parent, (parent.Length == 0 ? directory : directory[(parent.Length + 1)..]) + "/");
            if (why is not null) return new Reach(obj, why);
            directory = parent;
        }
        return new Reach(obj, null);
    }

    static string Parent(string directory) => Path.GetDirectoryName(directory)!.Replace('\\', '/');

    /// <summary>Null when the directory's Makefile builds <paramref name="target"/> (an object or a subdirectory/), else why not.</summary>
    string? Enabled(string directory, string target) => Enabled(directory, target, depth: 0);

    string? Enabled(string directory, string target, int depth)
    {
        var makefile = MakefileOf(directory);
        if (makefile is null) return $"no Kbuild or Makefile in {Display(directory)}";
        var lines = Assignments(directory).Where(a => a.Words.Contains(target)).ToList();
        if (lines.Count == 0)
            return $"{makefile} has no rule that builds {target}";
        string? firstWhy = null;
        foreach (var line in lines)
        {
            var unset = Unset(line.Condition);
            if (unset is not null)
            {
                firstWhy ??= $"{unset} is not set ({line.Where})";
                continue;
            }
            // obj-*, lib-*, core-*, drivers-* ... build what they list; anything else is a composite object's part list.
            if (line.Name is "obj" or "lib" or "core" or "drivers" or "libs" or "subdir" or "net" or "virt") return null;
            if (depth > 4) return null;
            var composite = $"{line.Name}.o";
            var why = Enabled(directory, composite, depth + 1);
            if (why is null) return null;
            firstWhy ??= why;
        }
        return firstWhy;
    }

    /// <summary>Null when the condition holds, else the symbol that is not set.</summary>
    string? Unset(string condition)
    {
        if (condition is "y" or "m" or "objs" or "") return null;
        var symbols = Symbol().Matches(condition).Select(m => m.Groups[1].Value).ToList();
        if (symbols.Count == 0) return condition;
        // $(subst m,y,$(CONFIG_X)) and friends: set when any of their symbols is.
        return symbols.Any(s => config.TryGetValue(s, out var a) && a.Value is "y" or "m") ? null : $"CONFIG_{symbols[0]}";
    }

    string? MakefileOf(string directory)
    {
        foreach (var name in new[] { "Kbuild", "Makefile" })
        {
            var path = directory.Length == 0 ? name : $"{directory}/{name}";
            if (File.Exists(Path.Combine(treeRoot, path))) return path;
        }
        return null;
    }

    List<Assignment> Assignments(string directory)
    {
        if (_makefiles.TryGetValue(directory, out var cached)) return cached;
        var list = new List<Assignment>();
        // A Kbuild file is read first; the Makefile's lines count too when both exist (arch/x86 has both).
        foreach (var name in new[] { "Kbuild", "Makefile" })
        {
            var relative = directory.Length == 0 ? name : $"{directory}/{name}";
            var path = Path.Combine(treeRoot, relative);
            if (!File.Exists(path)) continue;
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var start = i;
                var text = lines[i];
                while (text.EndsWith('\\') && i + 1 < lines.Length) text = text[..^1] + " " + lines[++i];
                var hash = text.IndexOf('#');
                if (hash >= 0) text = text[..hash];
                if (Line().Match(text) is not { Success: true } m) continue;
                var words = m.Groups["words"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(w => w.Replace("$(SRCARCH)", arch).Replace("$(ARCH)", arch)).ToList();
                list.Add(new Assignment(m.Groups["name"].Value, m.Groups["cond"].Value, words, $"{relative}:{start + 1}"));
            }
        }
        return _makefiles[directory] = list;
    }

    static string Display(string directory) => directory.Length == 0 ? "the top directory" : directory + "/";

    // "obj-$(CONFIG_TEST_HMM) += test_hmm.o", "ib_core-y := packer.o ...", "ib_uverbs-$(CONFIG_X) += umem_odp.o", "foo-objs := a.o"
    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9_]+)-(?<cond>y|m|objs|\$\([^)]*(?:\([^)]*\)[^)]*)*\))\s*(?:\+=|:=|=)\s*(?<words>.*)$")]
    private static partial Regex Line();

    [GeneratedRegex(@"CONFIG_([A-Za-z0-9_]+)")]
    private static partial Regex Symbol();
}
