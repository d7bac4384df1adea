#!/usr/bin/env bash
# Runs gh-policy for the action (action.yml): validate, plan or apply. Sets the step outputs
# drift, exit-code, report and, for plan, plan-json; fails on an error always, and on drift
# only when fail-on-drift is true.
#
# Environment, set by action.yml from its inputs (never interpolated into a script):
#   GH_POLICY_BIN        the gh-policy binary
#   INPUT_COMMAND        plan | apply | validate
#   INPUT_POLICY         the policy file
#   INPUT_FORMAT         text | json | markdown (plan)
#   INPUT_FAIL_ON_DRIFT  true | false
#   INPUT_ARGS           more arguments, split on whitespace: no quotes, globs or expansion
#   INPUT_CACHE          true: use the conditional-request cache in INPUT_CACHE_DIR (this job only)
#   GITHUB_TOKEN         the token; it reaches gh-policy through the environment only
#   GITHUB_OUTPUT, RUNNER_TEMP, GITHUB_ACTIONS, GITHUB_STEP_SUMMARY: set by the runner
#
# plan --format text or markdown runs gh-policy twice: once as asked (the log, the job
# summary and the annotations), then with --format json for the plan-json output, which
# GitHub answers from gh-policy's conditional-request cache (304, no rate limit) for
# whatever did not change in between.
set -euo pipefail

fail() {
    printf 'gh-policy action: error: %s\n' "$*" >&2
    exit 1
}

set_output() {
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"
    fi
}

bin=${GH_POLICY_BIN:-gh-policy}
command=${INPUT_COMMAND:-plan}
policy=${INPUT_POLICY:-policy.yaml}
format=${INPUT_FORMAT:-text}
fail_on_drift=${INPUT_FAIL_ON_DRIFT:-true}

# %q: a value that is not one of the choices is shown escaped, so that it cannot write a
# workflow command into the log.
case $command in
    plan | apply | validate) ;;
    *) fail "command must be plan, apply or validate, not $(printf '%q' "$command")" ;;
esac
case $format in
    text | json | markdown) ;;
    *) fail "format must be text, json or markdown, not $(printf '%q' "$format")" ;;
esac
case $fail_on_drift in
    true | false) ;;
    *) fail "fail-on-drift must be true or false, not $(printf '%q' "$fail_on_drift")" ;;
esac
[ -n "$policy" ] || fail "policy must name a file"

extra=()
while IFS= read -r line || [ -n "$line" ]; do
    read -r -a words <<< "$line"
    extra+=(${words[@]+"${words[@]}"})
done <<< "${INPUT_ARGS:-}"

if [ "${INPUT_CACHE:-false}" = true ] && [ -n "${INPUT_CACHE_DIR:-}" ]; then
    export GH_POLICY_CACHE_DIR=$INPUT_CACHE_DIR
fi

out=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gh-policy.XXXXXX")
ext=txt
[ "$command" != plan ] || case $format in json) ext=json ;; markdown) ext=md ;; esac
report=$out/report.$ext

case $command in
    validate) run=("$bin" validate --policy "$policy") ;;
    plan) run=("$bin" plan --policy "$policy" --format "$format") ;;
    # No terminal to confirm on: approval is the workflow's job (an environment's reviewers).
    apply) run=("$bin" apply --policy "$policy" --yes) ;;
esac
run+=(${extra[@]+"${extra[@]}"})

set +e
"${run[@]}" < /dev/null | tee "$out/stdout"
status=${PIPESTATUS[0]}
set -e

# The report is what gh-policy printed, less the workflow commands (annotations) meant for
# the runner: text that can go into a pull request comment.
awk '!/^::[A-Za-z-]+( [^:]*)?::/' "$out/stdout" > "$report"
set_output report "$report"
set_output exit-code "$status"

case $status in
    0) drift=false ;;
    2) [ "$command" != validate ] || fail "gh-policy validate exited 2"
        drift=true ;;
    *) fail "gh-policy $command failed (exit $status)" ;;
esac

if [ "$command" = plan ]; then
    plan_json=$out/plan.json
    if [ "$format" = json ]; then
        cp "$out/stdout" "$plan_json"
    else
        # Not as an Actions step: the summary and the annotations were written once already.
        set +e
        GITHUB_ACTIONS=false GITHUB_STEP_SUMMARY='' "${run[0]}" plan --policy "$policy" \
            --format json ${extra[@]+"${extra[@]}"} < /dev/null > "$plan_json"
        json_status=$?
        set -e
        case $json_status in
            0 | 2) ;;
            *) fail "gh-policy plan --format json failed (exit $json_status)" ;;
        esac
        if [ "$json_status" != "$status" ]; then
            echo "::warning title=gh-policy::the live settings changed between the plan and its JSON copy; the JSON plan is the newer"
        fi
    fi
    set_output plan-json "$plan_json"
fi
set_output drift "$drift"

if [ "$drift" = true ]; then
    if [ "$fail_on_drift" = true ]; then
        printf 'gh-policy action: the repository drifts from %s; failing (fail-on-drift: true)\n' "$policy" >&2
        exit 2
    fi
    printf 'gh-policy action: the repository drifts from %s; not failing (fail-on-drift: false)\n' "$policy" >&2
fi
