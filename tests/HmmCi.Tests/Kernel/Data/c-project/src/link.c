#include "shape.h"

int main(void)
{
	struct shape s = { 1, 1 };

	shape_scale(&s, 2);
	return s.w;
}
