//! The expansion budget: templates that multiply their work (linked templates that deploy
//! the next one twice, copy loops inside copy loops, a module loop around a resource loop,
//! loops over large values) end quickly, with a warning at the declaration that crossed
//! a limit, and the rest of the deployment is still evaluated.

#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use std::sync::mpsc;
use std::time::Duration;

use isolint_model::{Analysis, Diagnostic, Severity, SourceMap, Value};

/// Longer than any of these takes once bounded (a debug build on a loaded machine), far
/// shorter than any of them took without the budget.
const HANG: Duration = Duration::from_secs(90);

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// A template with these `variables` and `resources` (JSON text).
fn template(variables: &str, resources: &str) -> String {
    format!(
        r#"{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "variables": {{{variables}}},
  "resources": [{resources}]
}}
"#
    )
}

/// A storage account (JSON text) with these extra `properties` members.
fn storage(name: &str, copy: &str, properties: &str) -> String {
    format!(
        r#"{{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "{name}",{copy}
      "properties": {{ "publicNetworkAccess": "Disabled"{properties} }}
    }}"#
    )
}

struct Run {
    analysis: Analysis,
    sources: SourceMap,
}

/// Writes `files` into a fresh folder and analyses them all, failing after [`HANG`].
fn analyze(files: &[(String, String)]) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<_> = files
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
        let analysis =
            isolint_deploy::analyze_files(&paths, &sources, &isolint_deploy::Options::default());
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

    /// The text of the line where the diagnostic starts, in its own file.
    fn line_of(&self, diagnostic: &Diagnostic) -> String {
        let span = diagnostic.span.expect("located");
        let file = self.sources.get(span.file).expect("a known file");
        assert_eq!(
            file.path, diagnostic.path,
            "the span is in the diagnostic's file"
        );
        file.line_text(file.position(span.start).line)
            .trim()
            .to_owned()
    }

    fn storage_accounts(&self) -> usize {
        self.analysis
            .resources
            .iter()
            .filter(|r| {
                r.ty.eq_ignore_ascii_case("Microsoft.Storage/storageAccounts")
            })
            .count()
    }
}

/// A deployment of `linked` by relative path (JSON text).
fn linked_deployment(name: &str, linked: &str) -> String {
    format!(
        r#"{{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "{name}",
      "properties": {{ "mode": "Incremental", "templateLink": {{ "relativePath": "{linked}" }} }}
    }}"#
    )
}

#[test]
fn a_diamond_of_31_linked_templates_stops_at_the_deployment_budget() {
    // Each template deploys the next one twice: 2^30 deployments of the last one.
    let files: Vec<(String, String)> = (0..31)
        .map(|i| {
            let resources = if i < 30 {
                let next = format!("level{}.json", i + 1);
                [
                    linked_deployment(&format!("left{i}"), &next),
                    linked_deployment(&format!("right{i}"), &next),
                ]
                .join(",")
            } else {
                storage("st", "", "")
            };
            (format!("level{i}.json"), template("", &resources))
        })
        .collect();
    let (run, _dir) = analyze(&files);
    let warnings = run.with_code("expansion-budget");
    assert!(!warnings.is_empty(), "{:#?}", run.analysis.diagnostics);
    for warning in &warnings {
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.message.contains("5000 deployments"), "{warning:?}");
        // At the deployment that is not followed.
        let line = run.line_of(warning);
        assert!(
            line.starts_with("\"name\": \"left") || line.starts_with("\"name\": \"right"),
            "{line}"
        );
    }
    // Every deployment that was followed deploys its storage account: fewer than the
    // budget, but some.
    let accounts = run.storage_accounts();
    assert!(accounts > 0 && accounts < 5000, "{accounts}");
}

