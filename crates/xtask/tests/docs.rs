//! The generated docs (`docs/rules/`, the rules table in `README.md`) match the registry and
//! `rules/<ID>/`: `cargo xtask docs --check` as a test, so `cargo test` catches drift.

use xtask::{Error, docs, workspace_root};

#[test]
fn generated_docs_are_up_to_date() {
    match docs::check(&workspace_root()) {
        Ok(_) => {}
        Err(Error::Stale(drift)) => panic!("{drift}"),
        Err(error) => panic!("{error}\nfix it, then run `cargo xtask docs`"),
    }
}
