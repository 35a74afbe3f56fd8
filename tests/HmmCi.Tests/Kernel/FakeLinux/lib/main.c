int fake_main(void) { return 0; }
