//! Bicep and ARM modules through the deployment graph: registry modules read from the
//! module cache (aliases, `cacheRootDirectory` with `~`, template specs), findings inside
//! them moved to the user's module call, modules that cannot be read as coverage gaps,
//! modules linted once through their callers, and parameters for every format of root.

mod common;

use std::collections::BTreeSet;

use common::{CACHED_STORAGE, PUBLIC_STORAGE, Run, Tree, bicep_workspace, with_cache};
use isolint_deploy::Options;

fn main_bicep(reference: &str, access: &str) -> String {
    format!(
        "module storage '{reference}' = {{
  name: 'storage'
  params: {{
    name: 'stcontoso'
    publicNetworkAccess: '{access}'
  }}
}}

{}",
        bicep_workspace("storage.outputs.resourceId")
    )
}

#[test]
fn a_registry_module_in_the_cache_is_read_and_its_finding_moves_to_the_argument() {
    let tree = Tree::new(&[
        (
            "root/main.bicep",
            &main_bicep(
                "br/public:avm/res/storage/storage-account:0.11.0",
                "Enabled",
            ),
        ),
        (PUBLIC_STORAGE, CACHED_STORAGE),
    ]);
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep")],
        false,
        &with_cache(&tree.path("cache")),
    );
    assert_eq!(run.errors(), Vec::<String>::new());
    assert_eq!(run.gaps(), Vec::<String>::new());
    assert_eq!(
        run.hidden("main.json"),
        Some(true),
        "the cached template is hidden"
    );
    let aml101 = run.of("AML101");
    assert_eq!(aml101.len(), 1, "{:#?}", run.findings);
    // At the argument the user wrote, never in the cache; the place inside is a label.
    assert_eq!(run.at(aml101[0]), "main.bicep:5: 'Enabled'");
    assert!(
        aml101[0]
            .message
            .contains("with the value given for parameter `publicNetworkAccess`"),
        "{}",
        aml101[0].message
    );
    assert!(
        aml101[0]
            .labels
            .iter()
            .any(|l| l.message.contains("inside the module")),
        "{:?}",
        aml101[0].labels
    );
    for finding in &run.findings {
        let file = run.sources.get(finding.span.file).unwrap();
        assert!(!file.hidden, "{} points into the cache", finding.rule.id);
    }
}

#[test]
fn a_registry_module_missing_from_the_cache_is_a_gap_that_names_bicep_restore() {
    let tree = Tree::new(&[(
        "root/main.bicep",
        &main_bicep(
            "br/public:avm/res/storage/storage-account:0.11.0",
            "Enabled",
        ),
    )]);
    std::fs::create_dir_all(tree.path("cache")).unwrap();
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep")],
        false,
        &with_cache(&tree.path("cache")),
    );
    let cov = run.of("COV001");
    assert_eq!(cov.len(), 1, "{:#?}", run.findings);
    assert_eq!(
        run.at(cov[0]),
        "main.bicep:1: 'br/public:avm/res/storage/storage-account:0.11.0'"
    );
    assert!(cov[0].message.contains("is not in the Bicep module cache"));
    assert!(
        cov[0].message.contains("run `bicep restore "),
        "{}",
        cov[0].message
    );
    assert_eq!(cov[0].level, isolint_rules::Level::Warning);
    assert!(run.deployment.analysis.notes.is_empty());
}

#[test]
fn a_custom_alias_and_a_cache_root_under_home_are_followed() {
    let tree = Tree::new(&[
        (
            "root/bicepconfig.json",
            r#"{
  "cacheRootDirectory": "~/bicep-cache",
  "moduleAliases": {
    "br": { "contoso": { "registry": "contoso.azurecr.io", "modulePath": "infra/modules" } }
  }
}"#,
        ),
        (
            "root/main.bicep",
            &main_bicep("br/contoso:storage:V1", "Enabled"),
        ),
        (
            "home/bicep-cache/br/contoso.azurecr.io/infra$modules$storage/V1$1/main.json",
            CACHED_STORAGE,
        ),
    ]);
    let options = Options {
        home: Some(tree.path("home")),
        ..Options::default()
    };
    let files = [tree.path("root/main.bicep")];
    assert_eq!(
        isolint_deploy::bicep_cache_roots(&files, &tree.root(), &options),
        [tree.path("home/bicep-cache")]
    );
    let run = Run::new(&tree, &files, false, &options);
    assert_eq!(run.gaps(), Vec::<String>::new());
    assert_eq!(run.of("AML101").len(), 1, "{:#?}", run.findings);
}

