//! The generated docs match their sources: `docs/rules/` and the README's rules table the
//! registry and `rules/<ID>/`, the README's table of `check` options and `docs/man/` the
//! command line. `cargo xtask docs --check` and `cargo xtask man --check` as tests, so
//! `cargo test` catches drift.

use xtask::{Error, docs, man, workspace_root};

#[test]
fn generated_docs_are_up_to_date() {
    match docs::check(&workspace_root()) {
        Ok(_) => {}
        Err(Error::Stale(drift)) => panic!("{drift}"),
        Err(error) => panic!("{error}\nfix it, then run `cargo xtask docs`"),
    }
}

#[test]
fn manual_pages_are_up_to_date() {
    match man::check(&workspace_root()) {
        Ok(count) => assert!(count > 1, "only {count} manual pages"),
        Err(Error::Stale(drift)) => panic!("{drift}"),
        Err(error) => panic!("{error}\nfix it, then run `cargo xtask man`"),
    }
}

/// `docs/policy.md` is written by hand; its summary tables must name every rule of the
/// mapping and every member definition, so that a new member cannot go undocumented.
#[test]
fn the_policy_guide_names_every_rule_and_member() {
    use isolint_rules::policy::{Definition, RULE_POLICIES, members};

    let path = workspace_root().join("docs/policy.md");
    let guide =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for entry in RULE_POLICIES {
        let row = format!("| [{id}](rules/{id}.md) |", id = entry.rule);
        assert!(guide.contains(&row), "docs/policy.md has no row `{row}`");
    }
    for (rule, member) in members() {
        let name = match member.definition {
            Definition::BuiltIn { id, .. } => id,
            Definition::Custom(custom) => custom.name,
        };
        assert!(
            guide.contains(&format!("`{name}`")),
            "docs/policy.md does not name {rule}'s member `{name}`"
        );
    }
}
