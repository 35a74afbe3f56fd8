#ifndef AREA_H
#define AREA_H

static inline int area_of(int w, int h)
{
	int scratch;

	return w * h;
}

#endif