#[test]
fn a_template_spec_is_read_from_its_wrapper() {
    let wrapper = format!(
        r#"{{
  "id": "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-specs/providers/Microsoft.Resources/templateSpecs/storage/versions/1.0",
  "type": "Microsoft.Resources/templateSpecs/versions",
  "properties": {{ "mainTemplate": {CACHED_STORAGE} }}
}}"#
    );
    let tree = Tree::new(&[
        (
            "root/main.bicep",
            &main_bicep(
                "ts:00000000-0000-0000-0000-0000000000aa/rg-specs/storage:1.0",
                "Enabled",
            ),
        ),
        (
            "cache/ts/00000000-0000-0000-0000-0000000000aa/rg-specs/storage/1.0/main.json",
            &wrapper,
        ),
    ]);
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep")],
        false,
        &with_cache(&tree.path("cache")),
    );
    assert_eq!(run.gaps(), Vec::<String>::new());
    assert_eq!(run.of("AML101").len(), 1, "{:#?}", run.findings);
}

#[test]
fn a_cached_main_json_that_is_not_a_template_is_a_gap_at_the_call() {
    let tree = Tree::new(&[
        (
            "root/main.bicep",
            &main_bicep(
                "br/public:avm/res/storage/storage-account:0.11.0",
                "Enabled",
            ),
        ),
        (PUBLIC_STORAGE, "{ \"hello\": SECRET-IN-THE-CACHE"),
        (
            "root/valid.bicep",
            "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: 'mlw-valid'\n  properties: {\n    publicNetworkAccess: 'Enabled'\n  }\n}\n",
        ),
    ]);
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep"), tree.path("root/valid.bicep")],
        false,
        &with_cache(&tree.path("cache")),
    );
    let cov = run.of("COV001");
    assert_eq!(cov.len(), 1, "{:#?}", run.findings);
    assert!(run.at(cov[0]).starts_with("main.bicep:1: 'br/public:"));
    assert!(
        cov[0].message.contains("is not an ARM template"),
        "{}",
        cov[0].message
    );
    for diagnostic in &run.deployment.analysis.diagnostics {
        assert!(!diagnostic.message.contains("SECRET"), "{diagnostic:?}");
        if let Some(span) = diagnostic.span {
            assert!(
                !run.sources.get(span.file).unwrap().hidden,
                "{diagnostic:?}"
            );
        }
    }
    // The other file still lints.
    assert!(
        run.of("AML001")
            .iter()
            .any(|f| run.at(f).starts_with("valid.bicep"))
    );
}

#[test]
fn a_json_module_called_from_bicep_is_linted_once() {
    let storage = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "access": { "type": "string", "defaultValue": "Enabled" } },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-05-01",
      "name": "stcontoso",
      "location": "westeurope",
      "sku": { "name": "Standard_LRS" },
      "kind": "StorageV2",
      "properties": { "publicNetworkAccess": "[parameters('access')]" }
    }
  ],
  "outputs": { "id": { "type": "string", "value": "[resourceId('Microsoft.Storage/storageAccounts', 'stcontoso')]" } }
}"#;
    let main = format!(
        "module storage 'storage.json' = {{\n  name: 'storage'\n  params: {{\n    access: 'Disabled'\n  }}\n}}\n\n{}",
        bicep_workspace("storage.outputs.id")
    );
    let tree = Tree::new(&[("root/main.bicep", &main), ("root/storage.json", storage)]);
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep"), tree.path("root/storage.json")],
        false,
        &Options::default(),
    );
    let storages: Vec<_> = run
        .deployment
        .analysis
        .resources
        .iter()
        .filter(|r| r.is("Microsoft.Storage/storageAccounts"))
        .collect();
    assert_eq!(storages.len(), 1, "linted through its caller only");
    assert_eq!(run.deployment.roots, 1);
    // With the caller's value, `Disabled`: nothing to report.
    assert!(run.of("AML101").is_empty(), "{:#?}", run.findings);
}

