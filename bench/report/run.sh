#!/usr/bin/env bash
# bench/report/run.sh [REPORT_JSON]
#
# Renders every report format (report.json, report.md, report.html, report.eml, kcidb.json, the job summary and the
# check-run summary within GitHub's limits) for the bundled sample's report and for a report ten times its size
# (30 trees, 60 selftests each, 200 findings; the sample is taken as 3 trees, 6 selftests each and 20 findings:
# its own trees, checks and conflicts, its builds and selftest results made the same way as the big report's),
# side by side in one warm process (bench/report/ReportBench, built
# here), median of 15 interleaved rounds. Target: at most 10x (rendering grows linearly). It also publishes the big
# report to a local stand-in for GitHub's API and checks the request budget: at most 3 + ceil(annotations / 50).
#
# REPORT_JSON defaults to artifacts/report.json from `./build.sh --config samples/hmmci.yml`, else the captured
# sample report in tests/HmmCi.Tests/Reports/Data (capture-sample-report.sh there makes it). The last line is the ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
report="${1:-$root/artifacts/report.json}"
[ -f "$report" ] || report="$root/tests/HmmCi.Tests/Reports/Data/sample-report.json"

work="$(mktemp -d "${TMPDIR:-/tmp}/hmmci-bench-report.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "bench: building bench/report/ReportBench" >&2
dotnet build "$root/bench/report/ReportBench/ReportBench.csproj" -c Release --nologo -v quiet -o "$work/bench" >/dev/null
echo "bench: $report" >&2
dotnet "$work/bench/ReportBench.dll" "$report" 15
