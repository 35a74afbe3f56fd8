#include "check.h"

void shape_grow(void)
{
	shape_check(8);
}
