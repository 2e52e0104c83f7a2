//! The SARIF 2.1.0 format (serde-sarif builders): one run with the rule table, one result
//! per finding, and input diagnostics as tool execution notifications. No timestamps and no
//! absolute paths of the machine that ran it, so the same report gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use isolint_model::{Severity, SourceMap};
use isolint_rules::{Finding, Level, Rule, Suppressed, first_sentence};
use serde_json::{Value, json};
use serde_sarif::sarif::{
    Artifact, ArtifactLocation, Invocation, Location, LogicalLocation, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, ReportingDescriptorReference,
    Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};

use crate::Report;
use crate::location::{Located, PlacedDiagnostic, locate, placed_diagnostics, severity_name};

/// The schema URL GitHub code scanning and editors recognise.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base every relative artifact URI is resolved against: the directory isolint ran in.
/// Its value is left out of the log (`originalUriBaseIds`), so the log does not depend on
/// the machine; consumers such as GitHub supply the checkout root.
const SRCROOT: &str = "%SRCROOT%";
/// The key of `partialFingerprints`: bump the version if the fingerprint recipe changes.
const FINGERPRINT_KEY: &str = "isolint/v1";
/// Tags on every rule (GitHub code scanning shows them and `security` marks security rules).
const TAGS: [&str; 4] = ["security", "azure", "machine-learning", "network-isolation"];

/// Pretty-printed, with a trailing newline.
pub(crate) fn render(report: &Report<'_>) -> String {
    render_log(&Builder::new(report, None))
}

/// The findings of a comparison with a base revision (`isolint diff`): `report`'s findings
/// are new, then come `baseline`'s unchanged and absent ones, each result with its
/// `baselineState`.
pub(crate) fn render_with_baseline(report: &Report<'_>, baseline: &Baseline<'_>) -> String {
    render_log(&Builder::new(report, Some(baseline)))
}

/// What a comparison adds to a report.
pub(crate) struct Baseline<'a> {
    /// Findings the base revision has too.
    pub(crate) unchanged: &'a [Finding],
    /// Findings of the base revision that are gone, located in `base_sources`.
    pub(crate) absent: &'a [Finding],
    /// The base revision's files.
    pub(crate) base_sources: &'a SourceMap,
}

fn render_log(builder: &Builder<'_, '_>) -> String {
    let log = builder.log();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|error| {
        // serde-sarif's structs hold strings, numbers and JSON values only: this cannot fail.
        // If it ever does, still hand back a valid, empty SARIF log.
        json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [],
                "properties": { "error": error.to_string() } })
        .to_string()
    });
    out.push('\n');
    out
}

struct Builder<'r, 'a> {
    report: &'r Report<'a>,
    /// Set for a comparison with a base revision: results then carry a `baselineState`.
    baseline: Option<&'r Baseline<'r>>,
    /// `tool.driver.rules`: the report's rules, then any rule of a finding they lack.
    rules: Vec<&'static Rule>,
    /// Every file read or named by a diagnostic, by display path, with its length in bytes
    /// when it was read; `run.artifacts` lists them in this order.
    artifacts: BTreeMap<String, Option<usize>>,
    /// The index of each of `artifacts` in `run.artifacts`.
    artifact_index: BTreeMap<String, i64>,
    diagnostics: Vec<PlacedDiagnostic<'r>>,
}

impl<'r, 'a> Builder<'r, 'a> {
    fn new(report: &'r Report<'a>, baseline: Option<&'r Baseline<'r>>) -> Self {
        let mut rules: Vec<&'static Rule> = Vec::new();
        let compared = baseline
            .iter()
            .flat_map(|b| b.unchanged.iter().chain(b.absent))
            .map(|f| f.rule);
        for rule in report
            .rules
            .iter()
            .copied()
            .chain(report.findings.iter().map(|f| f.rule))
            .chain(report.suppressed.iter().map(|s| s.finding.rule))
            .chain(compared)
        {
            if !rules.iter().any(|known| known.id == rule.id) {
                rules.push(rule);
            }
        }

        // Every file read, not only those with results: the artifacts then record what was
        // analysed (a clean run lists what it found clean), which is also what keeps the
        // array from being "location only" (multitool SARIF2004).
        let diagnostics = placed_diagnostics(report.sources, report.diagnostics);
        let mut artifacts: BTreeMap<String, Option<usize>> = BTreeMap::new();
        for file in report.sources.files() {
            artifacts.insert(file.name.clone(), Some(file.text.len()));
        }
        for placed in &diagnostics {
            artifacts.entry(placed.path.clone()).or_insert(None);
        }

        let artifact_index = artifacts.keys().cloned().zip(0..).collect();
        Self {
            report,
            baseline,
            rules,
            artifacts,
            artifact_index,
            diagnostics,
        }
    }

