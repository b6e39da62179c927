#!/usr/bin/env bash
# The steps of the composite GitHub Action (action.yml at the repository root):
#   github-action.sh install   resolve the fnguard CLI (this checkout if built, else npm) -> output `bin`
#   github-action.sh scan      run `fnguard scan` with the INPUT_* variables; SARIF, markdown step
#                              summary, annotations (the `github` format: at most 10), outputs
#   github-action.sh result    exit with the scan's exit code (after the SARIF upload ran)
# Inputs arrive as environment variables, never interpolated into the script (no injection).
set -euo pipefail

out() { # name value -> step output
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; else printf '%s=%s\n' "$1" "$2"; fi
}

# split "a, b\nc" into the array named $2 (commas and new lines separate; blanks dropped)
split_list() {
  local -n into=$2
  local item
  while IFS= read -r item; do
    item="${item#"${item%%[![:space:]]*}"}"
    item="${item%"${item##*[![:space:]]}"}"
    [[ -n "$item" ]] && into+=("$item")
  done < <(printf '%s\n' "$1" | tr ',' '\n')
  return 0
}

cmd_install() {
  local action_path="${ACTION_PATH:?}" version="${INPUT_VERSION:-}"
  if [[ -z "$version" && -f "$action_path/packages/fnguard/dist/cli/bin.js" ]]; then
    out bin "$action_path/packages/fnguard/bin/fnguard.js"
    return
  fi
  if [[ -z "$version" ]]; then
    version="$(node -p "require(process.argv[1]).version" "$action_path/packages/fnguard/package.json")"
  fi
  local prefix="${RUNNER_TEMP:-/tmp}/fnguard-cli"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$prefix" "fnguard@$version" >&2
  out bin "$prefix/node_modules/fnguard/bin/fnguard.js"
}

cmd_scan() {
  local bin="${FNGUARD_BIN:?}" tmp="${RUNNER_TEMP:-/tmp}/fnguard-$$"
  mkdir -p "$tmp"
  local args=(scan "${INPUT_PATH:-.}" --fail-on "${INPUT_FAIL_ON:-high}")
  [[ -n "${INPUT_SEVERITY:-}" ]] && args+=(--severity "$INPUT_SEVERITY")
  local rules=() skips=() params=()
  split_list "${INPUT_RULE:-}" rules
  split_list "${INPUT_SKIP_RULE:-}" skips
  for r in "${rules[@]}"; do args+=(--rule "$r"); done
  for r in "${skips[@]}"; do args+=(--skip-rule "$r"); done
  while IFS= read -r p; do [[ -n "${p// /}" ]] && args+=(--param "$p"); done <<<"${INPUT_PARAM:-}"
  [[ -n "${INPUT_CONFIG:-}" ]] && args+=(--config "$INPUT_CONFIG")
  [[ -n "${INPUT_STAGE:-}" ]] && args+=(--stage "$INPUT_STAGE")
  [[ -n "${INPUT_REGION:-}" ]] && args+=(--region "$INPUT_REGION")
  [[ "${INPUT_INCLUDE_DEV:-false}" == "true" ]] && args+=(--include-dev)
  [[ -n "${INPUT_ADVISORY_DB:-}" ]] && args+=(--advisory-db "$INPUT_ADVISORY_DB")
  [[ "${INPUT_ONLINE:-false}" == "true" ]] && args+=(--online)
  [[ -n "${INPUT_VERIFY_KEY:-}" ]] && args+=(--verify-key "$INPUT_VERIFY_KEY")
  [[ -n "${INPUT_IGNORE_FILE:-}" ]] && args+=(--ignore-file "$INPUT_IGNORE_FILE")
  [[ -n "${INPUT_BASELINE:-}" ]] && args+=(--baseline "$INPUT_BASELINE")
  [[ -n "${INPUT_WRITE_BASELINE:-}" ]] && args+=(--write-baseline "$INPUT_WRITE_BASELINE")

  local sarif="${INPUT_SARIF_FILE:-fnguard.sarif}" json="$tmp/fnguard.json" md="$tmp/fnguard-summary.md"
  args+=(--format sarif --output "$sarif" --format json --output "$json")
  [[ "${INPUT_SUMMARY:-true}" == "true" ]] && args+=(--format markdown --output "$md")
  [[ -n "${INPUT_HTML_REPORT:-}" ]] && args+=(--format html --output "$INPUT_HTML_REPORT")
  # stdout: annotations (workflow commands; the formatter keeps the 10 worst) or the text report
  if [[ "${INPUT_ANNOTATIONS:-true}" == "true" ]]; then args+=(--format github); else args+=(--format text); fi

  local code=0
  NO_COLOR=1 node "$bin" "${args[@]}" || code=$?
  out exit-code "$code"
  if [[ "$code" == "2" ]]; then
    echo "::error title=fnguard::the scan could not run (exit 2); see the log above"
    return 0
  fi
  if [[ -f "$md" && -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$md" >>"$GITHUB_STEP_SUMMARY"; fi
  if [[ -f "$json" ]]; then
    out findings "$(node -p "require(process.argv[1]).summary.findings" "$json")"
    out max-risk "$(node -p "require(process.argv[1]).summary.maxRisk ?? 0" "$json")"
  fi
  [[ -f "$sarif" ]] && out sarif-file "$sarif"
  return 0
}

cmd_result() {
  local code="${EXIT_CODE:-}"
  [[ -z "$code" ]] && code=2
  if [[ "$code" == "1" ]]; then echo "fnguard: findings at or above fail-on; see the annotations, the job summary and code scanning"; fi
  exit "$code"
}

case "${1:-}" in
  install) cmd_install ;;
  scan) cmd_scan ;;
  result) cmd_result ;;
  *)
    echo "usage: github-action.sh install|scan|result" >&2
    exit 2
    ;;
esac
