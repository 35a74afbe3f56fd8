#ifndef CHECK_H
#define CHECK_H

extern void shape_too_big(void) __attribute__((warning("shape larger than 4")));

static inline __attribute__((always_inline)) void shape_check(int n)
{
	if (n > 4)
		shape_too_big();
}

#endif
