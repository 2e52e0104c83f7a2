//! Parser tests: one snapshot of the compact tree dump per construct, error recovery,
//! nesting limits, and the real-world corpus (`../shared/corpus`, or `$ISOLINT_CORPUS`), which
//! must parse without an error.

use std::io::Write;
use std::path::{Path, PathBuf};

use isolint_bicep::dump::dump;
use isolint_bicep::parser::parse;

fn tree(source: &str) -> String {
    dump(&parse(source))
}

macro_rules! snapshot {
    ($name:ident, $source:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), tree($source), $source);
        }
    };
}

snapshot!(
    declarations,
    "targetScope = 'resourceGroup'
metadata name = 'x'
metadata description = '''
multi 'line'
'''
param location string = resourceGroup().location
param tags object?
param kind 'A' | 'B' = 'A'
var count = 3
var typed string = 'a'
type pair = {
  @description('a')
  name: string
  *: int
}
type mode = 'a'
  | 'b'
func double(x int) int => x * 2
import { a, b as c } from 'types.bicep'
import * as ns from 'br/public:avm/utl/types/avm-common-types:0.6.0'
extension microsoftGraph
output id string = storage.id
output res resource 'Microsoft.Storage/storageAccounts@2023-01-01' = storage
"
);

snapshot!(
    decorators,
    "@sys.description('The SKU')
@allowed([
  'Basic'
  'Premium'
])

@minLength(3)
param sku string = 'Premium'
@secure()
param password string
"
);

snapshot!(
    precedence,
    "var a = 1 + 2 * 3 - 4 % 5 / 6
var b = x || y && !z == w != v
var c = a ?? b ?? c
var d = p < q && q >= r
var e = c ? a + 1 : d ? 2 : 3
var f = -x.y[0]!.z
var g = 'A' =~ 'a' && 'A' !~ 'b'
"
);

snapshot!(
    newlines,
    "var t = cond
  ? 'yes'
  : 'no'
var args = concat(a,
  b
)
var p = (a &&
  b)
var arr = ['abc', 'def'
  'ghi']
var obj = { a: 1, b: 2, }
var lines = {
  a: 1

  b: [
    1
    2
  ]
}
"
);

snapshot!(
    strings,
    r"var a = 'it\'s ${name}-${toLower(id)} and \${literal}'
var b = '${listKeys(id, '2021-10-01').key1}'
var c = '''
raw ${not} interpolated
'''
var d = '\u{41}\n'
var e = '${a}${b}'
"
);

snapshot!(
    interpolating_multi_line_strings,
    "var a = $'''
hello ${name}!
'''
var b = $$'''${literal} $${toLower(x)}'''
var c = '''ends with quotes''''
"
);

snapshot!(
    accessors,
    "var a = x.?y.z
var b = x[?0]
var c = x[^1]
var d = kv.getSecret('s')
var e = vault::secret.properties.uri
var f = mod.outputs.?id!
var g = a::b::c
"
);

snapshot!(
    loops_and_lambdas,
    "var a = [for x in xs: x.name]
var b = [for (x, i) in range(0, 3): {
  i: i
}]
var c = [
  for x in xs: if (x.on) x
]
var d = map(xs, x => x.id)
var e = reduce(xs, {}, (cur, next) => union(cur, next))
var f = () => 1
var g = {
  ...base
  extra: true
}
var h = [...a, 1]
"
);

snapshot!(
    resources,
    "#disable-next-line BCP081
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'ws'
  #disable-next-line BCP037
  properties: {
    publicNetworkAccess: 'Disabled'
  }
  @batchSize(1)
  resource conn 'connections' = {
    name: 'c'
  }
  resource: 'a property named resource'
}
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: kvName
}
resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' =
  if (deploy) {
  name: 'pe'
}
resource dns 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (z, i) in zones: if (z.on) {
  parent: zone
  name: 'link${i}'
}]
module m './m.bicep' = if (x) {
  name: 'm'
  params: {
    a: 1
  }
}
module r 'br/public:avm/res/network/private-endpoint:0.10.1' = [for pe in pes: {
  name: pe.name
}]
"
);

snapshot!(
    bicepparam,
    "using 'main.bicep'

param location = 'westeurope'
param sku = 'Premium'
"
);

snapshot!(
    recovery,
    "param ok1 string = 'a'
param bad string = )
var ok2 = {
  a: 1
  b ! 2
  c: 3
}
var broken = 1 +
var ok3 = [1, 2
  3]
resource r 'T@v' = {
  name: 'x', 
  other: 1
}
output ok4 string = 'x'
"
);

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    let depth = 10_000;
    let source = format!(
        "var x = {}1{}\nvar y = 2\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let program = parse(&source);
    assert_eq!(program.errors.len(), 1, "{:?}", program.errors);
    assert!(program.errors[0].message.contains("nest"));
    assert!(dump(&program).contains("var y"));

    let arrays = format!("var x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert!(!parse(&arrays).errors.is_empty());
    let objects = format!("var x = {}\n", "{ a: ".repeat(depth));
    assert!(!parse(&objects).errors.is_empty());
    let nots = format!("var x = {}true\n", "!".repeat(depth));
    assert!(!parse(&nots).errors.is_empty());
    // Long chains build deep trees too: they are bounded the same way.
    let sum = format!("var x = 1{}\n", " + 1".repeat(100_000));
    assert!(!parse(&sum).errors.is_empty());
    let members = format!("var x = a{}\n", ".b".repeat(100_000));
    assert!(!parse(&members).errors.is_empty());
    let ternaries = format!("var x = {}1\n", "a ? b : ".repeat(depth));
    assert!(!parse(&ternaries).errors.is_empty());
}

#[test]
fn identifiers_are_at_most_255_characters() {
    let ok = format!("var {} = 1\n", "a".repeat(255));
    assert!(parse(&ok).errors.is_empty());
    let long = format!("var {} = 1\n", "a".repeat(256));
    assert!(parse(&long).errors[0].message.contains("255"));
}

#[test]
fn hostile_input_never_panics() {
    for source in [
        "",
        "'",
        "'${",
        "'''",
        "}}}",
        "resource",
        "param",
        "@",
        "var x = [for",
        "${}",
        "\u{feff}param a int",
        "var x = '${'${'${",
        "var x = a ? b",
        "module m",
        "/* open",
        "var x = 99999999999999999999999",
    ] {
        let _ = parse(source);
    }
}

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
            .is_some_and(|e| e == "bicep" || e == "bicepparam")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_parses_without_an_error() {
    let dir = std::env::var_os("ISOLINT_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    );
    if !dir.is_dir() {
        // Past the harness's capture of `eprintln!`, so that a missing corpus is seen.
        let _ = writeln!(
            std::io::stderr(),
            "note: no corpus at {} (set ISOLINT_CORPUS to read one elsewhere): the corpus \
             parse test checks nothing",
            dir.display()
        );
        return;
    }
    let mut files = Vec::new();
    walk(&dir, &mut files);
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for error in parse(&text).errors {
            let line = text[..error.range.start as usize].matches('\n').count() + 1;
            failures.push(format!("{}:{line}: {}", file.display(), error.message));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("corpus: {} Bicep files parse without an error", files.len());
}
