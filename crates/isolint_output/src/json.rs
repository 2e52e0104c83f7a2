//! The JSON format: a stable document (version 1) of findings, diagnostics and a summary,
//! documented field by field in `docs/output.md`. Keys come out in declaration order.

use isolint_model::{Position, Span};
use isolint_rules::{Finding, Level, ResourceIdentity, Rule};
use serde::Serialize;

use crate::Report;
use crate::location::{Located, PlacedDiagnostic, locate, placed_diagnostics, severity_name};

/// The document's format version: bumped only when a field changes meaning or disappears
/// (new fields may appear without a bump).
const FORMAT_VERSION: u32 = 1;

/// Pretty-printed, with a trailing newline.
pub(crate) fn render(report: &Report<'_>) -> String {
    let document = Document::new(report);
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_else(|error| {
        // Serializing plain structs of strings and numbers cannot fail; if it ever does,
        // still hand back valid JSON that says so.
        serde_json::json!({ "version": FORMAT_VERSION, "error": error.to_string() }).to_string()
    });
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
    /// Findings a suppression hides; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressed: Vec<JsonSuppressed<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    suppression: JsonSuppression<'a>,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

/// The tool that wrote a document: how isolint recognises its own output in a folder it
/// reads (the isolation report carries it too).
#[derive(Serialize)]
pub(crate) struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Tool {
    /// isolint, at this version.
    pub(crate) const ISOLINT: Self = Self {
        name: "isolint",
        version: env!("CARGO_PKG_VERSION"),
    };
}

/// A finding as the JSON format writes it (the isolation report's reasons too).
#[derive(Serialize)]
pub(crate) struct JsonFinding<'a> {
    rule: RuleRef,
    level: Level,
    message: &'a str,
    help: Option<&'a str>,
    location: Option<Location>,
    labels: Vec<JsonLabel<'a>>,
    resource: Resource<'a>,
    property: &'a str,
    fingerprint: String,
    unresolved: bool,
}

/// A rule, by ID and name.
#[derive(Serialize)]
pub(crate) struct RuleRef {
    id: &'static str,
    name: &'static str,
}

impl From<&Rule> for RuleRef {
    fn from(rule: &Rule) -> Self {
        Self {
            id: rule.id,
            name: rule.name,
        }
    }
}

/// A range in a file: `{ "path", "start", "end" }`.
#[derive(Serialize)]
pub(crate) struct Location {
    path: String,
    start: Position,
    end: Position,
}

impl Location {
    /// Where `at` is, with the file shown as `path`.
    pub(crate) fn new(at: &Located, path: String) -> Self {
        Self {
            path,
            start: at.start,
            end: at.end,
        }
    }
}

impl From<Located> for Location {
    fn from(at: Located) -> Self {
        Self::new(&at, at.path().to_owned())
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    location: Option<Location>,
}

/// The resource a finding is about.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Resource<'a> {
    #[serde(rename = "type")]
    ty: &'a str,
    name: &'a str,
    qualified_name: &'a str,
}

impl<'a> From<&'a ResourceIdentity> for Resource<'a> {
    fn from(resource: &'a ResourceIdentity) -> Self {
        Self {
            ty: &resource.ty,
            name: &resource.name,
            qualified_name: &resource.qualified_name,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize, Default)]
struct Summary {
    errors: usize,
    warnings: usize,
    notes: usize,
    diagnostics: usize,
}

impl<'a> Document<'a> {
    fn new(report: &Report<'a>) -> Self {
        let mut summary = Summary {
            diagnostics: report.diagnostics.len(),
            ..Summary::default()
        };
        for finding in report.findings {
            match finding.level {
                Level::Error => summary.errors += 1,
                Level::Warning => summary.warnings += 1,
                Level::Note => summary.notes += 1,
            }
        }
        let place = |span| locate(report.sources, span).map(Location::from);
        Self {
            version: FORMAT_VERSION,
            tool: Tool::ISOLINT,
            findings: report
                .findings
                .iter()
                .map(|finding| JsonFinding::new(finding, &place))
                .collect(),
            diagnostics: placed_diagnostics(report.sources, report.diagnostics)
                .into_iter()
                .map(JsonDiagnostic::from)
                .collect(),
            summary,
            suppressed: report
                .suppressed
                .iter()
                .map(|hidden| JsonSuppressed {
                    finding: JsonFinding::new(&hidden.finding, &place),
                    suppression: JsonSuppression {
                        kind: hidden.kind.as_sarif(),
                        justification: &hidden.justification,
                    },
                })
                .collect(),
        }
    }
}

impl<'a> JsonFinding<'a> {
    /// `finding`, its spans placed by `place`.
    pub(crate) fn new(finding: &'a Finding, place: &dyn Fn(Span) -> Option<Location>) -> Self {
        Self {
            rule: RuleRef::from(finding.rule),
            level: finding.level,
            message: &finding.message,
            help: finding.help.as_deref(),
            location: place(finding.span),
            labels: finding
                .labels
                .iter()
                .map(|label| JsonLabel {
                    message: &label.message,
                    location: place(label.span),
                })
                .collect(),
            resource: Resource::from(&finding.resource),
            property: &finding.property,
            fingerprint: finding.fingerprint(),
            unresolved: finding.unresolved,
        }
    }
}

impl<'a> From<PlacedDiagnostic<'a>> for JsonDiagnostic<'a> {
    fn from(placed: PlacedDiagnostic<'a>) -> Self {
        let diagnostic = placed.diagnostic;
        Self {
            severity: severity_name(diagnostic.severity),
            code: diagnostic.code,
            message: &diagnostic.message,
            path: placed.path,
            location: placed.location.map(Location::from),
            help: diagnostic.help.as_deref(),
        }
    }
}
