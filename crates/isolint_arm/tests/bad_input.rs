//! Hostile and broken input through the deployment graph (`isolint_deploy::analyze_files`): every case gives a
//! clear diagnostic in the right file (located where that makes sense), never a panic, a
//! hang or unbounded memory, and a valid template analysed in the same call still yields
//! its resources.

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use isolint_model::coverage::GapReport;
use isolint_model::{Analysis, Diagnostic, NodeKind, Position, Resource, Severity, SourceMap};
use tempfile::TempDir;

/// The valid template analysed beside every bad one.
const VALID: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-04-01",
      "name": "valid-workspace",
      "location": "westeurope",
      "properties": { "publicNetworkAccess": "Disabled" }
    }
  ]
}
"#;

/// How long one analysis may take before the test calls it a hang (debug build, a
/// loaded 2-core machine, tests running in parallel).
const HANG: Duration = Duration::from_mins(2);

/// A template with these `parameters`, `variables` and `resources` members (JSON text).
fn template(parameters: &str, variables: &str, resources: &str) -> String {
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{{parameters}}},
  "variables": {{{variables}}},
  "resources": [{resources}]
}}
"#
    )
}

/// A storage account named `name` whose `publicNetworkAccess` is `value` (JSON text).
fn storage(name: &str, value: &str) -> String {
    format!(
        r#"{{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "{name}",
      "properties": {{ "publicNetworkAccess": {value} }}
    }}"#
    )
}

struct Run {
    analysis: Analysis,
    sources: SourceMap,
    dir: TempDir,
    elapsed: Duration,
}

/// Writes `files` and `valid.json` to a fresh folder and analyses them all in one call,
/// the bad files first. Fails when the analysis does not finish within [`HANG`].
fn analyze(files: &[(&str, Vec<u8>)]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        paths.push(path);
    }
    let valid = dir.path().join("valid.json");
    std::fs::write(&valid, VALID).expect("write");
    paths.push(valid);
    let (analysis, sources, elapsed) = with_timeout(paths);
    Run {
        analysis,
        sources,
        dir,
        elapsed,
    }
}

/// Analyses `paths` on another thread and waits at most [`HANG`] for it.
fn with_timeout(paths: Vec<PathBuf>) -> (Analysis, SourceMap, Duration) {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let sources = SourceMap::new();
        let analysis =
            isolint_deploy::analyze_files(&paths, &sources, &isolint_deploy::Options::default());
        let _ = send.send((analysis, sources, started.elapsed()));
    });
    match receive.recv_timeout(HANG) {
        Ok(done) => done,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the analysis hangs (over {HANG:?})"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the analysis panicked"),
    }
}

impl Run {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The valid template's workspace is there: a bad file never stops the others.
    fn assert_valid_yields(&self) {
        assert!(
            self.analysis
                .resources
                .iter()
                .any(|r| r.name.as_str() == Some("valid-workspace")
                    && r.origin_file(&self.sources).ends_with("valid.json")),
            "the valid template lost its resources: {:#?}",
            self.analysis.diagnostics
        );
    }

    /// The resources declared in `name`.
    fn resources_of(&self, name: &str) -> Vec<&Resource> {
        self.analysis
            .resources
            .iter()
            .filter(|r| r.origin_file(&self.sources) == self.path(name))
            .collect()
    }

    /// The one diagnostic with `code`, which must be about the file `name`.
    fn only(&self, code: &str, name: &str) -> &Diagnostic {
        let found: Vec<&Diagnostic> = self
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one `{code}` diagnostic, got {:#?}",
            self.analysis.diagnostics
        );
        assert_eq!(found[0].path, self.path(name), "{:#?}", found[0]);
        found[0]
    }

    /// What the coverage gaps say.
    fn gaps(&self) -> Vec<GapReport<'_>> {
        self.analysis
            .resources
            .iter()
            .filter_map(GapReport::of)
            .collect()
    }

    /// Every diagnostic with `code`.
    fn all(&self, code: &str) -> Vec<&Diagnostic> {
        self.analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .collect()
    }

    /// Line and column of the start of the diagnostic's span, which must be in its file.
    fn position(&self, diagnostic: &Diagnostic) -> Position {
        let span = diagnostic.span.expect("the diagnostic is located");
        let file = self.sources.get(span.file).expect("a file of the map");
        assert_eq!(
            file.path, diagnostic.path,
            "the span is in the diagnostic's file"
        );
        file.position(span.start)
    }

    /// The text under the diagnostic's span.
    fn text_at(&self, diagnostic: &Diagnostic) -> String {
        let span = diagnostic.span.expect("the diagnostic is located");
        let file = self.sources.get(span.file).expect("a file of the map");
        file.slice(span).to_owned()
    }

    fn assert_no_diagnostics(&self) {
        assert!(
            self.analysis.diagnostics.is_empty(),
            "{:#?}",
            self.analysis.diagnostics
        );
    }
}

trait OriginFile {
    fn origin_file(&self, sources: &SourceMap) -> PathBuf;
}

impl OriginFile for Resource {
    fn origin_file(&self, sources: &SourceMap) -> PathBuf {
        sources
            .get(self.origin.file)
            .map(|f| f.path.clone())
            .unwrap_or_default()
    }
}

