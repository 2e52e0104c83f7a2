//! The Bicep configuration that module references are resolved with: the nearest
//! `bicepconfig.json`, its `extends` chain merged onto the built-in defaults, the module
//! aliases and the module cache root.
//!
//! This follows the Bicep CLI (Azure/bicep `Configuration/BicepConfigurationManager.cs`,
//! `Configuration/BicepConfiguration.cs`, `Features/FeatureProvider.cs`):
//! - the configuration file is the nearest `bicepconfig.json` found walking up from the
//!   Bicep file's folder (isolint stops at the project root);
//! - `extends` names a base configuration by a path relative to the file that says it;
//!   absolute paths, cycles and chains deeper than 64 files are rejected, and then the
//!   built-in configuration is used, as Bicep does;
//! - layers merge onto the built-in defaults (`br/public` is registry `mcr.microsoft.com`,
//!   module path `bicep`) object by object, a `null` changing nothing, the leaf winning;
//! - `cacheRootDirectory` may start with `~` or `~/` (the home directory); without it the
//!   cache is `~/.bicep`; `--bicep-cache DIR` wins over both.
//!
//! JSON keys are compared case-insensitively (the span-keeping reader's convention), alias
//! names case-sensitively (Bicep's dictionaries are).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_json::{self as json, Json, JsonKind};
use isolint_model::{Diagnostic, SourceFile, SourceMap, Span};

use crate::files;

/// The name of the configuration file.
pub const FILE_NAME: &str = "bicepconfig.json";

/// How many files an `extends` chain may hold (Bicep's `MaxChainDepth`).
const MAX_EXTENDS_CHAIN: usize = 64;

/// The diagnostic code of a configuration that cannot be used as written.
const CONFIG_ERROR: &str = "bicepconfig-error";

/// What the configuration depends on outside its files. The caller reads the environment
/// (`HOME`) and the command line; this module never does.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions<'a> {
    /// The project root: the search for `bicepconfig.json` stops there, and `extends` never
    /// leaves it.
    pub project_root: &'a Path,
    /// The home directory, for a leading `~` and the default cache `~/.bicep`.
    pub home: Option<&'a Path>,
    /// The cache given on the command line (`--bicep-cache DIR`): wins over every
    /// configuration.
    pub cache_override: Option<&'a Path>,
}

/// The effective configuration for one Bicep file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BicepConfig {
    /// The configuration files merged, leaf first; empty when only the built-in
    /// configuration applies (no file, or a chain that could not be used).
    pub files: Vec<PathBuf>,
    /// The module aliases, built-in ones included.
    pub module_aliases: ModuleAliases,
    /// The root of the module cache; `None` when nothing gives one (no home directory, no
    /// override, no usable `cacheRootDirectory`).
    pub cache_root: Option<PathBuf>,
}

/// `moduleAliases`: short names for registries (`br/<alias>:`) and template spec
/// locations (`ts/<alias>:`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleAliases {
    /// `moduleAliases.br`, by alias name.
    pub br: BTreeMap<String, OciAlias>,
    /// `moduleAliases.ts`, by alias name.
    pub ts: BTreeMap<String, TemplateSpecAlias>,
}

/// One `moduleAliases.br` entry. Fields stay optional because layers merge field by field;
/// an alias used without a registry is an error at the reference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OciAlias {
    /// The registry (`mcr.microsoft.com`, `contoso.azurecr.io`).
    pub registry: Option<String>,
    /// A path prefix inside the registry (`bicep`).
    pub module_path: Option<String>,
}

/// One `moduleAliases.ts` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateSpecAlias {
    /// The subscription ID.
    pub subscription: Option<String>,
    /// The resource group name.
    pub resource_group: Option<String>,
}

impl ModuleAliases {
    /// The aliases every Bicep configuration starts from: `br/public`.
    pub fn built_in() -> Self {
        let public = OciAlias {
            registry: Some("mcr.microsoft.com".to_owned()),
            module_path: Some("bicep".to_owned()),
        };
        Self {
            br: BTreeMap::from([("public".to_owned(), public)]),
            ts: BTreeMap::new(),
        }
    }
}

/// The nearest `bicepconfig.json` above `bicep_file`: in its folder, then each parent up to
/// and including `project_root`. `None` when there is none, or when the file lies outside
/// the project root.
pub fn nearest(bicep_file: &Path, project_root: &Path, sources: &SourceMap) -> Option<PathBuf> {
    let root = isolint_model::source::normalize(project_root);
    let mut dir = isolint_model::source::normalize(bicep_file)
        .parent()?
        .to_path_buf();
    while dir.starts_with(&root) {
        let candidate = dir.join(FILE_NAME);
        if files::is_file(sources, &candidate) {
            return Some(candidate);
        }
        if !dir.pop() {
            break;
        }
    }
    None
}

/// The configuration for `bicep_file`: [`load`] of its [`nearest`] configuration file.
pub fn for_file(
    bicep_file: &Path,
    options: &LoadOptions<'_>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> BicepConfig {
    let config_file = nearest(bicep_file, options.project_root, sources);
    load(config_file.as_deref(), options, sources, diagnostics)
}

