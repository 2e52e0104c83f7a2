//! Benchmarks of the ARM frontend: the JSON reader against `jsonc-parser` alone on a
//! generated 5 MB template, the expression parser on typical expressions, and whole
//! analyses (read, lower, evaluate) of one typical template and of the JSON part of the
//! shared corpus (`../shared/corpus`, skipped when absent).
//!
//! `cargo bench -p isolint_arm --bench arm`; whole-process timings of the binary are in
//! `scripts/bench.sh`.

#![expect(
    clippy::expect_used,
    clippy::print_stderr,
    reason = "a benchmark binary: it stops on a broken setup and says why a benchmark is skipped"
)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use isolint_arm::expression::{self, Placement, StringValue};
use isolint_model::{FileId, SourceMap, Span};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy};

fn main() {
    if corpus_files().is_empty() {
        eprintln!(
            "note: no JSON files under {}: the corpus benchmark is skipped",
            corpus_dir().display()
        );
    }
    divan::main();
}

/// A commented ARM template of about `bytes` bytes: storage accounts with a few
/// expressions each, the shape the reader meets most.
fn generated_template(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  // Generated for isolint's benchmarks.
  "parameters": {
    "prefix": { "type": "string", "defaultValue": "st" },
    "location": { "type": "string", "defaultValue": "westeurope" }
  },
  "resources": ["#,
    );
    let mut i = 0;
    while out.len() < bytes {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"
    /* storage account {i} */
    {{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "[concat(parameters('prefix'), '{i}')]",
      "location": "[parameters('location')]",
      "sku": {{ "name": "Standard_LRS" }},
      "kind": "StorageV2",
      "properties": {{
        "publicNetworkAccess": "[if(equals(mod({i}, 2), 0), 'Disabled', 'Enabled')]", // half open
        "minimumTlsVersion": "TLS1_2",
        "networkAcls": {{ "defaultAction": "Deny", "bypass": "AzureServices", "ipRules": [], "virtualNetworkRules": [] }},
        "tags": [ "a", "b\u00e9", "c\"d", 1, 2.5, -3, true, false, null ]
      }}
    }}"#
        ));
        i += 1;
    }
    out.push_str("\n  ]\n}\n");
    out
}

static FIVE_MB: LazyLock<String> = LazyLock::new(|| generated_template(5 << 20));

mod json_reader {
    use super::{
        BytesCount, CollectOptions, CommentCollectionStrategy, FIVE_MB, SourceMap, black_box,
    };
    use divan::Bencher;
    use std::path::Path;

    /// `jsonc-parser` alone, as `isolint_json::parse` calls it.
    #[divan::bench]
    fn jsonc_parser_alone(bencher: Bencher<'_, '_>) {
        let text: &str = &FIVE_MB;
        let collect = CollectOptions {
            comments: CommentCollectionStrategy::Off,
            tokens: false,
        };
        let options = isolint_json::strict_options();
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| jsonc_parser::parse_to_ast(black_box(text), &collect, &options));
    }

    /// `isolint_json::parse`: the same, plus the owned tree with spans.
    #[divan::bench]
    fn isolint_json_parse(bencher: Bencher<'_, '_>) {
        let sources = SourceMap::new();
        let file = sources.add(Path::new("generated.json"), FIVE_MB.as_str().into());
        bencher
            .counter(BytesCount::of_str(&*file.text))
            .bench(|| isolint_json::parse(black_box(&file)));
    }
}

