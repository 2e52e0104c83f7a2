//! Fixture trees and one run of the deployment graph and the rules over them.

#![allow(
    dead_code,
    clippy::unwrap_used,
    reason = "each test file uses the helpers it needs; a broken fixture is a failed test"
)]

use std::path::{Path, PathBuf};

use isolint_deploy::{Deployment, Options, Request};
use isolint_model::coverage::GapReport;
use isolint_model::{Model, Project, Severity, SourceMap};
use isolint_rules::Finding;

/// A temporary project: `root/` holds the files, `cache/` a Bicep module cache beside it.
pub(crate) struct Tree {
    pub(crate) dir: tempfile::TempDir,
}

impl Tree {
    pub(crate) fn new(files: &[(&str, &str)]) -> Self {
        let tree = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        for (path, text) in files {
            tree.write(path, text);
        }
        tree
    }

    /// `path` below the temporary folder (`root/main.bicep`, `cache/br/...`).
    pub(crate) fn path(&self, path: &str) -> PathBuf {
        self.dir.path().join(path)
    }

    pub(crate) fn write(&self, path: &str, text: &str) -> PathBuf {
        let path = self.path(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub(crate) fn root(&self) -> PathBuf {
        self.path("root")
    }
}

/// What one run gives.
pub(crate) struct Run {
    pub(crate) deployment: Deployment,
    pub(crate) sources: SourceMap,
    pub(crate) model: Model,
    /// Every rule's findings, relocated out of module caches, in focus.
    pub(crate) findings: Vec<Finding>,
}

impl Run {
    /// Reads `files` (named on the command line when `named`) of the project `tree.root()`
    /// with `options`, the Bicep caches they use readable.
    pub(crate) fn new(tree: &Tree, files: &[PathBuf], named: bool, options: &Options) -> Self {
        Self::with_project(tree, files, named, &[], options)
    }

    pub(crate) fn with_project(
        tree: &Tree,
        files: &[PathBuf],
        named: bool,
        project_files: &[PathBuf],
        options: &Options,
    ) -> Self {
        let root = tree.root();
        let mut project = Project::new(&root);
        let all: Vec<PathBuf> = files.iter().chain(project_files).cloned().collect();
        for cache in isolint_deploy::bicep_cache_roots(&all, &root, options) {
            project = project.with_cache(cache);
        }
        let sources = SourceMap::confined(project);
        let request = Request {
            named: if named { files } else { &[] },
            files,
            project_files,
            options,
        };
        let deployment = isolint_deploy::analyze(&request, &sources);
        let model = Model::new(deployment.analysis.resources.clone());
        let mut findings = isolint_rules::check(&model, &isolint_rules::Options::default());
        isolint_rules::relocate(&mut findings, &model, &sources);
        let focus = &deployment.focus;
        findings
            .retain(|f| focus.contains(f.span) || f.labels.iter().any(|l| focus.contains(l.span)));
        isolint_rules::sort_findings(&mut findings, &sources);
        Self {
            deployment,
            sources,
            model,
            findings,
        }
    }

    /// The findings of rule `id`.
    pub(crate) fn of(&self, id: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.rule.id == id).collect()
    }

    /// `file:line: text at the span` of a finding, the file relative to the temporary folder.
    pub(crate) fn at(&self, finding: &Finding) -> String {
        self.place(finding.span)
    }

    pub(crate) fn place(&self, span: isolint_model::Span) -> String {
        let file = self.sources.get(span.file).unwrap();
        let line = file.position(span.start).line;
        let name = file
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        format!("{name}:{line}: {}", file.slice(span))
    }

    /// The coverage gaps, as `reason` texts.
    pub(crate) fn gaps(&self) -> Vec<String> {
        self.deployment
            .analysis
            .resources
            .iter()
            .filter_map(GapReport::of)
            .map(|gap| format!("{}: {}", gap.reason, gap.fix))
            .collect()
    }

    /// Error diagnostics, as text.
    pub(crate) fn errors(&self) -> Vec<String> {
        self.deployment
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}: {}", d.path.display(), d.code, d.message))
            .collect()
    }

    /// Every diagnostic, as text.
    pub(crate) fn diagnostics(&self) -> Vec<String> {
        self.deployment
            .analysis
            .diagnostics
            .iter()
            .map(|d| format!("{:?} {}: {}", d.severity, d.code, d.message))
            .collect()
    }

    /// Whether a file whose path ends with `suffix` was read, and hidden.
    pub(crate) fn hidden(&self, suffix: &str) -> Option<bool> {
        self.sources
            .files()
            .iter()
            .find(|f| f.path.ends_with(suffix))
            .map(|f| f.hidden)
    }
}

/// Options with `cache` as the Bicep module cache.
pub(crate) fn with_cache(cache: &Path) -> Options {
    Options {
        bicep_cache: Some(cache.to_path_buf()),
        ..Options::default()
    }
}

/// A compiled registry module: a storage account whose public access is a parameter
/// (default `Disabled`), and its ID as an output.
pub(crate) const CACHED_STORAGE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "metadata": { "_generator": { "name": "bicep", "version": "0.30.23.60470" } },
  "parameters": {
    "name": { "type": "string" },
    "publicNetworkAccess": { "type": "string", "defaultValue": "Disabled" }
  },
  "resources": {
    "storageAccount": {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-05-01",
      "name": "[parameters('name')]",
      "location": "westeurope",
      "sku": { "name": "Standard_LRS" },
      "kind": "StorageV2",
      "properties": {
        "publicNetworkAccess": "[parameters('publicNetworkAccess')]",
        "networkAcls": { "defaultAction": "Allow" }
      }
    }
  },
  "outputs": {
    "resourceId": {
      "type": "string",
      "value": "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]"
    }
  }
}"#;

/// Where `bicep restore` puts `br/public:avm/res/storage/storage-account:0.11.0`.
pub(crate) const PUBLIC_STORAGE: &str =
    "cache/br/mcr.microsoft.com/bicep$avm$res$storage$storage-account/0.11.0$/main.json";

/// A workspace linking the output `id_expression` as its storage account.
pub(crate) fn bicep_workspace(storage_id: &str) -> String {
    format!(
        "resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {{
  name: 'mlw-contoso'
  location: 'westeurope'
  properties: {{
    storageAccount: {storage_id}
    publicNetworkAccess: 'Disabled'
    managedNetwork: {{
      isolationMode: 'AllowOnlyApprovedOutbound'
    }}
  }}
}}
"
    )
}
