//! `cargo xtask new-rule`: scaffolds a rule's source file (documentation, help and `check`),
//! its `mod`, registry and examples-test lines, and its examples folder, and refuses an ID
//! or name that is taken.
//!
//! [`plan`] computes every file without touching the disk; [`apply`] writes the plan. The
//! text edits ([`insert_mod_line`], [`insert_registry_line`], [`insert_examples_test_line`])
//! are pure functions on strings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use isolint_rules::{Level, RULES, Rule};

use crate::{Error, slash_path};

/// The mark of text the author must replace. `cargo xtask docs` (and so `cargo test`)
/// refuses a rule whose doc comment still holds it.
pub const PLACEHOLDER: &str = "(new-rule:";

/// The rules crate's source folder, relative to the workspace root.
const RULES_SRC: &str = "crates/isolint_rules/src";

/// The test file that declares one examples test per rule, relative to the workspace root.
const EXAMPLES_TEST: &str = "crates/isolint_rules/tests/examples.rs";

/// What to scaffold.
#[derive(Debug, Clone)]
pub struct Request {
    /// The permanent ID (`AML104`).
    pub id: String,
    /// The kebab-case name (`container-registry-sku-not-premium`).
    pub name: String,
    /// The folder (module) under `crates/isolint_rules/src/` (`aml`).
    pub group: String,
    /// The default level.
    pub level: Level,
}

