//! `migrate`'s account, as text and JSON: the rulesets written, the branches unprotected,
//! and per branch the proof — every setting of its effective protection, before and after,
//! each with its sources (in text a table, `=` the same, `≠` not) — then the branches left
//! as they were, with the reasons.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{compact, printable};
use crate::migrate::layer::listed;
use crate::migrate::{Migration, Proof, Side};
use crate::model::Enforcement;

/// Writes the account of one migration; `layer` names where it happened in an
/// organisation policy (`defaults`, `repositories.api`), `None` for a repository policy.
pub fn text(migration: &Migration, layer: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    let at = |address: String| match layer {
        Some(layer) => format!("{layer}.{address}"),
        None => address,
    };
    for planned in &migration.rulesets {
        let address = at(format!("rulesets.{}", printable(&planned.name)));
        let branches = printable(&listed(&planned.branches)).into_owned();
        match (planned.trial, &planned.ruleset.enforcement) {
            (false, Enforcement::Evaluate) => writeln!(
                out,
                "+ {address} (new, evaluate mode): tries {branches} beside their classic protection"
            )?,
            (false, _) => writeln!(out, "+ {address} (new): takes over {branches}")?,
            (true, Enforcement::Evaluate) => writeln!(
                out,
                "= {address}: on trial for {branches} already; run migrate without --evaluate to finish"
            )?,
            (true, _) => writeln!(
                out,
                "~ {address}: enforcement evaluate → active, takes over {branches} (the trial is finished)"
            )?,
        }
    }
    if !migration.unprotected.is_empty() {
        let addresses: Vec<String> = migration
            .unprotected
            .iter()
            .map(|b| at(format!("branches.{}", printable(b))))
            .collect();
        writeln!(out, "~ {}: protected: false", addresses.join(", "))?;
    }
    for proof in &migration.proofs {
        let when = if migration.evaluate {
            "once the trial is finished, every setting is the same as today"
        } else {
            "every setting is the same after apply as today"
        };
        writeln!(out, "\n{}: proven, {when}", printable(&proof.branch))?;
        table(proof, out)?;
    }
    for stopped in &migration.stopped {
        writeln!(
            out,
            "\n{}: left as it was",
            printable(&at(format!("branches.{}", stopped.branch)))
        )?;
        for reason in &stopped.reasons {
            writeln!(out, "  - {}", printable(reason))?;
        }
        if let Some(proof) = &stopped.proof {
            table(proof, out)?;
        }
    }
    out.flush()
}

/// The proof as a table: setting, before, after.
fn table(proof: &Proof, out: &mut dyn Write) -> io::Result<()> {
    let cell = |side: &Option<Side>| match side {
        Some(side) => format!(
            "{} ← {}",
            compact(&side.value),
            printable(&side.sources.join(", "))
        ),
        None => "(none)".to_owned(),
    };
    // (setting, before, after, the same)
    let rows: Vec<[String; 3]> = proof
        .rows
        .iter()
        .map(|row| [row.setting.clone(), cell(&row.before), cell(&row.after)])
        .collect();
    let width = |column: usize, title: &str| {
        rows.iter()
            .map(|r| r[column].chars().count())
            .chain([title.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let setting_width = width(0, "setting");
    let before_width = width(1, "before");
    writeln!(
        out,
        "    {:setting_width$}  {:before_width$}  after",
        "setting", "before"
    )?;
    for (row, [setting, before, after]) in proof.rows.iter().zip(&rows) {
        let mark = if row.holds() { '=' } else { '≠' };
        writeln!(
            out,
            "  {mark} {setting:setting_width$}  {before:before_width$}  {after}"
        )?;
    }
    for what in &proof.unreadable {
        writeln!(out, "  ? not readable with this token: {}", printable(what))?;
    }
    Ok(())
}

/// What the JSON account says besides each layer's migration.
pub struct Account<'a> {
    /// What the proof was made against.
    pub proven_against: &'a str,
    /// The file the new policy was written to; `None`: it is in `policy`.
    pub written: Option<&'a str>,
    /// The new policy's text, when it was not written to a file.
    pub policy: Option<&'a str>,
    /// Why the policy was written whole rather than edited in place.
    pub rewritten: Option<&'a str>,
}

/// Writes the account as one pretty JSON document with a final newline.
pub fn json(
    account: &Account<'_>,
    sections: &[(Option<String>, Migration)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let layers: Vec<Value> = sections
        .iter()
        .map(|(layer, migration)| layer_json(layer.as_deref(), migration))
        .collect();
    let document = json!({
        "proven_against": account.proven_against,
        "written": account.written,
        "policy": account.policy,
        "rewritten": account.rewritten,
        "layers": layers,
    });
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn layer_json(layer: Option<&str>, migration: &Migration) -> Value {
    let rulesets: Vec<Value> = migration
        .rulesets
        .iter()
        .map(|planned| {
            let status = match (planned.trial, &planned.ruleset.enforcement) {
                (false, Enforcement::Evaluate) => "new_on_trial",
                (false, _) => "new",
                (true, Enforcement::Evaluate) => "on_trial",
                (true, _) => "trial_finished",
            };
            json!({"name": planned.name, "branches": planned.branches, "status": status})
        })
        .collect();
    let left: Vec<Value> = migration
        .stopped
        .iter()
        .map(|stopped| {
            json!({
                "branch": stopped.branch,
                "reasons": stopped.reasons,
                "proof": stopped.proof.as_ref().map(proof_json),
            })
        })
        .collect();
    json!({
        "layer": layer,
        "evaluate": migration.evaluate,
        "rulesets": rulesets,
        "unprotected": migration.unprotected,
        "proven": migration.proofs.iter().map(proof_json).collect::<Vec<_>>(),
        "left": left,
    })
}

fn proof_json(proof: &Proof) -> Value {
    let side = |side: &Option<Side>| {
        side.as_ref()
            .map(|side| json!({"value": side.value, "sources": side.sources}))
    };
    let rows: Vec<Value> = proof
        .rows
        .iter()
        .map(|row| {
            json!({
                "setting": row.setting,
                "before": side(&row.before),
                "after": side(&row.after),
                "same": row.holds(),
            })
        })
        .collect();
    json!({
        "branch": proof.branch,
        "holds": proof.holds(),
        "settings": rows,
        "unreadable": proof.unreadable,
    })
}
