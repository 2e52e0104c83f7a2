//! `cargo xtask docs [--check]`: the generated rule docs and where they are written.
//!
//! One source of truth: the registry ([`isolint_rules::RULES`], each rule's doc comment and
//! metadata), the Azure Policy mapping ([`isolint_rules::policy`]) and the examples in
//! `rules/<ID>/`. They produce `docs/rules/<ID>.md`, `docs/rules/README.md` and the rules
//! table between the markers in `README.md`.

use std::fmt;
use std::path::{Path, PathBuf};

use isolint_rules::{Help, RULES, Rule, TOOL_RULES};

use crate::region::{BEGIN_RULES, END_RULES, replace_region};
use crate::{Error, examples, new_rule, render, slash_path};

/// The folder of generated rule pages, relative to the workspace root.
pub const RULE_DOCS: &str = "docs/rules";
/// The hand-written file with a generated region, relative to the workspace root.
pub const README: &str = "README.md";

/// A file as `docs` would write it.
#[derive(Debug, PartialEq, Eq)]
pub struct Generated {
    /// The path relative to the workspace root.
    pub path: PathBuf,
    /// The whole content of the file.
    pub content: String,
}

/// Every file `docs` writes, in a fixed order: the rule pages by ID, the index, `README.md`.
pub fn generate(root: &Path) -> Result<Vec<Generated>, Error> {
    generate_for(root, &registered())
}

/// The registered rules, sorted by ID (the registry is sorted already; a test says so), then
/// the tool's own rules about suppressions (SUP001-SUP003), which inspect no resource.
fn registered() -> Vec<&'static Rule> {
    let mut rules: Vec<&Rule> = RULES.to_vec();
    rules.sort_by_key(|rule| rule.id);
    rules.extend(TOOL_RULES.iter().copied());
    rules
}

/// [`generate`] for the given rules, sorted by ID.
pub fn generate_for(root: &Path, rules: &[&Rule]) -> Result<Vec<Generated>, Error> {
    let mut files = Vec::with_capacity(rules.len() + 2);
    for rule in rules {
        let help_texts = || rule.help.iter().flat_map(Help::texts);
        if help_texts().any(|(_, text)| text.contains(new_rule::PLACEHOLDER)) {
            return Err(Error::Docs(format!(
                "{}: the help in {} still holds `{}` placeholders; write it first",
                rule.id,
                render::source_path(rule),
                new_rule::PLACEHOLDER
            )));
        }
        if rule.docs.contains(new_rule::PLACEHOLDER) {
            return Err(Error::Docs(format!(
                "{}: the doc comment in {} still holds `{}` placeholders; write it first",
                rule.id,
                render::source_path(rule),
                new_rule::PLACEHOLDER
            )));
        }
        let examples = examples::load(root, rule.id)?;
        files.push(Generated {
            path: Path::new(RULE_DOCS).join(format!("{}.md", rule.id)),
            content: render::rule_page(rule, &examples),
        });
    }
    files.push(Generated {
        path: Path::new(RULE_DOCS).join("README.md"),
        content: render::rules_index(rules),
    });

    let readme = match std::fs::read_to_string(root.join(README)) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Readme(format!(
                "not found in {}; it must exist and hold the lines `{BEGIN_RULES}` and \
                 `{END_RULES}`",
                root.display()
            )));
        }
        Err(source) => {
            return Err(Error::Io {
                action: "read",
                path: README.into(),
                source,
            });
        }
    };
    let content = replace_region(
        &readme,
        BEGIN_RULES,
        END_RULES,
        // The README's table lists the rules about resources; the index lists every rule.
        &render::readme_table(&resource_rules(rules)),
    )
    .map_err(|problem| {
        Error::Readme(format!(
            "{problem}; the rules table goes between the lines `{BEGIN_RULES}` and \
             `{END_RULES}`"
        ))
    })?;
    files.push(Generated {
        path: README.into(),
        content,
    });
    Ok(files)
}

