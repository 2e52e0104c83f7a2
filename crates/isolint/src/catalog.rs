//! Every rule isolint knows, and the lookup by ID or name that suggests a close one.

use std::fmt::Write as _;

use isolint_rules::change::CHANGE_RULES;
use isolint_rules::{RULES, Rule, TOOL_RULES, find_rule};

/// The rule named by `selector` (ID or name, any case), or a message that says so and
/// suggests the closest ID or name.
pub(crate) fn lookup(selector: &str) -> Result<&'static Rule, String> {
    // The registry's rules, then the change rules (`diff` only) and the tool's own
    // (SUP001-SUP003), which inspect no resource.
    if let Some(rule) = find_rule(selector).or_else(|| all_rules().find(|r| r.is_named(selector))) {
        return Ok(rule);
    }
    let mut message = format!("unknown rule `{selector}`");
    match closest(selector) {
        Some(candidate) => {
            let _ = write!(message, "; did you mean `{candidate}`?");
        }
        None => message.push_str(" (`isolint rules` lists them)"),
    }
    Err(message)
}

/// The rule ID or name closest to `selector`, when it is close enough to be a typo: within
/// a third of its length in edits, or a prefix of a name.
fn closest(selector: &str) -> Option<&'static str> {
    let wanted = selector.to_ascii_lowercase();
    if wanted.is_empty() {
        return None;
    }
    let wanted_chars = wanted.chars().count();
    all_rules()
        .flat_map(|rule| [rule.id, rule.name])
        .filter_map(|candidate| {
            let lower = candidate.to_ascii_lowercase();
            let allowed = (candidate.len() / 3).max(1);
            let distance = if lower.starts_with(&wanted) && wanted.len() >= 4 {
                0
            } else if wanted_chars.abs_diff(candidate.len()) > allowed {
                // No fewer edits than the lengths differ by (IDs and names are ASCII): a
                // long selector (a suppression comment can hold any text) costs nothing.
                return None;
            } else {
                edit_distance(&wanted, &lower)
            };
            (distance <= allowed).then_some((distance, candidate))
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Every rule isolint knows: the registry's, the change rules that only `diff` runs
/// (CHG001-), then the tool's own (SUP001-SUP003).
pub(crate) fn all_rules() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(CHANGE_RULES).chain(TOOL_RULES).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rules_by_id_or_name_in_any_case() {
        assert_eq!(lookup("aml001").unwrap().id, "AML001");
        assert_eq!(
            lookup("Workspace-Public-Network-Access").unwrap().id,
            "AML001"
        );
    }

    #[test]
    fn tool_rules_are_found() {
        assert_eq!(lookup("sup001").unwrap().id, "SUP001");
        assert!(lookup("suppression-expired").is_ok());
    }

    #[test]
    fn change_rules_are_found() {
        assert_eq!(lookup("chg001").unwrap().id, "CHG001");
        assert!(lookup("managed-network-transition-refused").is_ok());
    }

    #[test]
    fn suggests_close_names_only() {
        let typo = lookup("AML01").unwrap_err();
        assert!(typo.contains("did you mean `AML001`"), "{typo}");
        let prefix = lookup("workspace-public").unwrap_err();
        assert!(
            prefix.contains("did you mean `workspace-public-network-access`"),
            "{prefix}"
        );
        let far = lookup("NOPE").unwrap_err();
        assert!(!far.contains("did you mean"), "{far}");
        assert!(far.contains("unknown rule `NOPE`"), "{far}");
        let longer = lookup("AML0011").unwrap_err();
        assert!(longer.contains("did you mean `AML001`"), "{longer}");
        let huge = lookup(&"aml001".repeat(20_000)).unwrap_err();
        assert!(!huge.contains("did you mean"));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("aml001", "aml001"), 0);
    }
}
