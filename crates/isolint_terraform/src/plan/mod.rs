//! Terraform plans: what `terraform show -json PLANFILE` prints, read into the model.
//!
//! A plan holds every resource of every module already expanded, registry modules
//! included, so it needs no module resolution. The reader takes, recognised by content
//! ([`detect`]) whatever the file name, a plan of `format_version` 1.x (an other version
//! is a located error naming it), and for each managed resource the mapping table knows:
//! - its values from `planned_values` (every module, through `child_modules`), with
//!   `resource_changes[].change.after_unknown` saying which leaves the plan leaves unknown
//!   until apply (`values` omits them);
//! - for an unknown leaf, what the configuration (`configuration…expressions`) says: not
//!   set, it is absent and the provider's default applies, as in `.tf` (same defaults,
//!   the azurerm major from `required_providers` when the plan says it); set from a
//!   resource's `id` (`references`), directly, through module variables or through module
//!   outputs (`module_calls.<name>.module.outputs`), it links to that resource; otherwise
//!   it stays unknown ([`isolint_model::UnknownReason`] says why);
//! - its address (`module.aml.azapi_resource.this[0]`: `count` and `for_each` instances
//!   are resources of their own) as [`isolint_model::Origin::address`], which SARIF,
//!   fingerprints and messages name it by.
//!
//! Each instance is then lowered by the frontend's one lowering (`crate::lower`), so that
//! a plan and the `.tf` it was planned from give the same model. Findings point into the
//! plan file: a root module's resource at its object in `planned_values` (at the value
//! when the plan writes it); a resource in a module at the root module call's argument
//! that decided the value (`configuration.root_module.module_calls.<name>.expressions`,
//! found by following the module's variables), the place inside the module a related
//! location, else at the module call.

mod address;
mod build;
mod refs;

use std::path::Path;
use std::sync::Arc;

use isolint_json::{Json, JsonKind, Member};
use isolint_model::{
    Analysis, Condition, Diagnostic, Origin, RootId, SourceFile, SourceMap, Span, Syntax,
};
use rustc_hash::FxHashMap;

use crate::lower::{Evaluated, lower_evaluated};
use crate::mapping::{is_azapi, mapping};

/// The plan format major this reader understands (`format_version` `1.0` to `1.2` and
/// later 1.x, which only add members).
const FORMAT_MAJOR: &str = "1";

/// How deep modules may nest in a plan before the reader stops descending.
const MAX_MODULE_DEPTH: usize = 64;

/// Whether `json` is a Terraform plan (`terraform show -json PLANFILE`), of any format
/// version: an object with a `format_version` and `planned_values` or `resource_changes`.
/// A state (`terraform show -json` without a plan), a template or any other JSON is not.
pub fn detect(json: &Json) -> bool {
    json.members().is_some()
        && json.get("format_version").is_some()
        && (json.get("planned_values").is_some() || json.get("resource_changes").is_some())
}

/// Reads the plan at `path` (through `sources`) into resources and diagnostics; a file
/// that cannot be read, is not JSON or is not a plan gives a located diagnostic.
pub fn read_file(path: &Path, sources: &SourceMap) -> Analysis {
    let mut analysis = Analysis::default();
    let file = match sources.read(path) {
        Ok(file) => file,
        Err(diagnostic) => {
            analysis.diagnostics.push(diagnostic);
            return analysis;
        }
    };
    match isolint_json::parse(&file) {
        Ok(json) => read(&json, &file),
        Err(diagnostic) => {
            analysis.diagnostics.push(diagnostic);
            analysis
        }
    }
}

/// Reads a plan already parsed from `file` into resources and diagnostics: an error when
/// it is not a plan ([`detect`]) or its `format_version` is not 1.x.
pub fn read(json: &Json, file: &SourceFile) -> Analysis {
    let mut analysis = Analysis {
        templates: 1,
        ..Analysis::default()
    };
    if let Err(diagnostic) = check_format(json, file) {
        analysis.diagnostics.push(diagnostic);
        return analysis;
    }
    if let Some(errored) = json.member("errored")
        && matches!(errored.value.kind, JsonKind::Bool(true))
    {
        analysis.diagnostics.push(
            Diagnostic::warning(
                "plan-errored",
                "Terraform reported errors while planning: the plan may lack resources",
                &file.path,
            )
            .at(member_span(errored)),
        );
    }
    let reader = Reader::new(json, file, &mut analysis.diagnostics);
    for index in 0..reader.planned.len() {
        analysis.resources.extend(reader.lower(index));
    }
    analysis
}

