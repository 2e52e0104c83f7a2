//! Fixture trees for the configuration loader: the walk up, aliases, `extends`, the cache root.

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
