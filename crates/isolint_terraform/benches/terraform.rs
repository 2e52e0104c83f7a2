//! Benchmarks of the Terraform frontend: one module written as HCL and the same module
//! written as `.tf.json`, at two sizes. The JSON syntax costs a rewrite to HCL and a map
//! from every span of the rewrite back to the JSON; both must stay linear, so the JSON
//! time is a constant factor of the HCL time at any size.
//!
//! `cargo bench -p isolint_terraform --bench terraform`

#![expect(
    clippy::expect_used,
    reason = "a benchmark binary: it stops on a broken setup and says why"
)]

use std::fmt::Write as _;
use std::path::PathBuf;

use divan::{Bencher, black_box};
use isolint_model::SourceMap;

fn main() {
    divan::main();
}

/// `count` key vaults with a nested block and tags, as HCL.
fn hcl(count: usize) -> String {
    let mut out = String::new();
    for i in 0..count {
        let _ = write!(
            out,
            r#"resource "azurerm_key_vault" "kv{i}" {{
  name                          = "kv-{i}"
  location                      = "westeurope"
  sku_name                      = "premium"
  public_network_access_enabled = false
  network_acls {{
    default_action = "Deny"
    bypass         = "AzureServices"
  }}
  tags = {{
    owner = "team-{i}"
  }}
}}
"#
        );
    }
    out
}

/// The same resources as `.tf.json`.
fn json(count: usize) -> String {
    let resources: Vec<String> = (0..count)
        .map(|i| {
            format!(
                r#"      "kv{i}": {{
        "name": "kv-{i}",
        "location": "westeurope",
        "sku_name": "premium",
        "public_network_access_enabled": false,
        "network_acls": {{
          "default_action": "Deny",
          "bypass": "AzureServices"
        }},
        "tags": {{
          "owner": "team-{i}"
        }}
      }}"#
            )
        })
        .collect();
    format!(
        "{{\n  \"resource\": {{\n    \"azurerm_key_vault\": {{\n{}\n    }}\n  }}\n}}\n",
        resources.join(",\n")
    )
}

/// Writes one module file and analyzes it with a fresh source map each time.
fn bench_module(bencher: Bencher<'_, '_>, name: &str, text: &str) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, text).expect("the generated module");
    let files = [path];
    bencher.bench(|| {
        let sources = SourceMap::new();
        isolint_deploy::analyze_files(
            black_box(&files),
            &sources,
            &isolint_deploy::Options::default(),
        )
    });
}

/// 1,150 and 4,600 resources: about 15,000 and 60,000 lines of JSON.
const SIZES: [usize; 2] = [1_150, 4_600];

#[divan::bench(args = SIZES, sample_count = 5)]
fn module_as_hcl(bencher: Bencher<'_, '_>, resources: usize) {
    bench_module(bencher, "main.tf", &hcl(resources));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn module_as_tf_json(bencher: Bencher<'_, '_>, resources: usize) {
    bench_module(bencher, "main.tf.json", &json(resources));
}
