#include <stdio.h>
#include "shape.h"

int main(void)
{
	struct shape s = { 2, 3 };
	long wrong = 5;
	int unused_total;

	shape_scale(&wrong, 2);
	printf("%d\n", wrong);
	shape_frobnicate(&s);
	return area_of(s.w, s.h);
}
