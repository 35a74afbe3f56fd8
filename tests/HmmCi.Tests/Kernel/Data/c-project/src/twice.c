int shape_count = 1;