/// The configuration from `config_file` and its `extends` chain, merged onto the built-in
/// one; only the built-in one when `config_file` is `None`. A file that cannot be read or
/// parsed, or a broken `extends` chain, gives an error diagnostic (located where possible)
/// and the built-in configuration, as in Bicep; a setting of the wrong type gives a
/// warning and is ignored.
pub fn load(
    config_file: Option<&Path>,
    options: &LoadOptions<'_>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> BicepConfig {
    let layers = match config_file.map(|leaf| read_chain(leaf, options, sources)) {
        None => Vec::new(),
        Some(Ok(layers)) => layers,
        Some(Err(diagnostic)) => {
            diagnostics.push(diagnostic);
            Vec::new()
        }
    };
    let mut merged = Merged {
        module_aliases: ModuleAliases::built_in(),
        cache_root_directory: None,
    };
    // Base first, leaf last: later layers win.
    for layer in layers.iter().rev() {
        merged.apply(layer, diagnostics);
    }
    BicepConfig {
        files: layers.iter().map(|layer| layer.file.path.clone()).collect(),
        cache_root: cache_root(merged.cache_root_directory, options, diagnostics),
        module_aliases: merged.module_aliases,
    }
}

/// One configuration file of a chain.
struct Layer {
    file: Arc<SourceFile>,
    json: Json,
}

/// Reads `leaf` and the files it extends, leaf first.
fn read_chain(
    leaf: &Path,
    options: &LoadOptions<'_>,
    sources: &SourceMap,
) -> Result<Vec<Layer>, Diagnostic> {
    let mut layers: Vec<Layer> = Vec::new();
    let mut current = isolint_model::source::normalize(leaf);
    loop {
        let file = files::read(sources, &current)?;
        let json = json::parse(&file)?;
        let extends = json.get("extends").cloned();
        layers.push(Layer { file, json });
        let Some(extends) = extends else {
            return Ok(layers);
        };
        let Some(next) = extended_file(&current, &extends, &layers, options, sources)? else {
            return Ok(layers);
        };
        current = next;
    }
}

/// The file an `extends` value names, checked as Bicep checks it; `None` when the value
/// is `null` or blank (no base).
fn extended_file(
    current: &Path,
    extends: &Json,
    layers: &[Layer],
    options: &LoadOptions<'_>,
    sources: &SourceMap,
) -> Result<Option<PathBuf>, Diagnostic> {
    let error =
        |message: String| Diagnostic::error(CONFIG_ERROR, message, current).at(extends.span);
    let target = match &extends.kind {
        JsonKind::Null => return Ok(None),
        JsonKind::String(s) if s.text.trim().is_empty() => return Ok(None),
        JsonKind::String(s) => s.text.clone(),
        _ => return Err(error("`extends` must be a path (a string)".to_owned())),
    };
    if is_absolute_anywhere(&target) {
        return Err(error(format!(
            "`extends` must be a path relative to this file; `{target}` is absolute"
        ))
        .with_help("write the base configuration's path relative to this bicepconfig.json"));
    }
    let next =
        isolint_model::source::normalize(&current.parent().unwrap_or(current).join(&*target));
    if let Some(start) = layers.iter().position(|layer| layer.file.path == next) {
        let chain: Vec<String> = layers[start..]
            .iter()
            .map(|layer| layer.file.name.clone())
            .chain([isolint_model::source::display_name(&next)])
            .collect();
        return Err(error(format!(
            "`extends` forms a cycle: {}",
            chain.join(" -> ")
        )));
    }
    if layers.len() >= MAX_EXTENDS_CHAIN {
        return Err(error(format!(
            "the `extends` chain is longer than {MAX_EXTENDS_CHAIN} files"
        )));
    }
    if !files::is_inside(&next, options.project_root) {
        return Err(error(format!(
            "`extends` names `{target}`, outside the project root: not followed"
        )));
    }
    if !files::is_file(sources, &next) {
        return Err(error(format!(
            "`extends` names `{target}`, which does not exist"
        )));
    }
    Ok(Some(next))
}

/// Absolute on any platform: `/x`, `\x`, `C:\x`, `C:/x`. A configuration is shared between
/// machines, so a Windows path is absolute here too.
fn is_absolute_anywhere(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with(['/', '\\'])
        || (bytes.len() >= 3
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && matches!(bytes[2], b'/' | b'\\'))
}

/// The settings merged so far.
struct Merged {
    module_aliases: ModuleAliases,
    /// The `cacheRootDirectory` value, where it is written, and in which file.
    cache_root_directory: Option<(Arc<str>, Span, PathBuf)>,
}