    fn log(&self) -> Sarif {
        let driver = ToolComponent::builder()
            .name("isolint")
            .version(env!("CARGO_PKG_VERSION"))
            .semantic_version(env!("CARGO_PKG_VERSION"))
            .information_uri(env!("CARGO_PKG_REPOSITORY"))
            .rules(
                self.rules
                    .iter()
                    .map(|rule| rule_descriptor(rule))
                    .collect::<Vec<_>>(),
            )
            .build();
        let run = Run::builder()
            .tool(Tool::builder().driver(driver).build())
            .invocations(vec![self.invocation()])
            .opt_artifacts(Some(self.artifact_list()).filter(|list| !list.is_empty()))
            .results(self.results())
            .column_kind(json!("unicodeCodePoints"))
            .build();
        Sarif::builder()
            .schema(SCHEMA)
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build()
    }

    /// The findings, then the suppressed ones; for a comparison, the new findings, then the
    /// unchanged and the absent ones, each with its `baselineState`.
    fn results(&self) -> Vec<SarifResult> {
        let sources = self.report.sources;
        let state = |name: &'static str| self.baseline.map(|_| name);
        let mut results: Vec<SarifResult> = self
            .report
            .findings
            .iter()
            .map(|finding| self.result(finding, None, sources, state("new")))
            .chain(
                self.report
                    .suppressed
                    .iter()
                    .map(|hidden| self.result(&hidden.finding, Some(hidden), sources, None)),
            )
            .collect();
        if let Some(baseline) = self.baseline {
            results.extend(
                baseline
                    .unchanged
                    .iter()
                    .map(|finding| self.result(finding, None, sources, Some("unchanged"))),
            );
            results.extend(
                baseline.absent.iter().map(|finding| {
                    self.result(finding, None, baseline.base_sources, Some("absent"))
                }),
            );
        }
        results
    }

    fn artifact_list(&self) -> Vec<Artifact> {
        self.artifacts
            .iter()
            .map(|(path, length)| {
                let (uri, base) = uri_reference(path);
                Artifact::builder()
                    .location(
                        ArtifactLocation::builder()
                            .uri(uri)
                            .opt_uri_base_id(base.map(str::to_owned))
                            .build(),
                    )
                    .opt_length(length.and_then(|n| i64::try_from(n).ok()))
                    .roles(vec![json!("analysisTarget")])
                    .build()
            })
            .collect()
    }

    /// A location in `path`, with the region when there is one.
    fn artifact_location(&self, path: &str) -> ArtifactLocation {
        let (uri, base) = uri_reference(path);
        ArtifactLocation::builder()
            .uri(uri)
            .opt_uri_base_id(base.map(str::to_owned))
            .opt_index(self.artifact_index.get(path).copied())
            .build()
    }

    fn physical_location(&self, at: &Located) -> PhysicalLocation {
        PhysicalLocation::builder()
            .artifact_location(self.artifact_location(at.path()))
            .region(
                Region::builder()
                    .start_line(i64::from(at.start.line))
                    .start_column(i64::from(at.start.column))
                    .end_line(i64::from(at.end.line))
                    .end_column(i64::from(at.end.column))
                    .build(),
            )
            .build()
    }

    /// A result, located in `sources`; a suppressed finding's carries `suppressions` with
    /// its justification, and one compared with a base revision its `baselineState`.
    fn result(
        &self,
        finding: &Finding,
        suppressed: Option<&Suppressed>,
        sources: &SourceMap,
        baseline_state: Option<&'static str>,
    ) -> SarifResult {
        let resource = &finding.resource;
        let logical = LogicalLocation::builder()
            .fully_qualified_name(resource.qualified_name.as_str())
            .name(resource.name.as_str())
            .kind("resource")
            .build();
        let location = Location::builder()
            .opt_physical_location(
                locate(sources, finding.span).map(|at| self.physical_location(&at)),
            )
            .logical_locations(vec![logical])
            .build();
        let related = finding
            .labels
            .iter()
            .zip(1..)
            .map(|(label, id)| {
                Location::builder()
                    .id(id)
                    .opt_physical_location(
                        locate(sources, label.span).map(|at| self.physical_location(&at)),
                    )
                    .message(Message::builder().text(label.message.as_str()).build())
                    .build()
            })
            .collect::<Vec<_>>();

        let mut properties = BTreeMap::new();
        properties.insert("resourceType".to_owned(), json!(&*resource.ty));
        properties.insert("property".to_owned(), json!(finding.property));
        if let Some(help) = &finding.help {
            properties.insert("help".to_owned(), json!(help));
        }
        if finding.unresolved {
            properties.insert("unresolved".to_owned(), json!(true));
        }

        SarifResult::builder()
            .rule_id(finding.rule.id)
            .opt_rule_index(
                self.rules
                    .iter()
                    .position(|rule| rule.id == finding.rule.id)
                    .and_then(|index| i64::try_from(index).ok()),
            )
            .level(match finding.level {
                Level::Error => ResultLevel::Error,
                Level::Warning => ResultLevel::Warning,
                Level::Note => ResultLevel::Note,
            })
            .message(Message::builder().text(finding.message.as_str()).build())
            .locations(vec![location])
            .opt_related_locations((!related.is_empty()).then_some(related))
            .partial_fingerprints(BTreeMap::from([(
                FINGERPRINT_KEY.to_owned(),
                finding.fingerprint(),
            )]))
            .properties(
                PropertyBag::builder()
                    .additional_properties(properties)
                    .build(),
            )
            .opt_baseline_state(baseline_state.map(|state| json!(state)))
            .opt_suppressions(suppressed.map(|hidden| {
                vec![
                    Suppression::builder()
                        .kind(json!(hidden.kind.as_sarif()))
                        .status(json!("accepted"))
                        .justification(hidden.justification.as_str())
                        .build(),
                ]
            }))
            .build()
    }

