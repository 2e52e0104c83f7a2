//! The `Rule` declaration: metadata, documentation and a check function in one value.

use std::fmt;

use isolint_model::ResourceRef;

use crate::context::Cx;
use crate::help::Help;

/// How serious a finding is. Users can change a rule's level; a finding's level is SARIF's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; never fails a run.
    Note,
    /// Should be fixed.
    Warning,
    /// Breaks network isolation.
    Error,
}

impl Level {
    /// The lowercase name (`error`), as SARIF and the CLI spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule protects: the part of an isolated deployment its findings are about.
/// Reports group rules by it, so a new rule is never left out of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protects {
    /// The workspace's own network settings (`AML0xx`).
    Workspace,
    /// A dependency the workspace links: storage, key vault, registry, Application
    /// Insights (`AML1xx`).
    Dependency,
    /// Compute clusters and instances (`AML2xx`).
    Compute,
    /// Organisation policy on workspaces, such as required tags (`AML3xx`).
    Governance,
    /// What isolint could read: modules it could not follow (`COVxxx`). Not about a
    /// workspace.
    Coverage,
    /// The suppressions themselves (`SUPxxx`).
    Suppressions,
}

impl Protects {
    /// The lowercase name (`dependency`), as reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Workspace => "workspace",
            Self::Dependency => "dependency",
            Self::Compute => "compute",
            Self::Governance => "governance",
            Self::Coverage => "coverage",
            Self::Suppressions => "suppressions",
        }
    }
}

/// Where a rule stands in its life. IDs are permanent: a rule that is retired stays in the
/// registry as deprecated, so configurations and suppressions that name it keep working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "status")]
pub enum Status {
    /// Checked by default.
    Stable,
    /// New and still settling: checked by default, its findings may change.
    Preview,
    /// Retired: never runs; the rule that replaced it, if any, is named.
    Deprecated {
        /// The ID of the rule that took over.
        replaced_by: Option<&'static str>,
    },
}

impl Status {
    /// The lowercase name (`deprecated`), as the docs spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stable => "stable",
            Self::Preview => "preview",
            Self::Deprecated { .. } => "deprecated",
        }
    }
}

/// How a rule's findings weigh in a workspace's isolation verdict (`isolint report`). Every
/// rule says so explicitly, so a new rule cannot be left out of the verdict by accident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "weight", content = "group")]
pub enum Weight {
    /// A finding means the workspace is not isolated.
    Decisive,
    /// One of a set of alternatives, named by what they provide together: the workspace
    /// fails only when every rule of the set fires (a managed network *or* a private
    /// endpoint gives the workspace a private path).
    Alternative(&'static str),
    /// Counted in the compliance score, not in the verdict: worth fixing, but it opens no
    /// network path on its own.
    Advisory,
}

/// A rule: identity, default level, documentation, the resource types it inspects, and
/// the function that inspects one of them. Declared with [`declare_rule!`](crate::declare_rule).
#[derive(Debug)]
pub struct Rule {
    /// The permanent ID (`AML001`).
    pub id: &'static str,
    /// The kebab-case name of the problem (`workspace-public-network-access`).
    pub name: &'static str,
    /// The default level.
    pub level: Level,
    /// What the rule protects, for grouping in reports.
    pub protects: Protects,
    /// The isolint version that introduced the rule.
    pub since: &'static str,
    /// Stable, preview, or deprecated.
    pub status: Status,
    /// How its findings weigh in the isolation verdict of a workspace.
    pub weighs: Weight,
    /// The documentation, in Markdown, with the fixed headings `## What it does`,
    /// `## Why is this bad?`, `## How to fix` (and optionally `## Known limitations`,
    /// `## References`).
    pub docs: &'static str,
    /// Every help the rule's findings can carry, one [`Help`] per kind of finding: the one
    /// source of "what to write" for the findings, the generated docs and the tests.
    pub help: &'static [Help],
    /// The ARM types whose resources `check` is called with.
    pub targets: &'static [&'static str],
    /// Inspects one resource (with its index in the model's graph, which relations are
    /// asked by) and reports through the context.
    pub check: fn(ResourceRef<'_>, &mut Cx<'_>),
    /// The source file that declares the rule.
    pub source: &'static str,
}

impl Rule {
    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The body of the section under `## heading`, trimmed.
    pub fn section(&self, heading: &str) -> Option<String> {
        let docs = self.documentation();
        let marker = format!("## {heading}");
        let start = docs.lines().position(|l| l.trim() == marker)?;
        let body: Vec<&str> = docs
            .lines()
            .skip(start + 1)
            .take_while(|l| !l.starts_with("## "))
            .collect();
        Some(body.join("\n").trim().to_owned())
    }

    /// The first sentence of "What it does": SARIF's `shortDescription`.
    pub fn summary(&self) -> String {
        first_sentence(&self.section("What it does").unwrap_or_default())
    }

    /// Where the rule's documentation lives for this version of isolint.
    pub fn help_uri(&self) -> String {
        format!(
            "{}/blob/v{}/docs/rules/{}.md",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION"),
            self.id
        )
    }

    /// GitHub code scanning's `security-severity` (0-10) for the default level.
    pub fn security_severity(&self) -> &'static str {
        match self.level {
            Level::Error => "8.0",
            Level::Warning => "5.0",
            Level::Note => "2.0",
        }
    }

    /// Whether `selector` names this rule, by ID or by name (case-insensitively).
    pub fn is_named(&self, selector: &str) -> bool {
        self.id.eq_ignore_ascii_case(selector) || self.name.eq_ignore_ascii_case(selector)
    }
}

/// Declares a rule as a `static`, keeping its doc comment as data.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub static WORKSPACE_PUBLIC_NETWORK_ACCESS = Rule {
///         id: "AML001", name: "workspace-public-network-access",
///         level: Level::Error, protects: Protects::Workspace, since: "0.1.0",
///         status: Status::Stable, help: &[HELP], targets: &[ML_WORKSPACE], check,
///     };
/// }
/// const HELP: Help = Help { arm: "...", bicep: "...", terraform: "...", azapi: "..." };
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $static:ident = Rule { $($fields:tt)* };
    ) => {
        $(#[doc = $doc])*
        $vis static $static: $crate::Rule = $crate::Rule {
            docs: concat!($($doc, "\n"),*),
            source: file!(),
            $($fields)*
        };
    };
}

/// The first sentence of `markdown`, its line breaks made spaces: how [`Rule::summary`]
/// shortens a section (for a caller that already holds it).
pub fn first_sentence(markdown: &str) -> String {
    let flat = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..=end].to_owned(),
        None => flat,
    }
}
