//! "Did you mean …?": the closest known word to a misspelled key, by edit distance
//! (`strsim`'s Levenshtein, counted in characters).

/// Returns the Levenshtein distance between two strings, counted in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Returns the candidate closest to `word`, when it is close enough to be a plausible typo.
///
/// "Close enough" is at most a third of the word's length (at least 1, at most 3) edits, so
/// that `required_aprovals` finds `required_approvals` but `foo` does not find `wait_timer`;
/// two letters swapped are one edit (`teir` finds `tier`). Case is ignored. Ties go to the
/// first candidate, so the answer is stable.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|candidate| (strsim::osa_distance(&lower, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_misses_only() {
        let keys = [
            "required_approvals",
            "dismiss_stale_reviews",
            "require_code_owner_reviews",
        ];
        assert_eq!(
            closest("required_aprovals", &keys),
            Some("required_approvals")
        );
        assert_eq!(
            closest("dismis_stale_review", &keys),
            Some("dismiss_stale_reviews")
        );
        assert_eq!(closest("colour", &keys), None);
        assert_eq!(closest("x", &["y", "ab"]), Some("y"));
    }

    #[test]
    fn two_letters_swapped_are_one_edit() {
        assert_eq!(closest("teir", &["tier", "team"]), Some("tier"));
    }

    #[test]
    fn closest_ignores_case() {
        assert_eq!(closest("Wait_Timer", &["wait_timer"]), Some("wait_timer"));
    }
}
