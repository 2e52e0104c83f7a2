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

use isolint_arm::json::{self, Json, JsonKind};
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
    let root = files::normalize(project_root);
    let mut dir = files::normalize(bicep_file).parent()?.to_path_buf();
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
    let mut current = files::normalize(leaf);
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
    let next = files::normalize(&current.parent().unwrap_or(current).join(&*target));
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
        return Some(files::normalize(dir));
    }
    let default = || {
        options
            .home
            .map(|home| files::normalize(&home.join(".bicep")))
    };
    let Some((value, span, file)) = configured else {
        return default();
    };
    if value.trim().is_empty() {
        return default();
    }
    match expand_home(&value, options.home) {
        Some(dir) if dir.is_absolute() => Some(files::normalize(&dir)),
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
mod tests {
    use super::*;
    use std::fs;
    use tempfile::TempDir;

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    struct Fixture {
        dir: TempDir,
        project: PathBuf,
        home: PathBuf,
    }

    impl Fixture {
        fn new() -> Self {
            let dir = TempDir::new().unwrap();
            let project = dir.path().join("project");
            let home = dir.path().join("home");
            Self { dir, project, home }
        }

        fn root(&self) -> PathBuf {
            self.project.clone()
        }

        fn options(&self) -> LoadOptions<'_> {
            LoadOptions {
                project_root: &self.project,
                home: Some(&self.home),
                cache_override: None,
            }
        }

        fn load_for(&self, bicep_file: &str) -> (BicepConfig, Vec<Diagnostic>) {
            let sources = SourceMap::new();
            let mut diagnostics = Vec::new();
            let config = for_file(
                &self.root().join(bicep_file),
                &self.options(),
                &sources,
                &mut diagnostics,
            );
            (config, diagnostics)
        }
    }

    #[test]
    fn without_a_file_the_built_in_configuration_applies() {
        let fixture = Fixture::new();
        let (config, diagnostics) = fixture.load_for("main.bicep");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(config.files.is_empty());
        assert_eq!(config.module_aliases, ModuleAliases::built_in());
        assert_eq!(config.cache_root, Some(fixture.home.join(".bicep")));
    }

    #[test]
    fn the_nearest_file_wins_and_the_walk_stops_at_the_project_root() {
        let fixture = Fixture::new();
        // Above the project root: never read.
        write(
            &fixture.dir.path().join(FILE_NAME),
            r#"{"cacheRootDirectory": "/outside"}"#,
        );
        write(
            &fixture.root().join(FILE_NAME),
            r#"{"cacheRootDirectory": "/from-root"}"#,
        );
        write(
            &fixture.root().join("a").join(FILE_NAME),
            r#"{"cacheRootDirectory": "/from-a"}"#,
        );
        let (config, _) = fixture.load_for("a/b/main.bicep");
        assert_eq!(config.cache_root, Some(PathBuf::from("/from-a")));
        let (config, _) = fixture.load_for("c/main.bicep");
        assert_eq!(config.cache_root, Some(PathBuf::from("/from-root")));
        fs::remove_file(fixture.root().join(FILE_NAME)).unwrap();
        let (config, _) = fixture.load_for("c/main.bicep");
        assert_eq!(config.cache_root, Some(fixture.home.join(".bicep")));
    }

    #[test]
    fn custom_aliases_merge_onto_the_built_in_ones() {
        let fixture = Fixture::new();
        write(
            &fixture.root().join(FILE_NAME),
            r#"{
              // comments are allowed
              "moduleAliases": {
                "br": { "contoso": { "registry": "contoso.azurecr.io", "modulePath": "infra/modules" } },
                "ts": { "specs": { "subscription": "00000000-0000-0000-0000-000000000000", "resourceGroup": "rg-specs" } }
              }
            }"#,
        );
        let (config, diagnostics) = fixture.load_for("main.bicep");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let aliases = &config.module_aliases;
        assert_eq!(aliases.br["public"], ModuleAliases::built_in().br["public"]);
        assert_eq!(
            aliases.br["contoso"].registry.as_deref(),
            Some("contoso.azurecr.io")
        );
        assert_eq!(
            aliases.br["contoso"].module_path.as_deref(),
            Some("infra/modules")
        );
        assert_eq!(
            aliases.ts["specs"].resource_group.as_deref(),
            Some("rg-specs")
        );
    }

    #[test]
    fn cache_root_directory_expands_a_leading_tilde() {
        let fixture = Fixture::new();
        write(
            &fixture.root().join(FILE_NAME),
            r#"{"cacheRootDirectory": "~/x/cache"}"#,
        );
        let (config, diagnostics) = fixture.load_for("main.bicep");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.cache_root, Some(fixture.home.join("x/cache")));

        write(
            &fixture.root().join(FILE_NAME),
            r#"{"cacheRootDirectory": "~"}"#,
        );
        assert_eq!(
            fixture.load_for("main.bicep").0.cache_root,
            Some(fixture.home.clone())
        );
    }

    #[test]
    fn the_override_wins_over_every_configuration() {
        let fixture = Fixture::new();
        write(
            &fixture.root().join(FILE_NAME),
            r#"{"cacheRootDirectory": "~/x"}"#,
        );
        let sources = SourceMap::new();
        let mut diagnostics = Vec::new();
        let options = LoadOptions {
            cache_override: Some(Path::new("/ci/cache")),
            ..fixture.options()
        };
        let config = for_file(
            &fixture.root().join("main.bicep"),
            &options,
            &sources,
            &mut diagnostics,
        );
        assert_eq!(config.cache_root, Some(PathBuf::from("/ci/cache")));
    }

    #[test]
    fn a_relative_cache_root_or_an_unknown_home_is_a_located_warning() {
        let fixture = Fixture::new();
        let text = r#"{"cacheRootDirectory": "relative/cache"}"#;
        write(&fixture.root().join(FILE_NAME), text);
        let (config, diagnostics) = fixture.load_for("main.bicep");
        assert_eq!(config.cache_root, Some(fixture.home.join(".bicep")));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let span = diagnostics[0].span.unwrap();
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            "\"relative/cache\""
        );

        write(
            &fixture.root().join(FILE_NAME),
            r#"{"cacheRootDirectory": "~/x"}"#,
        );
        let sources = SourceMap::new();
        let mut diagnostics = Vec::new();
        let options = LoadOptions {
            home: None,
            ..fixture.options()
        };
        let config = for_file(
            &fixture.root().join("main.bicep"),
            &options,
            &sources,
            &mut diagnostics,
        );
        assert_eq!(config.cache_root, None);
        assert!(
            diagnostics[0].message.contains("home directory"),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn extends_merges_field_by_field_and_the_leaf_wins() {
        let fixture = Fixture::new();
        write(
            &fixture.root().join("shared/base.json"),
            r#"{
              "cacheRootDirectory": "/base-cache",
              "moduleAliases": { "br": {
                "contoso": { "registry": "base.azurecr.io", "modulePath": "base" },
                "public": { "registry": "mirror.example.com" }
              } }
            }"#,
        );
        write(
            &fixture.root().join("app").join(FILE_NAME),
            r#"{
              "extends": "../shared/base.json",
              "cacheRootDirectory": null,
              "moduleAliases": { "br": { "contoso": { "registry": "leaf.azurecr.io" } } }
            }"#,
        );
        let (config, diagnostics) = fixture.load_for("app/main.bicep");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.files.len(), 2);
        // `null` in the leaf leaves the base value.
        assert_eq!(config.cache_root, Some(PathBuf::from("/base-cache")));
        let contoso = &config.module_aliases.br["contoso"];
        assert_eq!(contoso.registry.as_deref(), Some("leaf.azurecr.io"));
        assert_eq!(contoso.module_path.as_deref(), Some("base"));
        let public = &config.module_aliases.br["public"];
        assert_eq!(public.registry.as_deref(), Some("mirror.example.com"));
        assert_eq!(public.module_path.as_deref(), Some("bicep"));
    }

    #[test]
    fn an_extends_cycle_is_located_and_falls_back_to_the_built_in_configuration() {
        let fixture = Fixture::new();
        let leaf = r#"{ "extends": "./base.json", "cacheRootDirectory": "/leaf" }"#;
        write(&fixture.root().join(FILE_NAME), leaf);
        let base = r#"{ "extends": "bicepconfig.json" }"#;
        write(&fixture.root().join("base.json"), base);
        let (config, diagnostics) = fixture.load_for("main.bicep");
        assert_eq!(config.files, Vec::<PathBuf>::new());
        assert_eq!(config.cache_root, Some(fixture.home.join(".bicep")));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let cycle = &diagnostics[0];
        assert!(cycle.message.contains("cycle"), "{}", cycle.message);
        assert!(cycle.path.ends_with("base.json"));
        let span = cycle.span.unwrap();
        assert_eq!(
            &base[span.start as usize..span.end as usize],
            "\"bicepconfig.json\""
        );
    }

    #[test]
    fn extends_rejects_absolute_missing_outside_and_too_deep_bases() {
        let fixture = Fixture::new();
        for (extends, expected) in [
            ("/etc/bicepconfig.json", "absolute"),
            ("C:\\\\configs\\\\base.json", "absolute"),
            ("missing.json", "does not exist"),
            ("../../outside.json", "outside the project root"),
            ("42", "must be a path"),
        ] {
            let value = if extends == "42" {
                extends.to_owned()
            } else {
                format!("\"{extends}\"")
            };
            write(
                &fixture.root().join(FILE_NAME),
                &format!(r#"{{ "extends": {value} }}"#),
            );
            let (config, diagnostics) = fixture.load_for("main.bicep");
            assert!(config.files.is_empty());
            assert_eq!(diagnostics.len(), 1, "{extends}: {diagnostics:?}");
            assert!(
                diagnostics[0].message.contains(expected),
                "{extends}: {}",
                diagnostics[0].message
            );
            assert!(diagnostics[0].span.is_some());
        }

        // A chain of 70 files, each extending the next.
        for i in 0..70 {
            write(
                &fixture.root().join(format!("c{i}.json")),
                &format!(r#"{{ "extends": "c{}.json" }}"#, i + 1),
            );
        }
        write(&fixture.root().join("c70.json"), "{}");
        write(
            &fixture.root().join(FILE_NAME),
            r#"{ "extends": "c0.json" }"#,
        );
        let (_, diagnostics) = fixture.load_for("main.bicep");
        assert!(
            diagnostics[0].message.contains("longer than 64"),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn a_configuration_that_is_not_json_is_a_located_error() {
        let fixture = Fixture::new();
        write(&fixture.root().join(FILE_NAME), "{ \"moduleAliases\": { ,");
        let (config, diagnostics) = fixture.load_for("main.bicep");
        assert_eq!(config.module_aliases, ModuleAliases::built_in());
        assert_eq!(diagnostics[0].code, "parse-error");
        assert!(diagnostics[0].span.is_some());
    }

    #[test]
    fn settings_of_the_wrong_type_are_ignored_with_a_warning() {
        let fixture = Fixture::new();
        write(
            &fixture.root().join(FILE_NAME),
            r#"{ "moduleAliases": { "br": { "a": 1, "b": { "registry": true } }, "ts": [] },
                 "cacheRootDirectory": 3 }"#,
        );
        let (config, diagnostics) = fixture.load_for("main.bicep");
        assert_eq!(diagnostics.len(), 4, "{diagnostics:?}");
        assert!(diagnostics.iter().all(|d| d.span.is_some()));
        assert_eq!(config.module_aliases.br["b"], OciAlias::default());
        assert!(!config.module_aliases.br.contains_key("a"));
    }
}
