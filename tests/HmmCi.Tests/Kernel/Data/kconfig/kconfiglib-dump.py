# Prints, for every symbol kconfiglib finds in a kernel tree, its direct dependency's symbols and the dependency's
# value under each .config given: "NAME<TAB>SYM,SYM<TAB>value...". KconfigLibCrossCheckTests compares it with HmmCi's
# own Kconfig reading. Usage: srctree=<tree> ARCH=x86 SRCARCH=x86 CC=gcc LD=ld python3 kconfiglib-dump.py <.config>...
import io
import re
import sys

import kconfiglib


class Kconfig61(kconfiglib.Kconfig):
    # kconfiglib 14.1 predates 5.13's bare "modules" attribute; "option modules" is its older spelling.
    def _open(self, filename, mode):
        f = super()._open(filename, mode)
        if mode != "r" or "Kconfig" not in filename:
            return f
        with f:
            return io.StringIO(re.sub(r"(?m)^(\s*)modules\s*$", r"\1option modules", f.read()))


def atoms(expr):
    names = set()
    for item in kconfiglib.expr_items(expr):
        if isinstance(item, kconfiglib.Choice):
            names |= atoms(item.direct_dep)
        elif item.nodes and not item.is_constant:
            names.add(item.name)
    return names


kconf = Kconfig61("Kconfig", warn=False)
syms = [s for s in kconf.unique_defined_syms]
values = {s.name: [] for s in syms}
for config in sys.argv[1:]:
    kconf.load_config(config)
    for s in syms:
        values[s.name].append(str(kconfiglib.expr_value(s.direct_dep)))
for s in sorted(syms, key=lambda s: s.name):
    print("%s\t%s\t%s" % (s.name, ",".join(sorted(atoms(s.direct_dep))), "\t".join(values[s.name])))