impl Request {
    /// The module name: the name in snake case.
    pub fn module(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The static's name: the name in screaming snake case.
    pub fn static_name(&self) -> String {
        self.module().to_ascii_uppercase()
    }
}

/// A file the plan creates or rewrites.
#[derive(Debug, PartialEq, Eq)]
pub struct PlannedFile {
    /// The path relative to the workspace root.
    pub path: PathBuf,
    /// The whole new content.
    pub content: String,
    /// Whether the file is new (`true`) or an edit of an existing one.
    pub created: bool,
}

/// Parses a level as the CLI spells it.
pub fn parse_level(text: &str) -> Result<Level, String> {
    match text {
        "note" => Ok(Level::Note),
        "warning" => Ok(Level::Warning),
        "error" => Ok(Level::Error),
        other => Err(format!("unknown level `{other}` (note, warning or error)")),
    }
}

/// Every file `request` creates or edits, checked against the registered rules and the
/// files under `root`. Nothing is written.
pub fn plan(root: &Path, request: &Request) -> Result<Vec<PlannedFile>, Error> {
    plan_with(root, request, RULES)
}

/// [`plan`] against the given registry.
pub fn plan_with(
    root: &Path,
    request: &Request,
    rules: &[&'static Rule],
) -> Result<Vec<PlannedFile>, Error> {
    validate(request)?;
    if let Some(taken) = rules
        .iter()
        .find(|rule| rule.id.eq_ignore_ascii_case(&request.id))
    {
        return Err(refuse(format!(
            "{} is taken by `{}` ({})",
            taken.id,
            taken.name,
            crate::render::source_path(taken)
        )));
    }
    if let Some(taken) = rules
        .iter()
        .find(|rule| rule.name.eq_ignore_ascii_case(&request.name))
    {
        return Err(refuse(format!(
            "the name `{}` is taken by {}",
            taken.name, taken.id
        )));
    }

    let group_dir = Path::new(RULES_SRC).join(&request.group);
    let mod_rs = group_dir.join("mod.rs");
    if !root.join(&mod_rs).is_file() {
        return Err(refuse(format!(
            "no group `{}`: {} does not exist",
            request.group,
            slash_path(&mod_rs)
        )));
    }
    let rule_file = group_dir.join(format!("{}.rs", request.module()));
    let examples_dir = Path::new("rules").join(&request.id);
    for taken in [&rule_file, &examples_dir] {
        if root.join(taken).exists() {
            return Err(refuse(format!("{} already exists", slash_path(taken))));
        }
    }

    let mod_text = crate::read(root, &mod_rs)?;
    let mod_text = insert_mod_line(&mod_text, &request.module()).map_err(refuse)?;
    let registry = Path::new(RULES_SRC).join("registry.rs");
    let registry_text = crate::read(root, &registry)?;
    let ids = registered_ids(rules);
    let registry_line = format!(
        "&{}::{}::{},",
        request.group,
        request.module(),
        request.static_name()
    );
    let registry_text = insert_registry_line(&registry_text, &registry_line, &request.id, |path| {
        ids.get(path).copied()
    })
    .map_err(refuse)?;
    let examples_test = PathBuf::from(EXAMPLES_TEST);
    let examples_test_text = crate::read(root, &examples_test)?;
    let examples_test_text =
        insert_examples_test_line(&examples_test_text, &request.id).map_err(refuse)?;

    Ok(vec![
        PlannedFile {
            path: rule_file,
            content: rule_source(request),
            created: true,
        },
        PlannedFile {
            path: mod_rs,
            content: mod_text,
            created: false,
        },
        PlannedFile {
            path: registry,
            content: registry_text,
            created: false,
        },
        PlannedFile {
            path: examples_test,
            content: examples_test_text,
            created: false,
        },
        PlannedFile {
            path: examples_dir.join("bad.json"),
            content: arm_example(&request.id, "bad"),
            created: true,
        },
        PlannedFile {
            path: examples_dir.join("good.json"),
            content: arm_example(&request.id, "good"),
            created: true,
        },
    ])
}

/// Writes a plan: new files are created (never overwritten) before existing ones are edited,
/// so a refused creation leaves the sources as they were.
pub fn apply(root: &Path, plan: &[PlannedFile]) -> Result<(), Error> {
    use std::io::Write as _;

    for file in plan.iter().filter(|file| file.created) {
        let path = root.join(&file.path);
        let io_error = |action, source| Error::Io {
            action,
            path: file.path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error("create", e))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut out| out.write_all(file.content.as_bytes()))
            .map_err(|e| io_error("create", e))?;
    }
    for file in plan.iter().filter(|file| !file.created) {
        crate::write(root, &file.path, &file.content)?;
    }
    Ok(())
}

fn refuse(message: String) -> Error {
    Error::NewRule(message)
}

fn validate(request: &Request) -> Result<(), Error> {
    let id = request.id.as_bytes();
    let letters = id.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if letters == 0 || letters == id.len() || !id[letters..].iter().all(u8::is_ascii_digit) {
        return Err(refuse(format!(
            "`{}` is not a rule ID: capital letters, then digits (`AML104`)",
            request.id
        )));
    }
    let kebab = !request.name.is_empty()
        && request.name.starts_with(|c: char| c.is_ascii_lowercase())
        && !request.name.ends_with('-')
        && !request.name.contains("--")
        && request
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !kebab {
        return Err(refuse(format!(
            "`{}` is not a kebab-case rule name (`container-registry-sku-not-premium`)",
            request.name
        )));
    }
    let snake = request.group.starts_with(|c: char| c.is_ascii_lowercase())
        && request
            .group
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !snake {
        return Err(refuse(format!(
            "`{}` is not a group (a module name such as `aml`)",
            request.group
        )));
    }
    Ok(())
}

/// Module path (`aml::workspace_public_network_access`) → ID, from each rule's source file.
fn registered_ids(rules: &[&'static Rule]) -> BTreeMap<String, &'static str> {
    rules
        .iter()
        .filter_map(|rule| {
            let source = rule.source.replace('\\', "/");
            let (_, in_src) = source.rsplit_once("/src/")?;
            let module = in_src.strip_suffix(".rs")?.replace('/', "::");
            Some((module, rule.id))
        })
        .collect()
}

/// The module name a line declares (`pub(crate) mod x;`, `mod x;`), if it declares one.
fn declared_module(line: &str) -> Option<&str> {
    let line = line.trim();
    let rest = line
        .strip_prefix("pub(crate) mod ")
        .or_else(|| line.strip_prefix("pub mod "))
        .or_else(|| line.strip_prefix("mod "))?;
    rest.strip_suffix(';')
}

/// `mod_rs` with `pub(crate) mod <module>;` among the module lines, in name order.
pub fn insert_mod_line(mod_rs: &str, module: &str) -> Result<String, String> {
    let lines: Vec<&str> = mod_rs.lines().collect();
    let declared: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| declared_module(line).map(|name| (index, name)))
        .collect();
    if declared.iter().any(|(_, name)| *name == module) {
        return Err(format!("module `{module}` is already declared"));
    }
    let at = declared
        .iter()
        .find(|(_, name)| *name > module)
        .map(|(index, _)| *index)
        .or_else(|| declared.last().map(|(index, _)| index + 1))
        .ok_or("no `mod` line to insert after")?;
    let new_line = format!("pub(crate) mod {module};");
    let mut out: Vec<&str> = lines[..at].to_vec();
    out.push(&new_line);
    out.extend_from_slice(&lines[at..]);
    Ok(out.join("\n") + "\n")
}

/// `registry` with `line` in the `RULES` slice, before the first entry whose ID sorts after
/// `id`. `id_of` maps an entry's module path (`aml::workspace_public_network_access`) to its
/// ID; entries it does not know keep their place and are passed over.
pub fn insert_registry_line(
    registry: &str,
    line: &str,
    id: &str,
    id_of: impl Fn(&str) -> Option<&'static str>,
) -> Result<String, String> {
    let lines: Vec<&str> = registry.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("pub static RULES"))
        .ok_or("no `pub static RULES` in the registry")?;
    let end = lines[start..]
        .iter()
        .position(|l| l.trim() == "];")
        .map(|offset| start + offset)
        .ok_or("no `];` closing `RULES` in the registry")?;
    let entry_id = |entry: &str| {
        let path = entry.trim().strip_prefix('&')?.strip_suffix(',')?;
        let (module, _static) = path.rsplit_once("::")?;
        id_of(module)
    };
    let at = (start + 1..end)
        .find(|&index| entry_id(lines[index]).is_some_and(|other| other > id))
        .unwrap_or(end);
    let new_line = format!("    {line}");
    let mut out: Vec<&str> = lines[..at].to_vec();
    out.push(&new_line);
    out.extend_from_slice(&lines[at..]);
    Ok(out.join("\n") + "\n")
}

/// `examples_rs` with `    <id>,` in the `rule_examples!` list (one rule ID a line), before
/// the first ID that sorts after `id`: the examples test of the new rule.
pub fn insert_examples_test_line(examples_rs: &str, id: &str) -> Result<String, String> {
    let lines: Vec<&str> = examples_rs.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_end() == "rule_examples! {")
        .ok_or("no `rule_examples! {` in the examples test")?;
    let end = lines[start..]
        .iter()
        .position(|l| l.trim_end() == "}")
        .map(|offset| start + offset)
        .ok_or("no `}` closing `rule_examples!` in the examples test")?;
    let listed = |index: usize| lines[index].trim().strip_suffix(',');
    if (start + 1..end).any(|index| listed(index) == Some(id)) {
        return Err(format!("{id} already has an examples test"));
    }
    let at = (start + 1..end)
        .find(|&index| listed(index).is_some_and(|other| other > id))
        .unwrap_or(end);
    let new_line = format!("    {id},");
    let mut out: Vec<&str> = lines[..at].to_vec();
    out.push(&new_line);
    out.extend_from_slice(&lines[at..]);
    Ok(out.join("\n") + "\n")
}

