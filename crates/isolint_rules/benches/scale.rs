//! How the whole analysis scales with the size of one template: an ARM template with `n`
//! isolated workspaces, each linking its own storage account, key vault and container
//! registry, each with its private endpoints (the workspace's with a DNS zone group) and a
//! compute cluster. Cost must grow linearly with `n`: 8,000 workspaces may take at most
//! 4.8 times (1.2 × linear) the time of 2,000.
//!
//! `cargo bench -p isolint_rules --bench scale` times each stage (`lower`: read, evaluate
//! and lower the template; `model`: `Model::new`; `check`: every rule) and the three
//! together (`end_to_end`), at 2,000 and 8,000 workspaces. Compare the two rows of a stage
//! from one run: timings from different runs of a shared machine do not compare. Two more
//! benches time the ARM evaluator alone on shapes the main template does not have: one
//! object read member by member (`lower_member_reads`), and `reference()` to every
//! resource (`lower_references`).
//!
//! `ISOLINT_SCALE_SIZES=2000` (a comma-separated list) runs other sizes, for instance one
//! size per process under `perf stat`, whose instruction counts do not depend on the load
//! of the machine.

#![expect(
    clippy::expect_used,
    reason = "a benchmark binary: it stops on a broken setup and says why"
)]

use std::fmt::Write as _;
use std::path::PathBuf;

use divan::{Bencher, black_box};
use isolint_model::{Model, Resource, SourceMap};
use tempfile::TempDir;

fn main() {
    divan::main();
}

/// The sizes compared (the ratio of their timings is the point), or those of
/// `ISOLINT_SCALE_SIZES`.
fn sizes() -> Vec<usize> {
    std::env::var("ISOLINT_SCALE_SIZES").map_or_else(
        |_| vec![2_000, 8_000],
        |list| {
            list.split(',')
                .map(|n| n.trim().parse().expect("ISOLINT_SCALE_SIZES lists numbers"))
                .collect()
        },
    )
}

