#!/usr/bin/env bash
# A fuzzing campaign on the end-to-end target, one format at a time, so that every run
# counts for the format it is read as (libFuzzer counts only the total):
#
#   scripts/fuzz-campaign.sh [--runs N] [FORMAT...]
#
# FORMAT is one of bicep, bicepparam, arm, arm-parameters, terraform, terraform-json,
# tfvars, plan, export (all of them by default); N runs each (default 1,000,000). Each
# campaign starts from the seeds of its format (`cargo xtask fuzz-seed` writes them to
# fuzz/corpus/deployment-FORMAT/, where the campaign adds what it finds) and reads every
# input as that format (`ISOLINT_FUZZ_FORMAT`). At the end it prints the runs of each.
#
# The target is built without comparison tracing (`--no-trace-compares`): on this
# pipeline it runs 2.4 times as many inputs a second, and reached more coverage in the
# same minute than the traced build; the dictionaries (fuzz/*.dict, joined) give the
# fuzzer the keywords tracing would find. Logs, crashes and the input each campaign ran
# last (a stack overflow leaves no crash file) go to fuzz/artifacts/. Two campaigns can
# run at once on different formats. Run it at low priority: `nice -n 19 scripts/...`.
set -euo pipefail

cd "$(dirname "$0")/.."

runs=1000000
if [[ "${1:-}" == "--runs" ]]; then
  runs="$2"
  shift 2
fi
formats=("$@")
if [[ ${#formats[@]} -eq 0 ]]; then
  formats=(bicep bicepparam arm arm-parameters terraform terraform-json tfvars plan export)
fi

for format in "${formats[@]}"; do
  if [[ ! -d "fuzz/corpus/deployment-$format" ]]; then
    echo "no seeds in fuzz/corpus/deployment-$format: run \`cargo xtask fuzz-seed\` (or name a format it knows)" >&2
    exit 2
  fi
done

cargo +stable fuzz build -s none --no-trace-compares --target-dir fuzz/target/campaign deployment
host="$(rustc -vV | sed -n 's/^host: //p')"
target="fuzz/target/campaign/$host/release/deployment"

mkdir -p fuzz/artifacts
dictionary="fuzz/artifacts/deployment.dict"
cat fuzz/arm.dict fuzz/bicep.dict fuzz/terraform.dict > "$dictionary"

declare -A executed
for format in "${formats[@]}"; do
  log="fuzz/artifacts/campaign-$format.log"
  echo "$format: $runs runs, log in $log" >&2
  status=0
  ISOLINT_FUZZ_FORMAT="$format" ISOLINT_FUZZ_LAST="fuzz/artifacts/last-$format" \
    "$target" "fuzz/corpus/deployment-$format" -dict="$dictionary" -max_len=8192 \
    -timeout=30 -runs="$runs" -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$format-" 2> "$log" || status=$?
  executed[$format]="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  if [[ $status -ne 0 ]]; then
    echo "$format: the fuzzer stopped (exit $status) after ${executed[$format]:-?} runs; see $log" >&2
  fi
done

printf '%-16s %s\n' format runs
for format in "${formats[@]}"; do
  printf '%-16s %s\n' "$format" "${executed[$format]:-?}"
done