/// The 1-based line and column of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> Position {
    let offset = text.find(needle).expect("needle in text");
    position_at(text, offset)
}

fn position_at(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Position {
        line: u32::try_from(line).unwrap(),
        column: u32::try_from(column).unwrap(),
    }
}

fn property<'r>(resource: &'r Resource, path: &str) -> &'r isolint_model::Node {
    let mut node = &resource.body;
    for key in path.split('.') {
        node = node
            .as_object()
            .and_then(|o| o.value(key))
            .unwrap_or_else(|| panic!("no `{key}` in {}", resource.body.render()));
    }
    node
}

// ---------------------------------------------------------------------------------------
// JSON syntax
// ---------------------------------------------------------------------------------------

#[test]
fn truncated_json_is_a_located_parse_error() {
    let whole = template("", "", &storage("st", "\"Disabled\""));
    let cut = whole.find("\"properties\"").unwrap();
    let truncated = &whole[..cut];
    let run = analyze(&[("truncated.json", truncated.into())]);
    let error = run.only("parse-error", "truncated.json");
    assert_eq!(error.severity, Severity::Error);
    // The error points at the innermost object left open: the resource's `{`.
    assert!(error.message.contains("Unterminated object"), "{error:?}");
    let open = truncated.rfind('{').unwrap();
    assert_eq!(
        run.position(error),
        position_at(truncated, open),
        "{error:?}"
    );
    assert!(run.resources_of("truncated.json").is_empty());
    run.assert_valid_yields();
}

#[test]
fn a_json_array_of_resources_is_not_a_template() {
    let text = format!("[\n  {}\n]\n", storage("st", "\"Enabled\""));
    let run = analyze(&[("array.json", text.into())]);
    let error = run.only("template-error", "array.json");
    assert!(error.message.contains("array holds resources"), "{error:?}");
    assert_eq!(run.position(error), Position { line: 1, column: 1 });
    assert!(run.resources_of("array.json").is_empty());
    run.assert_valid_yields();
}

#[test]
fn ten_thousand_levels_of_arrays_are_a_parse_error() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let run = analyze(&[("arrays.json", text.into())]);
    let error = run.only("parse-error", "arrays.json");
    assert!(error.message.contains("at most 512 levels"), "{error:?}");
    // jsonc-parser allows 512 levels: the 513th bracket is the first too many.
    assert_eq!(
        run.position(error),
        Position {
            line: 1,
            column: 513
        }
    );
    run.assert_valid_yields();
}

#[test]
fn ten_thousand_levels_of_objects_inside_a_template_are_a_parse_error() {
    let deep = format!("{}1{}", "{\"a\": ".repeat(10_000), "}".repeat(10_000));
    let text = template("", "", &storage("st", &deep));
    let run = analyze(&[("objects.json", text.clone().into())]);
    let error = run.only("parse-error", "objects.json");
    assert!(error.message.contains("at most 512 levels"), "{error:?}");
    // jsonc-parser counts objects and their members alike: the 7 levels around the value
    // (template, `resources`, the array, the resource, `properties`, its object,
    // `publicNetworkAccess`) and 252 objects with their member make 511, the 253rd object
    // 512, and its member `"a"` is the first too many.
    let first = text.find("{\"a\"").unwrap();
    assert_eq!(
        run.position(error),
        position_at(&text, first + 252 * "{\"a\": ".len() + 1)
    );
    assert!(run.text_at(error).starts_with("\"a\""), "{error:?}");
    run.assert_valid_yields();
}

#[test]
fn nesting_just_under_the_reader_limit_is_evaluated_without_overflowing_the_stack() {
    // 330 levels of values inside `properties`, arrays in objects: with their members
    // and the 7 levels around them that is 502 of the reader's 512, and the conversion,
    // lowering, evaluation and dropping recurse that deep.
    let levels = 165;
    let deep = format!(
        "{}\"bottom\"{}",
        "{\"a\": [".repeat(levels),
        "]}".repeat(levels)
    );
    let variable = format!("\"deep\": {deep}");
    let resources = [
        storage("direct", &deep),
        storage("through-variable", "\"[variables('deep')]\""),
    ]
    .join(",");
    let text = template("", &variable, &resources);
    let run = analyze(&[("deep.json", text.into())]);
    run.assert_no_diagnostics();
    let resources = run.resources_of("deep.json");
    assert_eq!(resources.len(), 2);
    for resource in resources {
        let mut node = property(resource, "properties.publicNetworkAccess");
        let mut depth = 0;
        while let Some(object) = node.as_object() {
            node = &object.value("a").unwrap().as_array().unwrap()[0];
            depth += 1;
        }
        assert_eq!(depth, levels);
        assert_eq!(node.as_str(), Some("bottom"));
    }
    run.assert_valid_yields();
}