/// The rules that inspect resources: all but the tool's own rules (no target types).
fn resource_rules<'r>(rules: &[&'r Rule]) -> Vec<&'r Rule> {
    rules
        .iter()
        .copied()
        .filter(|rule| !rule.targets.is_empty())
        .collect()
}

/// Pages in `docs/rules/` that no registered rule generates (`*.md` only), sorted.
fn orphans(root: &Path, generated: &[Generated]) -> Result<Vec<PathBuf>, Error> {
    let folder = Path::new(RULE_DOCS);
    let entries = match std::fs::read_dir(root.join(folder)) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                action: "list",
                path: folder.into(),
                source,
            });
        }
    };
    let mut orphans = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            action: "list",
            path: folder.into(),
            source,
        })?;
        let path = folder.join(entry.file_name());
        let is_page = entry.path().is_file() && path.extension().is_some_and(|e| e == "md");
        if is_page && !generated.iter().any(|file| file.path == path) {
            orphans.push(path);
        }
    }
    orphans.sort();
    Ok(orphans)
}

/// What `docs` did to one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// The file was written (new or changed).
    Written(PathBuf),
    /// A generated page of a rule that is no longer registered was removed.
    Removed(PathBuf),
}

/// Writes every generated file whose content differs and removes generated pages that
/// belong to no rule. Returns what changed (nothing when all was up to date). A page in
/// `docs/rules/` that belongs to no rule and was not generated is an error: it is left for
/// a person to move.
pub fn write(root: &Path) -> Result<Vec<Change>, Error> {
    write_for(root, &registered())
}

/// [`write`] for the given rules, sorted by ID.
pub fn write_for(root: &Path, rules: &[&Rule]) -> Result<Vec<Change>, Error> {
    let generated = generate_for(root, rules)?;
    let orphans = orphans(root, &generated)?;
    let mut hand_written = Vec::new();
    for orphan in &orphans {
        let text = crate::read(root, orphan)?;
        if !text.starts_with("<!-- generated by cargo xtask docs") {
            hand_written.push(slash_path(orphan));
        }
    }
    if !hand_written.is_empty() {
        return Err(Error::Docs(format!(
            "{RULE_DOCS}/ is generated, but {} belong(s) to no rule and was not generated: \
             move it elsewhere",
            hand_written.join(", ")
        )));
    }

    let mut changes = Vec::new();
    for file in generated {
        let current = std::fs::read_to_string(root.join(&file.path)).ok();
        if current.as_deref() != Some(file.content.as_str()) {
            crate::write(root, &file.path, &file.content)?;
            changes.push(Change::Written(file.path));
        }
    }
    for orphan in orphans {
        std::fs::remove_file(root.join(&orphan)).map_err(|source| Error::Io {
            action: "remove",
            path: orphan.clone(),
            source,
        })?;
        changes.push(Change::Removed(orphan));
    }
    Ok(changes)
}

/// Checks, without writing, that every generated file is as `docs` would write it and that
/// `docs/rules/` holds no page for an unregistered rule. Returns how many files were
/// checked.
pub fn check(root: &Path) -> Result<usize, Error> {
    check_for(root, &registered())
}

