int fake_hmm(int x) { return x + 1; }