#[test]
fn arrays_as_deep_as_the_reader_goes_are_evaluated_without_overflowing_the_stack() {
    // The 7 levels around the value and 505 arrays: exactly the reader's 512.
    let levels = 505;
    let deep = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
    let text = template("", "", &storage("st", &deep));
    let run = analyze(&[("arrays.json", text.into())]);
    run.assert_no_diagnostics();
    let [st] = run.resources_of("arrays.json")[..] else {
        panic!("one resource");
    };
    let mut node = property(st, "properties.publicNetworkAccess");
    let mut depth = 0;
    while let Some(items) = node.as_array() {
        node = &items[0];
        depth += 1;
    }
    assert_eq!(depth, levels);
    run.assert_valid_yields();
}

#[test]
fn invalid_utf8_is_an_encoding_error_at_the_bad_byte() {
    let text = template("", "", &storage("st", "\"Disabled\""));
    let at = text.find("Disabled").unwrap() + 3;
    let mut bytes = text.clone().into_bytes();
    bytes[at] = 0xFF;
    let run = analyze(&[("latin.json", bytes)]);
    let error = run.only("encoding-error", "latin.json");
    assert_eq!(run.position(error), position_at(&text, at));
    assert!(run.resources_of("latin.json").is_empty());
    run.assert_valid_yields();
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_never_ends_is_refused_before_it_is_read() {
    // `/proc/self/pagemap` says it is empty and reads on for hundreds of GiB: nothing under
    // `/proc` is read (a template can link to any path, so this is reachable); any other
    // file is cut at 256 MiB.
    let endless = PathBuf::from("/proc/self/pagemap");
    if !endless.exists() {
        return;
    }
    let depth = std::env::temp_dir().components().count() + 4;
    let up = "../".repeat(depth);
    let text = template(
        "",
        "",
        &linked("endless", &format!("{up}proc/self/pagemap")),
    );
    let run = analyze(&[("caller.json", text.into())]);
    let gaps = run.gaps();
    assert_eq!(gaps.len(), 1, "{:#?}", run.analysis.resources);
    assert!(
        gaps[0].reason.contains("not a regular file: not read"),
        "{gaps:?}"
    );
    assert!(
        run.sources
            .files()
            .iter()
            .all(|f| !f.path.starts_with("/proc"))
    );
    run.assert_valid_yields();
}

// ---------------------------------------------------------------------------------------
// What the file is
// ---------------------------------------------------------------------------------------

#[test]
fn a_file_that_is_not_a_template_is_skipped_silently() {
    let package = r#"{
  "name": "my-app",
  "version": "1.0.0",
  "scripts": { "build": "tsc" },
  "dependencies": { "left-pad": "^1.3.0" }
}
"#;
    let run = analyze(&[("package.json", package.into())]);
    run.assert_no_diagnostics();
    assert!(run.resources_of("package.json").is_empty());
    assert_eq!(run.analysis.templates, 1, "only valid.json is a template");
    run.assert_valid_yields();
}

#[test]
fn a_parameters_file_is_recognized_and_applied_not_linted() {
    let main = template(
        r#""access": { "type": "string", "defaultValue": "Enabled" }"#,
        "",
        &storage("st", "\"[parameters('access')]\""),
    );
    let parameters = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "access": { "value": "Disabled" } }
}
"#;
    let run = analyze(&[
        ("main.parameters.json", parameters.into()),
        ("main.json", main.into()),
    ]);
    run.assert_no_diagnostics();
    assert!(run.resources_of("main.parameters.json").is_empty());
    assert_eq!(run.analysis.templates, 2, "main.json and valid.json");
    let [st] = run.resources_of("main.json")[..] else {
        panic!("one resource in main.json");
    };
    assert_eq!(
        property(st, "properties.publicNetworkAccess").as_str(),
        Some("Disabled"),
        "the parameters file's value wins over the default"
    );
    run.assert_valid_yields();
}

// ---------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------

/// A template of about `bytes` bytes: storage accounts with a few expressions each.
fn big_template(bytes: usize) -> (String, usize) {
    let resource = |i: usize| {
        format!(
            r#"
    {{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "[concat(parameters('prefix'), '{i}')]",
      "location": "[parameters('location')]",
      "sku": {{ "name": "Standard_LRS" }},
      "kind": "StorageV2",
      "properties": {{
        "publicNetworkAccess": "[if(equals(mod({i}, 2), 0), 'Disabled', 'Enabled')]",
        "minimumTlsVersion": "TLS1_2",
        "networkAcls": {{ "defaultAction": "Deny", "bypass": "AzureServices", "ipRules": [], "virtualNetworkRules": [] }},
        "tags": [ "a", "b", "c", 1, 2, 3, true, false, null ]
      }}
    }}"#
        )
    };
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "prefix": { "type": "string", "defaultValue": "st" },
    "location": { "type": "string", "defaultValue": "westeurope" }
  },
  "resources": ["#,
    );
    let mut count = 0;
    while out.len() < bytes {
        if count > 0 {
            out.push(',');
        }
        out.push_str(&resource(count));
        count += 1;
    }
    out.push_str("\n  ]\n}\n");
    (out, count)
}

fn assert_big_template_completes(bytes: usize) {
    let (text, count) = big_template(bytes);
    let run = analyze(&[("big.json", text.into())]);
    run.assert_no_diagnostics();
    let resources = run.resources_of("big.json");
    assert_eq!(resources.len(), count);
    let last = resources
        .iter()
        .find(|r| r.name.as_str() == Some(&format!("st{}", count - 1)))
        .expect("the last resource");
    assert_eq!(
        property(last, "properties.publicNetworkAccess").as_str(),
        Some(if (count - 1) % 2 == 0 {
            "Disabled"
        } else {
            "Enabled"
        })
    );
    run.assert_valid_yields();
}

