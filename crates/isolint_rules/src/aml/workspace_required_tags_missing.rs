//! AML301: a Machine Learning workspace lacks tags the organisation requires.

use isolint_model::paths::TAGS;
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{NodeKind, ResourceRef, Syntax, Value};

use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Machine Learning workspaces that lack a tag the configuration requires.
    ///
    /// The required tags are given with `--required-tag NAME` (repeatable); tag names
    /// compare case-insensitively, as in Azure. With none configured, the rule does
    /// nothing. A tag map taken from a parameter uses the parameter's default, and the
    /// finding says so; a parameter without a default cannot be checked (`--strict` notes
    /// it).
    ///
    /// ## Why is this bad?
    /// Tags such as an owner or a cost center are how an organisation finds who answers
    /// for a workspace, pays for it, and must be told about a security finding. Azure
    /// Policy can deny untagged resources at deployment; catching them in the template is
    /// cheaper.
    ///
    /// ## How to fix
    /// Add the missing tags to the workspace's `tags` (Terraform: `tags`).
    ///
    /// ## Known limitations
    /// Only the presence of a tag is checked, not its value. Tags inherited from a
    /// resource group or set by policy after deployment are not seen.
    ///
    /// ## References
    /// - Azure Policy 871b6d14-10aa-478d-b590-94f262ecfa99, "Require a tag on resources"
    /// - <https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources>
    pub(crate) static WORKSPACE_REQUIRED_TAGS_MISSING = Rule {
        id: "AML301",
        name: "workspace-required-tags-missing",
        level: Level::Warning,
        protects: Protects::Governance,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

fn check(ws: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let required = &cx.options().required_tags;
    if required.is_empty() {
        return;
    }
    let tags = ws.get(TAGS);
    let at = tags.span_or(ws.header());
    let object = match &tags.value {
        Value::Unknown(unknown) => {
            cx.unresolved(at, TAGS, unknown);
            return;
        }
        Value::Known(node) => match &node.kind {
            NodeKind::Object(object) => Some(object),
            // Not a tag map: the service rejects it, and no tag is there.
            _ => None,
        },
        Value::Absent => None,
    };
    let mut missing: Vec<&str> = Vec::new();
    for name in required {
        let name = name.trim();
        if name.is_empty() || missing.iter().any(|m| m.eq_ignore_ascii_case(name)) {
            continue;
        }
        match object {
            Some(object) if object.get(name).is_some() => {}
            // A partly known map (`union(parameters('tags'), ...)`) may hold it.
            Some(object) if object.rest.is_some() => {
                if let Some(rest) = &object.rest {
                    cx.unresolved(at, TAGS, &rest.member(name));
                }
                return;
            }
            _ => missing.push(name),
        }
    }
    if missing.is_empty() {
        return;
    }
    let listed = english_list(&missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>());
    let noun = if missing.len() == 1 { "tag" } else { "tags" };
    let help = help_for(cx.syntax(), &missing);
    cx.report(
        at,
        TAGS,
        format!(
            "workspace `{}` lacks the required {noun} {listed}",
            ws.known_as()
        ),
    )
    .help(help)
    .decided_by(&tags.provenance, ws.origin.syntax);
}

/// `a`, `a and b`, `a, b and c`.
fn english_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

const HELP: Help = Help {
    arm: r#"add {tags} to the workspace's "tags""#,
    bicep: "add {tags} to the workspace's `tags`",
    terraform: "add {tags} to the workspace's `tags`",
    azapi: "add {tags} to the workspace's `tags`",
};

/// What to write, in the syntax of the file: the missing tags with a placeholder value.
fn help_for(syntax: Syntax, missing: &[&str]) -> String {
    let entry = |tag: &str| match syntax {
        Syntax::Arm => format!("\"{tag}\": \"...\""),
        Syntax::Bicep => format!("`'{tag}': '...'`"),
        Syntax::Terraform | Syntax::Azapi => format!("`\"{tag}\" = \"...\"`"),
    };
    let entries = missing
        .iter()
        .map(|tag| entry(tag))
        .collect::<Vec<_>>()
        .join(", ");
    HELP.for_syntax(syntax).replace("{tags}", &entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        let items = ["`a`".to_owned(), "`b`".to_owned(), "`c`".to_owned()];
        assert_eq!(english_list(&items[..1]), "`a`");
        assert_eq!(english_list(&items[..2]), "`a` and `b`");
        assert_eq!(english_list(&items), "`a`, `b` and `c`");
    }

    #[test]
    fn help_speaks_the_file_syntax() {
        assert_eq!(
            help_for(Syntax::Arm, &["owner"]),
            "add \"owner\": \"...\" to the workspace's \"tags\""
        );
        assert_eq!(
            help_for(Syntax::Bicep, &["owner", "cost-center"]),
            "add `'owner': '...'`, `'cost-center': '...'` to the workspace's `tags`"
        );
    }
}

#[cfg(test)]
mod model_tests {
    use isolint_model::types::ML_WORKSPACE;

    use crate::Options;
    use crate::compute::tests::{obj, param, resource, run, s};

    fn options(tags: &[&str], strict: bool) -> Options {
        Options {
            select: vec!["AML301".to_owned()],
            strict,
            required_tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..Options::default()
        }
    }

    #[test]
    fn the_rule_is_off_without_required_tags() {
        let ws = resource(ML_WORKSPACE, &["ws"], obj(vec![]));
        let (fired, notes) = run(vec![ws], &options(&[], true));
        assert!(fired.is_empty() && notes.is_empty());
    }

    #[test]
    fn tag_names_compare_case_insensitively_and_repeats_count_once() {
        let ws = resource(
            ML_WORKSPACE,
            &["ws"],
            obj(vec![("tags", obj(vec![("OWNER", s("me"))]))]),
        );
        let (fired, _) = run(
            vec![ws],
            &options(&["owner", "Cost-Center", "cost-center", " "], false),
        );
        assert_eq!(fired.len(), 1);
        assert_eq!(
            fired[0].message,
            "workspace `ws` lacks the required tag `Cost-Center`"
        );
    }

    #[test]
    fn a_tag_map_that_is_not_an_object_holds_no_tag() {
        let ws = resource(ML_WORKSPACE, &["ws"], obj(vec![("tags", s("owner"))]));
        let (fired, _) = run(vec![ws], &options(&["owner"], false));
        assert_eq!(fired.len(), 1);
    }

    #[test]
    fn a_tag_map_from_a_parameter_without_value_is_only_noted() {
        let ws = resource(ML_WORKSPACE, &["ws"], obj(vec![("tags", param("tags"))]));
        let (fired, notes) = run(vec![ws.clone()], &options(&["owner"], true));
        assert!(fired.is_empty());
        assert_eq!(notes.len(), 1);
        let (fired, notes) = run(vec![ws], &options(&["owner"], false));
        assert!(fired.is_empty() && notes.is_empty());
    }
}
