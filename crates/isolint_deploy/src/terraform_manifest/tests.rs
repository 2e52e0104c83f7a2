//! Fixture trees for the manifest reader: nested keys, sources of every kind, stale
//! records, `TF_DATA_DIR`, and manifests that are broken or point outside the project.

use std::fs;

use tempfile::TempDir;

use super::*;

const REGISTRY_SOURCE: &str = "Azure/avm-res-machinelearningservices-workspace/azurerm";

/// A project with a Terraform root module in `infra/`.
struct Project {
    dir: TempDir,
}

impl Project {
    fn new() -> Self {
        Self {
            dir: TempDir::new().unwrap(),
        }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn root_module(&self) -> PathBuf {
        self.root().join("infra")
    }

    /// Writes `text` as the manifest under `data_dir` (relative to the root module) and
    /// creates the folder of every listed `dir`.
    fn install(&self, data_dir: &str, text: &str, dirs: &[&str]) {
        let manifest = self
            .root_module()
            .join(data_dir)
            .join("modules/modules.json");
        fs::create_dir_all(manifest.parent().unwrap()).unwrap();
        fs::write(&manifest, text).unwrap();
        for dir in dirs {
            fs::create_dir_all(self.root_module().join(dir)).unwrap();
        }
    }

    fn load(&self, tf_data_dir: Option<&str>) -> (ModuleManifest, Vec<Diagnostic>) {
        let sources = SourceMap::new();
        let mut diagnostics = Vec::new();
        let manifest = ModuleManifest::load(
            &self.root_module(),
            &self.root(),
            tf_data_dir.map(OsStr::new),
            &sources,
            &mut diagnostics,
        );
        (manifest, diagnostics)
    }
}

fn call<'a>(source: &'a str, version: Option<&'a str>) -> ModuleCall<'a> {
    ModuleCall { source, version }
}

/// The manifest `terraform init` writes for a registry module `aml` with a local
/// submodule, a git module with a `//subdir`, and a local module calling a registry one.
const NESTED: &str = r#"{"Modules":[
  {"Key":"","Source":"","Dir":"."},
  {"Key":"aml","Source":"registry.terraform.io/Azure/avm-res-machinelearningservices-workspace/azurerm","Version":"0.8.0","Dir":".terraform/modules/aml"},
  {"Key":"aml.connection","Source":"./modules/connection","Dir":".terraform/modules/aml/modules/connection"},
  {"Key":"net","Source":"git::https://github.com/contoso/modules.git//network?ref=v1.2.0","Dir":".terraform/modules/net/network"},
  {"Key":"platform","Source":"./platform","Dir":"platform"},
  {"Key":"platform.kv","Source":"registry.terraform.io/Azure/avm-res-keyvault-vault/azurerm","Version":"0.9.1","Dir":".terraform/modules/platform.kv"}
]}"#;

const NESTED_DIRS: [&str; 5] = [
    ".terraform/modules/aml",
    ".terraform/modules/aml/modules/connection",
    ".terraform/modules/net/network",
    "platform",
    ".terraform/modules/platform.kv",
];

#[test]
fn nested_keys_resolve_to_their_recorded_folders() {
    let project = Project::new();
    project.install(".terraform", NESTED, &NESTED_DIRS);
    let (manifest, diagnostics) = project.load(None);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let module = project.root_module();

    let aml = manifest
        .resolve("aml", &call(REGISTRY_SOURCE, Some("0.8.0")))
        .unwrap();
    assert_eq!(aml.dir, module.join(".terraform/modules/aml"));
    assert_eq!(aml.version.as_deref(), Some("0.8.0"));

    // A local submodule inside a registry module lives under the registry module's folder.
    let key = module_key(&["aml", "connection"]);
    assert_eq!(key, "aml.connection");
    let connection = manifest
        .resolve(&key, &call("./modules/connection", None))
        .unwrap();
    assert_eq!(
        connection.dir,
        module.join(".terraform/modules/aml/modules/connection")
    );

    // A git source with a `//subdir`, written as the GitHub shorthand.
    let net = manifest
        .resolve(
            "net",
            &call("github.com/contoso/modules//network?ref=v1.2.0", None),
        )
        .unwrap();
    assert_eq!(net.dir, module.join(".terraform/modules/net/network"));

    // A registry module called from a local module: key `platform.kv`, short source.
    let kv = manifest
        .resolve(
            "platform.kv",
            &call("Azure/avm-res-keyvault-vault/azurerm", Some("~> 0.9")),
        )
        .unwrap();
    assert_eq!(kv.dir, module.join(".terraform/modules/platform.kv"));

    // The root record.
    assert_eq!(manifest.record("").unwrap().dir, module);
    assert_eq!(module_key::<&str>(&[]), "");
}

