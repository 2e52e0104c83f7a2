//! Reference parsing, the cache layout, and resolution against fixture caches.

use std::fs;

use isolint_json as json;
use tempfile::TempDir;

use super::*;
use crate::bicepconfig::{self, LoadOptions, OciAlias, TemplateSpecAlias};

const DIGEST: &str = "sha256:e207a69d02b3de40d48ede9fd208d80441a9e590a83a0bc915d46244c03310d4";
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-0000000000aa";

fn parse(reference: &str) -> Result<ModuleReference, Unresolved> {
    ModuleReference::parse(reference, &ModuleAliases::built_in())
}

fn registry(reference: &str) -> OciArtifact {
    match parse(reference) {
        Ok(ModuleReference::Registry(artifact)) => artifact,
        other => panic!("{reference}: {other:?}"),
    }
}

fn tag(text: &str) -> OciVersion {
    OciVersion::Tag(text.to_owned())
}

#[test]
fn tags_encode_their_upper_case_mask_as_bicep_does() {
    // Azure/bicep `src/Bicep.Core.UnitTests/Registry/TagEncoderTests.cs`.
    for (tag, encoded) in [
        ("", "$"),
        ("v1", "v1$"),
        ("V1", "V1$1"),
        ("AbCd", "AbCd$5"),
        ("ABCD", "ABCD$f"),
        ("ABCDABCDABCDABCD", "ABCDABCDABCDABCD$ffff"),
        ("ABCDABCDABCDABCDAB", "ABCDABCDABCDABCDAB$3ffff"),
        (
            "ABCDABCDABCDABCDABCDABCDABCDABCD",
            "ABCDABCDABCDABCDABCDABCDABCDABCD$ffffffff",
        ),
        (
            "ABCDABCDABCDABCDABCDABCDABCDABCDA",
            "ABCDABCDABCDABCDABCDABCDABCDABCDA$1ffffffff",
        ),
        (
            "ABCDABCDABCDABCDABCDABCDABCDABCDAbC",
            "ABCDABCDABCDABCDABCDABCDABCDABCDAbC$5ffffffff",
        ),
    ] {
        assert_eq!(encode_tag(tag), encoded, "{tag}");
    }
    // Past 64 characters the mask spans both of Bicep's 64-bit halves.
    let all_upper = "A".repeat(128);
    assert_eq!(
        encode_tag(&all_upper),
        format!("{all_upper}${}", "f".repeat(32))
    );
    let one_high = format!("{}B", "a".repeat(64));
    assert_eq!(
        encode_tag(&one_high),
        format!("{one_high}$1{}", "0".repeat(16))
    );
}

#[test]
fn the_public_alias_expands_to_mcr_and_bicep() {
    let artifact = registry("br/public:avm/res/machine-learning-services/workspace:0.14.0");
    assert_eq!(artifact.registry, "mcr.microsoft.com");
    assert_eq!(
        artifact.repository,
        "bicep/avm/res/machine-learning-services/workspace"
    );
    assert_eq!(artifact.version, tag("0.14.0"));
    assert_eq!(
        artifact.cache_dir(Path::new("/c")),
        PathBuf::from(
            "/c/br/mcr.microsoft.com/bicep$avm$res$machine-learning-services$workspace/0.14.0$"
        )
    );
    assert_eq!(
        ModuleReference::Registry(artifact).to_string(),
        "br:mcr.microsoft.com/bicep/avm/res/machine-learning-services/workspace:0.14.0"
    );
}

#[test]
fn explicit_registries_keep_ports_and_lower_case_in_the_cache() {
    let artifact = registry("br:Contoso.AzureCR.io:5000/infra/storage:V1");
    assert_eq!(artifact.registry, "Contoso.AzureCR.io:5000");
    assert_eq!(artifact.repository, "infra/storage");
    assert_eq!(
        artifact.cache_dir(Path::new("/c")),
        PathBuf::from("/c/br/contoso.azurecr.io$5000/infra$storage/V1$1")
    );
    // A single-segment repository.
    assert_eq!(registry("br:example.com/storage:v1").repository, "storage");
    // Segments are URL-decoded before they are checked.
    assert_eq!(
        registry("br:example.com/st%6Frage:v1").repository,
        "storage"
    );
}

