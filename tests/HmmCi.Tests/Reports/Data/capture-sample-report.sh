#!/usr/bin/env bash
# tests/HmmCi.Tests/Reports/Data/capture-sample-report.sh
#
# Recaptures sample-report.json, the report of a real run on the bundled sample that the report tests read: runs
# `./build.sh --config samples/hmmci.yml` (every stage: kernel builds in podman and QEMU boots, 10+ minutes; the
# sample itself is generated first if .hmmci/sample does not hold it) into an output folder of its own, not
# artifacts/, and without publishing. Only what is machine-specific is rewritten: this checkout's path becomes
# /hmmci and the output folder /hmmci/artifacts, as for a default run in a checkout at /hmmci. It then writes
# sample-report.stamp, the sha256 of the files sample-report.sources lists (each preceded by its path and a
# newline), which CapturedSampleReportTests compares with those files now.
#
# Nothing is written unless the run gave a verdict (exit 0 or 1) with every stage passed: a capture with a
# stage skipped or failed would not show what the pipeline reports. Then the run's output folder is kept.
set -euo pipefail
data="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$data/../../../.." && pwd)"
cd "$root"

# Taken before the run, from the sources build.sh is about to build the pipeline from.
stamp="$(while IFS= read -r path || [[ -n "$path" ]]; do
    [[ -z "$path" || "$path" == \#* ]] && continue
    printf '%s\n' "$path"
    cat "$root/$path" || exit 1
done <"$data/sample-report.sources" | sha256sum | cut -d' ' -f1)"

out="$(mktemp -d "${TMPDIR:-/tmp}/hmmci-capture.XXXXXX")"
# The default run's parameters only: no GitHub publishing, no HMMCI_* overrides from the caller's environment.
unset GITHUB_TOKEN GITHUB_STEP_SUMMARY $(compgen -e | grep '^HMMCI_' || true)
status=0
./build.sh --config samples/hmmci.yml --output "$out" || status=$?
if [[ $status -ne 0 && $status -ne 1 ]] || [[ ! -f "$out/report.json" ]]; then
    echo "capture-sample-report.sh: ./build.sh exited $status; sample-report.json is unchanged (the run's output is in $out)" >&2
    exit 1
fi

python3 - "$out/report.json" "$out" "$root" "$data/sample-report.json" <<'PY'
import json, re, sys
report, out, root, fixture = sys.argv[1:]
stages = json.load(open(report, encoding="utf-8"))["stages"]
if not_passed := [f"{s['name']} {s['status']}" for s in stages if s["status"] != "pass"]:
    sys.exit(f"capture-sample-report.sh: not every stage passed ({', '.join(not_passed)}); sample-report.json is unchanged (the run's output is in {out})")
text = open(report, encoding="utf-8").read()
# A path ends where a name character cannot follow, so /work/hmmci does not rewrite /work/hmmci2.
for path, placeholder in ((out, "/hmmci/artifacts"), (root, "/hmmci")):
    text = re.sub(re.escape(path) + r"(?![\w.-])", placeholder, text)
open(fixture, "w", encoding="utf-8").write(text)
PY

printf '%s\n' "$stamp" >"$data/sample-report.stamp"
rm -rf "$out"
echo "capture-sample-report.sh: wrote $data/sample-report.json and sample-report.stamp" >&2