#[test]
fn a_50_mb_template_completes() {
    // About 6 s and 0.9 GB in a debug build: 86,000 storage accounts.
    assert_big_template_completes(50 * 1024 * 1024);
}

#[test]
fn a_100_kb_expression_string_is_read() {
    let long = "x".repeat(100 * 1024);
    let many = vec!["'ab'"; 20 * 1024].join(",");
    let resources = [
        storage("literal", &format!("\"[concat('{long}')]\"")),
        storage("arguments", &format!("\"[concat({many})]\"")),
    ]
    .join(",");
    let run = analyze(&[("long.json", template("", "", &resources).into())]);
    run.assert_no_diagnostics();
    let resources = run.resources_of("long.json");
    let value = |name: &str| {
        let resource = resources
            .iter()
            .find(|r| r.name.as_str() == Some(name))
            .unwrap();
        property(resource, "properties.publicNetworkAccess")
            .as_str()
            .map(str::len)
    };
    assert_eq!(value("literal"), Some(100 * 1024));
    assert_eq!(value("arguments"), Some(2 * 20 * 1024));
    run.assert_valid_yields();
}

#[test]
fn a_100_kb_chain_of_property_reads_is_an_error_not_a_stack_overflow() {
    // `.a` 50,000 times builds a 50,000-deep member chain that no recursion survives.
    let chain = format!("\"[parameters('p'){}]\"", ".a".repeat(50 * 1024));
    let index = format!("\"[parameters('p'){}]\"", "[0]".repeat(30 * 1024));
    let resources = [storage("members", &chain), storage("indexes", &index)].join(",");
    let text = template(r#""p": { "type": "object" }"#, "", &resources);
    let run = analyze(&[("chain.json", text.clone().into())]);
    let errors = run.all("template-error");
    assert_eq!(errors.len(), 2, "{:#?}", run.analysis.diagnostics);
    for error in errors {
        assert!(error.message.contains("levels deep"), "{error:?}");
    }
    assert_eq!(run.resources_of("chain.json").len(), 2);
    run.assert_valid_yields();
}

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

#[test]
fn unbalanced_parentheses_point_at_the_open_parenthesis() {
    let text = template("", "", &storage("st", "\"[concat('a', 'b']\""));
    let run = analyze(&[("parens.json", text.clone().into())]);
    let error = run.only("template-error", "parens.json");
    assert!(error.message.contains("never closed"), "{error:?}");
    assert_eq!(run.position(error), position_of(&text, "('a'"));
    assert_eq!(run.text_at(error), "(");
    // The resource is still there, its property unknown.
    let [st] = run.resources_of("parens.json")[..] else {
        panic!("one resource");
    };
    assert!(matches!(
        property(st, "properties.publicNetworkAccess").kind,
        NodeKind::Unknown(_)
    ));
    run.assert_valid_yields();
}

#[test]
fn a_string_without_the_closing_bracket_is_a_literal_as_in_arm() {
    let text = template("", "", &storage("st", "\"[concat('a', 'b'\""));
    let run = analyze(&[("literal.json", text.into())]);
    run.assert_no_diagnostics();
    let [st] = run.resources_of("literal.json")[..] else {
        panic!("one resource");
    };
    assert_eq!(
        property(st, "properties.publicNetworkAccess").as_str(),
        Some("[concat('a', 'b'")
    );
    run.assert_valid_yields();
}

#[test]
fn ten_thousand_nested_calls_are_a_located_error() {
    let expression = format!(
        "\"[{}'x'{}]\"",
        "concat(".repeat(10_000),
        ")".repeat(10_000)
    );
    let text = template("", "", &storage("st", &expression));
    let run = analyze(&[("calls.json", text.clone().into())]);
    let error = run.only("template-error", "calls.json");
    assert!(error.message.contains("128 levels deep"), "{error:?}");
    // The 129th call is the first too deep.
    let first = text.find("concat(").unwrap();
    assert_eq!(
        run.position(error),
        position_at(&text, first + 128 * "concat(".len())
    );
    assert_eq!(run.resources_of("calls.json").len(), 1);
    run.assert_valid_yields();
}

#[test]
fn an_unknown_function_is_a_located_warning() {
    let text = template("", "", &storage("st", "\"[toLower(frobnicate('x'))]\""));
    let run = analyze(&[("unknown.json", text.clone().into())]);
    let warning = run.only("unknown-function", "unknown.json");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("`frobnicate`"), "{warning:?}");
    assert_eq!(run.position(warning), position_of(&text, "frobnicate"));
    let [st] = run.resources_of("unknown.json")[..] else {
        panic!("one resource");
    };
    assert!(matches!(
        property(st, "properties.publicNetworkAccess").kind,
        NodeKind::Unknown(_)
    ));
    run.assert_valid_yields();
}

