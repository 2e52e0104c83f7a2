//! The "suppress with a reason and an expiry date" edit of a finding, in the syntax of the
//! file its primary location is in (docs/configuration.md, "Suppressions"): an
//! `isolint-ignore` comment on the line before the resource or the property (`//` in Bicep
//! and commented ARM JSON, `#` in Terraform), or, in ARM JSON that has no comment, an entry
//! in the resource's `metadata`. The reason is a `TODO` placeholder; the expiry date is
//! given by the caller (90 days from today).

use std::path::Path;
use std::sync::Arc;

use isolint_json::{Json, JsonKind};
use isolint_model::{FileId, SourceFile, SourceMap, Span};
use isolint_rules::{Date, Finding};
use rustc_hash::FxHashMap;

/// The word that starts a suppression, as isolint reads it.
const MARKER: &str = "isolint-ignore";

/// The reason written until someone writes the real one.
const REASON_PLACEHOLDER: &str = "TODO: why this is accepted, and who approved it";

/// How a finding is suppressed in its file.
#[derive(Clone, Debug)]
pub(crate) enum Suppression {
    /// Replace `span` of `file` (empty: insert) with `text`.
    Edit {
        /// What the menu shows.
        title: String,
        /// The file to edit.
        file: Arc<SourceFile>,
        /// Where.
        span: Span,
        /// The new text.
        text: String,
    },
    /// No suppression can be written in this file: why, and what to do instead.
    Unavailable {
        /// What the menu shows.
        title: String,
        /// Why it cannot be applied.
        reason: String,
    },
}

/// How a file is commented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    /// Whole-line comments starting with this marker.
    LineComment(&'static str),
    /// ARM JSON without comments: the resource's `metadata`.
    Metadata,
    /// No suppression isolint reads.
    Unsupported(&'static str),
}

/// Builds suppressions for the findings of one analysis; remembers, per ARM file, whether
/// it has comments (a second parse of the file).
pub(crate) struct Suppressor<'a> {
    sources: &'a SourceMap,
    until: Date,
    syntaxes: FxHashMap<FileId, Syntax>,
}

impl<'a> Suppressor<'a> {
    /// Suppressions that expire on `until`, for findings whose spans point into `sources`.
    pub(crate) fn new(sources: &'a SourceMap, until: Date) -> Self {
        Self {
            sources,
            until,
            syntaxes: FxHashMap::default(),
        }
    }

    /// The suppression of `finding`, or `None` when its file is not in the map.
    pub(crate) fn suppress(&mut self, finding: &Finding) -> Option<Suppression> {
        let file = self.sources.get(finding.span.file)?;
        let syntax = *self
            .syntaxes
            .entry(file.id)
            .or_insert_with(|| syntax_of(&file));
        let id = finding.rule.id;
        Some(match syntax {
            Syntax::LineComment(marker) => {
                let line = comment_line(&file, finding);
                let start = file
                    .lines
                    .line_range(&file.text, line)
                    .map_or(file.text.len(), |range| range.start);
                let indent: String = file.text[start..]
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '\t')
                    .collect();
                Suppression::Edit {
                    title: format!(
                        "Suppress {id} with a reason and an expiry date ({MARKER} comment)"
                    ),
                    span: Span::new(file.id, start, start),
                    text: format!(
                        "{indent}{marker} {MARKER} {id} reason=\"{REASON_PLACEHOLDER}\" until={}\n",
                        self.until
                    ),
                    file,
                }
            }
            Syntax::Metadata => {
                let title = format!(
                    "Suppress {id} in the resource's metadata, with a reason and an expiry date"
                );
                match metadata_edit(&file, finding, self.until) {
                    Ok((span, text)) => Suppression::Edit {
                        title,
                        file,
                        span,
                        text,
                    },
                    Err(reason) => Suppression::Unavailable { title, reason },
                }
            }
            Syntax::Unsupported(kind) => Suppression::Unavailable {
                title: format!("Suppress {id} with a reason and an expiry date"),
                reason: format!(
                    "isolint reads no suppression in {kind}: add an `[[exceptions]]` entry to isolint.toml (docs/configuration.md)"
                ),
            },
        })
    }
}