/// Checks that `json` is a plan in a format this reader understands.
fn check_format(json: &Json, file: &SourceFile) -> Result<(), Diagnostic> {
    let start = json.span.start as usize;
    let top = Span::new(file.id, start, start + 1);
    if !detect(json) {
        return Err(Diagnostic::error(
            "not-a-plan",
            "not a Terraform plan: the JSON has no `format_version` with `planned_values` or `resource_changes`",
            &file.path,
        )
        .at(top)
        .with_help("write the plan with `terraform show -json PLANFILE > plan.json`"));
    }
    let Some(version) = json.member("format_version") else {
        return Err(Diagnostic::error("not-a-plan", "not a Terraform plan", &file.path).at(top));
    };
    let text = version.value.as_str().unwrap_or_default();
    let major = text.split('.').next().unwrap_or_default();
    if major == FORMAT_MAJOR && text.contains('.') {
        return Ok(());
    }
    let shown = match version.value.as_str() {
        Some(text) => format!("`{text}`"),
        None => "that is not a string".to_owned(),
    };
    Err(Diagnostic::error(
        "plan-format-version",
        format!("Terraform plan format_version {shown} is not supported: isolint reads format 1.x"),
        &file.path,
    )
    .at(member_span(version))
    .with_help("write the plan with Terraform 1.0 or later: `terraform show -json PLANFILE`"))
}

/// A member from its key to the end of its value.
pub(crate) fn member_span(member: &Member) -> Span {
    member.key_span.to(member.value.span)
}

/// One module instance of the plan: the root, or a module call's instance.
pub(crate) struct ModuleInstance<'j> {
    /// `module.a[0].module.b`; empty for the root.
    pub(crate) address: &'j str,
    /// The module calls on its path, each `module.<name>` with its key, outermost first.
    pub(crate) path: Vec<String>,
    /// The name of the call that made it (empty for the root).
    pub(crate) call: &'j str,
    /// The instance that called it.
    pub(crate) parent: Option<usize>,
    /// Its configuration (`configuration.root_module`, or `module_calls.<name>.module`).
    pub(crate) config: Option<&'j Json>,
    /// The call in the parent's configuration (`module_calls.<name>`): its arguments.
    pub(crate) call_config: Option<&'j Json>,
    /// The configuration's resources by module-relative address (`azurerm_x.y`).
    resources: FxHashMap<&'j str, &'j Json>,
}

impl ModuleInstance<'_> {
    /// The prefix of the addresses in it: `module.a[0].` (empty for the root).
    pub(crate) fn prefix(&self) -> String {
        if self.address.is_empty() {
            String::new()
        } else {
            format!("{}.", self.address)
        }
    }
}

/// One managed resource instance of the plan, of a type the mapping table knows.
pub(crate) struct Planned<'j> {
    /// Its object in `planned_values`.
    pub(crate) object: &'j Json,
    /// Its address.
    pub(crate) address: &'j str,
    /// The Terraform type.
    pub(crate) ty: &'j str,
    /// The module instance it belongs to.
    pub(crate) module: usize,
    /// Its planned `values`.
    pub(crate) values: Option<&'j Json>,
    /// `after_unknown` of its change: `true` at each leaf the plan leaves unknown.
    pub(crate) unknown: Option<&'j Json>,
    /// Its configuration (`configuration…resources[]`), if the plan has it.
    pub(crate) config: Option<&'j Json>,
}

/// A plan, indexed for lowering and for following references.
pub(crate) struct Reader<'j> {
    /// The plan file.
    pub(crate) file: &'j SourceFile,
    /// The azurerm major whose defaults apply.
    major: u32,
    /// The root evaluation every resource of the plan belongs to.
    root: RootId,
    /// The module instances; the root first.
    pub(crate) modules: Vec<ModuleInstance<'j>>,
    /// The resources, in plan order.
    pub(crate) planned: Vec<Planned<'j>>,
    /// Resources by address.
    pub(crate) by_address: FxHashMap<&'j str, usize>,
    /// Resources by address without the instance key (`module.m.azurerm_x.y`).
    pub(crate) by_base: FxHashMap<String, Vec<usize>>,
    /// Module instances by the instance that calls them and the call's name.
    pub(crate) children: FxHashMap<(usize, &'j str), Vec<usize>>,
    /// Memoized IDs and variable sources (`refs`).
    pub(crate) memo: refs::Memo,
}