#[test]
fn the_full_and_the_short_registry_forms_are_both_accepted() {
    let project = Project::new();
    let short = NESTED.replace(
        "registry.terraform.io/Azure/avm-res-machine",
        "Azure/avm-res-machine",
    );
    project.install(".terraform", &short, &NESTED_DIRS);
    let (manifest, _) = project.load(None);
    for source in [
        REGISTRY_SOURCE,
        "registry.terraform.io/Azure/avm-res-machinelearningservices-workspace/azurerm",
    ] {
        assert!(
            manifest.resolve("aml", &call(source, None)).is_ok(),
            "{source}"
        );
    }
}

#[test]
fn stale_records_are_not_followed() {
    let project = Project::new();
    project.install(".terraform", NESTED, &NESTED_DIRS);
    let (manifest, _) = project.load(None);
    let cause = |key: &str, source: &str, version: Option<&str>| {
        manifest
            .resolve(key, &call(source, version))
            .map(|record| record.dir.clone())
            .map_err(|unresolved| unresolved.cause)
    };

    // An exact pin that differs from the installed version.
    let stale = manifest
        .resolve("aml", &call(REGISTRY_SOURCE, Some("0.9.0")))
        .unwrap_err();
    assert_eq!(stale.cause, UnresolvedCause::Stale);
    assert!(stale.reason.contains("0.8.0"), "{}", stale.reason);
    assert!(stale.fix.contains("terraform init"), "{}", stale.fix);
    assert!(stale.fix.contains("terraform show -json"), "{}", stale.fix);

    // Ranges the installed version still meets are not stale; those it misses are.
    assert!(cause("aml", REGISTRY_SOURCE, Some("~> 0.8")).is_ok());
    assert!(cause("aml", REGISTRY_SOURCE, Some(">= 0.7, < 1.0")).is_ok());
    assert_eq!(
        cause("aml", REGISTRY_SOURCE, Some("~> 0.9")),
        Err(UnresolvedCause::Stale)
    );
    // No constraint: any installed version will do.
    assert!(cause("aml", REGISTRY_SOURCE, None).is_ok());

    // Another source, registry or git ref.
    assert_eq!(
        cause("aml", "Azure/avm-res-storage-storageaccount/azurerm", None),
        Err(UnresolvedCause::Stale)
    );
    assert_eq!(
        cause(
            "net",
            "git::https://github.com/contoso/modules.git//network?ref=v1.3.0",
            None
        ),
        Err(UnresolvedCause::Stale)
    );
    assert_eq!(
        cause("aml.connection", "./modules/other", None),
        Err(UnresolvedCause::Stale)
    );
}

#[test]
fn tf_data_dir_moves_the_manifest() {
    let project = Project::new();
    let text = NESTED.replace(".terraform/", "tfdata/");
    let dirs: Vec<String> = NESTED_DIRS
        .iter()
        .map(|dir| dir.replace(".terraform/", "tfdata/"))
        .collect();
    let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
    project.install("tfdata", &text, &dirs);

    let (manifest, diagnostics) = project.load(Some("tfdata"));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        manifest.path(),
        project.root_module().join("tfdata/modules/modules.json")
    );
    let aml = manifest
        .resolve("aml", &call(REGISTRY_SOURCE, None))
        .unwrap();
    assert_eq!(aml.dir, project.root_module().join("tfdata/modules/aml"));

    // Without the variable (or with it empty) the manifest is looked for in `.terraform`.
    for unset in [None, Some("")] {
        let (manifest, _) = project.load(unset);
        let error = manifest
            .resolve("aml", &call(REGISTRY_SOURCE, None))
            .unwrap_err();
        assert_eq!(error.cause, UnresolvedCause::NotInitialized);
        assert_eq!(
            error.expected.as_deref(),
            Some(
                project
                    .root_module()
                    .join(".terraform/modules/modules.json")
                    .as_path()
            )
        );
    }
}

