//! The SARIF log against the SARIF 2.1.0 schema (offline, with the copy vendored beside this
//! file), and the properties code scanning relies on: rule indices, 1-based code-point
//! columns, fingerprints, a region on every location.
//!
//! Set `ISOLINT_SARIF_OUT=path.sarif` to also write the fixture's log there, for
//! `scripts/sarif-validate.sh`.

mod common;

use isolint_model::SourceMap;
use isolint_output::{Format, Report, TextOptions, render};
use serde_json::Value;

#[expect(
    clippy::expect_used,
    reason = "a test helper: failing loudly is the point"
)]
fn schema_validator() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sarif-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("the vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

#[expect(
    clippy::expect_used,
    reason = "a test helper: failing loudly is the point"
)]
fn assert_valid(sarif: &str) -> Value {
    let log: Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    let validator = schema_validator();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} schema errors:\n{}\n\n{sarif}",
        errors.len(),
        errors.join("\n")
    );
    log
}

fn fixture_sarif() -> (common::Fixture, String) {
    let fixture = common::fixture();
    let sarif = render(Format::Sarif, &fixture.report(), &TextOptions::default());
    (fixture, sarif)
}

#[test]
fn the_fixture_log_is_valid_sarif() {
    let (_, sarif) = fixture_sarif();
    assert_valid(&sarif);
    if let Some(path) = std::env::var_os("ISOLINT_SARIF_OUT") {
        std::fs::write(&path, &sarif).expect("write ISOLINT_SARIF_OUT");
    }
}

#[test]
fn suppressed_findings_are_results_with_suppressions() {
    let fixture = common::fixture();
    let suppressed = [
        isolint_rules::Suppressed {
            finding: fixture.findings[0].clone(),
            kind: isolint_rules::SuppressionKind::InSource,
            justification: "legacy workspace, approved (until 2027-01-31)".to_owned(),
        },
        isolint_rules::Suppressed {
            finding: fixture.findings[1].clone(),
            kind: isolint_rules::SuppressionKind::External,
            justification: "no reason given".to_owned(),
        },
    ];
    let report = Report {
        findings: &fixture.findings[2..],
        suppressed: &suppressed,
        ..fixture.report()
    };
    let log = assert_valid(&render(Format::Sarif, &report, &TextOptions::default()));
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), 3);
    assert!(results[0].get("suppressions").is_none());
    assert_eq!(results[1]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        results[1]["suppressions"][0]["justification"],
        "legacy workspace, approved (until 2027-01-31)"
    );
    assert_eq!(results[2]["suppressions"][0]["kind"], "external");
}

#[test]
fn an_empty_log_is_valid_sarif() {
    let sources = SourceMap::new();
    let report = Report {
        findings: &[],
        diagnostics: &[],
        sources: &sources,
        files: 0,
        rules: isolint_rules::RULES,
        suppressed: &[],
    };
    let log = assert_valid(&render(Format::Sarif, &report, &TextOptions::default()));
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(
        driver["rules"].as_array().map(Vec::len),
        Some(isolint_rules::RULES.len()),
        "every rule that ran is listed, even without results"
    );
}

#[test]
fn the_schema_rejects_a_broken_log() {
    // The validator must not pass everything: a result without a message is invalid.
    let (_, sarif) = fixture_sarif();
    let mut log: Value = serde_json::from_str(&sarif).unwrap();
    log["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    log["runs"][0]["results"][1]["level"] = Value::from("fatal");
    // Formats are checked too: a raw space is not allowed in a URI reference.
    log["runs"][0]["artifacts"][1]["location"]["uri"] = Value::from("modules/ai hub/hub.bicep");
    let errors: Vec<String> = schema_validator()
        .iter_errors(&log)
        .map(|e| e.instance_path().to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "/runs/0/artifacts/1/location/uri",
            "/runs/0/results/0",
            "/runs/0/results/1/level"
        ],
        "{errors:?}"
    );
}

