//! Bad plans: each gives a located diagnostic or is read as far as it makes sense, never a
//! panic, a hang or unbounded work. Also what is and is not recognised as a plan.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use isolint_model::{Analysis, Diagnostic, Model, Severity, SourceMap};
use isolint_terraform::plan;

/// Reads `text` as the plan `plan.json`.
fn read(text: &str) -> (Analysis, SourceMap) {
    let sources = SourceMap::new();
    let file = sources.add(Path::new("plan.json"), text.into());
    let analysis = match isolint_json::parse(&file) {
        Ok(json) => plan::read(&json, &file),
        Err(diagnostic) => Analysis {
            diagnostics: vec![diagnostic],
            ..Analysis::default()
        },
    };
    (analysis, sources)
}

/// The one error of `analysis`, with the text it points at.
fn error<'a>(analysis: &'a Analysis, sources: &SourceMap) -> (&'a Diagnostic, String) {
    let errors: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", analysis.diagnostics);
    let error = errors[0];
    let span = error.span.expect("located");
    let file = sources.get(span.file).expect("the plan");
    (error, file.slice(span).to_owned())
}

#[test]
fn format_versions_other_than_1_x_are_located_errors_naming_the_version() {
    for (version, shown) in [
        ("\"0.2\"", "`0.2`"),
        ("\"2.0\"", "`2.0`"),
        ("\"1\"", "`1`"),
        ("1.2", "that is not a string"),
    ] {
        let text = format!(
            "{{\"format_version\": {version}, \"terraform_version\": \"1.9.5\", \"planned_values\": {{}}}}"
        );
        let (analysis, sources) = read(&text);
        let (error, at) = error(&analysis, &sources);
        assert_eq!(error.code, "plan-format-version");
        assert!(error.message.contains(shown), "{}", error.message);
        assert!(at.starts_with("\"format_version\""), "{at}");
        assert!(analysis.resources.is_empty());
    }
    for version in ["1.0", "1.1", "1.2", "1.7"] {
        let text = format!("{{\"format_version\": \"{version}\", \"planned_values\": {{}}}}");
        let (analysis, _) = read(&text);
        assert!(
            analysis.diagnostics.is_empty(),
            "{version}: {:?}",
            analysis.diagnostics
        );
    }
}

#[test]
fn what_is_not_a_plan_is_said_so() {
    let state =
        r#"{"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {}}}"#;
    let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#;
    for text in [state, template, "[]", "\"plan\"", "{}"] {
        let sources = SourceMap::new();
        let file = sources.add(Path::new("x.json"), text.into());
        let json = isolint_json::parse(&file).expect("valid JSON");
        assert!(!plan::detect(&json), "{text}");
        let analysis = plan::read(&json, &file);
        let (error, _) = error(&analysis, &sources);
        assert_eq!(error.code, "not-a-plan", "{text}");
    }
    let (analysis, sources) = read("{\"format_version\": \"1.2\", \"planned_values\": ");
    let (error, _) = error(&analysis, &sources);
    assert_eq!(error.code, "parse-error");
}

#[test]
fn plans_are_recognised_by_content_whatever_their_version() {
    for text in [
        r#"{"format_version": "1.2", "planned_values": {}}"#,
        r#"{"format_version": "2.0", "resource_changes": []}"#,
        r#"{"format_version": "0.1", "planned_values": {"root_module": {}}}"#,
    ] {
        let sources = SourceMap::new();
        let file = sources.add(Path::new("whatever.txt"), text.into());
        let json = isolint_json::parse(&file).expect("valid JSON");
        assert!(plan::detect(&json), "{text}");
    }
}

#[test]
fn members_of_the_wrong_shape_are_skipped_without_a_panic() {
    let texts = [
        r#"{"format_version": "1.2", "planned_values": []}"#,
        r#"{"format_version": "1.2", "planned_values": {"root_module": "x"}}"#,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": {}, "child_modules": 3}}}"#,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [1, null, {"address": 5}]}}}"#,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"address": "not a module"}, {"address": "module.a", "resources": [
            {"address": "module.a.azurerm_storage_account.s", "mode": "managed", "type": "azurerm_storage_account", "name": "s", "values": "text"}]}]}},
          "resource_changes": {"address": 1}, "configuration": []}"#,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
            {"address": "azurerm_storage_account.s", "mode": "managed", "type": "azurerm_storage_account", "name": "s",
             "values": {"name": 7, "network_rules": [[1], {"x": []}], "public_network_access_enabled": "yes"}}]}},
          "resource_changes": [{"address": "azurerm_storage_account.s", "change": {"after_unknown": {"name": [true], "network_rules": 3, "tags": true}}}],
          "configuration": {"provider_config": [], "root_module": {"resources": [
            {"address": "azurerm_storage_account.s", "mode": "managed", "expressions": {"tags": {"references": [1, "var", "azurerm_x", "azurerm_x.y[", "module.m"]}}}],
            "module_calls": []}}}"#,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
            {"address": "azapi_resource.w", "mode": "managed", "type": "azapi_resource", "name": "w",
             "values": {"type": "Microsoft.MachineLearningServices/workspaces@2024-10-01", "name": "w", "body": "{not json"}}]}}}"#,
    ];
    for text in texts {
        let (analysis, _) = read(text);
        assert!(
            analysis
                .diagnostics
                .iter()
                .all(|d| d.severity != Severity::Error),
            "{text}: {:?}",
            analysis.diagnostics
        );
        let model = Model::new(analysis.resources);
        let _ = isolint_rules::check(&model, &isolint_rules::Options::default());
    }
}