/// How `file` is commented, from its name (and, for ARM JSON, whether it has comments
/// already: a template without any may be read by tools that reject them).
fn syntax_of(file: &SourceFile) -> Syntax {
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let extension = Path::new(&name)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    match extension.as_str() {
        "tf" => Syntax::LineComment("#"),
        "tfvars" => Syntax::Unsupported("Terraform variable files"),
        "json" if name.ends_with(".tf.json") || name.ends_with(".tfvars.json") => {
            Syntax::Unsupported("Terraform JSON")
        }
        "json" if isolint_json::comments(file).is_empty() => Syntax::Metadata,
        "bicep" | "bicepparam" | "json" | "jsonc" => Syntax::LineComment("//"),
        _ => Syntax::Unsupported("this kind of file"),
    }
}

/// The 1-based line the comment goes before: the resource's first line when the finding
/// points at the declaration header or spans several lines (the comment then covers the
/// whole resource), else the finding's own line (it covers that line).
fn comment_line(file: &SourceFile, finding: &Finding) -> u32 {
    let line = file.position(finding.span.start).line;
    let last = file.position(finding.span.end).line;
    let declaration = finding.resource.declaration;
    if declaration.file == file.id && declaration.contains(finding.span) {
        let first = file.position(declaration.start).line;
        if first == line || last != line {
            return first;
        }
    }
    line
}

/// The edit that adds `{ "rule", "reason", "until" }` to the `metadata` of the resource
/// object declaring the finding's resource, creating `metadata` or its `isolint-ignore`
/// list when missing. The error says why there is no such object.
fn metadata_edit(
    file: &SourceFile,
    finding: &Finding,
    until: Date,
) -> Result<(Span, String), String> {
    let declaration = finding.resource.declaration;
    let unavailable = || {
        "the finding is not inside a resource object of this template: add an `[[exceptions]]` entry to isolint.toml (docs/configuration.md)".to_owned()
    };
    if declaration.file != file.id || !declaration.contains(finding.span) {
        return Err(unavailable());
    }
    let root = isolint_json::parse(file).map_err(|_| unavailable())?;
    let resource = node_at(&root, declaration).ok_or_else(unavailable)?;
    let entry = format!(
        "{{ \"rule\": \"{}\", \"reason\": \"{REASON_PLACEHOLDER}\", \"until\": \"{until}\" }}",
        finding.rule.id
    );
    let Some(metadata) = resource.get("metadata") else {
        let members = resource.members().ok_or_else(unavailable)?;
        let list = format!("\"metadata\": {{ \"{MARKER}\": [{entry}] }}");
        return Ok(prepend(
            file,
            resource.span,
            members.first().map(|m| m.key_span),
            &list,
        ));
    };
    let Some(members) = metadata.members() else {
        return Err("the resource's `metadata` is not an object".to_owned());
    };
    match metadata.get(MARKER) {
        None => {
            let list = format!("\"{MARKER}\": [{entry}]");
            Ok(prepend(
                file,
                metadata.span,
                members.first().map(|m| m.key_span),
                &list,
            ))
        }
        Some(list) => match &list.kind {
            JsonKind::Array(items) => Ok(prepend(
                file,
                list.span,
                items.first().map(|i| i.span),
                &entry,
            )),
            _ => Err(format!(
                "the resource's `metadata.{MARKER}` is not an array"
            )),
        },
    }
}

/// The edit that puts `item` first in the object or array written at `container`, whose
/// current first item starts at `first` (none: the container is empty, `{}` or `[]`). An
/// item on a line of its own gets a line of its own, with the same indentation.
fn prepend(file: &SourceFile, container: Span, first: Option<Span>, item: &str) -> (Span, String) {
    let Some(first) = first else {
        let open = file.slice(container).chars().next().unwrap_or('{');
        let close = if open == '[' { ']' } else { '}' };
        return (container, format!("{open} {item} {close}"));
    };
    let at = first.start as usize;
    let line_start = file.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &file.text[line_start..at];
    let separator = if before.trim().is_empty() {
        format!(",\n{before}")
    } else {
        ", ".to_owned()
    };
    (Span::new(file.id, at, at), format!("{item}{separator}"))
}

