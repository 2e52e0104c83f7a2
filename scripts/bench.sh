#!/usr/bin/env bash
# Whole-process timings of the isolint binary, as a pre-commit hook and CI see them:
#
#   scripts/bench.sh [CORPUS_DIR]
#
# Builds the release binary, then times with hyperfine (wall clock, min of many runs):
#   - `isolint check --format compact` on every .json file of the corpus (default
#     ../shared/corpus, or $ISOLINT_CORPUS),
#   - the same on one file (an Azure Machine Learning workspace template of the corpus),
#   - `isolint --version` (process start-up, the floor of any run),
# measures peak RSS of the corpus run with GNU time, and prints a summary against the
# targets: corpus under 50 ms, one file under 5 ms (medians), peak RSS under 50 MB.
#
# Needs hyperfine and GNU time (`apt-get install -y hyperfine time`). `isolint check`
# exits 1 when it finds problems, so the timed commands ignore exit codes (-i).
# Exit 0 when every target is met, 1 when one is missed, 2 on usage or tool errors.
set -euo pipefail

die() {
    printf 'bench: %s\n' "$*" >&2
    exit 2
}

cd "$(dirname "$0")/.."
readonly corpus="${1:-${ISOLINT_CORPUS:-../shared/corpus}}"
readonly binary=target/release/isolint
readonly runs="${BENCH_RUNS:-30}"

command -v hyperfine >/dev/null 2>&1 || die "hyperfine is required (apt-get install -y hyperfine)"
[ -x /usr/bin/time ] || die "GNU time is required (apt-get install -y time)"
[ -d "$corpus" ] || die "no corpus at $corpus (give its folder as the first argument)"

mapfile -t files < <(find "$corpus" -type f -name '*.json' | LC_ALL=C sort)
[ "${#files[@]}" -gt 0 ] || die "no .json files under $corpus"
for file in "${files[@]}"; do
    case "$file" in *[[:space:]]*) die "hyperfine -N cannot take paths with spaces: $file" ;; esac
done
single="$(grep -l 'Microsoft.MachineLearningServices/workspaces' "${files[@]}" | head -n 1)"
[ -n "$single" ] || single="${files[0]}"
bytes="$(cat "${files[@]}" | wc -c)"

printf 'building %s (release)...\n' "$binary" >&2
cargo build --release --quiet -p isolint

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# -N: no shell between hyperfine and the binary, which matters at millisecond scale.
hyperfine -N -i --warmup 5 --min-runs "$runs" --style basic \
    --export-csv "$work/times.csv" \
    -n corpus "$binary check --format compact ${files[*]}" \
    -n single "$binary check --format compact $single" \
    -n version "$binary --version" >&2

/usr/bin/time -f '%M' -o "$work/rss" "$binary" check --format compact "${files[@]}" \
    >/dev/null 2>&1 || true
rss_kb="$(tail -n 1 "$work/rss")"

# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
summary="$(awk -F, -v rss_kb="$rss_kb" '
    NR == 1 { next }
    {
        target = ($1 == "corpus") ? 50 : ($1 == "single") ? 5 : 0
        mean = $2 * 1000; sd = $3 * 1000; median = $4 * 1000; min = $7 * 1000
        verdict = target == 0 ? "" : (median < target ? "ok" : "MISSED")
        if (verdict == "MISSED") missed = 1
        printf "%-8s median %7.2f ms   mean %7.2f ± %5.2f ms   min %7.2f ms   target %s%s\n",
            $1, median, mean, sd, min,
            target == 0 ? "-" : sprintf("median < %d ms", target), verdict == "" ? "" : "  " verdict
    }
    END {
        mb = rss_kb / 1024
        verdict = mb < 50 ? "ok" : "MISSED"
        if (verdict == "MISSED") missed = 1
        printf "peak RSS (corpus run) %.1f MB   target < 50 MB  %s\n", mb, verdict
        exit missed
    }' "$work/times.csv")" && status=0 || status=$?

printf '\nisolint %s, %d JSON files (%s bytes) from %s; single file: %s\n' \
    "$("$binary" --version | awk '{ print $2 }')" "${#files[@]}" "$bytes" "$corpus" "$single"
printf '%s\n' "$summary"
exit "$status"