#[test]
fn copy_index_outside_a_loop_is_a_located_warning() {
    let text = template(
        "",
        r#""outside": "[copyIndex()]""#,
        &[
            storage("in-property", "\"[string(copyIndex())]\""),
            storage("through-variable", "\"[string(variables('outside'))]\""),
        ]
        .join(","),
    );
    let run = analyze(&[("copyindex.json", text.clone().into())]);
    let warnings = run.all("copy-index");
    assert_eq!(warnings.len(), 2, "{:#?}", run.analysis.diagnostics);
    for warning in &warnings {
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(warning.path, run.path("copyindex.json"));
        assert_eq!(run.text_at(warning), "copyIndex()");
    }
    let mut positions: Vec<Position> = warnings.iter().map(|w| run.position(w)).collect();
    positions.sort();
    let first = text.find("copyIndex()").unwrap();
    let second = first + 1 + text[first + 1..].find("copyIndex()").unwrap();
    assert_eq!(
        positions,
        [position_at(&text, first), position_at(&text, second)]
    );
    for resource in run.resources_of("copyindex.json") {
        assert!(matches!(
            property(resource, "properties.publicNetworkAccess").kind,
            NodeKind::Unknown(_)
        ));
    }
    run.assert_valid_yields();
}

#[test]
fn copy_index_in_output_and_outer_scope_loops_is_the_loop_index() {
    // An output `copy` has no name: `copyIndex()` is its index. A nested template in outer
    // scope sees the index of its deployment's loop.
    let inner = r#"{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "outputs",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "inner" },
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [],
          "outputs": {
            "names": { "type": "array", "copy": { "count": 3, "input": "[concat('n', copyIndex())]" } }
          }
        }
      }
    }"#;
    let outer = r#"{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "[concat('looped', copyIndex())]",
      "copy": { "name": "deployments", "count": 2 },
      "properties": {
        "mode": "Incremental",
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [
            {
              "type": "Microsoft.Storage/storageAccounts",
              "apiVersion": "2023-01-01",
              "name": "[concat('st', copyIndex())]",
              "properties": { "publicNetworkAccess": "Disabled" }
            }
          ]
        }
      }
    }"#;
    let reader = storage(
        "reader",
        "\"[string(reference('outputs').outputs.names.value)]\"",
    );
    let text = template("", "", &[inner, outer, &reader].join(","));
    let run = analyze(&[("loops.json", text.into())]);
    run.assert_no_diagnostics();
    let resources = run.resources_of("loops.json");
    let reader = resources
        .iter()
        .find(|r| r.name.as_str() == Some("reader"))
        .unwrap();
    assert_eq!(
        property(reader, "properties.publicNetworkAccess").as_str(),
        Some(r#"["n0","n1","n2"]"#)
    );
    let mut names: Vec<&str> = resources.iter().filter_map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["reader", "st0", "st1"]);
    run.assert_valid_yields();
}

#[test]
fn functions_that_grow_values_stop_at_the_limits() {
    // Each of these used to run out of memory or time: a 1 MiB string replaced into itself,
    // a concat of thousands of long strings, `union` of two large arrays (quadratic),
    // `reduce` nesting an array 100,000 deep, flatten of 1,000 arrays of 100,000.
    let variables = format!(
        r#""a": "[padLeft('', 100000, 'a')]",
           "big": "[concat(variables('a'), variables('a'), variables('a'), variables('a'), variables('a'), variables('a'), variables('a'), variables('a'), variables('a'), variables('a'))]",
           "range": "[range(0, 100000)]",
           "ranges": "[map(range(0, 1000), lambda('i', variables('range')))]",
           "replace": "[replace(variables('a'), 'a', variables('a'))]",
           "concat": "[concat({})]",
           "union": "[union(variables('range'), variables('range'))]",
           "reduce": "[reduce(range(0, 100000), createArray(), lambda('acc', 'x', createArray(lambdaVariables('acc'))))]",
           "flatten": "[flatten(variables('ranges'))]""#,
        vec!["variables('big')"; 2000].join(", ")
    );
    let names = ["replace", "concat", "union", "reduce", "flatten"];
    let resources: Vec<String> = names
        .iter()
        .map(|name| storage(name, &format!("\"[variables('{name}')]\"")))
        .collect();
    let text = template("", &variables, &resources.join(","));
    let run = analyze(&[("grow.json", text.into())]);
    let resources = run.resources_of("grow.json");
    assert_eq!(resources.len(), names.len());
    for resource in resources {
        let name = resource.name.as_str().unwrap();
        let value = property(resource, "properties.publicNetworkAccess");
        // `reduce` starts again from the unknown each time its array gets too deep: what
        // is left is the last stretch, less than the limit deep.
        assert!(
            name == "reduce" || matches!(value.kind, NodeKind::Unknown(_)),
            "{name}: {}",
            value.render().len()
        );
        assert!(value.render().len() < 1 << 20, "{name}");
    }
    let limits = run.all("size-limit");
    assert!(limits.len() >= names.len(), "{limits:#?}");
    for limit in limits {
        assert_eq!(limit.severity, Severity::Warning);
        assert!(limit.span.is_some());
    }
    assert!(run.elapsed < Duration::from_mins(1), "{:?}", run.elapsed);
    run.assert_valid_yields();
}

