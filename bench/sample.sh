# Sourced by the benchmarks that run on the bundled sample: makes it when missing and writes a config for it.

# bench_sample ROOT SAMPLE: generates the sample into SAMPLE unless it is complete there.
bench_sample() {
    if [ ! -f "$2/.complete" ]; then
        [ -f "$1/samples/make-sample.sh" ] || { echo "bench: no sample in $2 and no samples/make-sample.sh to make one" >&2; exit 2; }
        bash "$1/samples/make-sample.sh" "$2"
    fi
}

# bench_config FILE SAMPLE [YAML...]: the sample's trees, plus any further top-level lines.
bench_config() {
    local file="$1" sample="$2"
    shift 2
    {
        cat <<YAML
topic:    { name: hmm, url: $sample/hmm.git, branch: hmm }
mainline: { url: $sample/mainline.git, branch: master }
trees:
  - { name: rdma, url: $sample/rdma.git, branch: for-next }
  - { name: drm,  url: $sample/drm.git,  branch: drm-next }
  - { name: mm,   url: $sample/mm.git,   branch: mm-unstable }
YAML
        for line in "$@"; do echo "$line"; done
    } > "$file"
}
