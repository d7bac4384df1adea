//! What `apply` asks before it writes: the plan as a whole (`yes`), and apart from it the
//! changes that weaken protection (`weaken`), which `--yes` alone refuses.

use std::io::BufRead;

use crate::cli::ApplyArgs;
use crate::commands::console::Console;
use crate::error::Error;
use crate::plan::Plan;
use crate::protection::weakening::{self, Weakening};

/// The changes of the plans that weaken protection (DESIGN §11), unless `--allow-weakening`
/// lets them through; with `--yes` (no question to ask) they refuse the whole run, before
/// any write.
pub(crate) fn guard_weakening<'a>(
    args: &ApplyArgs,
    plans: impl IntoIterator<Item = &'a Plan>,
    with_repository: bool,
) -> Result<Vec<Weakening>, Error> {
    if args.allow_weakening {
        return Ok(Vec::new());
    }
    let weakening = weakening::listed(plans, with_repository);
    if args.yes && !weakening.is_empty() {
        return Err(weakening::refusal(&weakening));
    }
    Ok(weakening)
}

/// Asks on the terminal (stderr, so that a redirected stdout keeps only the plan).
pub(crate) fn confirm(what: &str, count: usize, console: &mut Console<'_>) -> Result<(), Error> {
    ask(
        &format!("\nApply {count} change(s) to {what}? Type `yes` to go on: "),
        "yes",
        console,
    )
}

/// Asks, apart from the plan as a whole, for the changes that weaken protection: they are
/// listed again and need their own answer, `weaken`.
pub(crate) fn confirm_weakening(
    weakening: &[Weakening],
    console: &mut Console<'_>,
) -> Result<(), Error> {
    if weakening.is_empty() {
        return Ok(());
    }
    let mut question = format!(
        "\n{} of these changes weaken{} protection:\n",
        weakening.len(),
        if weakening.len() == 1 { "s" } else { "" }
    );
    for Weakening(line) in weakening {
        question.push_str("  ⚠ ");
        question.push_str(line);
        question.push('\n');
    }
    question.push_str("Apply them too? Type `weaken` to go on: ");
    ask(&question, "weaken", console)
}

/// Asks a question on the terminal and goes on only on `expected`.
fn ask(question: &str, expected: &str, console: &mut Console<'_>) -> Result<(), Error> {
    if !console.can_ask() {
        return Err(
            Error::new("refusing to apply without confirmation; nothing was written")
                .detail("there is no terminal to ask on")
                .with_hint("review the plan above and pass --yes to apply it"),
        );
    }
    write!(console.err(), "{question}")?;
    console.err().flush()?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::new("failed to read the answer").caused_by(e))?;
    if answer.trim() == expected {
        Ok(())
    } else {
        Err(Error::new("apply cancelled; nothing was written"))
    }
}