/// The source of a new rule: a `//!` line, `declare_rule!` with the fixed doc sections to
/// fill in, a `Help` with a text to fill in per syntax, and a `check` that reports nothing.
pub fn rule_source(request: &Request) -> String {
    let level = match request.level {
        Level::Note => "Note",
        Level::Warning => "Warning",
        Level::Error => "Error",
    };
    RULE_TEMPLATE
        .replace("{ID}", &request.id)
        .replace("{NAME}", &request.name)
        .replace("{STATIC}", &request.static_name())
        .replace("{LEVEL}", level)
        .replace("{PROTECTS}", protects_of(&request.id))
        .replace("{WEIGHT}", weight_of(&request.id, request.level))
        .replace("{SINCE}", env!("CARGO_PKG_VERSION"))
}

/// How a new rule weighs in the isolation verdict: an error about the workspace or a
/// dependency decides it; anything else is advisory until its author says otherwise.
fn weight_of(id: &str, level: Level) -> &'static str {
    match (protects_of(id), level) {
        ("Workspace" | "Dependency", Level::Error) => "Decisive",
        _ => "Advisory",
    }
}

/// What a rule of this ID protects, from its group: `AML0xx` the workspace, `AML1xx` a
/// linked dependency, `AML2xx` compute, `AML3xx` governance, `COVxxx` coverage.
fn protects_of(id: &str) -> &'static str {
    if id.starts_with("COV") {
        return "Coverage";
    }
    match id.as_bytes().get(3) {
        Some(b'1') => "Dependency",
        Some(b'2') => "Compute",
        Some(b'3') => "Governance",
        _ => "Workspace",
    }
}

