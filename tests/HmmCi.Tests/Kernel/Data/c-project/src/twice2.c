int shape_count = 2;

int main(void)
{
	return shape_count;
}