impl Merged {
    /// Merges one layer over what came before.
    fn apply(&mut self, layer: &Layer, diagnostics: &mut Vec<Diagnostic>) {
        let mut read = Reader {
            file: &layer.file,
            diagnostics,
        };
        if let Some(aliases) = read.object(&layer.json, "moduleAliases") {
            for (name, alias) in read.entries(aliases, "br") {
                let merged = self.module_aliases.br.entry(name).or_default();
                read.string_into(alias, "registry", &mut merged.registry);
                read.string_into(alias, "modulePath", &mut merged.module_path);
            }
            for (name, alias) in read.entries(aliases, "ts") {
                let merged = self.module_aliases.ts.entry(name).or_default();
                read.string_into(alias, "subscription", &mut merged.subscription);
                read.string_into(alias, "resourceGroup", &mut merged.resource_group);
            }
        }
        if let Some(value) = layer.json.get("cacheRootDirectory") {
            match &value.kind {
                JsonKind::Null => {}
                JsonKind::String(s) => {
                    self.cache_root_directory =
                        Some((s.text.clone(), value.span, layer.file.path.clone()));
                }
                _ => read.wrong_type(value, "`cacheRootDirectory`", "a string"),
            }
        }
    }
}

/// Reads typed settings out of one layer, warning (at the value) about the wrong types.
struct Reader<'a> {
    file: &'a SourceFile,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// The object member `key` of `parent`; `None` when absent, `null`, or not an object.
    fn object<'j>(&mut self, parent: &'j Json, key: &str) -> Option<&'j Json> {
        let value = parent.get(key)?;
        match &value.kind {
            JsonKind::Object(_) => Some(value),
            JsonKind::Null => None,
            _ => {
                self.wrong_type(value, &format!("`{key}`"), "an object");
                None
            }
        }
    }

    /// The entries of the object member `key` of `parent` whose values are objects.
    fn entries<'j>(&mut self, parent: &'j Json, key: &str) -> Vec<(String, &'j Json)> {
        let Some(object) = self.object(parent, key) else {
            return Vec::new();
        };
        let mut entries = Vec::new();
        for member in object.members().unwrap_or_default() {
            match &member.value.kind {
                JsonKind::Object(_) => entries.push((member.key.to_string(), &member.value)),
                JsonKind::Null => {}
                _ => self.wrong_type(
                    &member.value,
                    &format!("alias `{}`", member.key),
                    "an object",
                ),
            }
        }
        entries
    }

    /// Sets `target` from the string member `key` of `parent`, when there is one.
    fn string_into(&mut self, parent: &Json, key: &str, target: &mut Option<String>) {
        let Some(value) = parent.get(key) else {
            return;
        };
        match &value.kind {
            JsonKind::String(s) => *target = Some(s.text.to_string()),
            JsonKind::Null => {}
            _ => self.wrong_type(value, &format!("`{key}`"), "a string"),
        }
    }

    fn wrong_type(&mut self, value: &Json, what: &str, expected: &str) {
        self.diagnostics.push(
            Diagnostic::warning(
                CONFIG_ERROR,
                format!("{what} must be {expected}: ignored"),
                &self.file.path,
            )
            .at(value.span),
        );
    }
}

/// The module cache: the override, else `cacheRootDirectory` (with `~` expanded), else
/// `~/.bicep`.
fn cache_root(
    configured: Option<(Arc<str>, Span, PathBuf)>,
    options: &LoadOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PathBuf> {
    if let Some(dir) = options.cache_override {
        return Some(isolint_model::source::normalize(dir));
    }
    let default = || {
        options
            .home
            .map(|home| isolint_model::source::normalize(&home.join(".bicep")))
    };
    let Some((value, span, file)) = configured else {
        return default();
    };
    if value.trim().is_empty() {
        return default();
    }
    match expand_home(&value, options.home) {
        Some(dir) if dir.is_absolute() => Some(isolint_model::source::normalize(&dir)),
        expanded => {
            let why = if expanded.is_none() {
                "it starts with `~` and the home directory is unknown"
            } else {
                "it is not an absolute path (nor one starting with `~/`)"
            };
            diagnostics.push(
                Diagnostic::warning(
                    CONFIG_ERROR,
                    format!("`cacheRootDirectory` `{value}` cannot be used: {why}; the default `~/.bicep` is used"),
                    &file,
                )
                .at(span)
                .with_help("write an absolute path, or one that starts with `~/`"),
            );
            default()
        }
    }
}

/// `value` with a leading `~` or `~/` (`~\`) replaced by `home`, as Bicep's
/// `ExpandCacheRootDirectory` does; `None` when it needs `home` and there is none.
fn expand_home(value: &str, home: Option<&Path>) -> Option<PathBuf> {
    let Some(rest) = value.strip_prefix('~') else {
        return Some(PathBuf::from(value));
    };
    if rest.is_empty() {
        return home.map(Path::to_path_buf);
    }
    match rest.strip_prefix(['/', '\\']) {
        Some(below) => home.map(|home| home.join(below)),
        // `~user/x` is not expanded (Bicep leaves it as written).
        None => Some(PathBuf::from(value)),
    }
}

#[cfg(test)]
mod tests;