const RULE_TEMPLATE: &str = r##"//! {ID}: {NAME}.

use isolint_model::ResourceRef;
use isolint_model::types::ML_WORKSPACE;

use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags (new-rule: one sentence naming the resources and values this rule reports; it is
    /// the summary in `isolint rules`, SARIF and the docs index).
    ///
    /// ## Why is this bad?
    /// (new-rule: what the setting exposes, and to whom.)
    ///
    /// ## How to fix
    /// (new-rule: the property and value to write in ARM JSON, Bicep and Terraform.)
    ///
    /// ## Known limitations
    /// (new-rule: what the rule cannot see or decide; delete this section if nothing.)
    ///
    /// ## References
    /// - (new-rule: the Azure Policy, PSRule and Microsoft Learn pages; delete if none.)
    pub(crate) static {STATIC} = Rule {
        id: "{ID}",
        name: "{NAME}",
        level: Level::{LEVEL},
        protects: Protects::{PROTECTS},
        since: "{SINCE}",
        status: Status::Stable,
        weighs: Weight::{WEIGHT},
        help: &[HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

/// What to write, in the syntax of the file; one `Help` per kind of finding, each listed in
/// the rule's `help`.
const HELP: Help = Help {
    arm: r#"(new-rule: what to write in ARM JSON, e.g. set "publicNetworkAccess": "Disabled")"#,
    bicep: "(new-rule: what to write in Bicep, e.g. set `publicNetworkAccess: 'Disabled'`)",
    terraform: "(new-rule: what to write with azurerm, e.g. set `x_enabled = false`)",
    azapi: "(new-rule: what to write in an azapi body, e.g. set `publicNetworkAccess = ...`)",
};

/// Reports nothing yet. Report known-bad values, and absent ones whose default is insecure,
/// with `let help = cx.help(&HELP);` and `cx.report(..).help(help)`; stay silent on unknown
/// ones (a parameter without a default).
fn check(_resource: ResourceRef<'_>, _cx: &mut Cx<'_>) {}
"##;

/// A minimal ARM template with one workspace, for `rules/<ID>/{bad,good}.json`.
fn arm_example(id: &str, kind: &str) -> String {
    let name = format!("mlw-{}-{kind}", id.to_ascii_lowercase());
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {{
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "{name}",
      "location": "westeurope",
      "identity": {{
        "type": "SystemAssigned"
      }},
      "properties": {{}}
    }}
  ]
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: &str, name: &str) -> Request {
        Request {
            id: id.into(),
            name: name.into(),
            group: "aml".into(),
            level: Level::Warning,
        }
    }

    #[test]
    fn mod_lines_stay_sorted() {
        let mod_rs = "//! Group.\n\npub(crate) mod alpha;\nmod dependency;\npub(crate) mod gamma;\n\nuse x;\n";
        assert_eq!(
            insert_mod_line(mod_rs, "beta").unwrap(),
            "//! Group.\n\npub(crate) mod alpha;\npub(crate) mod beta;\nmod dependency;\npub(crate) mod gamma;\n\nuse x;\n"
        );
        assert_eq!(
            insert_mod_line(mod_rs, "zeta").unwrap(),
            "//! Group.\n\npub(crate) mod alpha;\nmod dependency;\npub(crate) mod gamma;\npub(crate) mod zeta;\n\nuse x;\n"
        );
        assert!(
            insert_mod_line(mod_rs, "gamma")
                .unwrap_err()
                .contains("already declared")
        );
        assert!(insert_mod_line("//! Empty.\n", "x").is_err());
    }

    #[test]
    fn registry_lines_stay_sorted_by_id() {
        let registry = "//! Registry.\n\npub static RULES: &[&Rule] = &[\n    &aml::b::B,\n    &aml::a::A,\n];\n\nfn x() {}\n";
        let id_of = |module: &str| match module {
            "aml::b" => Some("AML001"),
            "aml::a" => Some("AML101"),
            _ => None,
        };
        assert_eq!(
            insert_registry_line(registry, "&aml::c::C,", "AML050", id_of).unwrap(),
            "//! Registry.\n\npub static RULES: &[&Rule] = &[\n    &aml::b::B,\n    &aml::c::C,\n    &aml::a::A,\n];\n\nfn x() {}\n"
        );
        assert_eq!(
            insert_registry_line(registry, "&aml::c::C,", "AML200", id_of).unwrap(),
            "//! Registry.\n\npub static RULES: &[&Rule] = &[\n    &aml::b::B,\n    &aml::a::A,\n    &aml::c::C,\n];\n\nfn x() {}\n"
        );
        assert_eq!(
            insert_registry_line(registry, "&aml::c::C,", "AML000", id_of).unwrap(),
            "//! Registry.\n\npub static RULES: &[&Rule] = &[\n    &aml::c::C,\n    &aml::b::B,\n    &aml::a::A,\n];\n\nfn x() {}\n"
        );
        assert!(insert_registry_line("fn x() {}\n", "&a::b::C,", "AML1", id_of).is_err());
    }

    #[test]
    fn registered_ids_come_from_source_paths() {
        let ids = registered_ids(RULES);
        assert_eq!(
            ids.get("aml::workspace_public_network_access"),
            Some(&"AML001")
        );
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn validates_id_name_and_group() {
        for (id, name, group, expected) in [
            ("aml104", "x-y", "aml", "not a rule ID"),
            ("AML", "x-y", "aml", "not a rule ID"),
            ("104", "x-y", "aml", "not a rule ID"),
            ("AML104", "X-y", "aml", "not a kebab-case"),
            ("AML104", "x--y", "aml", "not a kebab-case"),
            ("AML104", "x_y", "aml", "not a kebab-case"),
            ("AML104", "x-y", "Aml", "not a group"),
        ] {
            let mut request = request(id, name);
            request.group = group.into();
            let error = validate(&request).unwrap_err().to_string();
            assert!(error.contains(expected), "{id} {name} {group}: {error}");
        }
        validate(&request("AML104", "container-registry-sku-not-premium2")).unwrap();
    }

    /// A temporary workspace holding copies of the real group `mod.rs`, registry and
    /// examples test.
    fn workspace() -> tempfile::TempDir {
        let real = crate::workspace_root();
        let root = tempfile::tempdir().unwrap();
        let files = [
            Path::new(RULES_SRC).join("aml/mod.rs"),
            Path::new(RULES_SRC).join("registry.rs"),
            PathBuf::from(EXAMPLES_TEST),
        ];
        for relative in files {
            let text = std::fs::read_to_string(real.join(&relative)).unwrap();
            crate::write(root.path(), &relative, &text).unwrap();
        }
        root
    }

    #[test]
    fn examples_test_lines_stay_sorted_by_id() {
        let test = "//! Examples.\n\nrule_examples! {\n    AML001,\n    AML101,\n}\n\nfn x() {}\n";
        assert_eq!(
            insert_examples_test_line(test, "AML050").unwrap(),
            "//! Examples.\n\nrule_examples! {\n    AML001,\n    AML050,\n    AML101,\n}\n\nfn x() {}\n"
        );
        assert_eq!(
            insert_examples_test_line(test, "AML200").unwrap(),
            "//! Examples.\n\nrule_examples! {\n    AML001,\n    AML101,\n    AML200,\n}\n\nfn x() {}\n"
        );
        assert!(
            insert_examples_test_line(test, "AML101")
                .unwrap_err()
                .contains("already has an examples test")
        );
        assert!(insert_examples_test_line("fn x() {}\n", "AML1").is_err());
    }

    #[test]
    fn refuses_taken_ids_names_and_paths() {
        let root = workspace();
        let refused = |request: &Request| plan(root.path(), request).unwrap_err().to_string();
        assert!(
            refused(&request("AML001", "brand-new"))
                .contains("AML001 is taken by `workspace-public-network-access`")
        );
        assert!(refused(&request("aml001", "brand-new")).contains("not a rule ID"));
        assert!(
            refused(&request("AML999", "workspace-public-network-access"))
                .contains("the name `workspace-public-network-access` is taken by AML001")
        );
        let mut other_group = request("AML999", "brand-new");
        other_group.group = "nope".into();
        assert!(refused(&other_group).contains("no group `nope`"));
        std::fs::create_dir_all(root.path().join("rules/AML999")).unwrap();
        assert!(refused(&request("AML999", "brand-new")).contains("rules/AML999 already exists"));
    }

    #[test]
    fn plans_and_applies_a_rule() {
        let root = workspace();
        let request = Request {
            level: Level::Error,
            ..request("AML104", "container-registry-admin-user")
        };
        let plan = plan(root.path(), &request).unwrap();
        let paths: Vec<(String, bool)> = plan
            .iter()
            .map(|file| (slash_path(&file.path), file.created))
            .collect();
        assert_eq!(
            paths,
            [
                (
                    "crates/isolint_rules/src/aml/container_registry_admin_user.rs".into(),
                    true
                ),
                ("crates/isolint_rules/src/aml/mod.rs".into(), false),
                ("crates/isolint_rules/src/registry.rs".into(), false),
                ("crates/isolint_rules/tests/examples.rs".into(), false),
                ("rules/AML104/bad.json".into(), true),
                ("rules/AML104/good.json".into(), true),
            ]
        );

        let source = &plan[0].content;
        assert!(source.starts_with("//! AML104: container-registry-admin-user.\n"));
        assert!(source.contains("    pub(crate) static CONTAINER_REGISTRY_ADMIN_USER = Rule {\n        id: \"AML104\",\n        name: \"container-registry-admin-user\",\n        level: Level::Error,\n"));
        for heading in [
            "What it does",
            "Why is this bad?",
            "How to fix",
            "Known limitations",
            "References",
        ] {
            assert!(
                source.contains(&format!("    /// ## {heading}\n")),
                "{heading}"
            );
        }
        assert!(source.contains("        help: &[HELP],\n"));
        assert!(source.contains("const HELP: Help = Help {\n    arm: r#\"(new-rule: "));
        for syntax in ["bicep", "terraform", "azapi"] {
            assert!(
                source.contains(&format!("\n    {syntax}: \"(new-rule: ")),
                "{syntax}"
            );
        }
        assert!(!source.contains("TODO") && !source.contains("todo!"));
        assert!(source.lines().all(|line| line.len() <= 100));

        let mod_rs = &plan[1].content;
        assert!(mod_rs.contains("pub(crate) mod container_registry_admin_user;\npub(crate) mod container_registry_private_endpoint_missing;\n"));
        let registry = &plan[2].content;
        assert!(registry.contains(
            "    &aml::storage_private_endpoint_missing::STORAGE_PRIVATE_ENDPOINT_MISSING,\n    &aml::container_registry_admin_user::CONTAINER_REGISTRY_ADMIN_USER,\n    &aml::key_vault_public_network_access::KEY_VAULT_PUBLIC_NETWORK_ACCESS,\n"
        ), "{registry}");
        let examples_test = &plan[3].content;
        assert!(examples_test.contains("    AML101,\n    AML102,\n    AML104,\n    AML111,\n"));
        assert!(plan[4].content.contains("\"name\": \"mlw-aml104-bad\""));

        apply(root.path(), &plan).unwrap();
        for file in &plan {
            assert_eq!(
                std::fs::read_to_string(root.path().join(&file.path)).unwrap(),
                file.content
            );
        }
        // The rule file now exists, so a second run is refused, and `apply` never
        // overwrites a file it means to create.
        assert!(
            super::plan(root.path(), &request)
                .unwrap_err()
                .to_string()
                .contains("already exists")
        );
        assert!(apply(root.path(), &plan).is_err());
    }

    #[test]
    fn levels_parse_as_the_cli_spells_them() {
        assert_eq!(parse_level("warning"), Ok(Level::Warning));
        assert!(parse_level("Warning").is_err());
    }
}
