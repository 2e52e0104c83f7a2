//! Benchmarks of the Bicep frontend: the lexer and the parser on a generated 5 MB file and
//! on every `.bicep` file of the shared corpus (`../shared/corpus`, skipped when absent),
//! and whole analyses (parse, lower, evaluate) of the corpus.
//!
//! `cargo bench -p isolint_bicep --bench bicep`; whole-process timings of the binary are
//! in `scripts/bench.sh`.

#![expect(
    clippy::print_stderr,
    reason = "a benchmark binary: it says why a benchmark is skipped"
)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use isolint_model::SourceMap;

fn main() {
    if corpus_files().is_empty() {
        eprintln!(
            "note: no .bicep files under {}: the corpus benchmarks are skipped",
            corpus_dir().display()
        );
    }
    divan::main();
}

/// A Bicep file of about `bytes` bytes: parameters with decorators, then storage
/// accounts, workspaces with loops and conditions, interpolated names and comments.
fn generated_bicep(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        "// Generated for isolint's benchmarks.\n\
         @description('The name prefix.')\n\
         @minLength(3)\n\
         param prefix string = 'st'\n\
         param location string = resourceGroup().location\n\
         @allowed([\n  'Enabled'\n  'Disabled'\n])\n\
         param publicNetworkAccess string = 'Disabled'\n\
         var names = [for i in range(0, 3): '${prefix}-${i}']\n\n",
    );
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            r"/* storage account {i} */
resource st{i} 'Microsoft.Storage/storageAccounts@2023-01-01' = {{
  name: '${{prefix}}st{i}${{uniqueString(resourceGroup().id)}}'
  location: location
  sku: {{
    name: 'Standard_LRS'
  }}
  kind: 'StorageV2'
  properties: {{
    publicNetworkAccess: {i} % 2 == 0 ? 'Disabled' : publicNetworkAccess // half open
    minimumTlsVersion: 'TLS1_2'
    networkAcls: {{ defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] }}
    tags: [
      'a'
      'b\u{{e9}}'
      'c\'d'
      1
      -3
      true
      null
    ]
  }}
}}

resource ws{i} 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = if (length(names) > 1) {{
  name: 'ws-{i}'
  location: location
  identity: {{
    type: 'SystemAssigned'
  }}
  properties: {{
    storageAccount: st{i}.id
    publicNetworkAccess: publicNetworkAccess
    managedNetwork: {{
      isolationMode: 'AllowOnlyApprovedOutbound'
      outboundRules: {{
        '${{names[0]}}': {{ type: 'PrivateEndpoint', destination: {{ serviceResourceId: st{i}.id, subresourceTarget: 'blob' }} }}
      }}
    }}
  }}
}}

resource pe{i} 'Microsoft.Network/privateEndpoints@2023-04-01' = [for (name, j) in names: {{
  name: '${{name}}-pe-{i}-${{j}}'
  location: location
  properties: {{
    privateLinkServiceConnections: [
      {{
        name: name
        properties: {{ privateLinkServiceId: ws{i}.id, groupIds: [ 'amlworkspace' ] }}
      }}
    ]
  }}
}}]

"
        ));
        i += 1;
    }
    out
}

static FIVE_MB: LazyLock<String> = LazyLock::new(|| generated_bicep(5 << 20));

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Every `.bicep` file of the shared corpus, sorted; empty when the corpus is absent.
fn corpus_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&corpus_dir(), &mut files);
    files.sort();
    files
}

/// The texts of the corpus files, read once.
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    corpus_files()
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
});

fn corpus_bytes() -> usize {
    CORPUS.iter().map(String::len).sum()
}

mod generated_5_mb {
    use super::{Bencher, BytesCount, FIVE_MB, black_box};

    /// The lexer alone.
    #[divan::bench(sample_count = 20)]
    fn lex(bencher: Bencher<'_, '_>) {
        let text: &str = &FIVE_MB;
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| isolint_bicep::lexer::lex(black_box(text)));
    }

    /// The parser (which lexes first).
    #[divan::bench(sample_count = 20)]
    fn parse(bencher: Bencher<'_, '_>) {
        let text: &str = &FIVE_MB;
        let program = isolint_bicep::parser::parse(text);
        assert!(program.errors.is_empty(), "{:?}", program.errors.first());
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| isolint_bicep::parser::parse(black_box(text)));
    }
}

mod corpus {
    use super::{Bencher, BytesCount, CORPUS, black_box, corpus_bytes, corpus_files};

    /// The lexer on every corpus file, one after the other.
    #[divan::bench(ignore = corpus_files().is_empty())]
    fn lex(bencher: Bencher<'_, '_>) {
        bencher.counter(BytesCount::new(corpus_bytes())).bench(|| {
            for text in CORPUS.iter() {
                black_box(isolint_bicep::lexer::lex(black_box(text)));
            }
        });
    }

    /// The parser on every corpus file, one after the other.
    #[divan::bench(ignore = corpus_files().is_empty())]
    fn parse(bencher: Bencher<'_, '_>) {
        bencher.counter(BytesCount::new(corpus_bytes())).bench(|| {
            for text in CORPUS.iter() {
                black_box(isolint_bicep::parser::parse(black_box(text)));
            }
        });
    }
}

/// Parse, lower and evaluate every `.bicep` file of the corpus in one call (with their
/// local modules and parameter files), as the CLI does.
#[divan::bench(ignore = corpus_files().is_empty())]
fn analyze_corpus(bencher: Bencher<'_, '_>) {
    let files = corpus_files();
    bencher.counter(BytesCount::new(corpus_bytes())).bench(|| {
        // A fresh source map each time: the files are read again (from the page cache).
        let sources = SourceMap::new();
        isolint_deploy::analyze_files(
            black_box(&files),
            &sources,
            &isolint_deploy::Options::default(),
        )
    });
}
