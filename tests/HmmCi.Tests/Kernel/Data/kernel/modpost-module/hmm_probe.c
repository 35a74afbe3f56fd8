#include <linux/module.h>

void hmm_probe_missing(void);

static int __init hmm_probe_init(void)
{
	hmm_probe_missing();
	return 0;
}
module_init(hmm_probe_init);
MODULE_LICENSE("GPL");
