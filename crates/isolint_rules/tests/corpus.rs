//! The real-world corpus (`../shared/corpus`, or `$ISOLINT_CORPUS`): every template reads
//! without a parse error, and the rules give the answers of `EXPECTED.tsv`, the hand-read
//! truth (one row per resource and rule). The corpus is never copied into the repository;
//! without it the test says so and passes.

#![expect(
    clippy::print_stderr,
    reason = "the test says what it checked, or that the corpus is absent"
)]
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use isolint_model::{Analysis, Model, Severity, SourceMap};
use isolint_rules::{Finding, Options, RULES, check};

mod support;

fn files_with_extension(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_with_extension(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

struct Row {
    path: String,
    rule: String,
    anchor: String,
    expect: bool,
    sure: bool,
    why: String,
}

fn rows(dir: &Path, extension: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let [path, rule, anchor, expect, confidence, why] = cols.as_slice() else {
                return None;
            };
            path.ends_with(extension).then(|| Row {
                path: (*path).to_owned(),
                rule: (*rule).to_owned(),
                anchor: (*anchor).to_owned(),
                expect: *expect == "yes",
                sure: *confidence == "sure",
                why: (*why).to_owned(),
            })
        })
        .collect()
}

/// The lines `target L123` (or `L123/L456`) names, if any.
fn target_lines(why: &str) -> Vec<u32> {
    let Some(at) = why.find("target L") else {
        return Vec::new();
    };
    why[at + "target ".len()..]
        .split([']', ' ', ';'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter_map(|l| l.trim_start_matches('L').parse().ok())
        .collect()
}

#[test]
fn arm_corpus_reads_cleanly_and_matches_expected() {
    check_corpus("json");
}

#[test]
fn bicep_corpus_reads_cleanly_and_matches_expected() {
    check_corpus("bicep");
}

#[test]
fn terraform_corpus_reads_cleanly_and_matches_expected() {
    check_corpus("tf");
}

/// The files of one extension read as one deployment, through the deployment graph.
fn analyze(files: &[PathBuf], sources: &SourceMap) -> Analysis {
    isolint_deploy::analyze_files(files, sources, &isolint_deploy::Options::default())
}

/// Reads every corpus file with `extension` through the deployment graph (the whole corpus
/// at once, as `EXPECTED.tsv` assumes), requires no error diagnostic, and compares the
/// findings with the rows for files of that extension.
fn check_corpus(extension: &str) {
    let dir = support::corpus_dir();
    if !dir.join("EXPECTED.tsv").is_file() {
        support::say_absent(&dir, &format!("the corpus test of .{extension} files"));
        return;
    }
    let mut files = Vec::new();
    files_with_extension(&dir, extension, &mut files);
    let sources = SourceMap::new();
    let analysis = analyze(&files, &sources);
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.path.display(), d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "parse errors in the corpus:\n{}",
        errors.join("\n")
    );

    let model = Model::new(analysis.resources);
    let findings = check(&model, &Options::default());
    let mut by_declaration: BTreeMap<(u32, u32), Vec<&Finding>> = BTreeMap::new();
    for finding in &findings {
        let d = finding.resource.declaration;
        by_declaration
            .entry((d.file.0, d.start))
            .or_default()
            .push(finding);
    }

    let mut failures = Vec::new();
    let mut checked = 0;
    for row in rows(&dir, &format!(".{extension}")) {
        let path = dir.join(&row.path);
        let Some(file) = sources.find(&path) else {
            failures.push(format!("{}: not read", row.path));
            continue;
        };
        let Some(rule) = RULES.iter().find(|r| r.id == row.rule) else {
            failures.push(format!("{}: unknown rule {}", row.path, row.rule));
            continue;
        };
        let lines = target_lines(&row.why);
        let matched: Vec<_> = model
            .graph()
            .resources()
            .iter()
            .filter(|r| r.origin.file == file.id && !r.existing)
            .filter(|r| rule.targets.iter().take(1).any(|t| r.is(t)))
            .filter(|r| {
                let line = file.position(r.header().start).line;
                if lines.is_empty() {
                    file.line_text(line).contains(&row.anchor)
                } else {
                    lines.contains(&line)
                }
            })
            .collect();
        if matched.is_empty() {
            // A resource that is not deployed (its condition is false) is not in the
            // model: right for a `no` row, as long as the anchor is really in the file.
            if row.expect || !file.text.contains(&row.anchor) {
                failures.push(format!(
                    "{} {} `{}`: no resource matches the anchor",
                    row.path, row.rule, row.anchor
                ));
            }
            checked += 1;
            continue;
        }
        checked += 1;
        let fired = matched.iter().any(|r| {
            let d = r.origin.decls[0];
            by_declaration
                .get(&(d.file.0, d.start))
                .is_some_and(|fs| fs.iter().any(|f| f.rule.id == row.rule && !f.unresolved))
        });
        if fired != row.expect {
            failures.push(format!(
                "{} {} `{}`: expected {}, got {} ({}; {})",
                row.path,
                row.rule,
                row.anchor,
                if row.expect { "a finding" } else { "none" },
                if fired { "a finding" } else { "none" },
                if row.sure { "sure" } else { "unsure" },
                row.why
            ));
        }
    }
    eprintln!(
        "corpus: {} .{extension} files, {checked} EXPECTED rows checked, {} findings",
        files.len(),
        findings.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements with EXPECTED.tsv:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
