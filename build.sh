#!/usr/bin/env bash
# Bootstrap in Nuke's manner: build the pipeline project when its sources changed, then run it.
# The .NET SDK must already be installed; this script never downloads a toolchain.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET 10 SDK is required but 'dotnet' is not on PATH (on Debian 12: apt-get install dotnet-sdk-10.0 from Microsoft's package feed)" >&2
    exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out="$root/build/bin/pipeline"
dll="$out/_build.dll"
# Every file of build/ and src/ is an input: sources, project files and what they embed (report templates, the
# bundled config fragments, the build image's Containerfile); bin/ and obj/ are outputs.
if [[ ! -f "$dll" ]] || [[ -n "$(find "$root/build" "$root/src" "$root/Directory.Build.props" \
        -type f -newer "$dll" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]]; then
    echo "build.sh: building the pipeline" >&2
    if ! log="$(dotnet build "$root/build/_build.csproj" --nologo -v quiet -o "$out" 2>&1)"; then
        echo "$log" >&2
        exit 3
    fi
    touch "$dll"
fi
exec dotnet "$dll" "$@"