/// The object or array written exactly at `span`, found by descending only into the values
/// that contain it.
fn node_at(root: &Json, span: Span) -> Option<&Json> {
    let mut node = root;
    loop {
        if node.span.start == span.start && node.span.end == span.end {
            return Some(node);
        }
        let inside = |child: &&Json| child.span.start <= span.start && span.end <= child.span.end;
        node = match &node.kind {
            JsonKind::Object(members) => members.iter().map(|m| &m.value).find(|v| inside(v))?,
            JsonKind::Array(items) => items.iter().find(|v| inside(v))?,
            _ => return None,
        };
    }
}

#[cfg(test)]
mod tests {
    use isolint_rules::{Finding, Level, ResourceIdentity};

    use super::*;

    const UNTIL: &str = "2027-01-31";

    /// A finding of AML001 at `primary` (a substring of `text`) on the resource declared
    /// at `declaration` (a substring too).
    fn finding(file: &SourceFile, primary: &str, declaration: &str) -> Finding {
        let span_of = |needle: &str| {
            let start = file.text.find(needle).unwrap();
            Span::new(file.id, start, start + needle.len())
        };
        Finding {
            rule: isolint_rules::RULES[0],
            level: Level::Error,
            message: "public".to_owned(),
            help: None,
            span: span_of(primary),
            labels: Vec::new(),
            resource: ResourceIdentity {
                ty: "Microsoft.MachineLearningServices/workspaces".into(),
                name: "ws".to_owned(),
                qualified_name: "ws".to_owned(),
                identity: "ws".to_owned(),
                declaration: span_of(declaration),
            },
            property: "properties.publicNetworkAccess".to_owned(),
            unresolved: false,
            fix: None,
        }
    }

    fn applied(name: &str, text: &str, primary: &str, declaration: &str) -> Result<String, String> {
        let sources = SourceMap::new();
        let file = sources.add(Path::new(name), text.into());
        let finding = finding(&file, primary, declaration);
        let mut suppressor = Suppressor::new(&sources, Date::parse(UNTIL).unwrap());
        match suppressor.suppress(&finding).unwrap() {
            Suppression::Edit {
                span, text: new, ..
            } => {
                let mut out = text.to_owned();
                out.replace_range(span.start as usize..span.end as usize, &new);
                Ok(out)
            }
            Suppression::Unavailable { reason, .. } => Err(reason),
        }
    }

    const BICEP: &str = "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: 'ws'\n  properties: {\n    publicNetworkAccess: 'Enabled'\n  }\n}\n";

    #[test]
    fn a_property_gets_a_comment_on_the_line_before_it() {
        let out = applied("/p/main.bicep", BICEP, "'Enabled'", BICEP.trim_end()).unwrap();
        assert!(out.contains(
            "  properties: {\n    // isolint-ignore AML001 reason=\"TODO: why this is accepted, and who approved it\" until=2027-01-31\n    publicNetworkAccess: 'Enabled'\n"
        ), "{out}");
    }

    #[test]
    fn a_finding_at_the_header_gets_a_comment_before_the_resource() {
        let header = "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01'";
        let out = applied("/p/main.bicep", BICEP, header, BICEP.trim_end()).unwrap();
        assert!(
            out.starts_with("// isolint-ignore AML001 reason=\"TODO"),
            "{out}"
        );
        assert!(
            out.contains(&format!("until=2027-01-31\n{header}")),
            "{out}"
        );
    }

    #[test]
    fn terraform_comments_start_with_a_hash() {
        let text = "resource \"azurerm_machine_learning_workspace\" \"ws\" {\n\tpublic_network_access_enabled = true\n}\n";
        let out = applied("/p/main.tf", text, "true", text.trim_end()).unwrap();
        assert!(out.contains("\n\t# isolint-ignore AML001 reason="), "{out}");
        assert!(
            out.contains("until=2027-01-31\n\tpublic_network_access_enabled = true"),
            "{out}"
        );
    }

