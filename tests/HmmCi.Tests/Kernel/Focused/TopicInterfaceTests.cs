using HmmCi.Kernel.Focused;

namespace HmmCi.Tests.Kernel.Focused;

public sealed class TopicInterfaceTests
{
    static string Diff(string file, string removed, string added) =>
        $"diff --git a/{file} b/{file}\n--- a/{file}\n+++ b/{file}\n@@ -1,1 +1,1 @@\n"
        + string.Concat(removed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"-{l}\n"))
        + string.Concat(added.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"+{l}\n"));

    [Fact]
    public void A_header_function_that_does_not_come_back_is_removed_and_one_that_comes_back_different_is_changed()
    {
        var diff = Diff("include/linux/hmm.h",
            "static inline unsigned int hmm_pfn_to_map_order(unsigned long hmm_pfn)\nint hmm_range_fault(struct hmm_range *range);",
            "static inline unsigned int hmm_pfn_to_map_shift(unsigned long hmm_pfn)\nint hmm_range_fault(struct hmm_range *range, unsigned long timeout);");
        Assert.Equal(
        [
            new ChangedIdentifier("hmm_pfn_to_map_order", Removed: true, "include/linux/hmm.h"),
            new ChangedIdentifier("hmm_range_fault", Removed: false, "include/linux/hmm.h"),
        ], TopicInterface.Read(diff));
    }

    [Fact]
    public void Macros_and_struct_members_count_and_a_declaration_moved_word_for_word_does_not()
    {
        var diff = Diff("include/linux/hmm.h",
            "#define HMM_PFN_ORDER_SHIFT 56\n\tunsigned long\t\t*hmm_pfns;\n\tstruct mmu_interval_notifier *notifier;\nint hmm_range_fault(struct hmm_range *range);",
            "#define HMM_PFN_ORDER_SHIFT 57\n\tstruct mmu_interval_notifier  *notifier;\nint  hmm_range_fault(struct hmm_range *range);");
        Assert.Equal(
        [
            new ChangedIdentifier("HMM_PFN_ORDER_SHIFT", Removed: false, "include/linux/hmm.h"),
            new ChangedIdentifier("hmm_pfns", Removed: true, "include/linux/hmm.h"),
        ], TopicInterface.Read(diff));
    }

    [Fact]
    public void Comments_statements_and_static_helpers_of_c_files_are_no_interface_but_exported_functions_are()
    {
        var diff = Diff("include/linux/hmm.h", " * hmm_pfn_to_map_order() - the order of the mapping\n\treturn hmm_pfn >> HMM_PFN_ORDER_SHIFT;", "")
            + Diff("mm/hmm.c", "static int hmm_vma_walk_hole(unsigned long addr)\nlong hmm_range_timeout(struct hmm_range *range)\nEXPORT_SYMBOL(hmm_range_timeout);",
                "static int hmm_vma_walk_hole(unsigned long addr, int flags)\nlong hmm_range_timeout(struct hmm_range *range, long ms)\nEXPORT_SYMBOL(hmm_range_timeout);");
        Assert.Equal([new ChangedIdentifier("hmm_range_timeout", Removed: false, "mm/hmm.c")], TopicInterface.Read(diff));
    }

    [Fact]
    public void The_reason_names_the_identifier_and_where_the_topic_declared_it() =>
        Assert.Equal("mentions hmm_pfn_to_map_order, which the topic removes or renames (include/linux/hmm.h)",
            new ChangedIdentifier("hmm_pfn_to_map_order", true, "include/linux/hmm.h").Reason);
}
