#!/usr/bin/env bash
# After the action's plan (action.yml): keeps the pull request's plan comment and the drift
# issue, with gh-policy comment and gh-policy issue, from the JSON plan the plan step wrote.
#
# Environment, set by action.yml (never interpolated into a script):
#   GH_POLICY_BIN        the gh-policy binary
#   GH_POLICY_PLAN_JSON  the JSON plan (the plan step's plan-json output)
#   GH_POLICY_PR         the pull request's number, on pull_request events
#   INPUT_COMMENT        auto (on pull_request and pull_request_target events) | true | false
#   INPUT_DRIFT_ISSUE    auto (on schedule and branch_protection_rule events) | true | false
#   GITHUB_TOKEN         the token that writes them (the github-token input)
#   GITHUB_EVENT_NAME, GITHUB_REPOSITORY: set by the runner
#
# The comment and the issue are written in the workflow's repository (GITHUB_REPOSITORY);
# an organisation's plan gets one summary issue there (gh-policy issue --summary), since
# the workflow's token reaches no other repository.
set -euo pipefail

fail() {
    printf 'gh-policy action: error: %s\n' "$*" >&2
    exit 1
}

bin=${GH_POLICY_BIN:-gh-policy}
plan=${GH_POLICY_PLAN_JSON:-}
event=${GITHUB_EVENT_NAME:-}
[ -n "$plan" ] && [ -f "$plan" ] || fail "no JSON plan to report (the plan step wrote none)"

# Whether to do a thing the input asks for: auto decides by the event.
wanted() {
    local name=$1 value=$2
    shift 2
    case $value in
        true) return 0 ;;
        false) return 1 ;;
        auto)
            local on
            for on in "$@"; do
                [ "$event" != "$on" ] || return 0
            done
            return 1
            ;;
        *) fail "$name must be auto, true or false, not $(printf '%q' "$value")" ;;
    esac
}

status=0
if wanted comment "${INPUT_COMMENT:-auto}" pull_request pull_request_target; then
    pr=${GH_POLICY_PR:-}
    case $pr in
        '' | *[!0-9]*) fail "comment: true needs a pull request, and the $event event has none" ;;
    esac
    "$bin" comment --pr "$pr" --plan "$plan" < /dev/null || status=1
fi

if wanted drift-issue "${INPUT_DRIFT_ISSUE:-auto}" schedule branch_protection_rule; then
    summary=()
    # plan --format json writes an organisation's plan with `organization` as its first key.
    if sed -n 2p "$plan" | grep -q '^  "organization":'; then
        summary=(--summary)
    fi
    "$bin" issue --plan "$plan" ${summary[@]+"${summary[@]}"} < /dev/null || status=1
fi

exit "$status"
