//! A small hand-built report shared by the output tests: two templates, three findings
//! (error, warning, note; a label in the same file and one in another file) and three input
//! diagnostics (with a span, without a span, in a file that was never read).

use std::path::Path;
use std::sync::Arc;

use isolint_model::{Diagnostic, FileId, SourceMap, Span};
use isolint_rules::{Finding, Label, Level, ResourceIdentity, Rule, find_rule};

/// An ARM template. Line 9 holds a non-ASCII character (`é`, two bytes; `–`, three bytes)
/// before the flagged value, so byte and character columns differ.
pub(crate) const WORKSPACE_JSON: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {
    "access": { "type": "string", "defaultValue": "Enabled" }
  },
  "resources": [
    {
      "type": "Microsoft.MachineLearningServices/workspaces", "name": "mlw",
      "properties": { "friendlyName": "Réseau – ML", "publicNetworkAccess": "[parameters('access')]" }
    }
  ]
}
"#;

/// A Bicep module in a folder whose name needs percent-encoding in a URI.
pub(crate) const HUB_BICEP: &str = "\
param location string = resourceGroup().location
param kind string

resource hub 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub-ü'
  location: location
  kind: kind
  properties: {
    allowPublicAccessWhenBehindVnet: true
  }
}
";

/// A file that does not parse.
pub(crate) const BROKEN_JSON: &str = "{\n  \"resources\": [\n    { \"type\": \"x\", }\n  ]\n}\n";

/// Everything a [`isolint_output::Report`] borrows.
pub(crate) struct Fixture {
    pub(crate) sources: SourceMap,
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) rules: Vec<&'static Rule>,
}

impl Fixture {
    /// The report over this fixture.
    pub(crate) fn report(&self) -> isolint_output::Report<'_> {
        isolint_output::Report {
            findings: &self.findings,
            diagnostics: &self.diagnostics,
            sources: &self.sources,
            files: self.sources.files().len(),
            rules: &self.rules,
            suppressed: &[],
        }
    }
}

/// The span of the `nth` (0-based) occurrence of `needle` in `text`.
#[expect(clippy::panic, reason = "a test helper: failing loudly is the point")]
pub(crate) fn span_of(file: FileId, text: &str, needle: &str, nth: usize) -> Span {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` not in the fixture"))
        .0;
    Span::new(file, start, start + needle.len())
}

#[expect(
    clippy::expect_used,
    reason = "a test helper: failing loudly is the point"
)]
pub(crate) fn aml001() -> &'static Rule {
    find_rule("AML001").expect("AML001 is registered")
}

pub(crate) fn fixture() -> Fixture {
    let sources = SourceMap::new();
    let ws = sources.add(
        Path::new("templates/workspace.json"),
        Arc::from(WORKSPACE_JSON),
    );
    let hub = sources.add(Path::new("modules/ai hub/hub.bicep"), Arc::from(HUB_BICEP));
    let broken = sources.add(Path::new("templates/broken.json"), Arc::from(BROKEN_JSON));
    let rule = aml001();
    let ws_type: Arc<str> = Arc::from("Microsoft.MachineLearningServices/workspaces");

    let mlw = ResourceIdentity {
        ty: Arc::clone(&ws_type),
        name: "mlw".to_owned(),
        qualified_name: "Microsoft.MachineLearningServices/workspaces/mlw".to_owned(),
        identity: "Microsoft.MachineLearningServices/workspaces/mlw".to_owned(),
        declaration: span_of(ws.id, WORKSPACE_JSON, "\"type\": \"Microsoft.Machine", 0),
    };
    let hub_identity = ResourceIdentity {
        ty: Arc::clone(&ws_type),
        name: "hub-ü".to_owned(),
        qualified_name: "Microsoft.MachineLearningServices/workspaces/'hub-ü'".to_owned(),
        identity: "main::hub::Microsoft.MachineLearningServices/workspaces/'hub-ü'".to_owned(),
        declaration: span_of(hub.id, HUB_BICEP, "resource hub", 0),
    };

    let mut findings = vec![
        // A known-bad value decided by a parameter default in the same file.
        Finding {
            rule,
            level: Level::Error,
            message: "workspace `mlw` accepts public network traffic: `publicNetworkAccess` is \
                      `Enabled` (with the default of parameter `access`)"
                .to_owned(),
            help: Some(
                r#"set "publicNetworkAccess": "Disabled" in the workspace's properties"#.to_owned(),
            ),
            span: span_of(ws.id, WORKSPACE_JSON, "\"[parameters('access')]\"", 0),
            labels: vec![Label {
                span: span_of(ws.id, WORKSPACE_JSON, "\"Enabled\"", 0),
                message: "default of `access`".to_owned(),
            }],
            resource: mlw,
            property: "properties.publicNetworkAccess".to_owned(),
            unresolved: false,
            fix: None,
        },
        // A finding configured down to a warning, with a label in another file.
        Finding {
            rule,
            level: Level::Warning,
            message: "workspace `hub-ü` accepts public network traffic: \
                      `allowPublicAccessWhenBehindVnet` is `true`"
                .to_owned(),
            help: Some(
                "remove `allowPublicAccessWhenBehindVnet` (or set it to `false`) and set \
                 `publicNetworkAccess: 'Disabled'`"
                    .to_owned(),
            ),
            span: span_of(
                hub.id,
                HUB_BICEP,
                "allowPublicAccessWhenBehindVnet: true",
                0,
            ),
            labels: vec![
                Label {
                    span: span_of(hub.id, HUB_BICEP, "resource hub", 0),
                    message: "the workspace".to_owned(),
                },
                Label {
                    span: span_of(ws.id, WORKSPACE_JSON, "\"name\": \"mlw\"", 0),
                    message: "deployed beside `mlw`".to_owned(),
                },
            ],
            resource: hub_identity.clone(),
            property: "properties.allowPublicAccessWhenBehindVnet".to_owned(),
            unresolved: false,
            fix: None,
        },
        // A `--strict` note: the answer depends on a parameter without a value.
        Finding {
            rule,
            level: Level::Note,
            message: "workspace `hub-ü`: `kind` depends on parameter `kind`, which has no \
                      value; isolint cannot tell whether `publicNetworkAccess` defaults to \
                      `Enabled`"
                .to_owned(),
            help: None,
            span: span_of(hub.id, HUB_BICEP, "kind: kind", 0),
            labels: Vec::new(),
            resource: hub_identity,
            property: "kind".to_owned(),
            unresolved: true,
            fix: None,
        },
    ];
    isolint_rules::sort_findings(&mut findings, &sources);

    // Out of order on purpose: renderers sort diagnostics themselves.
    let diagnostics = vec![
        Diagnostic::error(
            "io-error",
            "cannot read file: permission denied",
            "infra/secret.tf",
        ),
        Diagnostic::error(
            "parse-error",
            "trailing comma before `}`",
            "templates/broken.json",
        )
        .at(span_of(broken.id, BROKEN_JSON, ",", 0))
        .with_help("remove the comma"),
        Diagnostic::note(
            "module-not-followed",
            "registry module `br:mcr.microsoft.com/bicep/avm/res/network/private-endpoint:0.7.0` \
             was not followed: its outputs are unknown",
            "modules/ai hub/hub.bicep",
        ),
    ];

    // Only the rules the findings use, so that adding a rule to the registry does not
    // change these snapshots.
    let mut rules: Vec<&'static Rule> = findings.iter().map(|f| f.rule).collect();
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);
    Fixture {
        sources,
        findings,
        diagnostics,
        rules,
    }
}
