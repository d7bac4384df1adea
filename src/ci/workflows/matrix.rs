//! Expanding a literal `strategy.matrix` into its combinations, as GitHub does, without ever
//! building more than GitHub would run.
//!
//! GitHub runs the cartesian product of the matrix's lists, less the combinations an
//! `exclude` entry matches, plus what `include` adds, and refuses a matrix that comes to more
//! than 256 jobs. So the product is never built whole: its size is computed first, and when
//! it is over the cap and nothing can be excluded the answer is `OverCap` at once;
//! otherwise combinations are visited one at a time and kept ones counted, stopping as soon
//! as the count passes the cap. Every cell built and every value compared is charged to the
//! caller's `Meter`, so a matrix whose excludes remove nearly everything of a huge product
//! runs out of budget instead of running for hours. Combinations borrow their values from
//! the parsed file: a large value shared by every combination is never copied.

use std::collections::HashSet;

use super::limits::{Exhausted, MAX_MATRIX_JOBS, Meter};
use super::yaml::Yaml;

/// A matrix combination: key and value, in key order.
pub(super) type Combination<'a> = Vec<(&'a str, &'a Yaml)>;

/// What a matrix comes to.
#[derive(Debug)]
pub(super) enum Matrix<'a> {
    /// The combinations, at most `MAX_MATRIX_JOBS` of them.
    Expanded(Vec<Combination<'a>>),
    /// The matrix depends on values known only at run time (`${{ fromJSON(…) }}`).
    RunTime,
    /// More than `MAX_MATRIX_JOBS` combinations, which GitHub refuses to run; `at_least` is
    /// the number known (the product's size when nothing is excluded, saturating).
    OverCap { at_least: u128 },
}

/// Expands a matrix, charging the work to `meter`.
pub(super) fn expand<'a>(matrix: &'a Yaml, meter: &mut Meter) -> Result<Matrix<'a>, Exhausted> {
    let Some(entries) = matrix.as_map() else {
        return Ok(Matrix::RunTime);
    };
    let mut lists: Vec<(&str, &[Yaml])> = Vec::new();
    let mut include = Vec::new();
    let mut exclude = Vec::new();
    for entry in entries {
        meter.charge(1)?;
        match entry.key.as_str() {
            "include" => match literal_objects(&entry.value) {
                Some(objects) => include = objects,
                None => return Ok(Matrix::RunTime),
            },
            "exclude" => match literal_objects(&entry.value) {
                Some(objects) => exclude = objects,
                None => return Ok(Matrix::RunTime),
            },
            key => match &entry.value {
                Yaml::Seq(values) => lists.push((key, values)),
                _ => return Ok(Matrix::RunTime),
            },
        }
    }
    meter.charge(include.len() + exclude.len())?;

    let size = lists.iter().fold(1_u128, |size, (_, values)| {
        size.saturating_mul(u128::try_from(values.len()).unwrap_or(u128::MAX))
    });
    let cap = u128::try_from(MAX_MATRIX_JOBS).unwrap_or(u128::MAX);
    if size > cap && exclude.is_empty() {
        return Ok(Matrix::OverCap { at_least: size });
    }

    let mut combinations = Vec::new();
    if !lists.is_empty() {
        // An odometer over the lists: `digits[i]` indexes `lists[i].1`.
        let mut digits = vec![0_usize; lists.len()];
        let empty = lists.iter().any(|(_, values)| values.is_empty());
        // An empty list makes an empty product (GitHub refuses it; nothing to name).
        let mut more = !empty;
        while more {
            meter.charge(lists.len())?;
            let combination: Combination<'a> = lists
                .iter()
                .zip(&digits)
                .map(|((key, values), &digit)| (*key, &values[digit]))
                .collect();
            if !excluded(&combination, &exclude, meter)? {
                combinations.push(combination);
                if combinations.len() > MAX_MATRIX_JOBS {
                    return Ok(Matrix::OverCap {
                        at_least: u128::try_from(combinations.len()).unwrap_or(u128::MAX),
                    });
                }
            }
            more = advance(&mut digits, &lists);
        }
    }

    // Include entries merge into the original combinations only, never into ones added by an
    // earlier include entry; with no original keys, each entry is a combination of its own.
    let keys: HashSet<&str> = lists.iter().map(|(key, _)| *key).collect();
    let original = combinations.len();
    for rule in include {
        let mut merged = false;
        for combination in &mut combinations[..original] {
            // An include entry may add keys, and overwrite keys it added, but never change a
            // value of the original matrix.
            let mut steps = rule.len();
            let fits = rule.iter().all(|(key, value)| {
                !keys.contains(key)
                    || find(combination, key, &mut steps).is_some_and(|v| v.same(value, &mut steps))
            });
            meter.charge(steps)?;
            if fits {
                for &(key, value) in &rule {
                    meter.charge(combination.len())?;
                    match combination.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => combination.push((key, value)),
                    }
                }
                merged = true;
            }
        }
        if !merged {
            combinations.push(rule);
            if combinations.len() > MAX_MATRIX_JOBS {
                return Ok(Matrix::OverCap {
                    at_least: u128::try_from(combinations.len()).unwrap_or(u128::MAX),
                });
            }
        }
    }
    Ok(Matrix::Expanded(combinations))
}

/// Moves the odometer one step; false when it has gone all the way round.
fn advance(digits: &mut [usize], lists: &[(&str, &[Yaml])]) -> bool {
    for (digit, (_, values)) in digits.iter_mut().zip(lists).rev() {
        *digit += 1;
        if *digit < values.len() {
            return true;
        }
        *digit = 0;
    }
    false
}

/// Returns true when an `exclude` entry matches the combination: every key of the entry is
/// in the combination with the same value.
fn excluded(
    combination: &Combination<'_>,
    exclude: &[Combination<'_>],
    meter: &mut Meter,
) -> Result<bool, Exhausted> {
    for rule in exclude {
        let mut steps = rule.len();
        let matches = rule.iter().all(|(key, value)| {
            find(combination, key, &mut steps).is_some_and(|v| v.same(value, &mut steps))
        });
        meter.charge(steps)?;
        if matches {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Returns the value of `key` in a combination, adding the entries looked at to `steps`.
pub(super) fn find<'a>(
    combination: &Combination<'a>,
    key: &str,
    steps: &mut usize,
) -> Option<&'a Yaml> {
    let position = combination.iter().position(|(k, _)| *k == key);
    *steps += position.map_or(combination.len(), |p| p + 1);
    position.map(|p| combination[p].1)
}

/// Reads `include:` / `exclude:`: a literal list of mappings.
fn literal_objects(value: &Yaml) -> Option<Vec<Combination<'_>>> {
    let Yaml::Seq(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| {
            item.as_map()
                .map(|entries| entries.iter().map(|e| (e.key.as_str(), &e.value)).collect())
        })
        .collect()
}