/// One group of resources: a workspace, what it links, its private endpoints and compute.
/// Names are expressions over a parameter, as templates write them, so that the evaluator
/// and the graph both do their real work.
fn push_group(out: &mut String, i: usize) {
    let name = |prefix: &str| format!("concat(parameters('prefix'), '{prefix}{i}')");
    let id = |ty: &str, prefix: &str| format!("resourceId('{ty}', {})", name(prefix));
    let storage = id("Microsoft.Storage/storageAccounts", "st");
    let vault = id("Microsoft.KeyVault/vaults", "kv");
    let registry = id("Microsoft.ContainerRegistry/registries", "cr");
    let workspace = id("Microsoft.MachineLearningServices/workspaces", "mlw");
    // Every other workspace has a managed network with outbound rules of its own; the
    // others put their computes in a subnet and rely on their private endpoints.
    let (managed, subnet) = if i.is_multiple_of(2) {
        (
            format!(
                r#",
        "managedNetwork": {{
          "isolationMode": "AllowOnlyApprovedOutbound",
          "outboundRules": {{
            "pypi": {{ "type": "FQDN", "destination": "pypi.org" }},
            "st{i}": {{ "type": "PrivateEndpoint", "destination": {{ "serviceResourceId": "[{storage}]", "subresourceTarget": "blob" }} }}
          }}
        }}"#
            ),
            String::new(),
        )
    } else {
        (
            String::new(),
            r#",
          "subnet": { "id": "[variables('subnetId')]" }"#
                .to_owned(),
        )
    };
    let _ = write!(
        out,
        r#"
    {{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "[{st}]",
      "location": "[parameters('location')]",
      "sku": {{ "name": "Standard_LRS" }},
      "kind": "StorageV2",
      "properties": {{
        "publicNetworkAccess": "Disabled",
        "minimumTlsVersion": "TLS1_2",
        "networkAcls": {{ "defaultAction": "Deny", "bypass": "AzureServices" }}
      }}
    }},
    {{
      "type": "Microsoft.KeyVault/vaults",
      "apiVersion": "2023-07-01",
      "name": "[{kv}]",
      "location": "[parameters('location')]",
      "properties": {{
        "tenantId": "[subscription().tenantId]",
        "sku": {{ "family": "A", "name": "standard" }},
        "publicNetworkAccess": "Disabled",
        "networkAcls": {{ "defaultAction": "Deny" }}
      }}
    }},
    {{
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "[{cr}]",
      "location": "[parameters('location')]",
      "sku": {{ "name": "Premium" }},
      "properties": {{ "publicNetworkAccess": "Disabled" }}
    }},
    {{
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "[{mlw}]",
      "location": "[parameters('location')]",
      "tags": {{ "owner": "ml-platform", "env": "prod" }},
      "identity": {{ "type": "SystemAssigned" }},
      "dependsOn": [ "[{storage}]", "[{vault}]", "[{registry}]" ],
      "properties": {{
        "storageAccount": "[{storage}]",
        "keyVault": "[{vault}]",
        "containerRegistry": "[{registry}]",
        "imageBuildCompute": "cpu",
        "publicNetworkAccess": "Disabled"{managed}
      }}
    }},
    {{
      "type": "Microsoft.MachineLearningServices/workspaces/computes",
      "apiVersion": "2024-10-01",
      "name": "[format('{{0}}/cpu', {mlw})]",
      "location": "[parameters('location')]",
      "dependsOn": [ "[{workspace}]" ],
      "properties": {{
        "computeType": "AmlCompute",
        "disableLocalAuth": true,
        "properties": {{
          "vmSize": "STANDARD_DS3_V2",
          "enableNodePublicIp": false,
          "remoteLoginPortPublicAccess": "Disabled"{subnet}
        }}
      }}
    }}"#,
        st = name("st"),
        kv = name("kv"),
        cr = name("cr"),
        mlw = name("mlw"),
    );
    for (target, group) in [
        (&workspace, "amlworkspace"),
        (&storage, "blob"),
        (&storage, "file"),
        (&vault, "vault"),
        (&registry, "registry"),
    ] {
        let _ = write!(
            out,
            r#",
    {{
      "type": "Microsoft.Network/privateEndpoints",
      "apiVersion": "2023-09-01",
      "name": "[concat(parameters('prefix'), 'pe-{group}-{i}')]",
      "location": "[parameters('location')]",
      "dependsOn": [ "[{target}]" ],
      "properties": {{
        "subnet": {{ "id": "[variables('subnetId')]" }},
        "privateLinkServiceConnections": [
          {{
            "name": "{group}",
            "properties": {{ "privateLinkServiceId": "[{target}]", "groupIds": [ "{group}" ] }}
          }}
        ]
      }}
    }}"#
        );
    }
    let _ = write!(
        out,
        r#",
    {{
      "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
      "apiVersion": "2023-09-01",
      "name": "[concat(parameters('prefix'), 'pe-amlworkspace-{i}', '/default')]",
      "properties": {{
        "privateDnsZoneConfigs": [
          {{ "name": "api", "properties": {{ "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.api.azureml.ms')]" }} }},
          {{ "name": "notebooks", "properties": {{ "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.notebooks.azure.net')]" }} }}
        ]
      }}
    }}"#
    );
}

/// A template with the given variables (JSON members) and `n` resources written by
/// `resource`.
fn template(n: usize, variables: &str, resource: fn(&mut String, usize)) -> String {
    let mut out = String::with_capacity(n * 7_000);
    let _ = write!(
        out,
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "prefix": {{ "type": "string", "defaultValue": "aml" }},
    "location": {{ "type": "string", "defaultValue": "westeurope" }}
  }},
  "variables": {{ {variables} }},
  "resources": ["#
    );
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        resource(&mut out, i);
    }
    out.push_str("\n  ]\n}\n");
    out
}

/// The template with `n` groups of an isolated workspace.
fn workspaces(n: usize) -> String {
    let subnet = r#""subnetId": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]""#;
    template(n, subnet, push_group)
}

