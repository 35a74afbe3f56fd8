/* A stand-in for the kernel's kselftest_harness.h with 6.1's __bail(), which leaves _metadata->trigger set. */
#include <setjmp.h>
#include <stdbool.h>
struct __test_metadata { bool aborted; int trigger; jmp_buf env; };
static inline int __bail(int for_realz, struct __test_metadata *t)
{
	/* if this is ASSERT, return immediately. */
	if (for_realz) {
		t->aborted = true;
		longjmp(t->env, 1);
	}
	/* otherwise, end the for loop and continue. */
	return 0;
}
