#!/usr/bin/env bash
# Runs gh-policy for the action (action.yml): validate, plan, apply or issue. Sets the step
# outputs drift, exit-code, report and, for plan, plan-json (and sarif, when asked); fails on
# an error always, and on drift only when fail-on-drift is true.
#
# Environment, set by action.yml from its inputs (never interpolated into a script):
#   GH_POLICY_BIN        the gh-policy binary
#   INPUT_COMMAND        plan | apply | validate | issue
#   INPUT_POLICY         the policy file
#   INPUT_FORMAT         text | json | markdown (plan)
#   INPUT_FAIL_ON_DRIFT  true | false; false also keeps plan's error annotations out
#   INPUT_SARIF          true: plan also writes SARIF (the sarif output)
#   INPUT_ALLOW_WEAKENING true: apply also applies the changes that weaken protection
#   INPUT_SAVED_PLAN     plan: save the plan to this file (--out), the plan-json output then;
#                        apply: apply this saved plan (--plan)
#   INPUT_ARGS           more arguments, split on whitespace: no quotes, globs or expansion
#   INPUT_CACHE          true: use the conditional-request cache in INPUT_CACHE_DIR (this job only)
#   GITHUB_TOKEN, GH_POLICY_APP_ID, GH_POLICY_APP_PRIVATE_KEY: the credentials; they reach
#                        gh-policy through the environment only
#   GITHUB_OUTPUT, RUNNER_TEMP, GITHUB_ACTIONS, GITHUB_STEP_SUMMARY: set by the runner
#
# plan --format text or markdown runs gh-policy again with --format json for the plan-json
# output (and with --format sarif when asked), which GitHub answers from gh-policy's
# conditional-request cache (304, no rate limit) for whatever did not change in between.
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
sarif=${INPUT_SARIF:-false}
allow_weakening=${INPUT_ALLOW_WEAKENING:-false}
saved_plan=${INPUT_SAVED_PLAN:-}

# %q: a value that is not one of the choices is shown escaped, so that it cannot write a
# workflow command into the log.
case $command in
    plan | apply | validate | issue) ;;
    *) fail "command must be plan, apply, validate or issue, not $(printf '%q' "$command")" ;;
esac
case $format in
    text | json | markdown) ;;
    *) fail "format must be text, json or markdown, not $(printf '%q' "$format")" ;;
esac
case $fail_on_drift in
    true | false) ;;
    *) fail "fail-on-drift must be true or false, not $(printf '%q' "$fail_on_drift")" ;;
esac
case $sarif in
    true | false) ;;
    *) fail "sarif must be true or false, not $(printf '%q' "$sarif")" ;;
esac
case $allow_weakening in
    true | false) ;;
    *) fail "allow-weakening must be true or false, not $(printf '%q' "$allow_weakening")" ;;
esac
[ "$allow_weakening" = false ] || [ "$command" = apply ] ||
    fail "allow-weakening is for command: apply only"
[ -z "$saved_plan" ] || [ "$command" = plan ] || [ "$command" = apply ] ||
    fail "saved-plan is for command: plan or apply only"
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
    plan) run=("$bin" plan --policy "$policy" --format "$format")
        [ -z "$saved_plan" ] || run+=(--out "$saved_plan") ;;
    # No terminal to confirm on: approval is the workflow's job (an environment's reviewers).
    apply) run=("$bin" apply --policy "$policy" --yes)
        [ "$allow_weakening" = false ] || run+=(--allow-weakening)
        [ -z "$saved_plan" ] || run+=(--plan "$saved_plan") ;;
    # The plan files and --summary come in args.
    issue) run=("$bin" issue) ;;
esac
run+=(${extra[@]+"${extra[@]}"})

# Drift that does not fail the job is a report, not an error: plan's ::error annotations
# (one per drifting setting) are left out.
drop_errors=false
[ "$command" != plan ] || [ "$fail_on_drift" = true ] || drop_errors=true

set +e
"${run[@]}" < /dev/null | awk -v drop="$drop_errors" '!(drop == "true" && /^::error( [^:]*)?::/)' | tee "$out/stdout"
status=${PIPESTATUS[0]}
set -e

# The report is what gh-policy printed, less the workflow commands (annotations) meant for
# the runner: text that can go into a pull request comment.
awk '!/^::[A-Za-z-]+( [^:]*)?::/' "$out/stdout" > "$report"
set_output report "$report"
set_output exit-code "$status"

case $status in
    0) drift=false ;;
    2) case $command in validate | issue) fail "gh-policy $command exited 2" ;; esac
        drift=true ;;
    *) fail "gh-policy $command failed (exit $status)" ;;
esac

# Plans again in another format, quietly: the summary and the annotations were written once.
# Never with --out: the saved plan is the one shown.
plan_again() {
    local again=$1 file=$2 again_status
    set +e
    GITHUB_ACTIONS=false GITHUB_STEP_SUMMARY='' "${run[0]}" plan --policy "$policy" \
        --format "$again" ${extra[@]+"${extra[@]}"} < /dev/null > "$file"
    again_status=$?
    set -e
    case $again_status in
        0 | 2) ;;
        *) fail "gh-policy plan --format $again failed (exit $again_status)" ;;
    esac
    if [ "$again_status" != "$status" ]; then
        echo "::warning title=gh-policy::the live settings changed between the plan and its $again copy; the $again plan is the newer"
    fi
}

if [ "$command" = plan ]; then
    plan_json=$out/plan.json
    # A saved plan is a JSON plan: the comment and the issue show exactly the plan saved.
    if [ -n "$saved_plan" ]; then
        cp "$saved_plan" "$plan_json"
    elif [ "$format" = json ]; then
        cp "$out/stdout" "$plan_json"
    else
        plan_again json "$plan_json"
    fi
    set_output plan-json "$plan_json"
    if [ "$sarif" = true ]; then
        plan_again sarif "$out/plan.sarif"
        set_output sarif "$out/plan.sarif"
    fi
fi
set_output drift "$drift"

if [ "$drift" = true ]; then
    if [ "$fail_on_drift" = true ]; then
        printf 'gh-policy action: the repository drifts from %s; failing (fail-on-drift: true)\n' "$policy" >&2
        exit 2
    fi
    printf 'gh-policy action: the repository drifts from %s; not failing (fail-on-drift: false)\n' "$policy" >&2
fi
