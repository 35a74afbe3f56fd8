#ifndef SHAPE_H
#define SHAPE_H

#include "area.h"

struct shape {
	int w, h;
};

void shape_scale(struct shape *s, int factor);

#endif