#[test]
fn a_module_called_twice_gives_a_finding_per_call() {
    let module = "param name string
param access string
resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: name
  location: 'westeurope'
  properties: {
    publicNetworkAccess: access
  }
}
";
    let main = "module one 'ws.bicep' = {
  name: 'ws-one'
  params: {
    name: 'mlw-one'
    access: 'Enabled'
  }
}
module two 'ws.bicep' = {
  name: 'ws-two'
  params: {
    name: 'mlw-two'
    access: 'Enabled'
  }
}
";
    let tree = Tree::new(&[("root/main.bicep", main), ("root/ws.bicep", module)]);
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep")],
        false,
        &Options::default(),
    );
    let aml001 = run.of("AML001");
    assert_eq!(aml001.len(), 2, "{:#?}", run.findings);
    let fingerprints: BTreeSet<String> = aml001.iter().map(|f| f.fingerprint()).collect();
    assert_eq!(fingerprints.len(), 2);
    // Each names the call it belongs to: the module's symbol leads the resource's name.
    let calls: BTreeSet<&str> = aml001
        .iter()
        .filter_map(|f| {
            ["one", "two"].into_iter().find(|call| {
                f.message
                    .contains(&format!("`{call} > workspace (mlw-{call})`"))
            })
        })
        .collect();
    assert_eq!(
        calls.len(),
        2,
        "{:?}",
        aml001.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

const WORKSPACE_TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "publicNetworkAccess": { "type": "string", "defaultValue": "Disabled" } },
  "resources": [
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "mlw-contoso",
      "location": "westeurope",
      "properties": { "publicNetworkAccess": "[parameters('publicNetworkAccess')]" }
    }
  ]
}"#;

#[test]
fn a_bicepparam_file_using_a_json_template_reads_it_as_arm() {
    let tree = Tree::new(&[
        ("root/main.json", WORKSPACE_TEMPLATE),
        (
            "root/prod.bicepparam",
            "using './main.json'\n\nparam publicNetworkAccess = 'Enabled'\n",
        ),
    ]);
    let run = Run::new(
        &tree,
        &[tree.path("root/prod.bicepparam")],
        true,
        &Options::default(),
    );
    assert_eq!(run.diagnostics(), Vec::<String>::new());
    let aml001 = run.of("AML001");
    assert_eq!(aml001.len(), 1, "{:#?}", run.findings);
    assert!(
        aml001[0]
            .message
            .contains("with the value given for parameter `publicNetworkAccess`"),
        "{}",
        aml001[0].message
    );
    assert!(
        !aml001[0].message.contains("default"),
        "{}",
        aml001[0].message
    );
}

#[test]
fn parameters_files_apply_to_bicep_roots_too() {
    let tree = Tree::new(&[
        (
            "root/main.bicep",
            "param publicNetworkAccess string = 'Disabled'
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-contoso'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: publicNetworkAccess
  }
}
",
        ),
        (
            "root/prod.parameters.json",
            r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "publicNetworkAccess": { "value": "Enabled" } }
}"#,
        ),
        (
            "root/other.parameters.json",
            r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "unrelated": { "value": 1 } }
}"#,
        ),
    ]);
    let options = Options {
        parameter_files: vec![
            tree.path("root/prod.parameters.json"),
            tree.path("root/other.parameters.json"),
        ],
        ..Options::default()
    };
    let run = Run::new(&tree, &[tree.path("root/main.bicep")], false, &options);
    let aml001 = run.of("AML001");
    assert_eq!(aml001.len(), 1, "{:#?}", run.findings);
    assert!(
        aml001[0]
            .message
            .contains("with the value given for parameter `publicNetworkAccess`"),
        "{}",
        aml001[0].message
    );
    // A parameters file that matches no parameter is said to be unused.
    let unused: Vec<String> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("parameters-unused"))
        .collect();
    assert_eq!(unused.len(), 1, "{:?}", run.diagnostics());
    assert!(unused[0].starts_with("Warning") && unused[0].contains("other.parameters.json"));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_to_a_module_outside_the_root_is_a_gap() {
    let tree = Tree::new(&[
        ("outside/storage.bicep", "SECRET-OUTSIDE"),
        (
            "root/main.bicep",
            "module storage 'modules/storage.bicep' = {\n  name: 'storage'\n}\n",
        ),
    ]);
    std::os::unix::fs::symlink(tree.path("outside"), tree.path("root/modules")).unwrap();
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep")],
        false,
        &Options::default(),
    );
    assert_eq!(
        run.gaps(),
        [
            "module `modules/storage.bicep` lies outside the project root: not followed: keep the module inside the project, or pass `--root DIR` naming a folder that holds both"
        ]
    );
    assert!(
        run.sources
            .files()
            .iter()
            .all(|f| !f.text.contains("SECRET"))
    );
}

