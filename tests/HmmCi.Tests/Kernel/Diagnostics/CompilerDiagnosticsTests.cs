using HmmCi.Kernel.Diagnostics;
using HmmCi.Reports;

namespace HmmCi.Tests.Kernel.Diagnostics;

/// <summary>
/// Logs captured from the machine's real gcc 12, clang 14 and GNU ld (Data/c-project/capture.sh) and from real Kbuild
/// builds of lib/test_hmm.o in linux-source-6.1 with Data/kernel/test_hmm-breakage.patch (Data/README.md).
/// </summary>
public class CompilerDiagnosticsTests
{
    private const string Project = "/tmp/diag-c/proj";
    private const string Kernel = "/tmp/diag-linux/linux-source-6.1";

    internal static string Log(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Kernel", "Data", name));

    internal static string Describe(BuildDiagnostic d) =>
        $"{d.Severity} {d.File}:{d.Line}:{d.Column} {d.Flag} {d.Message}";

    [Fact]
    public void Gcc_errors_and_warnings_carry_their_flag_function_include_chain_and_notes()
    {
        var log = CompilerDiagnostics.Parse(Log("gcc-relative.log"), Project);

        Assert.Equal(
        [
            "warning include/area.h:6:13 -Wunused-variable unused variable ‘scratch’",
            "warning src/main.c:10:21 -Wincompatible-pointer-types passing argument 1 of ‘shape_scale’ from incompatible pointer type",
            "warning src/main.c:11:18 -Wformat= format ‘%d’ expects argument of type ‘int’, but argument 2 has type ‘long int’",
            "warning src/main.c:8:13 -Wunused-variable unused variable ‘unused_total’",
        ], log.Warnings.Select(Describe));
        Assert.Equal(["error src/main.c:12:9 -Werror=implicit-function-declaration implicit declaration of function ‘shape_frobnicate’"],
            log.Errors.Select(Describe));

        Assert.Equal(["In file included from include/shape.h:4,", "from src/main.c:2:", "include/area.h: In function ‘area_of’:"],
            log.Warnings[0].Context);
        Assert.Equal(["src/main.c: In function ‘main’:", "include/shape.h:10:32: note: expected ‘struct shape *’ but argument is of type ‘long int *’"],
            log.Warnings[1].Context);
        // gcc prints "In function" once; the function's later diagnostics still belong to it.
        Assert.Equal(["src/main.c: In function ‘main’:"], log.Errors[0].Context);
        Assert.Equal(["src/main.c: In function ‘main’:"], log.Warnings[3].Context);
    }

    [Fact]
    public void A_warning_in_an_inlined_function_says_where_it_was_inlined_from()
    {
        var log = CompilerDiagnostics.Parse(Log("gcc-inlined.log"), Project);

        Assert.Equal(["warning include/check.h:9:17 -Wattribute-warning call to ‘shape_too_big’ declared with attribute warning: shape larger than 4"],
            log.Warnings.Select(Describe));
        Assert.Equal(["In file included from src/inline.c:1:", "In function ‘shape_check’,", "inlined from ‘shape_grow’ at src/inline.c:5:2:"],
            log.Warnings[0].Context);
    }

    [Fact]
    public void Absolute_paths_in_the_tree_read_as_the_relative_ones()
    {
        var relative = CompilerDiagnostics.Parse(Log("gcc-relative.log"), Project);
        var absolute = CompilerDiagnostics.Parse(Log("gcc-absolute.log"), Project + "/");

        Assert.Equal(relative.Errors.Concat(relative.Warnings).Select(d => Describe(d) + string.Join("|", d.Context)),
            absolute.Errors.Concat(absolute.Warnings).Select(d => Describe(d) + string.Join("|", d.Context)));
    }

    [Fact]
    public void Paths_printed_from_a_build_directory_inside_the_tree_are_the_trees_with_or_without_knowing_it()
    {
        var known = CompilerDiagnostics.Parse(Log("gcc-objdir-werror.log"), Project, Project + "/build");
        var guessed = CompilerDiagnostics.Parse(Log("gcc-objdir-werror.log"), Project);

        Assert.Equal(
        [
            "error include/area.h:6:13 -Werror=unused-variable unused variable ‘scratch’",
            "error src/main.c:12:9 -Werror=implicit-function-declaration implicit declaration of function ‘shape_frobnicate’",
            "error src/main.c:8:13 -Werror=unused-variable unused variable ‘unused_total’",
        ], known.Errors.Select(Describe));
        Assert.Equal(["In file included from include/shape.h:4,", "from src/main.c:2:", "include/area.h: In function ‘area_of’:"], known.Errors[0].Context);
        Assert.Equal(known.Errors.Concat(known.Warnings).Select(Describe), guessed.Errors.Concat(guessed.Warnings).Select(Describe));
    }

    [Fact]
    public void Clang_include_chains_and_notes_are_context_and_its_source_and_caret_lines_are_not_diagnostics()
    {
        var log = CompilerDiagnostics.Parse(Log("clang-relative.log"), Project);

        Assert.Equal(
        [
            "warning include/area.h:6:6 -Wunused-variable unused variable 'scratch'",
            "warning src/main.c:10:14 -Wincompatible-pointer-types incompatible pointer types passing 'long *' to parameter of type 'struct shape *'",
            "warning src/main.c:11:17 -Wformat format specifies type 'int' but the argument has type 'long'",
            "warning src/main.c:8:6 -Wunused-variable unused variable 'unused_total'",
        ], log.Warnings.Select(Describe));
        Assert.Equal(["error src/main.c:12:2 -Werror,-Wimplicit-function-declaration implicit declaration of function 'shape_frobnicate' is invalid in C99"],
            log.Errors.Select(Describe));
        Assert.Equal(["In file included from src/main.c:2:", "In file included from include/shape.h:4:"], log.Warnings[0].Context);
        Assert.Equal(["include/shape.h:10:32: note: passing argument to parameter 's' here"], log.Warnings[1].Context);
        Assert.Empty(log.Warnings[2].Context);
    }

    [Fact]
    public void Clang_werror_from_a_build_directory_makes_every_warning_an_error_with_both_flags()
    {
        var log = CompilerDiagnostics.Parse(Log("clang-objdir-werror.log"), Project, Project + "/build");

        Assert.Empty(log.Warnings);
        Assert.Equal(5, log.Errors.Count);
        Assert.Equal("error include/area.h:6:6 -Werror,-Wunused-variable unused variable 'scratch'", Describe(log.Errors[0]));
        Assert.Equal(["In file included from src/main.c:2:", "In file included from include/shape.h:4:"], log.Errors[0].Context);
    }

    [Theory]
    [InlineData("gcc-fatal.log", "error src/fatal.c:2:10  missing.h: No such file or directory")]
    [InlineData("clang-fatal.log", "error src/fatal.c:2:10  'missing.h' file not found")]
    public void A_fatal_error_is_an_error(string name, string expected)
    {
        var log = CompilerDiagnostics.Parse(Log(name), Project);

        Assert.Equal([expected], log.Errors.Select(Describe));
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public void An_undefined_reference_names_the_source_beside_its_object_with_lds_function_line_as_context()
    {
        var log = CompilerDiagnostics.Parse(Log("ld-undefined.log"), Project);

        // collect2's "ld returned 1 exit status" only repeats that ld failed.
        Assert.Equal(["error src/link.c:0:  undefined reference to `shape_scale'"], log.Errors.Select(Describe));
        Assert.Equal(["/usr/bin/ld: src/link.o: in function `main':"], log.Errors[0].Context);
    }

    [Fact]
    public void An_undefined_reference_with_debug_info_has_its_line()
    {
        var log = CompilerDiagnostics.Parse(Log("ld-undefined-debuginfo.log"), Project);

        Assert.Equal(["error src/link.c:7:  undefined reference to `shape_scale'"], log.Errors.Select(Describe));
    }

    [Fact]
    public void A_multiple_definition_is_an_error_of_the_object_that_defines_it_again()
    {
        var log = CompilerDiagnostics.Parse(Log("ld-multiple-definition.log"), Project);

        Assert.Equal(["error src/twice2.o:0:  multiple definition of `shape_count'; src/twice.o:(.data+0x0): first defined here"],
            log.Errors.Select(Describe));
    }

    [Fact]
    public void A_kbuild_O_build_inside_the_tree_reports_the_compilers_errors_not_makes()
    {
        var log = CompilerDiagnostics.Parse(Log("kernel/test_hmm-gcc-O-intree.log"), Kernel);

        Assert.Equal(
        [
            "error lib/test_hmm.c:175:20 -Werror=incompatible-pointer-types passing argument 1 of ‘mutex_lock’ from incompatible pointer type",
            "error lib/test_hmm.c:176:9 -Werror=implicit-function-declaration implicit declaration of function ‘hmm_dmirror_poke’",
        ], log.Errors.Select(Describe));
        Assert.Equal(
        [
            "lib/test_hmm.c: In function ‘dmirror_fops_open’:",
            "In file included from include/linux/seqlock.h:19,",
            "from include/linux/dcache.h:11,",
            "from include/linux/fs.h:8,",
            "from lib/test_hmm.c:9:",
            "include/linux/mutex.h:227:38: note: expected ‘struct mutex *’ but argument is of type ‘struct xarray *’",
        ], log.Errors[0].Context);
        Assert.Equal(["lib/test_hmm.c: In function ‘dmirror_fops_open’:"], log.Errors[1].Context);

        Assert.Equal(
        [
            "warning include/linux/kern_levels.h:5:25 -Wformat= format ‘%d’ expects argument of type ‘int’, but argument 2 has type ‘struct dmirror *’",
            "warning lib/test_hmm.c:165:13 -Wunused-variable unused variable ‘unused_count’",
            "warning lib/test_hmm.c:1017:1 -Wframe-larger-than= the frame size of 1128 bytes is larger than 1024 bytes",
            "warning lib/test_hmm.c:1096:1 -Wframe-larger-than= the frame size of 1216 bytes is larger than 1024 bytes",
        ], log.Warnings.Select(Describe));
        // The format warning is in a header; its notes lead back to the pr_info() in lib/test_hmm.c.
        Assert.Equal("from include/linux/fs.h:6:", log.Warnings[0].Context[7]);
        Assert.Equal("lib/test_hmm.c:177:9: note: in expansion of macro ‘pr_info’", log.Warnings[0].Context[^1]);
        Assert.Equal(13, log.Warnings[0].Context.Count);
        Assert.Equal(["lib/test_hmm.c: In function ‘dmirror_migrate_to_system.constprop’:"], log.Warnings[2].Context);
    }

    [Fact]
    public void A_kbuild_O_build_outside_the_tree_reads_the_same_as_one_inside()
    {
        var inside = CompilerDiagnostics.Parse(Log("kernel/test_hmm-gcc-O-intree.log"), Kernel);
        var outside = CompilerDiagnostics.Parse(Log("kernel/test_hmm-gcc-O-outside.log"), Kernel);

        static IEnumerable<string> All(BuildLog l) => l.Errors.Concat(l.Warnings).Select(d => Describe(d) + "|" + string.Join("|", d.Context));
        Assert.Equal(All(inside), All(outside));
    }

    [Fact]
    public void Make_C_into_the_tree_before_the_O_directory_still_finds_the_O_directory()
    {
        // make -C <tree> O=<dir> prints the tree's "Entering directory" first, then Kbuild's sub-make its own. The last
        // line is made up: a diagnostic in a generated header named by its absolute O= path.
        var log = "make: Entering directory '/tmp/diag-linux/linux-source-6.1'\n" + Log("kernel/test_hmm-gcc-O-outside.log")
            + "/tmp/diag-linux/o-abs/include/generated/autoconf.h:1:1: warning: generated [-Wfake]\n";

        var parsed = CompilerDiagnostics.Parse(log, Kernel);

        Assert.Equal("lib/test_hmm.c", parsed.Errors[0].File);
        Assert.Equal("include/generated/autoconf.h", parsed.Warnings[^1].File);
    }

    [Fact]
    public void A_kbuild_clang_build_reports_clangs_errors_with_notes()
    {
        var log = CompilerDiagnostics.Parse(Log("kernel/test_hmm-clang-O-outside.log"), Kernel);

        Assert.Equal(
        [
            "error lib/test_hmm.c:175:13 -Werror,-Wincompatible-pointer-types incompatible pointer types passing 'struct xarray *' to parameter of type 'struct mutex *'",
            "error lib/test_hmm.c:176:2 -Werror,-Wimplicit-function-declaration implicit declaration of function 'hmm_dmirror_poke' is invalid in C99",
        ], log.Errors.Select(Describe));
        Assert.Equal(["include/linux/mutex.h:227:38: note: passing argument to parameter 'lock' here"], log.Errors[0].Context);
        Assert.Equal(["warning lib/test_hmm.c:165:6 -Wunused-variable unused variable 'unused_count'"], log.Warnings.Select(Describe));
    }

    [Fact]
    public void A_modpost_undefined_symbol_is_an_error_of_the_module()
    {
        var log = CompilerDiagnostics.Parse(Log("kernel/modpost-undefined.log"), "/tmp/diag-mod");

        Assert.Equal(["error hmm_probe.ko:0:  \"hmm_probe_missing\" [/tmp/diag-mod/hmm_probe.ko] undefined!"], log.Errors.Select(Describe));
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public void Make_explains_a_failure_only_when_nothing_else_does_and_keeps_the_target()
    {
        var log = CompilerDiagnostics.Parse(Log("kernel/make-no-rule.log"), Kernel);

        // make[2] and the top make only pass make[3]'s failure up ("Error 2").
        Assert.Equal(["error lib/no_such_object.o:0:  *** No rule to make target 'lib/no_such_object.o'.  Stop."], log.Errors.Select(Describe));
    }

    [Fact]
    public void A_failed_recipe_is_the_error_when_the_compiler_said_nothing()
    {
        // The compiler killed (out of memory, timeout) prints nothing: make's own line is all there is.
        var killed = string.Join('\n', Log("kernel/test_hmm-gcc-O-intree.log").Split('\n')
            .Where(l => !l.StartsWith("../", StringComparison.Ordinal) && !l.StartsWith("In file", StringComparison.Ordinal)));

        var log = CompilerDiagnostics.Parse(killed, Kernel);

        Assert.Equal(["error lib/test_hmm.o:0:  *** [../scripts/Makefile.build:255: lib/test_hmm.o] Error 1"], log.Errors.Select(Describe));
    }

    [Fact]
    public void A_warning_only_build_has_no_errors()
    {
        var log = CompilerDiagnostics.Parse(Log("kernel/test_hmm-gcc-baseline.log"), Kernel);

        Assert.Empty(log.Errors);
        Assert.Equal(
        [
            "warning lib/test_hmm.c:1013:1 -Wframe-larger-than= the frame size of 1128 bytes is larger than 1024 bytes",
            "warning lib/test_hmm.c:1092:1 -Wframe-larger-than= the frame size of 1216 bytes is larger than 1024 bytes",
        ], log.Warnings.Select(Describe));
    }

    [Fact]
    public void A_header_warning_printed_for_every_object_that_includes_it_is_one_warning()
    {
        var twice = Log("gcc-relative.log") + "  CC      src/other.o\n" + Log("gcc-relative.log");

        var log = CompilerDiagnostics.Parse(twice, Project);

        Assert.Equal(4, log.Warnings.Count);
        Assert.Single(log.Errors);
    }

    [Fact]
    public void The_tail_is_the_last_lines_of_the_log()
    {
        var tail = CompilerDiagnostics.Tail(Log("kernel/make-no-rule.log"), 2);

        Assert.Equal("make[1]: Leaving directory '/tmp/diag-linux/linux-source-6.1/build-o'\nmake: *** [Makefile:250: __sub-make] Error 2", tail);
    }
}