#[test]
fn digest_references_use_the_digest_directory() {
    let artifact = registry(&format!("br:contoso.azurecr.io/infra/storage@{DIGEST}"));
    assert_eq!(artifact.version, OciVersion::Digest(DIGEST.to_owned()));
    assert_eq!(
        artifact.cache_dir(Path::new("/c")),
        PathBuf::from(format!(
            "/c/br/contoso.azurecr.io/infra$storage/{}",
            DIGEST.replace(':', "#")
        ))
    );
    let alias = registry(&format!("br/public:avm/res/x@{DIGEST}"));
    assert_eq!(alias.repository, "bicep/avm/res/x");
}

#[test]
fn custom_aliases_apply_their_registry_and_module_path() {
    let mut aliases = ModuleAliases::built_in();
    aliases.br.insert(
        "contoso".into(),
        OciAlias {
            registry: Some("contoso.azurecr.io".into()),
            module_path: Some("infra/modules".into()),
        },
    );
    aliases.br.insert(
        "bare".into(),
        OciAlias {
            registry: Some("bare.azurecr.io".into()),
            module_path: None,
        },
    );
    aliases.br.insert("broken".into(), OciAlias::default());
    aliases.ts.insert(
        "specs".into(),
        TemplateSpecAlias {
            subscription: Some(SUBSCRIPTION.into()),
            resource_group: Some("rg-Specs".into()),
        },
    );
    let parse = |reference: &str| ModuleReference::parse(reference, &aliases);

    let Ok(ModuleReference::Registry(contoso)) = parse("br/contoso:aml/workspace:2.0") else {
        panic!()
    };
    assert_eq!(contoso.registry, "contoso.azurecr.io");
    assert_eq!(contoso.repository, "infra/modules/aml/workspace");
    let Ok(ModuleReference::Registry(bare)) = parse("br/bare:workspace:2.0") else {
        panic!()
    };
    assert_eq!(bare.repository, "workspace");

    let Ok(ModuleReference::TemplateSpec(spec)) = parse("ts/specs:Workspace:V1.0") else {
        panic!()
    };
    assert_eq!(spec.subscription, SUBSCRIPTION);
    assert_eq!(spec.resource_group, "rg-Specs");
    assert_eq!(
        spec.cache_dir(Path::new("/C")),
        PathBuf::from(format!("/C/ts/{SUBSCRIPTION}/rg-specs/workspace/v1.0"))
    );

    for (reference, why) in [
        ("br/nope:x:1", "not declared"),
        ("br/broken:x:1", "no `registry`"),
        ("ts/nope:x:1", "not declared"),
        ("br/Public:x:1", "not declared"),
    ] {
        let error = parse(reference).unwrap_err();
        assert_eq!(error.cause, UnresolvedCause::UnknownAlias, "{reference}");
        assert!(error.reason.contains(why), "{reference}: {}", error.reason);
        assert!(error.fix.contains("moduleAliases"), "{}", error.fix);
    }
}

#[test]
fn template_specs_parse_with_and_without_aliases() {
    let Ok(ModuleReference::TemplateSpec(spec)) =
        parse(&format!("ts:{SUBSCRIPTION}/rg/networking(1):2.0-beta"))
    else {
        panic!()
    };
    assert_eq!(spec.resource_group, "rg");
    assert_eq!(spec.name, "networking(1)");
    assert_eq!(spec.version, "2.0-beta");
}

#[test]
fn local_paths_and_malformed_references() {
    assert_eq!(
        parse("modules/storage.bicep"),
        Ok(ModuleReference::Local("modules/storage.bicep".into()))
    );
    for (reference, why) in [
        ("", "empty"),
        ("oci:example.com/x:1", "not a module scheme"),
        ("br:example.com", "written `br:"),
        ("br:example.com/x", "no tag"),
        ("br:example.com/x:", "no tag"),
        ("br:example.com/Upper:v1", "repository path segment"),
        ("br:example.com/a//b:v1", "repository path segment"),
        ("br:example.com/a/x:-v1", "not a tag"),
        ("br:example.com/a/x@sha256:abc", "not a digest"),
        ("br: /x:v1", "registry host"),
        ("br/bad alias:x:v1", "alias name"),
        ("ts:not-a-guid/rg/name:v1", "subscription"),
        (&format!("ts:{SUBSCRIPTION}/rg./name:v1"), "resource group"),
        (
            &format!("ts:{SUBSCRIPTION}/rg/name.:v1"),
            "template spec name",
        ),
        (&format!("ts:{SUBSCRIPTION}/rg/name"), "written `ts:"),
    ] {
        let error = parse(reference).unwrap_err();
        assert_eq!(
            error.cause,
            UnresolvedCause::InvalidReference,
            "{reference}"
        );
        assert!(error.reason.contains(why), "{reference}: {}", error.reason);
    }
    let long_tag = format!("br:example.com/x:{}", "a".repeat(129));
    assert!(parse(&long_tag).is_err());
}