/// `n` storage accounts named by one object variable of `n` members, each read by its
/// own resource: `variables('names').st7`.
fn member_reads(n: usize) -> String {
    let names: Vec<String> = (0..n).map(|i| format!(r#""st{i}": "st{i}""#)).collect();
    let variables = format!(r#""names": {{ {} }}"#, names.join(", "));
    template(n, &variables, |out, i| {
        let _ = write!(
            out,
            r#"
    {{ "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[variables('names').st{i}]", "properties": {{ "publicNetworkAccess": "Disabled" }} }}"#
        );
    })
}

/// `n` storage accounts and `n` key vaults, each vault reading its own account's
/// properties through `reference()`.
fn references(n: usize) -> String {
    template(n, "", |out, i| {
        let _ = write!(
            out,
            r#"
    {{ "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[concat(parameters('prefix'), 'st{i}')]", "properties": {{ "publicNetworkAccess": "Disabled" }} }},
    {{ "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[concat(parameters('prefix'), 'kv{i}')]", "properties": {{ "publicNetworkAccess": "[reference(resourceId('Microsoft.Storage/storageAccounts', concat(parameters('prefix'), 'st{i}'))).publicNetworkAccess]" }} }}"#
        );
    })
}

/// The template with `n` groups, written to a temporary folder (the frontend reads files).
struct Fixture {
    _dir: TempDir,
    files: Vec<PathBuf>,
}

impl Fixture {
    fn new(text: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("azuredeploy.json");
        std::fs::write(&path, text).expect("the generated template");
        Self {
            _dir: dir,
            files: vec![path],
        }
    }

    /// Reads, evaluates and lowers the template.
    fn lower(&self) -> Vec<Resource> {
        let sources = SourceMap::new();
        let analysis = isolint_deploy::analyze_files(
            &self.files,
            &sources,
            &isolint_deploy::Options::default(),
        );
        assert!(
            analysis.diagnostics.is_empty(),
            "the generated template reads cleanly: {:?}",
            analysis.diagnostics
        );
        analysis.resources
    }
}

/// Every rule, as `isolint check` runs them; the number of findings.
fn rules(model: &Model) -> usize {
    isolint_rules::check(model, &isolint_rules::Options::default()).len()
}

/// Read, evaluate and lower the template.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn lower(bencher: Bencher<'_, '_>, n: usize) {
    let fixture = Fixture::new(&workspaces(n));
    bencher.bench_local(|| fixture.lower());
}

/// Build the graph from the lowered resources.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn model(bencher: Bencher<'_, '_>, n: usize) {
    let resources = Fixture::new(&workspaces(n)).lower();
    bencher
        .with_inputs(|| resources.clone())
        .bench_local_values(Model::new);
}

/// Run every rule over the graph.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn check(bencher: Bencher<'_, '_>, n: usize) {
    let model = Model::new(Fixture::new(&workspaces(n)).lower());
    assert_eq!(
        rules(&model),
        n / 2,
        "one finding per workspace without a managed network (AML002), nothing else"
    );
    bencher.bench_local(|| rules(black_box(&model)));
}

/// The three stages together.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn end_to_end(bencher: Bencher<'_, '_>, n: usize) {
    let fixture = Fixture::new(&workspaces(n));
    bencher.bench_local(|| rules(&Model::new(fixture.lower())));
}

/// The evaluator on one object of `n` members read member by member.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn lower_member_reads(bencher: Bencher<'_, '_>, n: usize) {
    let fixture = Fixture::new(&member_reads(n));
    assert_eq!(fixture.lower().len(), n);
    bencher.bench_local(|| fixture.lower());
}

/// The evaluator on `n` calls of `reference()`, each to another resource.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn lower_references(bencher: Bencher<'_, '_>, n: usize) {
    let fixture = Fixture::new(&references(n));
    assert_eq!(fixture.lower().len(), 2 * n);
    bencher.bench_local(|| fixture.lower());
}