/// [`check`] for the given rules, sorted by ID.
pub fn check_for(root: &Path, rules: &[&Rule]) -> Result<usize, Error> {
    let generated = generate_for(root, rules)?;
    let mut problems = Vec::new();
    for file in &generated {
        match std::fs::read_to_string(root.join(&file.path)) {
            Ok(current) if current == file.content => {}
            Ok(current) => problems.push(Problem::Stale {
                path: file.path.clone(),
                difference: first_difference(&file.content, &current),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                problems.push(Problem::Missing(file.path.clone()));
            }
            Err(source) => {
                return Err(Error::Io {
                    action: "read",
                    path: file.path.clone(),
                    source,
                });
            }
        }
    }
    for orphan in orphans(root, &generated)? {
        problems.push(Problem::Orphan(orphan));
    }
    if problems.is_empty() {
        Ok(generated.len())
    } else {
        Err(Error::Stale(Drift { problems }))
    }
}

/// Generated files that differ from what `docs` would write.
#[derive(Debug, PartialEq, Eq)]
pub struct Drift {
    /// One entry per file, in the order `docs` writes them, orphans last.
    pub problems: Vec<Problem>,
}

/// How one generated file differs.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file does not exist.
    Missing(PathBuf),
    /// The file exists with other content.
    Stale {
        /// The file.
        path: PathBuf,
        /// The first line that differs.
        difference: Difference,
    },
    /// A page in `docs/rules/` that no registered rule generates.
    Orphan(PathBuf),
}

/// The first line at which two texts differ.
#[derive(Debug, PartialEq, Eq)]
pub struct Difference {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters, of the first character that differs.
    pub column: usize,
    /// The line `docs` would write, `None` past the end.
    pub expected: Option<String>,
    /// The line on disk, `None` past the end.
    pub found: Option<String>,
}

/// Where `expected` and `found` first differ, line by line. Two texts that differ only in
/// line endings or a final newline differ at the first line that does.
pub fn first_difference(expected: &str, found: &str) -> Difference {
    let mut expected_lines = expected.split_inclusive('\n');
    let mut found_lines = found.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (expected_lines.next(), found_lines.next()) {
            (Some(e), Some(f)) if e == f => line += 1,
            (e, f) => {
                let column = match (e, f) {
                    (Some(e), Some(f)) => {
                        e.chars().zip(f.chars()).take_while(|(a, b)| a == b).count() + 1
                    }
                    _ => 1,
                };
                return Difference {
                    line,
                    column,
                    expected: e.map(str::to_owned),
                    found: f.map(str::to_owned),
                };
            }
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "generated docs are out of date:")?;
        for problem in &self.problems {
            match problem {
                Problem::Missing(path) => writeln!(f, "  {}: missing", slash_path(path))?,
                Problem::Orphan(path) => writeln!(
                    f,
                    "  {}: documents no registered rule (remove it)",
                    slash_path(path)
                )?,
                Problem::Stale { path, difference } => {
                    writeln!(
                        f,
                        "  {}: stale, first difference at line {}, column {}",
                        slash_path(path),
                        difference.line,
                        difference.column
                    )?;
                    let shown = |line: &Option<String>| shown(line.as_deref(), difference.column);
                    writeln!(f, "    expected: {}", shown(&difference.expected))?;
                    writeln!(f, "    found:    {}", shown(&difference.found))?;
                }
            }
        }
        write!(f, "run `cargo xtask docs` to update them")
    }
}