#[test]
fn a_hundred_thousand_variables_are_looked_up_by_name() {
    // Each variable reads the one before; they are evaluated in order, so no chain is
    // deep. Looking names up one by one made this quadratic (about 18 s in release).
    let count = 100_000;
    let mut variables = vec![r#""v0": 0"#.to_owned()];
    for i in 1..=count {
        variables.push(format!(r#""v{i}": "[add(variables('v{}'), 1)]""#, i - 1));
    }
    let all = (0..=count)
        .map(|i| format!("\"[variables('v{i}')]\""))
        .collect::<Vec<_>>()
        .join(",");
    let text = template(
        "",
        &variables.join(",\n    "),
        &storage("st", &format!("[{all}]")),
    );
    let run = analyze(&[("many.json", text.into())]);
    run.assert_no_diagnostics();
    let [st] = run.resources_of("many.json")[..] else {
        panic!("one resource");
    };
    let values = property(st, "properties.publicNetworkAccess")
        .as_array()
        .unwrap();
    assert_eq!(values[count].as_int(), Some(i64::try_from(count).unwrap()));
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    run.assert_valid_yields();
}

// ---------------------------------------------------------------------------------------
// Cycles
// ---------------------------------------------------------------------------------------

#[test]
fn a_cycle_between_variables_is_named() {
    let text = template(
        "",
        r#""a": "[concat('x', variables('b'))]", "b": "[variables('a')]""#,
        &storage("st", "\"[variables('a')]\""),
    );
    let run = analyze(&[("cycle.json", text.clone().into())]);
    let error = run.only("variable-cycle", "cycle.json");
    assert!(error.message.contains("`a` → `b` → `a`"), "{error:?}");
    assert_eq!(run.position(error), position_of(&text, "\"a\":"));
    let [st] = run.resources_of("cycle.json")[..] else {
        panic!("one resource");
    };
    assert!(matches!(
        property(st, "properties.publicNetworkAccess").kind,
        NodeKind::Unknown(_)
    ));
    run.assert_valid_yields();
}

#[test]
fn a_cycle_between_parameter_defaults_is_named() {
    let text = template(
        r#""first": { "type": "string", "defaultValue": "[parameters('second')]" },
           "second": { "type": "string", "defaultValue": "[toLower(parameters('first'))]" }"#,
        "",
        &storage("st", "\"[parameters('first')]\""),
    );
    let run = analyze(&[("params.json", text.clone().into())]);
    let error = run.only("parameter-cycle", "params.json");
    assert!(
        error.message.contains("`first` → `second` → `first`"),
        "{error:?}"
    );
    assert_eq!(run.position(error), position_of(&text, "\"first\":"));
    let [st] = run.resources_of("params.json")[..] else {
        panic!("one resource");
    };
    assert!(matches!(
        property(st, "properties.publicNetworkAccess").kind,
        NodeKind::Unknown(_)
    ));
    run.assert_valid_yields();
}

// ---------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------

const BILLION: &str = "1000000000";

#[test]
fn a_resource_copy_of_a_billion_is_cut_with_a_warning() {
    let resource = format!(
        r#"{{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "[concat('st', copyIndex())]",
      "copy": {{ "name": "many", "count": {BILLION} }},
      "properties": {{ "publicNetworkAccess": "Disabled" }}
    }}"#
    );
    let text = template("", "", &resource);
    let run = analyze(&[("copy.json", text.clone().into())]);
    let warning = run.only("copy-limit", "copy.json");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        warning.message.contains("1000000000 iterations"),
        "{warning:?}"
    );
    assert_eq!(run.position(warning), position_of(&text, BILLION));
    assert_eq!(run.resources_of("copy.json").len(), 800, "ARM's limit");
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    run.assert_valid_yields();
}

#[test]
fn property_and_variable_copies_of_a_billion_are_cut_with_a_warning() {
    let variables = format!(
        r#""copy": [ {{ "name": "names", "count": {BILLION}, "input": "[concat('n', copyIndex('names'))]" }} ]"#
    );
    let resource = format!(
        r#"{{
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "st",
      "properties": {{
        "publicNetworkAccess": "Disabled",
        "names": "[variables('names')]",
        "copy": [ {{ "name": "rules", "count": {BILLION}, "input": {{ "value": "[copyIndex('rules')]" }} }} ]
      }}
    }}"#
    );
    let text = template("", &variables, &resource);
    let run = analyze(&[("copies.json", text.clone().into())]);
    let warnings = run.all("copy-limit");
    assert_eq!(warnings.len(), 2, "{:#?}", run.analysis.diagnostics);
    let mut positions: Vec<Position> = warnings.iter().map(|w| run.position(w)).collect();
    positions.sort();
    let first = text.find(BILLION).unwrap();
    let second = first + 1 + text[first + 1..].find(BILLION).unwrap();
    let mut expected = [position_at(&text, first), position_at(&text, second)];
    expected.sort();
    // Each warning points at its loop (the `copy` entry or its count).
    for (got, count) in positions.iter().zip(expected) {
        assert_eq!(got.line, count.line, "{warnings:#?}");
    }
    let [st] = run.resources_of("copies.json")[..] else {
        panic!("one resource");
    };
    let rules = property(st, "properties.rules").as_array().unwrap();
    assert_eq!(rules.len(), 800);
    let names = property(st, "properties.names").as_array().unwrap();
    assert_eq!(names.len(), 800);
    assert_eq!(names[799].as_str(), Some("n799"));
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    run.assert_valid_yields();
}

