//! Arbitrary input never panics the lexer, the parser, the lowering or the evaluation, and
//! every error range lies inside the file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_bicep::parser::parse;
use isolint_model::SourceMap;
use proptest::prelude::*;

/// Parses, lowers and evaluates `text` as `fuzz.bicep`.
fn run(text: &str) {
    let sources = SourceMap::new();
    let path = PathBuf::from("fuzz.bicep");
    let file = sources.add(Path::new(&path), text.into());
    let program = parse(&file.text);
    let mut diagnostics = Vec::new();
    let template = isolint_bicep::lower::lower(&file, &program, &mut diagnostics);
    let key = isolint_model::source::normalize(&path);
    let library = isolint_arm::Library::from_iter([(key.clone(), Arc::new(template))]);
    let _ = isolint_arm::evaluate(&library, &key, &[]);
}

/// Fragments of Bicep, so that random input reaches deep into the grammar.
const FRAGMENTS: &[&str] = &[
    "param ",
    "var ",
    "resource ",
    "module ",
    "output ",
    "type ",
    "func ",
    "import ",
    "using ",
    "x",
    "y ",
    "'T@v' ",
    "= ",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "for ",
    "in ",
    "if ",
    ": ",
    ", ",
    "\n",
    "'a${",
    "}b'",
    "'''",
    "$'''",
    "?",
    "??",
    ".?",
    "::",
    "!",
    "=>",
    "...",
    "@d()",
    "1",
    "true",
    "null",
    "#disable-next-line x\n",
    "// c\n",
    "/*",
    "*/",
    "'",
    "\\",
    "|",
    "-",
    "&&",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fragments_never_panic(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..60)) {
        let text: String = parts.iter().map(|&i| FRAGMENTS[i]).collect();
        let program = parse(&text);
        for error in &program.errors {
            prop_assert!(error.range.start <= error.range.end);
            prop_assert!(error.range.end as usize <= text.len());
        }
        run(&text);
    }

    #[test]
    fn any_text_never_panics(text in "\\PC{0,200}") {
        run(&text);
    }
}

/// A `scope:` that names its own resource (through `.id`, which reads the scope) is
/// lowered once, not forever.
#[test]
fn a_scope_that_names_its_own_resource_ends() {
    run(
        "resource st 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'st'
  scope: resourceGroup(split(st.id, '/')[4])
}
resource child 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' existing = {
  parent: st
  name: 'default'
  scope: resourceGroup(child.id)
}
output id string = child.id
",
    );
}

/// A `parent:` whose instance index names the resource itself (`parent: a[a.id]`, found
/// by the end-to-end fuzz target) is walked once for the scope, not forever: the walk
/// takes the parent's symbol without lowering the index.
#[test]
fn a_parent_indexed_by_its_own_resource_ends() {
    run(
        "resource a 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  name: 'default'
  parent: a[a.id]
}
resource b 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  name: 'c'
  parent: b::c[b.id]
}
output id string = a.id
",
    );
}
