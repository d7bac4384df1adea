//! JUnit XML (`plan --format junit`), for CI systems that show test reports.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="gh-policy plan" tests="3" failures="1" errors="0" skipped="0">
//!   <testsuite name="acme/katz-backend" tests="3" failures="1" errors="0" skipped="0">
//!     <testcase classname="acme/katz-backend" name="branches.main">
//!       <failure type="update" message="branches.main (branch protection) differs on GitHub">pull_request.required_approvals: live 1, policy 2</failure>
//!     </testcase>
//!     <testcase classname="acme/katz-backend" name="environments.production"/>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One suite a repository; one test case a resource the policy manages (the caller lists
//! them), passing when it is in sync, failing when it drifts; a change at an address the
//! policy does not list (a deletion it prunes) is a failing case of its own; a failure that
//! weakens protection (DESIGN §11) says so in its message, each setting that lowers it
//! marked `(⚠ weakens)`. Drift an exception accepts is `skipped`, with the exception's date
//! and reason. A repository that
//! could not be planned is a suite with one case, `plan`, in `error`.

use std::io::{self, Write};

use super::{WEAKENS_SENTENCE, exception_words, finding, kind_label, printable, setting_lines};
use crate::plan::{Address, Change, Disposition, Plan, RepositoryError};

/// One repository's plan and the resources its policy manages.
pub struct Suite<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Every resource the policy manages.
    pub managed: &'a [Address],
}

/// How one test case ended.
enum Outcome<'a> {
    Passed,
    Failed(&'a Change),
    Skipped(&'a Change),
    Error(&'a str),
}

/// One test case.
struct Case<'a> {
    name: String,
    outcome: Outcome<'a>,
}

/// Writes the report of the plans, and of the repositories that could not be planned.
pub fn render(
    suites: &[Suite<'_>],
    errors: &[RepositoryError],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut all: Vec<(&str, Vec<Case<'_>>)> = suites
        .iter()
        .map(|suite| (suite.plan.repository.as_str(), cases(suite)))
        .collect();
    for error in errors {
        all.push((
            error.repository.as_str(),
            vec![Case {
                name: "plan".to_owned(),
                outcome: Outcome::Error(&error.error),
            }],
        ));
    }
    let totals = Counts::of(all.iter().flat_map(|(_, cases)| cases));
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="gh-policy plan" {totals}>"#)?;
    for (repository, cases) in &all {
        let repository = xml_outside(repository);
        let counts = Counts::of(cases.iter());
        writeln!(out, r#"  <testsuite name="{repository}" {counts}>"#)?;
        for case in cases {
            write_case(&repository, case, out)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")?;
    out.flush()
}

/// The cases of one repository: its managed resources in order, then the changes at
/// addresses the policy does not list.
fn cases<'a>(suite: &Suite<'a>) -> Vec<Case<'a>> {
    let outcome = |change: Option<&'a Change>| match change {
        None => Outcome::Passed,
        Some(change) => match change.disposition {
            Disposition::Excepted { .. } => Outcome::Skipped(change),
            Disposition::Applicable(_)
            | Disposition::Weakening(_)
            | Disposition::Inapplicable(_) => Outcome::Failed(change),
        },
    };
    let change_at = |address: &Address| suite.plan.changes.iter().find(|c| c.address == *address);
    let mut cases: Vec<Case<'a>> = suite
        .managed
        .iter()
        .map(|address| Case {
            name: address.to_string(),
            outcome: outcome(change_at(address)),
        })
        .collect();
    for change in &suite.plan.changes {
        if !suite.managed.contains(&change.address) {
            cases.push(Case {
                name: change.address.to_string(),
                outcome: outcome(Some(change)),
            });
        }
    }
    cases
}

fn write_case(repository: &str, case: &Case<'_>, out: &mut dyn Write) -> io::Result<()> {
    let name = xml_outside(&case.name);
    let open = format!(r#"    <testcase classname="{repository}" name="{name}""#);
    match &case.outcome {
        Outcome::Passed => writeln!(out, "{open}/>"),
        Outcome::Failed(change) => {
            let mut headline = format!(
                "{} ({}) {}",
                printable(&change.address.to_string()),
                kind_label(change.kind()),
                finding(change)
            );
            if change.weakens() {
                headline.push_str(". ");
                headline.push_str(WEAKENS_SENTENCE);
            }
            let mut details = setting_lines(change);
            if let Some(refusal) = change.refusal() {
                details.push(format!(
                    "apply cannot fix it: {}",
                    printable(refusal.words())
                ));
            }
            let action = serde_json::to_value(change.action)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default();
            writeln!(out, "{open}>")?;
            writeln!(
                out,
                r#"      <failure type="{action}" message="{}">{}</failure>"#,
                xml(&headline),
                xml(&details.join("\n"))
            )?;
            writeln!(out, "    </testcase>")
        }
        Outcome::Skipped(change) => {
            let message = exception_words(change.accepted_by(), None)
                .unwrap_or_else(|| "drift accepted by an exception".to_owned());
            writeln!(out, "{open}>")?;
            writeln!(out, r#"      <skipped message="{}"/>"#, xml(&message))?;
            writeln!(out, "    </testcase>")
        }
        Outcome::Error(error) => {
            let lines: Vec<String> = error.lines().map(xml_outside).collect();
            writeln!(out, "{open}>")?;
            writeln!(
                out,
                r#"      <error message="{}">{}</error>"#,
                lines.first().map_or("", String::as_str),
                lines.join("\n")
            )?;
            writeln!(out, "    </testcase>")
        }
    }
}

/// The counts of a suite, or of all suites, as XML attributes.
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of<'a, 'b: 'a>(cases: impl Iterator<Item = &'a Case<'b>>) -> Self {
        let mut counts = Self {
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
        };
        for case in cases {
            counts.tests += 1;
            match case.outcome {
                Outcome::Passed => {}
                Outcome::Failed(_) => counts.failures += 1,
                Outcome::Skipped(_) => counts.skipped += 1,
                Outcome::Error(_) => counts.errors += 1,
            }
        }
        counts
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            r#"tests="{}" failures="{}" errors="{}" skipped="{}""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// Returns outside text (a name) as XML character data or an attribute value: control
/// characters made visible (`printable`), then as [`xml`].
fn xml_outside(text: &str) -> String {
    xml(&printable(text))
}

/// Returns text made printable as XML character data or an attribute value: the five
/// markup characters escaped, and the two characters XML 1.0 cannot hold at all replaced.
fn xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\u{fffe}' | '\u{ffff}' => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}