#[test]
fn a_range_of_a_billion_is_unknown_with_a_warning() {
    let text = template(
        "",
        "",
        &storage("st", &format!("\"[length(range(0, {BILLION}))]\"")),
    );
    let run = analyze(&[("range.json", text.clone().into())]);
    let warning = run.only("size-limit", "range.json");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(run.position(warning), position_of(&text, "range("));
    let [st] = run.resources_of("range.json")[..] else {
        panic!("one resource");
    };
    assert!(matches!(
        property(st, "properties.publicNetworkAccess").kind,
        NodeKind::Unknown(_)
    ));
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    run.assert_valid_yields();
}

/// Variables `v0` = `seed` and `v{i}` = `step` with `{prev}` replaced by `v{i-1}`.
fn doubling(seed: &str, step: &str, count: usize) -> String {
    let mut variables = vec![format!("\"v0\": {seed}")];
    for i in 1..=count {
        let prev = format!("variables('v{}')", i - 1);
        variables.push(format!("\"v{i}\": \"[{}]\"", step.replace("{prev}", &prev)));
    }
    variables.join(",\n    ")
}

#[test]
fn a_string_doubling_through_70_variables_stays_bounded() {
    let variables = doubling("\"ab\"", "concat({prev}, {prev})", 70);
    let text = template("", &variables, &storage("st", "\"[variables('v70')]\""));
    let run = analyze(&[("doubling.json", text.into())]);
    // 2^70 bytes is far beyond any limit: the value is unknown, and the step that crossed
    // the limit says so.
    let warning = run.only("size-limit", "doubling.json");
    assert!(warning.message.contains("1 MiB"), "{warning:?}");
    let [st] = run.resources_of("doubling.json")[..] else {
        panic!("one resource");
    };
    let value = property(st, "properties.publicNetworkAccess");
    let NodeKind::Unknown(unknown) = &value.kind else {
        panic!("expected unknown, got {} bytes", value.render().len());
    };
    assert!(unknown.expr.len() < 4 << 20, "{} bytes", unknown.expr.len());
    run.assert_valid_yields();
}

#[test]
fn other_doubling_values_stay_bounded() {
    // Arrays, objects and the symbolic text of unknowns double just as strings do.
    let cases = [
        (
            "arrays",
            "[createArray({prev}, {prev})]",
            "\"[createArray(1)]\"",
        ),
        (
            "objects",
            "[createObject('a', {prev}, 'b', {prev})]",
            "{ \"x\": 1 }",
        ),
        (
            "symbolic",
            "[uniqueString({prev}, {prev})]",
            "\"[resourceGroup().id]\"",
        ),
        (
            "json-text",
            "[string(createArray({prev}, {prev}))]",
            "\"ab\"",
        ),
        ("union", "[union({prev}, {prev})]", "\"[range(0, 100000)]\""),
    ];
    for (name, step, seed) in cases {
        let variables = doubling(seed, step.trim_start_matches('[').trim_end_matches(']'), 70);
        let text = template(
            "",
            &variables,
            &storage("st", "\"[string(variables('v70'))]\""),
        );
        let file = format!("{name}.json");
        let run = analyze(&[(&file, text.into())]);
        let [st] = run.resources_of(&file)[..] else {
            panic!("{name}: one resource");
        };
        let value = property(st, "properties.publicNetworkAccess");
        let size = match &value.kind {
            NodeKind::String(s) => s.len(),
            NodeKind::Unknown(u) => u.expr.len(),
            _ => panic!("{name}: {value:?}"),
        };
        assert!(size < 4 << 20, "{name}: {size} bytes");
        assert!(
            run.elapsed < Duration::from_mins(1),
            "{name}: {:?}",
            run.elapsed
        );
        run.assert_valid_yields();
    }
}

// ---------------------------------------------------------------------------------------
// Deployments
// ---------------------------------------------------------------------------------------

/// A deployment named `name` of the template at `relative_path`.
fn linked(name: &str, relative_path: &str) -> String {
    format!(
        r#"{{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "{name}",
      "properties": {{
        "mode": "Incremental",
        "templateLink": {{ "relativePath": "{relative_path}" }}
      }}
    }}"#
    )
}

#[test]
fn a_linked_template_that_links_itself_is_a_cycle() {
    let text = template(
        "",
        "",
        &[
            storage("st-self", "\"Disabled\""),
            linked("again", "self.json"),
        ]
        .join(","),
    );
    let run = analyze(&[("self.json", text.clone().into())]);
    let error = run.only("module-cycle", "self.json");
    assert!(error.message.contains("self.json"), "{error:?}");
    assert_eq!(
        run.position(error),
        position_of(&text, "\"name\": \"again\"")
    );
    assert_eq!(run.resources_of("self.json").len(), 1);
    run.assert_valid_yields();
}