/// A line as a diff summary shows it: quoted with escapes visible, starting a little before
/// `column` and cut after 90 characters, so that long lines show where they differ.
fn shown(line: Option<&str>, column: usize) -> String {
    const CONTEXT_BEFORE: usize = 30;
    const WIDTH: usize = 90;
    let Some(line) = line else {
        return "(end of file)".to_owned();
    };
    let skip = column.saturating_sub(1 + CONTEXT_BEFORE);
    let window: String = line.chars().skip(skip).collect();
    // `{:?}` escapes like a Rust string literal (`\n`, `\"`) but leaves `'` alone.
    let quoted = format!("{window:?}");
    let escaped: Vec<char> = quoted[1..quoted.len() - 1].chars().collect();
    let mut out = String::from("\"");
    if skip > 0 {
        out.push_str("...");
    }
    out.extend(escaped.iter().take(WIDTH));
    if escaped.len() > WIDTH {
        out.push_str("...");
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use isolint_rules::{Level, Protects, Status, Weight};

    use super::*;

    static FIRST: Rule = FIRST_FIELDS;

    const FIRST_FIELDS: Rule = Rule {
        id: "AML901",
        name: "first-rule",
        level: Level::Error,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[Help::everywhere("fix the first thing")],
        docs: " ## What it does\n Flags the first thing.\n ## Why is this bad?\n It is.\n ## How to fix\n Fix it.\n",
        targets: &["Microsoft.MachineLearningServices/workspaces"],
        check: |_, _| {},
        source: "crates/isolint_rules/src/aml/first_rule.rs",
    };

    static SECOND: Rule = Rule {
        id: "AML902",
        name: "second-rule",
        level: Level::Note,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[Help::everywhere("fix the second thing")],
        docs: " ## What it does\n Flags the second thing.\n ## Why is this bad?\n It is.\n ## How to fix\n Fix it.\n",
        targets: &["Microsoft.KeyVault/vaults"],
        check: |_, _| {},
        source: "crates/isolint_rules/src/aml/second_rule.rs",
    };

    /// A temporary workspace with a README holding the markers.
    fn workspace() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join(README),
            "# isolint\n\nBefore.\n\n<!-- begin generated rules -->\n<!-- end generated rules -->\n\nAfter.\n",
        )
        .unwrap();
        root
    }

    fn drift(root: &Path, rules: &[&Rule]) -> String {
        match check_for(root, rules) {
            Err(Error::Stale(drift)) => drift.to_string(),
            other => panic!("expected drift, got {other:?}"),
        }
    }

    #[test]
    fn generates_pages_index_and_readme_region_only() {
        let root = workspace();
        let files = generate_for(root.path(), &[&FIRST, &SECOND]).unwrap();
        let paths: Vec<String> = files.iter().map(|f| slash_path(&f.path)).collect();
        assert_eq!(
            paths,
            [
                "docs/rules/AML901.md",
                "docs/rules/AML902.md",
                "docs/rules/README.md",
                "README.md"
            ]
        );
        let readme = &files[3].content;
        assert!(
            readme.starts_with("# isolint\n\nBefore.\n\n<!-- begin generated rules -->\n\n| ID |")
        );
        assert!(readme.contains("| [AML902](docs/rules/AML902.md) | `second-rule` | note | stable | 0.1.0 | Flags the second thing. |\n\n<!-- end generated rules -->\n\nAfter.\n"));
        for file in &files {
            assert!(file.content.ends_with('\n') && !file.content.ends_with("\n\n"));
            assert!(!file.content.contains('\r'));
        }
        // Deterministic: a second run gives the same bytes.
        assert_eq!(
            files,
            generate_for(root.path(), &[&FIRST, &SECOND]).unwrap()
        );
    }

    #[test]
    fn check_reports_missing_stale_and_orphan_files() {
        let root = workspace();
        let report = drift(root.path(), &[&FIRST]);
        assert!(report.starts_with("generated docs are out of date:\n  docs/rules/AML901.md: missing\n  docs/rules/README.md: missing\n  README.md: stale, first difference at line 6, column 1\n"), "{report}");
        assert!(
            report.ends_with("run `cargo xtask docs` to update them"),
            "{report}"
        );

        let changes = write_for(root.path(), &[&FIRST, &SECOND]).unwrap();
        assert_eq!(changes.len(), 4);
        assert_eq!(check_for(root.path(), &[&FIRST, &SECOND]).unwrap(), 4);
        assert!(
            write_for(root.path(), &[&FIRST, &SECOND])
                .unwrap()
                .is_empty()
        );

        // With AML902 gone, its page belongs to no rule and the tables are stale.
        let report = drift(root.path(), &[&FIRST]);
        assert_eq!(
            report,
            "generated docs are out of date:\n  \
             docs/rules/README.md: stale, first difference at line 5, column 13\n    \
             expected: \"isolint has 1 rule. Each page holds the rule's documentation and its examples from `rules/...\"\n    \
             found:    \"isolint has 2 rules. Each page holds the rule's documentation and its examples from `rules...\"\n  \
             README.md: stale, first difference at line 10, column 1\n    \
             expected: \"\\n\"\n    \
             found:    \"| [AML902](docs/rules/AML902.md) | `second-rule` | note | stable | 0.1.0 | Flags the secon...\"\n  \
             docs/rules/AML902.md: documents no registered rule (remove it)\n\
             run `cargo xtask docs` to update them"
        );

        // `docs` removes the generated orphan, but never a hand-written page.
        assert_eq!(
            write_for(root.path(), &[&FIRST]).unwrap().last(),
            Some(&Change::Removed("docs/rules/AML902.md".into()))
        );
        assert_eq!(check_for(root.path(), &[&FIRST]).unwrap(), 3);
        std::fs::write(root.path().join("docs/rules/notes.md"), "# Notes\n").unwrap();
        assert!(
            drift(root.path(), &[&FIRST])
                .contains("docs/rules/notes.md: documents no registered rule")
        );
        let err = write_for(root.path(), &[&FIRST]).unwrap_err().to_string();
        assert!(err.contains("docs/rules/notes.md"), "{err}");
        assert!(root.path().join("docs/rules/notes.md").exists());
    }

    #[test]
    fn readme_without_markers_or_file_is_a_clear_error() {
        let root = tempfile::tempdir().unwrap();
        let err = generate_for(root.path(), &[&FIRST])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("README.md: not found"), "{err}");
        std::fs::write(root.path().join(README), "# isolint\n").unwrap();
        let err = generate_for(root.path(), &[&FIRST])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("README.md: no `<!-- begin generated rules -->` marker; the rules table goes between"),
            "{err}"
        );
        assert!(!root.path().join(RULE_DOCS).exists());
    }

    #[test]
    fn help_with_new_rule_placeholders_is_refused() {
        static UNWRITTEN: Rule = Rule {
            help: &[Help::everywhere("(new-rule: what to write)")],
            ..FIRST_FIELDS
        };
        let root = workspace();
        let err = generate_for(root.path(), &[&UNWRITTEN])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("AML901: the help in crates/isolint_rules/src/aml/first_rule.rs still holds `(new-rule:` placeholders"),
            "{err}"
        );
    }

    #[test]
    fn first_difference_finds_the_line() {
        assert_eq!(
            first_difference("a\nb\nc\n", "a\nB\nc\n"),
            Difference {
                line: 2,
                column: 1,
                expected: Some("b\n".into()),
                found: Some("B\n".into())
            }
        );
        assert_eq!(
            first_difference("a\n", "a\nextra\n"),
            Difference {
                line: 2,
                column: 1,
                expected: None,
                found: Some("extra\n".into())
            }
        );
        assert_eq!(
            first_difference("a\n", "a\r\n"),
            Difference {
                line: 1,
                column: 2,
                expected: Some("a\n".into()),
                found: Some("a\r\n".into())
            }
        );
    }

    #[test]
    fn shown_lines_are_quoted_and_centred_on_the_difference() {
        assert_eq!(shown(None, 1), "(end of file)");
        assert_eq!(shown(Some("a\tb\n"), 1), "\"a\\tb\\n\"");
        let long = format!("{}Y{}", "x".repeat(200), "z".repeat(200));
        assert_eq!(
            shown(Some(&long), 201),
            format!("\"...{}Y{}...\"", "x".repeat(30), "z".repeat(59))
        );
        assert_eq!(shown(Some(&long), 5), format!("\"{}...\"", "x".repeat(90)));
    }

    #[test]
    fn every_help_uri_names_a_page_that_exists() {
        let root = crate::workspace_root();
        for rule in registered() {
            let page = format!("docs/rules/{}.md", rule.id);
            assert!(rule.help_uri().ends_with(&page), "{}", rule.help_uri());
            assert!(root.join(&page).is_file(), "{page} is missing");
        }
        assert!(registered().iter().any(|rule| rule.id == "SUP001"));
    }
}