/// Expressions as templates write them, hand-written and compiled from Bicep.
const TYPICAL: &[&str] = &[
    "[parameters('location')]",
    "[variables('storageName')]",
    "[resourceGroup().location]",
    "[concat(parameters('prefix'), 'st', uniqueString(resourceGroup().id))]",
    "[format('{0}-pe-{1}', parameters('prefix'), variables('endpoints')[copyIndex()].name)]",
    "[resourceId('Microsoft.Storage/storageAccounts', variables('storageName'))]",
    "[if(equals(parameters('publicNetworkAccess'), 'Disabled'), 'Deny', 'Allow')]",
    "[reference(resourceId('Microsoft.Resources/deployments', 'network'), '2022-09-01').outputs.subnetId.value]",
    "[toLower(take(concat(parameters('prefix'), 'acr', variables('suffix')), 50))]",
    "[shallowMerge(createArray(createObject('publicNetworkAccess', parameters('publicNetworkAccess'), 'managedNetwork', createObject('isolationMode', coalesce(tryGet(parameters('managedNetwork'), 'isolationMode'), 'AllowOnlyApprovedOutbound'))), if(not(empty(parameters('tags'))), createObject('tags', parameters('tags')), createObject())))]",
];

fn placement() -> Placement {
    Placement {
        file: FileId(0),
        string_span: Span::new(FileId(0), 0, 0),
        text_start: Some(1),
    }
}

/// The ten typical expressions above, one after the other.
#[divan::bench]
fn expression_parse_typical(bencher: Bencher<'_, '_>) {
    bencher.counter(ItemsCount::new(TYPICAL.len())).bench(|| {
        for text in TYPICAL {
            if let StringValue::Expression(inner) = expression::classify(black_box(text)) {
                let _ = black_box(expression::parse(inner, 1, placement()));
            }
        }
    });
}

/// The longest of them (a Bicep spread compiled to `shallowMerge`).
#[divan::bench]
fn expression_parse_bicep_spread(bencher: Bencher<'_, '_>) {
    let text = TYPICAL[TYPICAL.len() - 1];
    let StringValue::Expression(inner) = expression::classify(text) else {
        unreachable!("an expression")
    };
    bencher
        .counter(BytesCount::of_str(inner))
        .bench(|| expression::parse(black_box(inner), 1, placement()));
}

fn analyze(files: &[PathBuf]) -> isolint_model::Analysis {
    // A fresh source map each time: the files are read again (from the page cache).
    let sources = SourceMap::new();
    isolint_deploy::analyze_files(files, &sources, &isolint_deploy::Options::default())
}

/// Read, lower and evaluate one typical template (an isolated AML workspace with its
/// dependencies, loops, conditions and private endpoints).
#[divan::bench]
fn analyze_typical_template(bencher: Bencher<'_, '_>) {
    let files = [Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/typical.json")];
    assert!(!analyze(&files).resources.is_empty());
    bencher
        .counter(BytesCount::new(file_bytes(&files)))
        .bench(|| analyze(black_box(&files)));
}

/// Read, lower and evaluate the generated 5 MB template.
#[divan::bench(sample_count = 10)]
fn analyze_generated_5_mb(bencher: Bencher<'_, '_>) {
    let dir = std::env::temp_dir().join(format!("isolint-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let files = [dir.join("generated.json")];
    std::fs::write(&files[0], FIVE_MB.as_str()).expect("the generated template");
    bencher
        .counter(BytesCount::of_str(FIVE_MB.as_str()))
        .bench(|| analyze(black_box(&files)));
    let _ = std::fs::remove_dir_all(&dir);
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Every `.json` file of the shared corpus, sorted; empty when the corpus is absent.
fn corpus_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if isolint_arm::accepts(&path) {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&corpus_dir(), &mut files);
    files.sort();
    files
}

fn file_bytes(files: &[PathBuf]) -> u64 {
    files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum()
}

/// Read, lower and evaluate every JSON file of the shared corpus in one call (templates,
/// parameter files and other JSON alike).
#[divan::bench(ignore = corpus_files().is_empty())]
fn analyze_corpus_json(bencher: Bencher<'_, '_>) {
    let files = corpus_files();
    bencher
        .counter(BytesCount::new(file_bytes(&files)))
        .bench(|| analyze(black_box(&files)));
}
