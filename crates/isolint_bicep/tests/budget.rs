//! Bounded work on hostile Bicep: modules that each deploy the next one twice, `for`
//! expressions inside `for` expressions, and a file of half a million bad lines end
//! quickly, with located diagnostics, a bounded number of them.

#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use isolint_model::diagnostic::{MAX_PER_FILE, and_more};
use isolint_model::{Analysis, Diagnostic, Severity, SourceMap, Value};

/// Longer than any of these takes once bounded (a debug build on a loaded machine), far
/// shorter than any of them took without the bounds.
const HANG: Duration = Duration::from_secs(90);

struct Run {
    analysis: Analysis,
    sources: SourceMap,
}

/// Writes `files` into a fresh folder and analyses the first one, failing after [`HANG`].
fn analyze(files: &[(String, String)]) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            path
        })
        .collect();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let sources = SourceMap::new();
        let analysis = isolint_deploy::analyze_files(
            &paths[..1],
            &sources,
            &isolint_deploy::Options::default(),
        );
        let _ = send.send(Run { analysis, sources });
    });
    match receive.recv_timeout(HANG) {
        Ok(run) => (run, dir),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the analysis hangs (over {HANG:?})"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the analysis panicked"),
    }
}

impl Run {
    fn with_code(&self, code: &str) -> Vec<&Diagnostic> {
        self.analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .collect()
    }

    /// The 1-based line where the diagnostic starts, and that line's text.
    fn line_of(&self, diagnostic: &Diagnostic) -> (u32, String) {
        let span = diagnostic.span.expect("located");
        let file = self.sources.get(span.file).expect("a known file");
        assert_eq!(
            file.path, diagnostic.path,
            "the span is in the diagnostic's file"
        );
        let line = file.position(span.start).line;
        (line, file.line_text(line).trim().to_owned())
    }
}

#[test]
fn a_diamond_of_31_modules_stops_at_the_deployment_budget() {
    // Each file deploys the next one twice: 2^30 deployments of the last one.
    let files: Vec<(String, String)> = (0..31)
        .map(|i| {
            let text = if i < 30 {
                let next = i + 1;
                format!(
                    "module left 'level{next}.bicep' = {{\n  name: 'left{i}'\n}}\nmodule right 'level{next}.bicep' = {{\n  name: 'right{i}'\n}}\n"
                )
            } else {
                "resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'st'\n  properties: {\n    publicNetworkAccess: 'Disabled'\n  }\n}\n".to_owned()
            };
            (format!("level{i}.bicep"), text)
        })
        .collect();
    let (run, _dir) = analyze(&files);
    let warnings = run.with_code("expansion-budget");
    assert!(!warnings.is_empty(), "{:#?}", run.analysis.diagnostics);
    for warning in warnings {
        assert!(warning.message.contains("5000 deployments"), "{warning:?}");
        let (_, line) = run.line_of(warning);
        assert!(line.starts_with("module "), "{line}");
    }
    let accounts = run.analysis.resources.len();
    assert!(accounts > 0 && accounts < 5000, "{accounts}");
}

#[test]
fn a_for_inside_a_for_stops_at_the_copy_product() {
    let text = "var grid = [for row in range(0, 800): [for column in range(0, 800): {
  row: row
  column: column
}]]

resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  properties: {
    publicNetworkAccess: 'Disabled'
    grid: grid
  }
}
";
    let (run, _dir) = analyze(&[("grid.bicep".into(), text.into())]);
    let [warning] = run.with_code("copy-product")[..] else {
        panic!("one warning: {:#?}", run.analysis.diagnostics);
    };
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("640000 iterations"), "{warning:?}");
    // At the inner loop.
    let (line, text) = run.line_of(warning);
    assert_eq!(line, 1, "{text}");
    let start = warning.span.expect("located").start as usize;
    assert!(text[start..].starts_with("[for column"), "{text}");
    let [st] = &run.analysis.resources[..] else {
        panic!("one account");
    };
    // The rows are there, each of them unknown.
    let Value::Known(grid) = st.body.lookup("properties.grid", &[]).value else {
        panic!("the outer loop is known");
    };
    let rows = grid.as_array().expect("an array");
    assert_eq!(rows.len(), 800);
    assert!(rows.iter().all(|row| row.as_unknown().is_some()));
}

#[test]
fn half_a_million_bad_lines_give_a_hundred_errors_and_a_count() {
    let text = "x\n".repeat(500_000);
    let (run, _dir) = analyze(&[("bad.bicep".into(), text)]);
    let errors = run.with_code("parse-error");
    assert_eq!(errors.len(), MAX_PER_FILE + 1, "{:#?}", &errors[..3]);
    assert!(
        errors[..MAX_PER_FILE]
            .iter()
            .all(|e| e.message.starts_with("expected a declaration"))
    );
    let more = errors[MAX_PER_FILE];
    assert_eq!(more.message, and_more(500_000 - MAX_PER_FILE));
    // At the first error left out.
    assert_eq!(run.line_of(more), (101, "x".to_owned()));
    assert_eq!(run.analysis.diagnostics.len(), MAX_PER_FILE + 1);
}