/// A project with `main.bicep` and a module cache in a temporary folder.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        Self {
            dir: TempDir::new().unwrap(),
        }
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    fn main_bicep(&self) -> PathBuf {
        self.dir.path().join("project/main.bicep")
    }

    fn config(&self) -> BicepConfig {
        BicepConfig {
            files: Vec::new(),
            module_aliases: ModuleAliases::built_in(),
            cache_root: Some(self.cache()),
        }
    }

    /// Writes `files` into the cache directory of `reference`.
    fn restore(&self, reference: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = match parse(reference).unwrap() {
            ModuleReference::Registry(artifact) => artifact.cache_dir(&self.cache()),
            ModuleReference::TemplateSpec(spec) => spec.cache_dir(&self.cache()),
            ModuleReference::Local(_) => panic!("{reference} is local"),
        };
        fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            fs::write(dir.join(name), text).unwrap();
        }
        dir
    }

    fn resolve(&self, reference: &str) -> Result<Resolved, Unresolved> {
        resolve(
            reference,
            &self.main_bicep(),
            &self.config(),
            &SourceMap::new(),
        )
    }
}

const TEMPLATE: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "languageVersion": "2.0", "resources": {}}"#;

#[test]
fn a_restored_module_resolves_to_its_main_json() {
    let fixture = Fixture::new();
    let reference = "br/public:avm/res/machine-learning-services/workspace:0.14.0";
    let dir = fixture.restore(
        reference,
        &[
            ("main.json", TEMPLATE),
            ("manifest", "{}"),
            ("metadata", r#"{"manifestDigest":"sha256:00"}"#),
        ],
    );
    assert!(dir.ends_with(
        "br/mcr.microsoft.com/bicep$avm$res$machine-learning-services$workspace/0.14.0$"
    ));
    assert_eq!(
        fixture.resolve(reference),
        Ok(Resolved::Cached(CachedTemplate {
            path: dir.join("main.json"),
            layout: TemplateLayout::Template,
            complete: true,
        }))
    );
}

#[test]
fn upper_case_tags_and_digests_resolve_in_their_own_directories() {
    let fixture = Fixture::new();
    let upper = "br:contoso.azurecr.io/infra/storage:V1";
    let upper_dir = fixture.restore(upper, &[("main.json", TEMPLATE)]);
    assert!(upper_dir.ends_with("V1$1"), "{}", upper_dir.display());
    let digest = format!("br:contoso.azurecr.io/infra/storage@{DIGEST}");
    let digest_dir = fixture.restore(&digest, &[("main.json", TEMPLATE)]);
    for (reference, dir) in [(upper, &upper_dir), (digest.as_str(), &digest_dir)] {
        let Ok(Resolved::Cached(cached)) = fixture.resolve(reference) else {
            panic!("{reference}")
        };
        assert_eq!(&cached.path, &dir.join("main.json"));
        // Only main.json: readable, but not a complete restore.
        assert!(!cached.complete);
    }
    // `v1` is another tag, in another directory (`v1$`), and is not restored.
    let lower = fixture
        .resolve("br:contoso.azurecr.io/infra/storage:v1")
        .unwrap_err();
    assert_eq!(lower.cause, UnresolvedCause::NotRestored);
    assert!(lower.expected.unwrap().ends_with("v1$/main.json"));
}

#[test]
fn a_module_missing_from_the_cache_says_to_restore() {
    let fixture = Fixture::new();
    let reference = "br/public:avm/res/key-vault/vault:0.6.2";
    // manifest and metadata without main.json do not make a module.
    fixture.restore(reference, &[("manifest", "{}"), ("metadata", "{}")]);
    let error = fixture.resolve(reference).unwrap_err();
    assert_eq!(error.cause, UnresolvedCause::NotRestored);
    assert!(error.reason.contains(reference), "{}", error.reason);
    assert!(error.fix.contains("bicep restore"), "{}", error.fix);
    assert!(error.fix.contains("main.bicep"), "{}", error.fix);
    assert_eq!(
        error.expected,
        Some(
            fixture
                .cache()
                .join("br/mcr.microsoft.com/bicep$avm$res$key-vault$vault/0.6.2$/main.json")
        )
    );
}

#[test]
fn template_specs_resolve_to_the_wrapped_template() {
    let fixture = Fixture::new();
    let reference = format!("ts:{SUBSCRIPTION}/RG-Specs/Workspace:V1");
    let spec = format!(
        r#"{{"id": "/subscriptions/{SUBSCRIPTION}/resourceGroups/RG-Specs/providers/Microsoft.Resources/templateSpecs/Workspace/versions/V1",
            "properties": {{"mainTemplate": {TEMPLATE}}}}}"#
    );
    let dir = fixture.restore(&reference, &[("main.json", &spec)]);
    assert!(dir.ends_with(format!("ts/{SUBSCRIPTION}/rg-specs/workspace/v1")));
    let Ok(Resolved::Cached(cached)) = fixture.resolve(&reference) else {
        panic!()
    };
    assert_eq!(cached.layout, TemplateLayout::TemplateSpecVersion);
    assert!(cached.complete);

    let sources = SourceMap::new();
    let file = sources.read(&cached.path).unwrap();
    let document = json::parse(&file).unwrap();
    let template = cached.layout.template(&document).unwrap();
    assert!(template.get("languageVersion").is_some());
    assert!(TemplateLayout::Template.template(&document).is_some());
    let bare = json::parse(&sources.add(Path::new("t.json"), TEMPLATE.into())).unwrap();
    assert!(
        TemplateLayout::TemplateSpecVersion
            .template(&bare)
            .is_none()
    );
}