#[test]
fn references_in_a_cycle_end() {
    // Each compute's workspace is the other compute: their IDs depend on each other.
    let text = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {"resources": [
        {"address": "azurerm_machine_learning_compute_cluster.a", "mode": "managed", "type": "azurerm_machine_learning_compute_cluster", "name": "a", "values": {"name": "a"}},
        {"address": "azurerm_machine_learning_compute_cluster.b", "mode": "managed", "type": "azurerm_machine_learning_compute_cluster", "name": "b", "values": {"name": "b"}}]}},
      "resource_changes": [
        {"address": "azurerm_machine_learning_compute_cluster.a", "change": {"after_unknown": {"machine_learning_workspace_id": true}}},
        {"address": "azurerm_machine_learning_compute_cluster.b", "change": {"after_unknown": {"machine_learning_workspace_id": true}}}],
      "configuration": {"root_module": {"resources": [
        {"address": "azurerm_machine_learning_compute_cluster.a", "mode": "managed", "expressions": {"machine_learning_workspace_id": {"references": ["azurerm_machine_learning_compute_cluster.b.id"]}}},
        {"address": "azurerm_machine_learning_compute_cluster.b", "mode": "managed", "expressions": {"machine_learning_workspace_id": {"references": ["azurerm_machine_learning_compute_cluster.a.id"]}}}]}}}"#;
    let (analysis, _) = read(text);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    assert_eq!(analysis.resources.len(), 2);
}

/// `depth` modules, each calling the next, the innermost holding a workspace.
fn nested_modules(depth: usize) -> String {
    let mut address = String::new();
    let mut planned = String::from("{\"address\": \"\", \"resources\": []}");
    let mut addresses = Vec::new();
    for level in 0..depth {
        if !address.is_empty() {
            address.push('.');
        }
        let _ = write!(address, "module.m{level}");
        addresses.push(address.clone());
    }
    for (level, address) in addresses.iter().enumerate().rev() {
        let resources = if level + 1 == depth {
            format!(
                "[{{\"address\": \"{address}.azurerm_machine_learning_workspace.w\", \"mode\": \"managed\", \"type\": \"azurerm_machine_learning_workspace\", \"name\": \"w\", \"values\": {{\"name\": \"deep\", \"public_network_access_enabled\": true}}}}]"
            )
        } else {
            "[]".to_owned()
        };
        let children = if level + 1 == depth {
            String::from("[]")
        } else {
            format!("[{planned}]")
        };
        planned = format!(
            "{{\"address\": \"{address}\", \"resources\": {resources}, \"child_modules\": {children}}}"
        );
    }
    format!(
        "{{\"format_version\": \"1.2\", \"planned_values\": {{\"root_module\": {{\"child_modules\": [{planned}]}}}}}}"
    )
}

#[test]
fn deep_module_nesting_is_read_up_to_a_bound() {
    let (analysis, _) = read(&nested_modules(20));
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    assert_eq!(analysis.resources.len(), 1);
    let resource = &analysis.resources[0];
    assert_eq!(resource.origin.module_path.len(), 20);
    assert!(
        resource
            .origin
            .address
            .as_deref()
            .is_some_and(|a| a.starts_with("module.m0.module.m1.")),
        "{:?}",
        resource.origin.address
    );
    // Deeper than the reader goes: a warning, and nothing below is read. Deeper still,
    // the JSON reader's nesting limit says so at its line and column.
    let started = Instant::now();
    let (analysis, _) = read(&nested_modules(70));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(analysis.resources.is_empty());
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "plan-module-depth" && d.span.is_some()),
        "{:?}",
        analysis.diagnostics
    );
    let (analysis, _) = read(&nested_modules(200));
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "parse-error" && d.span.is_some()),
        "{:?}",
        analysis.diagnostics
    );
}

#[test]
fn deeply_nested_values_do_not_overflow_the_stack() {
    let depth = 240;
    let body = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    let unknown = format!("{}true{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    let text = format!(
        r#"{{"format_version": "1.2",
          "planned_values": {{"root_module": {{"resources": [
            {{"address": "azapi_resource.w", "mode": "managed", "type": "azapi_resource", "name": "w",
              "values": {{"type": "Microsoft.MachineLearningServices/workspaces@2024-10-01", "name": "w", "body": {body}}}}}]}}}},
          "resource_changes": [{{"address": "azapi_resource.w", "change": {{"after_unknown": {{"tags": {unknown}}}}}}}]}}"#
    );
    let (analysis, _) = read(&text);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    assert_eq!(analysis.resources.len(), 1);
}
