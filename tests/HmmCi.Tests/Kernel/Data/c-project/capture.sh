#!/bin/sh
# Regenerates ../*.log from these sources with the machine's real gcc, clang and ld. The project is copied to
# /tmp/diag-c/proj first so that absolute paths in the logs are stable. Run: sh capture.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
rm -rf /tmp/diag-c && mkdir -p /tmp/diag-c/proj/build && cp -r "$here/src" "$here/include" /tmp/diag-c/proj/
cd /tmp/diag-c/proj
W="-Wall -Werror=implicit-function-declaration"
gcc $W -Iinclude -c src/main.c -o build/main.o > "$here/../gcc-relative.log" 2>&1
clang $W -Iinclude -c src/main.c -o build/main.o > "$here/../clang-relative.log" 2>&1
gcc $W -I/tmp/diag-c/proj/include -c /tmp/diag-c/proj/src/main.c -o build/main.o > "$here/../gcc-absolute.log" 2>&1
(cd build && gcc $W -Werror=unused-variable -I../include -c ../src/main.c -o main.o) > "$here/../gcc-objdir-werror.log" 2>&1
(cd build && clang $W -Werror -I../include -c ../src/main.c -o main.o) > "$here/../clang-objdir-werror.log" 2>&1
gcc -O2 -Iinclude -c src/inline.c -o build/inline.o > "$here/../gcc-inlined.log" 2>&1
gcc -Iinclude -c src/fatal.c -o build/fatal.o > "$here/../gcc-fatal.log" 2>&1
clang -Iinclude -c src/fatal.c -o build/fatal.o > "$here/../clang-fatal.log" 2>&1
# Objects next to their sources, as Kbuild lays them out (O= mirrors the tree).
gcc -Iinclude -c src/link.c -o src/link.o && gcc src/link.o -o build/link > "$here/../ld-undefined.log" 2>&1
gcc -g -Iinclude -c src/link.c -o src/link.o && gcc src/link.o -o build/link > "$here/../ld-undefined-debuginfo.log" 2>&1
gcc -c src/twice.c -o src/twice.o && gcc -c src/twice2.c -o src/twice2.o \
	&& gcc src/twice.o src/twice2.o -o build/twice > "$here/../ld-multiple-definition.log" 2>&1
exit 0