#[test]
fn results_point_at_their_rules_and_regions() {
    let (fixture, sarif) = fixture_sarif();
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let artifacts = run["artifacts"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), fixture.findings.len());

    for (result, finding) in results.iter().zip(&fixture.findings) {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["ruleId"], finding.rule.id);
        assert_eq!(result["level"], finding.level.as_str());
        assert_eq!(
            result["partialFingerprints"]["isolint/v1"],
            finding.fingerprint().as_str()
        );
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            finding.resource.qualified_name.as_str()
        );

        let file = fixture.sources.get(finding.span.file).unwrap();
        let physical = &result["locations"][0]["physicalLocation"];
        let artifact =
            usize::try_from(physical["artifactLocation"]["index"].as_u64().unwrap()).unwrap();
        assert_eq!(
            artifacts[artifact]["location"]["uri"],
            physical["artifactLocation"]["uri"]
        );
        // Columns are 1-based and count code points, from an independent computation.
        let start = finding.span.start as usize;
        let line_start = file.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = file.text[..start].matches('\n').count() + 1;
        let column = file.text[line_start..start].chars().count() + 1;
        let region = &physical["region"];
        assert_eq!(region["startLine"].as_u64(), Some(line as u64));
        assert_eq!(region["startColumn"].as_u64(), Some(column as u64));
        let end = finding.span.end as usize;
        let end_column = column + file.text[start..end].chars().count();
        assert_eq!(region["endColumn"].as_u64(), Some(end_column as u64));
    }

    // The non-ASCII line: `é` and `–` sit before the value, so bytes and code points differ.
    let error = results.iter().find(|r| r["level"] == "error").unwrap();
    assert_eq!(
        error["locations"][0]["physicalLocation"]["region"]["startColumn"],
        77
    );
}

/// Every location in the log, results' and notifications', with a path.
#[expect(
    clippy::unwrap_used,
    reason = "a test helper: failing loudly is the point"
)]
fn physical_locations(log: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let run = &log["runs"][0];
    for result in run["results"].as_array().unwrap() {
        for key in ["locations", "relatedLocations"] {
            for location in result[key].as_array().into_iter().flatten() {
                out.push(&location["physicalLocation"]);
            }
        }
    }
    for notification in run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
    {
        for location in notification["locations"].as_array().unwrap() {
            out.push(&location["physicalLocation"]);
        }
    }
    out
}

#[test]
fn no_location_is_unknown_or_absolute() {
    let (_, sarif) = fixture_sarif();
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let locations = physical_locations(&log);
    assert_eq!(locations.len(), 9);
    let mut with_region = 0;
    for physical in locations {
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.is_empty() && !uri.starts_with('/') && !uri.contains(' '),
            "{uri}"
        );
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        if let Some(region) = physical.get("region") {
            with_region += 1;
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(
                    region[key].as_u64().is_some_and(|n| n >= 1),
                    "{key}: {region}"
                );
            }
        }
    }
    // Only the diagnostics without a span (io-error, module-not-followed) lack a region.
    assert_eq!(with_region, 7);
    assert!(
        !sarif.contains("Unknown"),
        "an unresolved position leaked into the log"
    );
    assert!(!sarif.contains("TimeUtc"), "no timestamps");
}

#[test]
fn diagnostics_become_notifications() {
    let (_, sarif) = fixture_sarif();
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let codes: Vec<&str> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["descriptor"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["io-error", "module-not-followed", "parse-error"]);

    // Warnings and notes alone do not make the run unsuccessful.
    let mut fixture = common::fixture();
    fixture
        .diagnostics
        .retain(|d| d.severity != isolint_model::Severity::Error);
    let sarif = render(Format::Sarif, &fixture.report(), &TextOptions::default());
    let log = assert_valid(&sarif);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn a_finding_whose_rule_did_not_run_still_gets_a_rule_entry() {
    let mut fixture = common::fixture();
    fixture.rules.clear();
    let sarif = render(Format::Sarif, &fixture.report(), &TextOptions::default());
    let log = assert_valid(&sarif);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), 1);
    assert!(
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["ruleIndex"] == 0)
    );
}
