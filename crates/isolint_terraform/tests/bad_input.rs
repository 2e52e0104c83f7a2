//! Bad input: every problem becomes a located diagnostic, other modules still read, and
//! nothing panics or hangs.

#![allow(
    clippy::expect_used,
    reason = "test helpers fail loudly on a broken temp dir"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use isolint_model::coverage::GapReport;
use isolint_model::{Analysis, Severity, SourceMap};

/// Writes `files` (relative path, text) below a fresh folder and analyzes every `.tf`.
fn run(files: &[(&str, &str)]) -> (tempfile::TempDir, Analysis, SourceMap) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        if isolint_terraform::accepts(&path) {
            paths.push(path);
        }
    }
    let sources = SourceMap::new();
    let started = Instant::now();
    let analysis =
        isolint_deploy::analyze_files(&paths, &sources, &isolint_deploy::Options::default());
    assert!(started.elapsed() < Duration::from_secs(20), "too slow");
    (dir, analysis, sources)
}

fn diagnostics(analysis: &Analysis, sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let at = d
            .span
            .and_then(|s| sources.get(s.file).map(|f| f.position(s.start)))
            .map_or_else(String::new, |p| format!(":{}:{}", p.line, p.column));
        let name = d.path.file_name().map(|n| n.to_string_lossy().into_owned());
        let _ = writeln!(
            out,
            "{:?} {} {}{at}: {}",
            d.severity,
            d.code,
            name.unwrap_or_default(),
            d.message
        );
    }
    out
}

const GOOD: &str = r#"
resource "azurerm_key_vault" "kv" {
  name = "kv-good"
}
"#;

fn names(analysis: &Analysis) -> Vec<String> {
    analysis
        .resources
        .iter()
        .map(isolint_model::Resource::display_name)
        .collect()
}

#[test]
fn unbalanced_braces_are_located_and_other_modules_still_read() {
    let (_dir, analysis, sources) = run(&[
        (
            "broken/main.tf",
            "resource \"azurerm_key_vault\" \"kv\" {\n  name = \"x\"\n",
        ),
        ("good/main.tf", GOOD),
    ]);
    let text = diagnostics(&analysis, &sources);
    assert!(text.contains("Error parse-error main.tf:2:"), "{text}");
    assert_eq!(names(&analysis), ["kv-good"]);
}

#[test]
fn a_heredoc_that_never_ends_is_a_parse_error() {
    let (_dir, analysis, sources) = run(&[("main.tf", "locals {\n  x = <<EOT\nhello\nworld\n")]);
    let text = diagnostics(&analysis, &sources);
    assert!(text.contains("Error parse-error main.tf:"), "{text}");
}

#[test]
fn cycles_between_locals_and_variables_are_reported_once() {
    let (_dir, analysis, sources) = run(&[(
        "main.tf",
        r#"
variable "v" {
  default = local.a
}
locals {
  a = var.v
  b = local.b
}
resource "azurerm_key_vault" "kv" {
  name                = "kv-${local.a}"
  resource_group_name = local.b
}
"#,
    )]);
    let text = diagnostics(&analysis, &sources);
    assert!(text.contains("Warning cycle"), "{text}");
    assert!(text.contains("local.b -> local.b"), "{text}");
    assert_eq!(analysis.resources.len(), 1);
}

#[test]
fn a_module_that_includes_itself_is_not_followed() {
    let (_dir, analysis, sources) = run(&[(
        "main.tf",
        r#"
module "me" {
  source = "./"
}
resource "azurerm_key_vault" "kv" {
  name = "kv"
}
"#,
    )]);
    let text = diagnostics(&analysis, &sources);
    assert!(text.contains("includes itself"), "{text}");
    assert_eq!(names(&analysis), ["kv"]);
}

#[test]
fn missing_modules_are_coverage_gaps() {
    let (_dir, analysis, sources) = run(&[(
        "root/main.tf",
        r#"
module "outside" {
  source = "../../../elsewhere"
}
module "missing" {
  source = "./nothing-here"
}
resource "azurerm_storage_account" "st" {
  name                          = "st"
  public_network_access_enabled = module.missing.public
}
"#,
    )]);
    let gaps: Vec<GapReport<'_>> = analysis
        .resources
        .iter()
        .filter_map(GapReport::of)
        .collect();
    let reasons: Vec<&str> = gaps.iter().map(|gap| gap.reason).collect();
    assert_eq!(
        reasons,
        [
            "module `../../../elsewhere` does not exist",
            "module `./nothing-here` does not exist"
        ],
        "{}",
        diagnostics(&analysis, &sources)
    );
    let st = &analysis.resources[0];
    assert!(st.get("properties.publicNetworkAccess").unknown().is_some());
}