#[test]
fn two_linked_templates_that_link_each_other_are_a_cycle() {
    let a = template(
        "",
        "",
        &[storage("st-a", "\"Disabled\""), linked("to-b", "b.json")].join(","),
    );
    let b = template(
        "",
        "",
        &[storage("st-b", "\"Disabled\""), linked("to-a", "a.json")].join(","),
    );
    let run = analyze(&[("a.json", a.into()), ("b.json", b.into())]);
    let cycles = run.all("module-cycle");
    assert_eq!(cycles.len(), 1, "{:#?}", run.analysis.diagnostics);
    assert_eq!(run.resources_of("a.json").len(), 1);
    assert_eq!(run.resources_of("b.json").len(), 1);
    run.assert_valid_yields();
}

#[test]
fn a_missing_linked_template_is_a_coverage_gap_at_the_link() {
    let text = template(
        "",
        "",
        &[
            storage("st", "\"Disabled\""),
            linked("gone", "missing/gone.json"),
        ]
        .join(","),
    );
    let run = analyze(&[("caller.json", text.clone().into())]);
    let gaps = run.gaps();
    assert_eq!(gaps.len(), 1, "{:#?}", run.analysis.resources);
    assert_eq!(gaps[0].reference, "missing/gone.json");
    assert!(gaps[0].reason.contains("does not exist"), "{gaps:?}");
    let gap = run
        .analysis
        .resources
        .iter()
        .find(|r| GapReport::of(r).is_some())
        .expect("the gap");
    let file = run.sources.get(gap.origin.file).expect("its file");
    assert_eq!(
        file.position(gap.header().start),
        position_of(&text, "\"missing/gone.json\"")
    );
    assert!(run.analysis.notes.is_empty(), "{:?}", run.analysis.notes);
    assert!(run.all("module-missing").is_empty());
    // The storage account, and the gap itself.
    assert_eq!(run.resources_of("caller.json").len(), 2);
    run.assert_valid_yields();
}

/// Inline deployments nested `depth` deep, each level with a storage account `st{level}`.
fn nested_deployments(depth: usize) -> String {
    let mut inner = template("", "", &storage(&format!("st{depth}"), "\"Disabled\""));
    for level in (0..depth).rev() {
        let deployment = format!(
            r#"{{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "level{}",
      "properties": {{ "mode": "Incremental", "template": {inner} }}
    }}"#,
            level + 1
        );
        inner = template(
            "",
            "",
            &[storage(&format!("st{level}"), "\"Disabled\""), deployment].join(","),
        );
    }
    inner
}

#[test]
fn deployments_nested_100_deep_are_deeper_than_the_reader_goes() {
    // Each level of inline deployment is 7 levels of JSON (`resources`, its array, the
    // resource, `properties`, its object, `template`, its object): 100 levels are 700, past
    // the reader's 512, which says so at the first level too deep.
    let text = nested_deployments(100);
    let run = analyze(&[("nested.json", text.clone().into())]);
    let error = run.only("parse-error", "nested.json");
    assert!(error.message.contains("at most 512 levels"), "{error:?}");
    // The template of deployment `level73` is level 1 + 7 × 73 = 512: its first member
    // is the first too many.
    let level73 = text.find("\"name\": \"level73\"").unwrap();
    let member = level73 + text[level73..].find("\"$schema\"").unwrap();
    assert_eq!(run.position(error), position_at(&text, member), "{error:?}");
    assert!(run.resources_of("nested.json").is_empty());
    run.assert_valid_yields();
}

#[test]
fn deployments_nested_40_deep_stop_at_the_limit_with_a_warning() {
    let text = nested_deployments(40);
    let run = analyze(&[("nested.json", text.clone().into())]);
    let warning = run.only("deployment-depth", "nested.json");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("32 levels"), "{warning:?}");
    assert_eq!(
        run.position(warning),
        position_of(&text, "\"name\": \"level33\"")
    );
    // The root and the 32 nested levels it follows.
    let resources = run.resources_of("nested.json");
    assert_eq!(resources.len(), 33);
    assert!(resources.iter().any(|r| r.name.as_str() == Some("st32")));
    run.assert_valid_yields();
}

#[test]
fn every_bad_file_at_once_leaves_the_valid_one_alone() {
    let truncated = "{ \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"resources\": [";
    let run = analyze(&[
        ("truncated.json", truncated.into()),
        ("latin.json", b"{ \"a\": \"\xff\" }".to_vec()),
        ("deep.json", "[".repeat(10_000).into()),
        ("package.json", "{ \"name\": \"x\" }".into()),
        ("empty.json", Vec::new()),
        ("whitespace.json", "  \n ".into()),
        ("bom-only.json", "\u{feff}".into()),
        ("null.json", "null".into()),
        ("number.json", "1e999999".into()),
    ]);
    let files: Vec<&Path> = run
        .analysis
        .diagnostics
        .iter()
        .map(|d| d.path.as_path())
        .collect();
    for bad in [
        "truncated.json",
        "latin.json",
        "deep.json",
        "empty.json",
        "whitespace.json",
        "bom-only.json",
    ] {
        assert!(
            files.contains(&run.path(bad).as_path()),
            "{bad}: {:#?}",
            run.analysis.diagnostics
        );
    }
    run.assert_valid_yields();
}
