#!/usr/bin/env bash
# Validates SARIF logs with the Microsoft SARIF multitool (schema errors JSON*, plus the
# SARIF1xxx/SARIF2xxx rules at levels error and warning).
#
#   scripts/sarif-validate.sh FILE.sarif...
#
# The multitool (@microsoft/sarif-multitool, a self-contained .NET binary shipped through
# npm) is installed on first use into $SARIF_MULTITOOL_DIR (default:
# ~/.cache/isolint-sarif-multitool). It needs Node/npm for that one install, then runs
# offline. Its exit code is 0 even for an invalid log, so this script reads the log it
# writes: it exits 1 if any result has level `error` or comes from a `JSON*` (schema) rule,
# and prints warnings without failing. Exit 2 on usage or tool errors.
set -euo pipefail

readonly MULTITOOL_VERSION="5.7.0"
readonly TOOL_DIR="${SARIF_MULTITOOL_DIR:-${HOME}/.cache/isolint-sarif-multitool}"

die() {
    printf 'sarif-validate: %s\n' "$*" >&2
    exit 2
}

[ "$#" -ge 1 ] || die "usage: $0 FILE.sarif..."
command -v jq >/dev/null 2>&1 || die "jq is required (apt-get install jq)"

case "$(uname -s)" in
    Linux) platform=linux ;;
    Darwin) platform=darwin ;;
    *) die "unsupported platform $(uname -s): run the multitool by hand" ;;
esac
package_dir="${TOOL_DIR}/node_modules/@microsoft/sarif-multitool-${platform}"
binary="${package_dir}/Sarif.Multitool"

installed_version() {
    [ -f "${package_dir}/package.json" ] && jq -r '.version' "${package_dir}/package.json"
}

if [ ! -f "${binary}" ] || [ "$(installed_version || true)" != "${MULTITOOL_VERSION}" ]; then
    command -v npm >/dev/null 2>&1 || die "npm is required to install the multitool"
    printf 'sarif-validate: installing @microsoft/sarif-multitool@%s into %s\n' \
        "${MULTITOOL_VERSION}" "${TOOL_DIR}" >&2
    mkdir -p "${TOOL_DIR}"
    npm install --prefix "${TOOL_DIR}" --no-audit --no-fund --loglevel=error \
        "@microsoft/sarif-multitool@${MULTITOOL_VERSION}" >&2
    [ -f "${binary}" ] || die "the multitool binary is missing after install: ${binary}"
fi
# npm 11 does not run the package's postinstall (a chmod) unless allowed; the binary usually
# ships executable, but make sure.
[ -x "${binary}" ] || chmod u+x "${binary}"

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# For each result: the effective level (the result's, else its rule's default, else
# `warning`, as SARIF defines it), the rule, the formatted message and where.
# shellcheck disable=SC2016 # jq's `$name`s, not the shell's
readonly REPORT_JQ='
  .runs[] as $run
  | ($run.tool.driver.rules // []) as $rules
  | ($run.results // [])[]
  | . as $result
  | (if $result.ruleIndex != null then $rules[$result.ruleIndex]
     else ($rules | map(select(.id == $result.ruleId)) | first) end) as $rule
  | ($result.level // $rule.defaultConfiguration.level // "warning") as $level
  | ($result.message.text
     // ($rule.messageStrings[$result.message.id].text // $result.message.id // "")) as $template
  | (reduce range(0; ($result.message.arguments // []) | length) as $i
       ($template; split("{\($i)}") | join($result.message.arguments[$i]))) as $text
  | ($result.locations[0].physicalLocation.region // {}) as $region
  | {level: $level, rule: ($result.ruleId // "?"),
     line: "\($region.startLine // "?"):\($region.startColumn // "?"): \($level) \($result.ruleId // "?"): \($text)"}
'

status=0
for file in "$@"; do
    [ -f "${file}" ] || die "no such file: ${file}"
    out="${work}/validation.sarif"
    rm -f "${out}"
    # The binary directly, not the npm wrapper: the wrapper passes arguments through a
    # shell, which breaks paths with spaces.
    if ! "${binary}" validate "${file}" --output "${out}" --log ForceOverwrite \
        >"${work}/console.txt" 2>&1; then
        cat "${work}/console.txt" >&2
        die "the multitool failed on ${file}"
    fi
    [ -s "${out}" ] || {
        cat "${work}/console.txt" >&2
        die "the multitool wrote no log for ${file}"
    }

    jq -c "${REPORT_JQ}" "${out}" >"${work}/results.jsonl"
    errors="$(jq -s '[.[] | select(.level == "error" or (.rule | startswith("JSON")))] | length' \
        "${work}/results.jsonl")"
    warnings="$(jq -s '[.[] | select(.level == "warning" and (.rule | startswith("JSON") | not))] | length' \
        "${work}/results.jsonl")"
    # Notifications at level error mean the tool could not analyse the file at all.
    tool_errors="$(jq '[.runs[].invocations[]?
        | (.toolExecutionNotifications // []) + (.toolConfigurationNotifications // [])
        | .[] | select(.level == "error")] | length' "${out}")"

    jq -r '.line' "${work}/results.jsonl" | sed "s|^|${file}:|"
    if [ "${tool_errors}" -ne 0 ]; then
        jq -r '.runs[].invocations[]?
            | (.toolExecutionNotifications // []) + (.toolConfigurationNotifications // [])
            | .[] | select(.level == "error") | "tool error: \(.message.text // .message.id)"' \
            "${out}" | sed "s|^|${file}: |"
    fi
    printf '%s: %d error(s), %d warning(s)\n' "${file}" "$((errors + tool_errors))" "${warnings}"
    if [ "$((errors + tool_errors))" -ne 0 ]; then
        status=1
    fi
done
exit "${status}"