#[test]
fn a_diamond_thirty_deep_across_formats_ends_quickly() {
    const DEPTH: usize = 30;
    let mut files: Vec<(String, String)> = Vec::new();
    for level in 0..DEPTH {
        let storage = format!("st{level}");
        let next_bicep = level + 1 < DEPTH / 2;
        let next = if next_bicep {
            format!("level{}.bicep", level + 1)
        } else {
            format!("level{}.json", level + 1)
        };
        let last = level + 1 == DEPTH;
        if level < DEPTH / 2 {
            let calls = if last {
                String::new()
            } else {
                format!(
                    "module a '{next}' = {{\n  name: 'a{level}'\n}}\nmodule b '{next}' = {{\n  name: 'b{level}'\n}}\n"
                )
            };
            files.push((
                format!("root/level{level}.bicep"),
                format!(
                    "resource {storage} 'Microsoft.Storage/storageAccounts@2023-05-01' = {{\n  name: '{storage}'\n  location: 'westeurope'\n}}\n{calls}"
                ),
            ));
        } else {
            let link = |name: &str| {
                format!(
                    r#", {{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "{name}{level}", "properties": {{ "mode": "Incremental", "templateLink": {{ "relativePath": "{next}" }} }} }}"#
                )
            };
            let calls = if last {
                String::new()
            } else {
                link("a") + &link("b")
            };
            files.push((
                format!("root/level{level}.json"),
                format!(
                    r#"{{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [ {{ "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "{storage}", "location": "westeurope" }}{calls} ] }}"#
                ),
            ));
        }
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let tree = Tree::new(&pairs);
    let paths: Vec<_> = files.iter().map(|(p, _)| tree.path(p)).collect();
    let started = std::time::Instant::now();
    let run = Run::new(&tree, &paths, false, &Options::default());
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 10, "took {elapsed:?}");
    assert_eq!(
        run.deployment.roots, 1,
        "one root: every other file is a module"
    );
    assert_eq!(run.sources.files().len(), DEPTH, "each file is read once");
    assert!(
        run.diagnostics()
            .iter()
            .any(|d| d.contains("expansion-budget")),
        "{:?}",
        run.diagnostics()
    );
}

#[test]
fn a_problem_inside_a_cached_template_is_reported_at_the_module_call() {
    let broken = CACHED_STORAGE.replace(
        "\"location\": \"westeurope\"",
        "\"location\": \"[concat('SECRET-EXPRESSION',, )]\"",
    );
    let tree = Tree::new(&[
        (
            "root/main.bicep",
            &main_bicep(
                "br/public:avm/res/storage/storage-account:0.11.0",
                "Enabled",
            ),
        ),
        (PUBLIC_STORAGE, &broken),
    ]);
    let run = Run::new(
        &tree,
        &[tree.path("root/main.bicep")],
        false,
        &with_cache(&tree.path("cache")),
    );
    let diagnostics = &run.deployment.analysis.diagnostics;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert!(
        diagnostic.path.ends_with("root/main.bicep"),
        "{diagnostic:?}"
    );
    assert_eq!(
        run.place(diagnostic.span.unwrap()),
        "main.bicep:1: 'br/public:avm/res/storage/storage-account:0.11.0'"
    );
    assert!(
        diagnostic.message.contains("template-error"),
        "{diagnostic:?}"
    );
    assert!(!diagnostic.message.contains("SECRET"), "{diagnostic:?}");
}
