//! Coverage gaps: modules, linked templates and template specs that the deployment graph
//! could not read, as model resources of type [`UNREAD_MODULE`] located at the module
//! call, so that a rule reports them and every rule mechanism (levels, selection,
//! suppressions, baselines) applies unchanged. The graph's AML facts never look at them.

use std::sync::Arc;

use crate::id::{NamePart, ResourceId};
use crate::resource::{Condition, Origin, Resource, RootId, Syntax};
use crate::source::Span;
use crate::types::{UNREAD_MODULE, same_type};
use crate::value::{Entry, Node, NodeKind, Object};

/// What the user does about a gap: it picks the help the rule gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Remedy {
    /// Restore the Bicep module cache (`bicep restore FILE`).
    BicepRestore,
    /// Install the Terraform modules (`terraform init` in a folder), or scan the plan.
    TerraformInit,
    /// Fix a local path that names nothing readable (a missing file, a folder without
    /// templates, a file that is not a template).
    LocalPath,
    /// Keep the module inside the project root, or name a root that holds it.
    OutsideRoot,
    /// A template linked by URI or template spec ID: never fetched.
    Remote,
    /// Fix the reference or the alias that names the module.
    Reference,
}

impl Remedy {
    /// The stable name stored in the gap resource.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BicepRestore => "bicep-restore",
            Self::TerraformInit => "terraform-init",
            Self::LocalPath => "local-path",
            Self::OutsideRoot => "outside-root",
            Self::Remote => "remote",
            Self::Reference => "reference",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Self::BicepRestore,
            Self::TerraformInit,
            Self::LocalPath,
            Self::OutsideRoot,
            Self::Remote,
            Self::Reference,
        ]
        .into_iter()
        .find(|remedy| remedy.as_str() == text)
    }
}

/// A module that could not be read, where it is called, and what to do.
#[derive(Clone, Debug)]
pub struct Gap {
    /// The reference as written (`br/public:avm/res/x:1.0.0`, `./modules/sa`).
    pub reference: String,
    /// What is wrong, as a sentence without a final period.
    pub reason: String,
    /// What to run or change: ``run `bicep restore main.bicep` ``.
    pub fix: String,
    /// The kind of fix, for the rule's help.
    pub remedy: Remedy,
    /// The value the help names: the file to restore, the folder to initialise.
    pub subject: String,
    /// Where the reference is written: the finding's location.
    pub at: Span,
    /// The whole module call: a suppression comment before it covers the gap.
    pub declaration: Span,
    /// The language of the call.
    pub syntax: Syntax,
    /// The module instance the call is written in, outermost first (empty at a root).
    pub module_path: Arc<[Arc<str>]>,
    /// The module calls that led to it, outermost first.
    pub calls: Arc<[Span]>,
}

/// The property names of a gap resource's `properties`.
const REFERENCE: &str = "reference";
const REASON: &str = "reason";
const FIX: &str = "fix";
const REMEDY: &str = "remedy";
const SUBJECT: &str = "subject";

impl Gap {
    /// The gap as a resource of type [`UNREAD_MODULE`], named by its reference, declared by
    /// the module call and located at the reference.
    pub fn into_resource(self, root: RootId) -> Resource {
        let text = |value: &str| Node::string(value, self.at);
        let entry = |key: &str, value: &str| Entry {
            key: key.into(),
            key_span: self.at,
            value: text(value),
        };
        let properties = Object {
            entries: vec![
                entry(REFERENCE, &self.reference),
                entry(REASON, &self.reason),
                entry(FIX, &self.fix),
                entry(REMEDY, self.remedy.as_str()),
                entry(SUBJECT, &self.subject),
            ],
            rest: None,
        };
        let body = Object {
            entries: vec![Entry {
                key: "properties".into(),
                key_span: self.at,
                value: Node::object(properties, self.at),
            }],
            rest: None,
        };
        let name: Arc<str> = self.reference.as_str().into();
        Resource {
            ty: UNREAD_MODULE.into(),
            api_version: None,
            name: text(&self.reference),
            id: ResourceId::new(UNREAD_MODULE, vec![NamePart::Known(Arc::clone(&name))]),
            body: Node::object(body, self.declaration),
            condition: Condition::Always,
            looped: false,
            existing: false,
            update: false,
            origin: Origin {
                file: self.at.file,
                decls: vec![self.declaration],
                header: self.at,
                name_text: name,
                module_path: self.module_path,
                calls: self.calls,
                root,
                syntax: self.syntax,
                address: None,
                symbol: None,
                vocabulary: None,
            },
        }
    }
}

/// What a gap resource says, read back by the rule that reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GapReport<'r> {
    /// The reference as written.
    pub reference: &'r str,
    /// What is wrong.
    pub reason: &'r str,
    /// What to run or change.
    pub fix: &'r str,
    /// The kind of fix.
    pub remedy: Remedy,
    /// The file or folder the fix names.
    pub subject: &'r str,
}

impl<'r> GapReport<'r> {
    /// The gap `resource` stands for; `None` when it is not a gap resource.
    pub fn of(resource: &'r Resource) -> Option<Self> {
        if !same_type(&resource.ty, UNREAD_MODULE) {
            return None;
        }
        let properties = resource
            .body
            .as_object()?
            .value("properties")?
            .as_object()?;
        let text = |key: &str| match &properties.value(key)?.kind {
            NodeKind::String(s) => Some(&**s),
            _ => None,
        };
        Some(Self {
            reference: text(REFERENCE)?,
            reason: text(REASON)?,
            fix: text(FIX)?,
            remedy: Remedy::parse(text(REMEDY)?)?,
            subject: text(SUBJECT).unwrap_or(""),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn a_gap_reads_back_from_its_resource() {
        let at = Span::new(FileId(3), 10, 20);
        let gap = Gap {
            reference: "br/public:avm/res/x:1.0.0".into(),
            reason: "module `br/public:avm/res/x:1.0.0` is not in the Bicep module cache".into(),
            fix: "run `bicep restore main.bicep`".into(),
            remedy: Remedy::BicepRestore,
            subject: "main.bicep".into(),
            at,
            declaration: Span::new(FileId(3), 0, 40),
            syntax: Syntax::Bicep,
            module_path: Arc::from(Vec::new()),
            calls: Arc::from(Vec::new()),
        };
        let resource = gap.into_resource(RootId(0));
        assert!(resource.is(UNREAD_MODULE));
        assert_eq!(resource.header(), at);
        let report = GapReport::of(&resource).unwrap();
        assert_eq!(report.reference, "br/public:avm/res/x:1.0.0");
        assert_eq!(report.remedy, Remedy::BicepRestore);
        assert_eq!(report.subject, "main.bicep");
        assert_eq!(resource.display_name(), "br/public:avm/res/x:1.0.0");
    }
}