#[test]
fn an_absolute_tf_data_dir_outside_the_project_is_followed() {
    let project = Project::new();
    let data = project.dir.path().join("ci-data");
    let text = format!(
        r#"{{"Modules":[{{"Key":"aml","Source":"{REGISTRY_SOURCE}","Version":"0.8.0","Dir":"{}"}}]}}"#,
        data.join("modules/aml").display()
    );
    fs::create_dir_all(data.join("modules/aml")).unwrap();
    fs::write(data.join("modules/modules.json"), text).unwrap();
    let (manifest, diagnostics) = project.load(data.to_str());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let aml = manifest
        .resolve("aml", &call(REGISTRY_SOURCE, None))
        .unwrap();
    assert_eq!(aml.dir, data.join("modules/aml"));
}

#[test]
fn missing_modules_and_folders_name_the_fix() {
    let project = Project::new();
    // `net`'s folder was deleted after `terraform init`.
    project.install(".terraform", NESTED, &NESTED_DIRS[..2]);
    let (manifest, _) = project.load(None);
    let unknown = manifest
        .resolve("other", &call("Azure/x/azurerm", None))
        .unwrap_err();
    assert_eq!(unknown.cause, UnresolvedCause::NotInstalled);
    assert!(unknown.reason.contains("no record"), "{}", unknown.reason);
    let gone = manifest
        .resolve(
            "net",
            &call(
                "git::https://github.com/contoso/modules.git//network?ref=v1.2.0",
                None,
            ),
        )
        .unwrap_err();
    assert_eq!(gone.cause, UnresolvedCause::NotInstalled);
    assert!(gone.reason.contains("missing"), "{}", gone.reason);
}

#[test]
fn a_manifest_that_is_not_json_is_a_located_error() {
    let project = Project::new();
    project.install(
        ".terraform",
        "{\"Modules\": [ {\"Key\": \"aml\",, } ]}",
        &[],
    );
    let (manifest, diagnostics) = project.load(None);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, "parse-error");
    assert!(diagnostics[0].span.is_some());
    assert!(diagnostics[0].path.ends_with("modules.json"));
    let error = manifest
        .resolve("aml", &call(REGISTRY_SOURCE, None))
        .unwrap_err();
    assert_eq!(error.cause, UnresolvedCause::ManifestUnreadable);
}

#[test]
fn a_manifest_of_the_wrong_shape_is_a_located_error() {
    for (text, fragment) in [
        ("[]", "[]"),
        (r#"{"Modules": {}}"#, "{}"),
        (r#"{"Modules": [42]}"#, "42"),
        (r#"{"Modules": [{"Key": "aml"}]}"#, r#"{"Key": "aml"}"#),
        (r#"{"Modules": [{"Key": 1, "Dir": "x"}]}"#, "1"),
    ] {
        let project = Project::new();
        project.install(".terraform", text, &[]);
        let (_, diagnostics) = project.load(None);
        assert_eq!(diagnostics.len(), 1, "{text}: {diagnostics:?}");
        assert_eq!(diagnostics[0].code, "manifest-error");
        let span = diagnostics[0].span.unwrap();
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            fragment,
            "{text}"
        );
    }
    // An empty manifest (as Terraform treats a missing one) is fine.
    let project = Project::new();
    project.install(".terraform", r#"{"Modules": null}"#, &[]);
    assert!(project.load(None).1.is_empty());
}

#[test]
fn a_dir_that_leaves_the_project_is_refused_and_located() {
    let project = Project::new();
    let text = r#"{"Modules":[{"Key":"aml","Source":"Azure/x/azurerm","Version":"1.0.0","Dir":"../../../etc"}]}"#;
    project.install(".terraform", text, &[]);
    let (manifest, diagnostics) = project.load(None);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let span = diagnostics[0].span.unwrap();
    assert_eq!(
        &text[span.start as usize..span.end as usize],
        "\"../../../etc\""
    );
    let error = manifest
        .resolve("aml", &call("Azure/x/azurerm", None))
        .unwrap_err();
    assert_eq!(error.cause, UnresolvedCause::OutsideRoot);
}

#[test]
fn the_manifest_path_follows_tf_data_dir() {
    let root = Path::new("/work/infra");
    assert_eq!(
        manifest_path(root, None),
        PathBuf::from("/work/infra/.terraform/modules/modules.json")
    );
    assert_eq!(
        manifest_path(root, Some(OsStr::new("../tf"))),
        PathBuf::from("/work/tf/modules/modules.json")
    );
    assert_eq!(
        manifest_path(root, Some(OsStr::new("/var/tf"))),
        PathBuf::from("/var/tf/modules/modules.json")
    );
}
