//! A finding: what a rule reports, where, about which resource, with a stable fingerprint.

use std::fmt::Write as _;
use std::sync::Arc;

use isolint_model::{Decider, Provenance, Resource, Span, Syntax};

use crate::rule::{Level, Rule};
use crate::terms::input_noun;

/// A secondary location with a short message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// How safe it is to apply a [`Fix`] without a person reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Safety {
    /// The edit changes a literal value written where the finding points, in a file of the
    /// project: applied by `check --fix` and offered as an editor quick fix.
    Safe,
    /// The edit changes something other deployments may share (a parameter's or
    /// variable's default): applied only with `--unsafe-fixes`.
    Unsafe,
}

/// An edit that resolves a finding: replace the text at `span` with `replacement`, in the
/// syntax of the file the span is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the edit does, for a quick-fix menu and `--fix` output
    /// (`set publicNetworkAccess to 'Disabled'`).
    pub title: String,
    /// The text to replace (a value, never a whole declaration).
    pub span: Span,
    /// The new text.
    pub replacement: String,
    /// Whether it may be applied without review.
    pub safety: Safety,
}

/// The resource a finding is about, as output formats need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceIdentity {
    /// The full ARM type.
    pub ty: Arc<str>,
    /// The name for messages.
    pub name: String,
    /// Type and name as written (SARIF `fullyQualifiedName`).
    pub qualified_name: String,
    /// Module path, type and name as written: stable across edits.
    pub identity: String,
    /// The first declaration of the resource.
    pub declaration: Span,
}

impl ResourceIdentity {
    /// The module instance the resource is deployed through, outermost call first
    /// (`ws-one`, `module.aml["x"] > module.st`); empty at a root.
    pub fn module_path(&self) -> String {
        let modules = self
            .identity
            .strip_suffix(&self.qualified_name)
            .and_then(|path| path.strip_suffix("::"))
            .unwrap_or("");
        modules
            .split("::")
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>()
            .join(" > ")
    }

    /// The identity of `resource`.
    pub fn of(resource: &Resource) -> Self {
        Self {
            ty: Arc::clone(&resource.ty),
            name: resource.display_name(),
            qualified_name: resource.qualified_name(),
            identity: resource.identity(),
            declaration: resource
                .origin
                .decls
                .first()
                .copied()
                .unwrap_or(resource.origin.header),
        }
    }
}

/// One problem a rule found.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The level (the rule's, unless configured otherwise; `note` for unresolved values).
    pub level: Level,
    /// What is wrong.
    pub message: String,
    /// What to write instead, in the syntax of the file.
    pub help: Option<String>,
    /// The primary location: the property when written, else the declaration header.
    pub span: Span,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// The resource it is about.
    pub resource: ResourceIdentity,
    /// The ARM property path it is about (`properties.publicNetworkAccess`).
    pub property: String,
    /// Set for `--strict` notes about values isolint could not settle.
    pub unresolved: bool,
    /// An edit that resolves it, when the deciding value is a literal isolint can rewrite.
    pub fix: Option<Fix>,
}

impl Finding {
    /// Sets the help.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Says which parameter defaults (or provider defaults) decided the value: appended to
    /// the message, with a label on each default. `syntax`, the language of the template
    /// whose inputs they are, names them: parameters, or Terraform's variables.
    pub fn decided_by(&mut self, provenance: &Provenance, syntax: Syntax) -> &mut Self {
        let input = input_noun(syntax);
        let mut parts = Vec::new();
        for decider in provenance.deciders() {
            match decider {
                Decider::ParameterDefault { name, span } => {
                    parts.push(format!("the default of {input} `{name}`"));
                    self.labels.push(Label {
                        span: *span,
                        message: format!("default of `{name}`"),
                    });
                }
                Decider::ParameterValue { name, span } => {
                    parts.push(format!("the value given for {input} `{name}`"));
                    if let Some(span) = span {
                        self.labels.push(Label {
                            span: *span,
                            message: format!("value of `{name}`"),
                        });
                    }
                }
                Decider::ProviderDefault { description } => parts.push(description.to_string()),
            }
        }
        if !parts.is_empty() {
            let _ = write!(self.message, " (with {})", join_english(&parts));
        }
        self
    }

    /// Attaches the edit that resolves the finding, when there is one.
    pub fn fixed_by(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fix = fix;
        self
    }

    /// Appends text to the message (after what [`Finding::decided_by`] added).
    pub fn append(&mut self, text: &str) -> &mut Self {
        self.message.push_str(text);
        self
    }

    /// A stable fingerprint from the rule, the resource identity and the property path,
    /// never from line numbers, so that it survives edits elsewhere in the file.
    pub fn fingerprint(&self) -> String {
        let mut hash = Fnv64::default();
        for part in [
            self.rule.id,
            self.resource.identity.as_str(),
            self.property.as_str(),
            if self.unresolved { "unresolved" } else { "" },
        ] {
            hash.write(part.as_bytes());
            hash.write(&[0]);
        }
        format!("{:016x}", hash.0)
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_english(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// FNV-1a, 64 bits: tiny, stable across platforms and releases (unlike `DefaultHasher`).
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