#[test]
fn deep_nesting_is_rejected_before_parsing() {
    let deep = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (_dir, analysis, sources) = run(&[("main.tf", &deep), ("good/main.tf", GOOD)]);
    let text = diagnostics(&analysis, &sources);
    assert!(text.contains("nest deeper"), "{text}");
    assert_eq!(names(&analysis), ["kv-good"]);
}

#[test]
fn a_big_file_and_a_huge_for_each_read_quickly() {
    let mut big = String::new();
    for i in 0..20_000 {
        let _ = writeln!(
            big,
            "resource \"azurerm_key_vault\" \"kv{i}\" {{\n  name = \"kv-{i}\"\n}}"
        );
    }
    let items: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\"")).collect();
    let each = format!(
        "resource \"azurerm_storage_account\" \"st\" {{\n  for_each = toset([{}])\n  name = each.key\n}}\n",
        items.join(", ")
    );
    let (_dir, analysis, sources) = run(&[("a/main.tf", &big), ("b/main.tf", &each)]);
    assert_eq!(diagnostics(&analysis, &sources), "");
    assert_eq!(analysis.resources.len(), 20_001);
    let st = analysis
        .resources
        .iter()
        .find(|r| r.looped)
        .expect("the loop");
    assert_eq!(st.display_name(), "each.key");
}

#[test]
fn deep_chains_of_locals_do_not_overflow_the_stack() {
    let mut text = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..5000 {
        let _ = writeln!(text, "  l{i} = local.l{}", i - 1);
    }
    text.push_str("}\nresource \"azurerm_key_vault\" \"kv\" {\n  name = local.l4999\n}\n");
    let (_dir, analysis, _sources) = run(&[("main.tf", &text)]);
    assert_eq!(analysis.resources.len(), 1);
    assert!(
        analysis
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error)
    );
}

#[test]
fn paths_are_kept_as_given() {
    assert!(isolint_terraform::accepts(Path::new("a/b.TF")));
}

#[test]
fn invalid_terraform_json_is_located() {
    let (_dir, analysis, sources) = run(&[
        (
            "main.tf.json",
            "{\n  \"resource\": {\n    \"x\": [1,,]\n  }\n}\n",
        ),
        ("good/main.tf", GOOD),
    ]);
    let text = diagnostics(&analysis, &sources);
    assert!(text.contains("Error parse-error main.tf.json:3:"), "{text}");
    assert_eq!(names(&analysis), ["kv-good"]);
}

#[test]
fn long_operator_chains_do_not_overflow_the_stack() {
    let use_it = |name: &str| {
        format!("resource \"azurerm_key_vault\" \"{name}\" {{\n  name = local.{name}\n}}\n")
    };
    let unary = format!(
        "locals {{\n  x = {}true\n}}\n{}",
        "!".repeat(50_000),
        use_it("x")
    );
    let conditional = format!(
        "locals {{\n  y = {}1\n}}\n{}",
        "false ? 1 : ".repeat(50_000),
        use_it("y")
    );
    let binary = format!(
        "locals {{\n  z = {}1\n}}\n{}",
        "1 + ".repeat(50_000),
        use_it("z")
    );
    let template = format!(
        "locals {{\n  t = \"{}\"\n}}\n",
        "${\"".repeat(2_000) + &"\"}".repeat(2_000)
    );
    let (_dir, analysis, sources) = run(&[
        ("a/main.tf", &unary),
        ("b/main.tf", &conditional),
        ("c/main.tf", &binary),
        ("d/main.tf", &template),
        ("good/main.tf", GOOD),
    ]);
    let text = diagnostics(&analysis, &sources);
    assert!(names(&analysis).contains(&"kv-good".to_owned()), "{text}");
    assert_eq!(text.matches("Error parse-error").count(), 4, "{text}");
}

