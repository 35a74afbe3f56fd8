# Prints what the kernel's own KTAP parser (tools/testing/kunit/kunit_parser.py) makes of a log: one line per test
# without subtests, "dotted.name<TAB>status", so the tests can compare HmmCi's KtapParser with it.
import io, sys
sys.path.insert(0, sys.argv[1])
import kunit_parser, kunit_printer

with open(sys.argv[2], errors='replace') as f:
    lines = f.readlines()
# The parser prints its progress through kunit_printer's own handle on stdout.
kunit_printer.stdout._output = io.StringIO()
test = kunit_parser.parse_run_tests(lines)

names = {'SUCCESS': 'pass', 'FAILURE': 'fail', 'SKIPPED': 'skip', 'TEST_CRASHED': 'crashed',
         'NO_TESTS': 'none', 'FAILURE_TO_PARSE_TESTS': 'unparsed'}

def leaves(t, prefix):
    for s in t.subtests:
        name = prefix + s.name
        if s.subtests:
            yield from leaves(s, name + '.')
        else:
            yield name, names[s.status.name]

for name, status in leaves(test, ''):
    print(f'{name}\t{status}')