#[test]
fn local_references_join_the_bicep_files_folder() {
    let fixture = Fixture::new();
    assert_eq!(
        fixture.resolve("../shared/./storage.bicep"),
        Ok(Resolved::Local(
            fixture.dir.path().join("shared/storage.bicep")
        ))
    );
}

#[test]
fn without_a_cache_root_registry_modules_say_how_to_give_one() {
    let fixture = Fixture::new();
    let config = BicepConfig {
        cache_root: None,
        ..fixture.config()
    };
    let error = resolve(
        "br/public:avm/res/x:1.0",
        &fixture.main_bicep(),
        &config,
        &SourceMap::new(),
    )
    .unwrap_err();
    assert_eq!(error.cause, UnresolvedCause::NoCache);
    assert!(error.fix.contains("--bicep-cache"), "{}", error.fix);
}

#[test]
fn a_custom_alias_and_a_tilde_cache_root_from_bicepconfig() {
    let fixture = Fixture::new();
    let project = fixture.dir.path().join("project");
    let home = fixture.dir.path().join("home");
    fs::create_dir_all(&project).unwrap();
    fs::write(
        project.join("bicepconfig.json"),
        r#"{
          "cacheRootDirectory": "~/x",
          "moduleAliases": { "br": { "contoso": { "registry": "contoso.azurecr.io", "modulePath": "bicep/modules" } } }
        }"#,
    )
    .unwrap();
    let options = LoadOptions {
        project_root: &project,
        home: Some(&home),
        cache_override: None,
    };
    let sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let config = bicepconfig::for_file(&fixture.main_bicep(), &options, &sources, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(config.cache_root.as_deref(), Some(home.join("x").as_path()));

    let dir = home.join("x/br/contoso.azurecr.io/bicep$modules$aml$workspace/2.1.0$");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("main.json"), TEMPLATE).unwrap();
    let resolved = resolve(
        "br/contoso:aml/workspace:2.1.0",
        &fixture.main_bicep(),
        &config,
        &sources,
    );
    let Ok(Resolved::Cached(cached)) = resolved else {
        panic!("{resolved:?}")
    };
    assert_eq!(cached.path, dir.join("main.json"));
}
