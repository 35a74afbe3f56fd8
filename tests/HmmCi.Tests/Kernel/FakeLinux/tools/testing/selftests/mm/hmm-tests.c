#include "../kselftest_harness.h"
#include <stdio.h>
#include <linux/fake_hmm.h>

int main(void)
{
	struct __test_metadata t = { 0 };
	if (setjmp(t.env) == 0 && FAKE_HMM_PAGES != 4)
		__bail(1, &t);
	printf("TAP version 13\n1..1\nok 1 hmm.fake %s\n", t.aborted ? "aborted" : "pages");
	return 0;
}