#[test]
fn a_property_copy_inside_a_resource_copy_stops_at_the_product() {
    let resource = storage(
        "[concat('st', copyIndex())]",
        r#"
      "copy": { "name": "accounts", "count": 800 },"#,
        r#",
        "copy": [ { "name": "rules", "count": 800, "input": { "value": "[copyIndex('rules')]" } } ]"#,
    );
    let (run, _dir) = analyze(&[("grid.json".into(), template("", &resource))]);
    let [warning] = run.with_code("copy-product")[..] else {
        panic!("one warning: {:#?}", run.analysis.diagnostics);
    };
    assert!(
        warning.message.contains("800 iterations runs 800 times")
            && warning.message.contains("100000"),
        "{warning:?}"
    );
    assert!(
        run.line_of(warning).contains("\"name\": \"rules\""),
        "{}",
        run.line_of(warning)
    );
    // Each account is there, its rules unknown.
    assert_eq!(run.storage_accounts(), 800);
    let rules = run.analysis.resources[0]
        .body
        .lookup("properties.rules", &[])
        .value;
    assert!(matches!(rules, Value::Unknown(_)), "{rules:?}");
}

#[test]
fn a_module_loop_multiplies_the_loops_of_its_template() {
    let inner = template(
        "",
        &storage(
            "[concat('st', copyIndex())]",
            r#"
      "copy": { "name": "accounts", "count": 800 },"#,
            "",
        ),
    );
    let deployment = format!(
        r#"{{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "[concat('spoke', copyIndex())]",
      "copy": {{ "name": "spokes", "count": 800 }},
      "properties": {{
        "mode": "Incremental",
        "expressionEvaluationOptions": {{ "scope": "inner" }},
        "template": {inner}
      }}
    }}"#
    );
    let (run, _dir) = analyze(&[("spokes.json".into(), template("", &deployment))]);
    let warnings = run.with_code("copy-product");
    assert_eq!(warnings.len(), 1, "{:#?}", run.analysis.diagnostics);
    assert!(run.line_of(warnings[0]).contains("\"name\": \"accounts\""));
    // One account per spoke stands for its loop, its name unknown.
    assert_eq!(run.storage_accounts(), 800);
}

#[test]
fn a_copy_loop_over_large_values_stops_at_the_size_limit() {
    // 800 rows of 100,000 numbers: the loop stops once its value outgrows the size
    // limit, instead of building every row and running out of evaluation steps.
    let variables =
        r#""copy": [ { "name": "grid", "count": 800, "input": "[range(0, 100000)]" } ]"#;
    let resource = storage("st", "", r#", "grid": "[variables('grid')]""#);
    let (run, _dir) = analyze(&[("rows.json".into(), template(variables, &resource))]);
    assert!(
        run.with_code("evaluation-budget").is_empty(),
        "{:#?}",
        run.analysis.diagnostics
    );
    let [warning] = run.with_code("size-limit")[..] else {
        panic!("one warning: {:#?}", run.analysis.diagnostics);
    };
    assert!(
        run.line_of(warning).contains("\"name\": \"grid\""),
        "{}",
        run.line_of(warning)
    );
}

#[test]
fn a_module_loop_deploying_too_many_resources_stops_at_the_resource_budget() {
    // 800 deployments of two loops of 100 accounts: 160,000 accounts, past the budget of
    // 100,000, while each loop's product (80,000) stays within its own limit.
    let looped = |name: &str| {
        storage(
            &format!("[concat('{name}', copyIndex())]"),
            &format!(
                r#"
      "copy": {{ "name": "{name}", "count": 100 }},"#
            ),
            "",
        )
    };
    let inner = template("", &[looped("a"), looped("b")].join(","));
    let deployment = format!(
        r#"{{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "[concat('spoke', copyIndex())]",
      "copy": {{ "name": "spokes", "count": 800 }},
      "properties": {{
        "mode": "Incremental",
        "expressionEvaluationOptions": {{ "scope": "inner" }},
        "template": {inner}
      }}
    }}"#
    );
    let (run, _dir) = analyze(&[("many.json".into(), template("", &deployment))]);
    assert!(run.with_code("copy-product").is_empty());
    let warnings = run.with_code("expansion-budget");
    assert!(!warnings.is_empty(), "{:#?}", run.analysis.diagnostics);
    assert!(
        warnings[0].message.contains("100000 resources"),
        "{:?}",
        warnings[0]
    );
    assert!(warnings[0].path.ends_with("many.json"));
    assert_eq!(run.storage_accounts(), 100_000);
}
