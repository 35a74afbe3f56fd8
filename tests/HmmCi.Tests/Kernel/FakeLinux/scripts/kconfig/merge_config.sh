#!/bin/sh
# merge_config.sh -m -O DIR BASE FRAGMENT...: the fake tree's stand-in for the kernel's, appending the fragments
# to the base (later lines win in kconfig) and, like the real one, naming each fragment it merges and using a temp
# file in the current directory.
[ "$1" = -m ] && shift
out=.
[ "$1" = -O ] && { out=$2; shift 2; }
base=$1
shift
for f in "$@"; do echo "Merging $f"; done
tmp=$(mktemp ./.tmp.config.XXXXXXXXXX)
cat "$base" "$@" > "$tmp"
mv "$tmp" "$out/.config"
echo "#"
echo "# merged configuration written to $out/.config (needs make)"