impl<'j> Reader<'j> {
    /// Indexes `plan`; problems with its structure go to `diagnostics`.
    fn new(plan: &'j Json, file: &'j SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let configuration = plan.get("configuration");
        let root_config = configuration.and_then(|c| c.get("root_module"));
        let mut reader = Reader {
            file,
            major: azurerm_major(configuration),
            root: RootId::fresh(),
            modules: vec![ModuleInstance {
                address: "",
                path: Vec::new(),
                call: "",
                parent: None,
                config: root_config,
                call_config: None,
                resources: config_resources(root_config),
            }],
            planned: Vec::new(),
            by_address: FxHashMap::default(),
            by_base: FxHashMap::default(),
            children: FxHashMap::default(),
            memo: refs::Memo::default(),
        };
        let changes: FxHashMap<&str, &Json> = plan
            .get("resource_changes")
            .and_then(Json::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|change| Some((change.get("address")?.as_str()?, change.get("change")?)))
            .collect();
        if let Some(root) = plan
            .get("planned_values")
            .and_then(|p| p.get("root_module"))
        {
            reader.visit(root, 0, &changes, diagnostics);
        }
        reader.memo.size(reader.planned.len());
        reader
    }

    /// Collects the resources of `module` (a `planned_values` module object) and of the
    /// modules it calls, depth first.
    fn visit(
        &mut self,
        module: &'j Json,
        instance: usize,
        changes: &FxHashMap<&str, &'j Json>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let mut pending = vec![(module, instance)];
        while let Some((module, instance)) = pending.pop() {
            for object in module
                .get("resources")
                .and_then(Json::as_array)
                .unwrap_or_default()
            {
                self.add_resource(object, instance, changes);
            }
            let children = module
                .get("child_modules")
                .and_then(Json::as_array)
                .unwrap_or_default();
            // Depth first, in plan order: pushed in reverse.
            for child in children.iter().rev() {
                if self.modules[instance].path.len() >= MAX_MODULE_DEPTH {
                    diagnostics.push(
                        Diagnostic::warning(
                            "plan-module-depth",
                            format!(
                                "modules nest more than {MAX_MODULE_DEPTH} deep here: the resources below are not read"
                            ),
                            &self.file.path,
                        )
                        .at(child.span),
                    );
                    break;
                }
                if let Some(index) = self.add_module(child, instance) {
                    pending.push((child, index));
                }
            }
        }
    }

    /// Adds the module instance `child` (a `child_modules` element) called by `parent`.
    fn add_module(&mut self, child: &'j Json, parent: usize) -> Option<usize> {
        let address = child.get("address")?.as_str()?;
        let steps = address::module_steps(address)?;
        let last = steps.last()?;
        let call = last.call;
        let call_config = self.modules[parent]
            .config
            .and_then(|c| c.get("module_calls"))
            .and_then(|calls| calls.members())
            .and_then(|calls| calls.iter().find(|m| &*m.key == call))
            .map(|m| &m.value);
        let config = call_config.and_then(|c| c.get("module"));
        let path = steps
            .iter()
            .map(|step| match step.key {
                Some(key) => format!("module.{}[{key}]", step.call),
                None => format!("module.{}", step.call),
            })
            .collect();
        self.modules.push(ModuleInstance {
            address,
            path,
            call,
            parent: Some(parent),
            config,
            call_config,
            resources: config_resources(config),
        });
        let index = self.modules.len() - 1;
        self.children.entry((parent, call)).or_default().push(index);
        Some(index)
    }