    fn invocation(&self) -> Invocation {
        let notifications = self
            .diagnostics
            .iter()
            .map(|placed| self.notification(placed))
            .collect::<Vec<_>>();
        let failed = self
            .diagnostics
            .iter()
            .any(|placed| placed.diagnostic.severity == Severity::Error);
        Invocation::builder()
            .execution_successful(!failed)
            .opt_tool_execution_notifications((!notifications.is_empty()).then_some(notifications))
            .build()
    }

    fn notification(&self, placed: &PlacedDiagnostic<'_>) -> Notification {
        let diagnostic = placed.diagnostic;
        let physical = match &placed.location {
            Some(at) => self.physical_location(at),
            None => PhysicalLocation::builder()
                .artifact_location(self.artifact_location(&placed.path))
                .build(),
        };
        let properties = diagnostic.help.as_ref().map(|help| {
            PropertyBag::builder()
                .additional_properties(BTreeMap::from([("help".to_owned(), json!(help))]))
                .build()
        });
        Notification::builder()
            .level(json!(severity_name(diagnostic.severity)))
            .message(Message::builder().text(diagnostic.message.as_str()).build())
            .descriptor(
                ReportingDescriptorReference::builder()
                    .id(diagnostic.code)
                    .build(),
            )
            .locations(vec![
                Location::builder().physical_location(physical).build(),
            ])
            .opt_properties(properties)
            .build()
    }
}

/// A rule's `reportingDescriptor`: everything from its one documentation comment.
fn rule_descriptor(rule: &Rule) -> ReportingDescriptor {
    let documentation = rule.documentation();
    let what = rule.section("What it does").unwrap_or_default();
    let summary = first_sentence(&what);
    let properties = BTreeMap::from([(
        "security-severity".to_owned(),
        Value::from(rule.security_severity()),
    )]);
    ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.name)
        .short_description(text(summary))
        .full_description(
            MultiformatMessageString::builder()
                .text(reflow(&what))
                .markdown(what.as_str())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(documentation.as_str())
                .markdown(documentation.as_str())
                .build(),
        )
        .help_uri(rule.help_uri())
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(rule.level.as_str()))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(TAGS.iter().map(|&tag| tag.to_owned()).collect::<Vec<_>>())
                .additional_properties(properties)
                .build(),
        )
        .build()
}

/// Markdown as plain text: the doc comment's hard line breaks inside a paragraph become
/// spaces (viewers wrap `text` themselves); blank lines and list items keep their breaks.
fn reflow(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = false;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            let list_item = trimmed.starts_with("- ") || trimmed.starts_with("* ");
            out.push_str(if blank {
                "\n\n"
            } else if list_item {
                "\n"
            } else {
                " "
            });
        }
        out.push_str(trimmed);
        blank = false;
    }
    out
}

fn text(text: String) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

/// The URI reference for a display path, and the base it is relative to: a relative path
/// stays relative to `%SRCROOT%`; an absolute one (a file outside the working directory)
/// becomes a `file:` URI. Characters a URI path may not hold are percent-encoded (UTF-8).
fn uri_reference(path: &str) -> (String, Option<&'static str>) {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    if path.starts_with('/') {
        (format!("file://{}", percent_encode(&path)), None)
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        // A Windows drive (`C:/...`): the colon must stay literal in a `file:` URI.
        let (drive, rest) = path.split_at(2);
        (format!("file:///{drive}{}", percent_encode(rest)), None)
    } else {
        (percent_encode(&path), Some(SRCROOT))
    }
}

/// Percent-encodes everything but RFC 3986 `pchar`s (minus `:`, which would read as a
/// scheme in a relative reference) and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflow_joins_paragraph_lines_only() {
        assert_eq!(
            reflow("One\ntwo.\n\nThree:\n- a\n  b\n- c\n"),
            "One two.\n\nThree:\n- a b\n- c"
        );
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri_reference("templates/my ws.json"),
            ("templates/my%20ws.json".to_owned(), Some(SRCROOT))
        );
        assert_eq!(
            uri_reference("a/100%/r\u{e9}seau#1?.bicep"),
            (
                "a/100%25/r%C3%A9seau%231%3F.bicep".to_owned(),
                Some(SRCROOT)
            )
        );
        assert_eq!(
            uri_reference("odd:name.tf"),
            ("odd%3Aname.tf".to_owned(), Some(SRCROOT))
        );
        assert_eq!(
            uri_reference("/srv/iac/main.tf"),
            ("file:///srv/iac/main.tf".to_owned(), None)
        );
        assert_eq!(
            uri_reference("C:\\iac\\main.tf"),
            ("file:///C:/iac/main.tf".to_owned(), None)
        );
    }
}