    #[test]
    fn commented_or_jsonc_templates_get_a_comment() {
        let text = "{\n  // a template\n  \"resources\": [\n    {\n      \"type\": \"t\",\n      \"properties\": { \"publicNetworkAccess\": \"Enabled\" }\n    }\n  ]\n}\n";
        let object = &text[text.find("{\n      \"type\"").unwrap()..text.find("\n  ]").unwrap()];
        let out = applied("/p/t.json", text, "\"Enabled\"", object).unwrap();
        assert!(
            out.contains("\"type\": \"t\",\n      // isolint-ignore AML001 reason="),
            "{out}"
        );
        let plain = text.replace("  // a template\n", "");
        let object = &plain[plain.find("{\n      \"type\"").unwrap()..plain.find("\n  ]").unwrap()];
        let out = applied("/p/t.jsonc", &plain, "\"Enabled\"", object).unwrap();
        assert!(
            out.contains("      // isolint-ignore AML001 reason="),
            "{out}"
        );
    }

    #[test]
    fn plain_json_gets_a_metadata_entry() {
        let text = "{\n  \"resources\": [\n    {\n      \"type\": \"t\",\n      \"properties\": { \"publicNetworkAccess\": \"Enabled\" }\n    }\n  ]\n}\n";
        let object = &text[text.find("{\n      \"type\"").unwrap()..text.find("\n  ]").unwrap()];
        let out = applied("/p/azuredeploy.json", text, "\"Enabled\"", object).unwrap();
        assert!(out.contains(
            "    {\n      \"metadata\": { \"isolint-ignore\": [{ \"rule\": \"AML001\", \"reason\": \"TODO: why this is accepted, and who approved it\", \"until\": \"2027-01-31\" }] },\n      \"type\": \"t\","
        ), "{out}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "{out}"
        );
    }

    #[test]
    fn metadata_entries_join_what_is_there() {
        let cases = [
            (
                "\"metadata\": {}, ",
                "\"metadata\": { \"isolint-ignore\": [{ \"rule\": \"AML001\"",
            ),
            (
                "\"metadata\": { \"a\": 1 }, ",
                "\"metadata\": { \"isolint-ignore\": [{ \"rule\": \"AML001\"",
            ),
            (
                "\"metadata\": { \"isolint-ignore\": [] }, ",
                "\"isolint-ignore\": [ { \"rule\": \"AML001\"",
            ),
            (
                "\"metadata\": { \"isolint-ignore\": [{ \"rule\": \"AML003\" }] }, ",
                "\"isolint-ignore\": [{ \"rule\": \"AML001\"",
            ),
        ];
        for (metadata, expected) in cases {
            let text = format!(
                "{{ \"resources\": [{{ {metadata}\"type\": \"t\", \"p\": \"Enabled\" }}] }}"
            );
            let object = &text[text.find("{ \"metadata").unwrap()..text.rfind(']').unwrap()];
            let out = applied("/p/a.json", &text, "\"Enabled\"", object).unwrap();
            assert!(out.contains(expected), "{metadata}: {out}");
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "{out}"
            );
        }
        let text = "{ \"resources\": [{ \"metadata\": 3, \"p\": \"Enabled\" }] }";
        let object = &text[text.find("{ \"metadata").unwrap()..text.rfind(']').unwrap()];
        assert!(
            applied("/p/a.json", text, "\"Enabled\"", object)
                .unwrap_err()
                .contains("not an object")
        );
    }

    #[test]
    fn files_without_suppressions_say_what_to_do_instead() {
        let text = "public = true\n";
        for name in ["/p/prod.tfvars", "/p/main.tf.json", "/p/x.tfvars.json"] {
            let reason = applied(name, text, "true", "public = true").unwrap_err();
            assert!(reason.contains("[[exceptions]]"), "{name}: {reason}");
        }
    }
}