    /// Adds one `planned_values` resource object of `module`, when it is a managed
    /// resource of a type the mapping table knows.
    fn add_resource(
        &mut self,
        object: &'j Json,
        module: usize,
        changes: &FxHashMap<&str, &'j Json>,
    ) {
        let text = |key: &str| object.get(key).and_then(Json::as_str);
        let (Some(address), Some(ty), Some(name)) = (text("address"), text("type"), text("name"))
        else {
            return;
        };
        if text("mode").is_some_and(|mode| mode != "managed")
            || mapping(ty).is_none() && !is_azapi(ty)
        {
            return;
        }
        let instance = &self.modules[module];
        let relative = format!("{ty}.{name}");
        let config = instance.resources.get(relative.as_str()).copied();
        let base = format!("{}{relative}", instance.prefix());
        let change = changes.get(address);
        let index = self.planned.len();
        self.planned.push(Planned {
            object,
            address,
            ty,
            module,
            values: object.get("values"),
            unknown: change.and_then(|c| c.get("after_unknown")),
            config,
        });
        self.by_address.insert(address, index);
        self.by_base.entry(base).or_default().push(index);
    }

    /// The model resources of planned resource `index`.
    fn lower(&self, index: usize) -> Vec<isolint_model::Resource> {
        let planned = &self.planned[index];
        let Some(id) = self.id(index) else {
            return Vec::new();
        };
        let values = build::Builder::new(self, index).resource();
        lower_evaluated(Evaluated {
            ty: planned.ty,
            values,
            id,
            origin: self.origin(planned),
            condition: Condition::Always,
            looped: false,
            major: self.major,
        })
    }

    /// Where a planned resource is declared, for findings: a root module's resource at its
    /// `planned_values` object (and its configuration), one in a module at the root
    /// module's call (`module_calls.<name>` of `configuration.root_module`).
    fn origin(&self, planned: &Planned<'j>) -> Origin {
        let module = &self.modules[planned.module];
        let name = planned
            .values
            .and_then(|v| v.get("name"))
            .and_then(Json::as_str)
            .unwrap_or(planned.address);
        let (decls, header) = match self.root_call(planned.module) {
            Some(call) => (vec![call.key_span, call.value.span], call.key_span),
            None => {
                let mut decls = vec![planned.object.span];
                decls.extend(planned.config.map(|c| c.span));
                let header = planned
                    .object
                    .member("address")
                    .map_or(planned.object.span, member_span);
                (decls, header)
            }
        };
        Origin {
            file: self.file.id,
            decls,
            header,
            name_text: name.into(),
            module_path: module.path.iter().map(|p| p.as_str().into()).collect(),
            calls: Arc::from(Vec::new()),
            root: self.root,
            syntax: if is_azapi(planned.ty) {
                Syntax::Azapi
            } else {
                Syntax::Terraform
            },
            address: Some(planned.address.into()),
            symbol: None,
            vocabulary: None,
        }
    }

    /// The root module's call (`module_calls.<name>` member) that `module` was reached
    /// through; `None` for the root itself.
    pub(crate) fn root_call(&self, module: usize) -> Option<&'j Member> {
        let mut current = module;
        loop {
            let instance = &self.modules[current];
            let parent = instance.parent?;
            if parent == 0 {
                return self.modules[0]
                    .config?
                    .get("module_calls")?
                    .members()?
                    .iter()
                    .find(|m| &*m.key == instance.call);
            }
            current = parent;
        }
    }
}

/// The configuration's resources by module-relative address.
fn config_resources(config: Option<&Json>) -> FxHashMap<&str, &Json> {
    config
        .and_then(|c| c.get("resources"))
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|r| r.get("mode").and_then(Json::as_str) != Some("data"))
        .filter_map(|r| Some((r.get("address")?.as_str()?, r)))
        .collect()
}

/// The azurerm major the plan's `provider_config` selects (the root module's constraint
/// first), else the newest, as for `.tf`.
fn azurerm_major(configuration: Option<&Json>) -> u32 {
    let providers = configuration
        .and_then(|c| c.get("provider_config"))
        .and_then(Json::members)
        .unwrap_or_default();
    let azurerm = |m: &&Member| {
        m.value.get("name").and_then(Json::as_str) == Some("azurerm")
            || m.value
                .get("full_name")
                .and_then(Json::as_str)
                .is_some_and(|n| n.ends_with("hashicorp/azurerm"))
    };
    let constraint = |m: &Member| {
        m.value
            .get("version_constraint")
            .and_then(Json::as_str)
            .map(str::to_owned)
    };
    let root = providers
        .iter()
        .filter(azurerm)
        .filter(|m| m.value.get("module_address").is_none())
        .find_map(constraint);
    let any = || providers.iter().filter(azurerm).find_map(constraint);
    crate::major_of(root.or_else(any).as_deref())
}