/// Every diagnostic span lies inside the text of its file.
fn assert_spans_inside(analysis: &Analysis, sources: &SourceMap) {
    for d in &analysis.diagnostics {
        if let Some(span) = d.span {
            let file = sources.get(span.file).expect("a span in a file of the map");
            assert!(
                span.start <= span.end && span.end as usize <= file.text.len(),
                "{d:?} outside {} bytes",
                file.text.len()
            );
        }
    }
}

#[test]
fn a_json_error_at_the_end_of_the_text_stays_inside_it() {
    // Found by the `hcl` fuzz target: `-` as a `.tf.json` file.
    for text in ["-", "{", "", "[", "{\"resource\":"] {
        let (_dir, analysis, sources) = run(&[("main.tf.json", text)]);
        assert_spans_inside(&analysis, &sources);
    }
}

#[test]
fn a_broken_template_in_terraform_json_is_located_in_its_string() {
    // Found by the end-to-end fuzz target: a `${...}` that does not parse is an error of
    // the HCL rewrite, which was reported at its offset in the rewrite (past the end of
    // the JSON here).
    let text = "{\n  \"resource\": {\n    \"azurerm_key_vault\": {\n      \"kv\": {\n        \"name\": \"${var.x\"\n      }\n    }\n  }\n}\n";
    let (_dir, analysis, sources) = run(&[("main.tf.json", text), ("good/main.tf", GOOD)]);
    assert_spans_inside(&analysis, &sources);
    let diagnostics = diagnostics(&analysis, &sources);
    assert!(
        diagnostics.contains("Error parse-error main.tf.json:5:"),
        "{diagnostics}"
    );
    assert_eq!(names(&analysis), ["kv-good"]);
}

#[test]
fn tfvars_json_values_and_errors_are_located() {
    let main =
        "variable \"name\" {}\nresource \"azurerm_key_vault\" \"kv\" {\n  name = var.name\n}\n";
    let (_dir, analysis, sources) = run(&[
        ("main.tf", main),
        (
            "terraform.tfvars.json",
            "{\n  \"name\": \"kv-from-json\"\n}\n",
        ),
    ]);
    assert_eq!(names(&analysis), ["kv-from-json"]);
    let name = &analysis.resources[0].name;
    let decider = name
        .provenance
        .deciders()
        .iter()
        .find_map(|d| match d {
            isolint_model::Decider::ParameterValue {
                span: Some(span), ..
            } => Some(*span),
            _ => None,
        })
        .expect("the value says where it was set");
    let file = sources.get(decider.file).expect("a file of the map");
    assert!(file.path.ends_with("terraform.tfvars.json"));
    assert_eq!(file.slice(decider), "\"name\": \"kv-from-json\"");

    for (text, at) in [
        ("{\n  \"name\": tru\n}\n", ":2:11"),
        ("[\"not an object\"]", ":1:1"),
    ] {
        let (_dir, analysis, sources) = run(&[("main.tf", main), ("terraform.tfvars.json", text)]);
        let text = diagnostics(&analysis, &sources);
        assert!(
            text.contains(&format!("Error parse-error terraform.tfvars.json{at}")),
            "{text}"
        );
    }
}

/// hcl-edit says only "found redefined object key": the diagnostic names the key, spans it
/// whole, and says where it was first defined.
#[test]
fn a_key_written_twice_is_named_with_its_first_definition() {
    let (_dir, analysis, sources) = run(&[
        (
            "tags.tf",
            "locals {\n  tags = {\n    owner = \"a\"\n    \"env\" = \"dev\"\n    owner = \"b\"\n  }\n}\n",
        ),
        (
            "other/main.tf",
            "resource \"azurerm_key_vault\" \"kv\" {\n  name = \"kv-a\"\n  location = \"x\"\n  name = \"kv-b\"\n}\n",
        ),
    ]);
    let text = diagnostics(&analysis, &sources);
    assert!(
        text.contains(
            "Error parse-error tags.tf:5:5: cannot parse HCL: `owner` is defined twice in the same object or block, first at line 3, column 5"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Error parse-error main.tf:4:3: cannot parse HCL: `name` is defined twice in the same object or block, first at line 2, column 3"
        ),
        "{text}"
    );
    let owner = analysis
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`owner`"))
        .and_then(|d| d.span)
        .expect("located");
    assert_eq!(owner.end - owner.start, 5, "the whole key");
}
