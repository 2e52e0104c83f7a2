//! The whole of `isolint check` over one text held in memory, for the end-to-end fuzz
//! target (`fuzz/fuzz_targets/deployment.rs`) and the fixed-seed smoke test
//! (`tests/fuzz_smoke.rs`): both call [`run`], so what `cargo test` checks is what the
//! fuzzer explores.
//!
//! An input is one byte that picks a [`Format`] (and whether the file is named alone, as a
//! pre-commit hook names it), then the file's text. The text is offered at a path of a
//! project that does not exist on disk, through a source map that serves only what it is
//! offered, the way `isolint diff` serves the files of a git revision: nothing of the
//! machine is read. Then, as `check --strict` does: the deployment graph, every rule,
//! suppressions, and every renderer (text, compact, JSON, SARIF, GitHub, Markdown with the
//! report's KPIs, the isolation report in its three formats, the baseline), and the fixes
//! applied to the texts. The JSON outputs (JSON, SARIF, the report's JSON, the baseline)
//! must parse, whatever the templates hold. Every span of every diagnostic, finding,
//! label, fix, suppression and resource must lie inside its file (renderers clamp a span
//! that cuts a character, by design), and a located diagnostic must be about the file it
//! is located in.
//!
//! Hidden from the documentation: a test and fuzzing seam, not an API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use clap::Parser as _;
use isolint_model::source::normalize;
use isolint_model::{Node, NodeKind, SourceMap, Span};
use isolint_output::{Report, ReportFormat, ReportOptions, TextOptions};
use isolint_rules::Fix;

use crate::analysis::{self, Tree};
use crate::baseline;
use crate::cli::{CheckArgs, Cli, Command, InputArgs};
use crate::commands::check;
use crate::context::{self, Context};
use crate::discover::Discovered;
use crate::exit;
use crate::git::snapshot::RevisionTexts;
use crate::notes;
use crate::suppress;

/// The project every input is laid in: a folder that does not exist, so that nothing on
/// disk can stand in for a file the map does not serve.
const PROJECT: &str = "/nonexistent/isolint-fuzz";

/// The Bicep module cache of the run, inside the project and empty: `br:` modules are
/// coverage gaps, whatever `~/.bicep` holds on the machine.
const BICEP_CACHE: &str = "/nonexistent/isolint-fuzz/.bicep";

/// The bit of the first byte that names the file alone on the command line (its folder
/// otherwise).
const NAMED_ALONE: u8 = 0x10;

/// The bits of the first byte that pick the format (modulo the number of formats).
const FORMAT_BITS: u8 = 0x0f;

/// Spans of model values checked per run at most: values share subtrees, so a walk of
/// the tree can cost more than the model's size.
const MAX_NODES_CHECKED: usize = 100_000;

/// The formats an input can take. JSON files are told apart by content in the deployment
/// graph; the format only names the file (and brings a companion the file needs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `main.bicep`.
    Bicep,
    /// `main.bicepparam`, beside a `main.bicep` it may name in `using`.
    BicepParameters,
    /// `azuredeploy.json`.
    ArmTemplate,
    /// `azuredeploy.parameters.json`, beside an `azuredeploy.json` it configures.
    ArmParameters,
    /// `main.tf`.
    Terraform,
    /// `main.tf.json`.
    TerraformJson,
    /// `terraform.tfvars`, beside a `main.tf` whose variables it sets.
    TerraformVariables,
    /// `plan.json`, as `terraform show -json` writes it.
    Plan,
    /// `export.json`: deployed resources (Resource Graph, `az resource show`, PSRule).
    Export,
}

impl Format {
    /// Every format, in the order of their bytes.
    pub const ALL: [Format; 9] = [
        Format::Bicep,
        Format::BicepParameters,
        Format::ArmTemplate,
        Format::ArmParameters,
        Format::Terraform,
        Format::TerraformJson,
        Format::TerraformVariables,
        Format::Plan,
        Format::Export,
    ];

    /// The format a first byte picks: its low four bits, modulo the number of formats.
    pub fn from_byte(byte: u8) -> Self {
        Self::ALL[usize::from(byte & FORMAT_BITS) % Self::ALL.len()]
    }

    /// The first byte of an input of this format, its file in its folder.
    pub fn byte(self) -> u8 {
        Self::ALL
            .iter()
            .position(|&format| format == self)
            .and_then(|at| u8::try_from(at).ok())
            .unwrap_or_default()
    }

    /// The format named `name` (as [`Format::name`] gives it), if any.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }

    /// `byte` with its format bits replaced by this format's, its other bits (whether the
    /// file is named alone) kept: how a campaign on one format reads every input.
    pub fn forced_on(self, byte: u8) -> u8 {
        (byte & !FORMAT_BITS) | self.byte()
    }

    /// A short name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Bicep => "bicep",
            Format::BicepParameters => "bicepparam",
            Format::ArmTemplate => "arm",
            Format::ArmParameters => "arm-parameters",
            Format::Terraform => "terraform",
            Format::TerraformJson => "terraform-json",
            Format::TerraformVariables => "tfvars",
            Format::Plan => "plan",
            Format::Export => "export",
        }
    }

    /// The file name the text is offered at.
    fn file_name(self) -> &'static str {
        match self {
            Format::Bicep => "main.bicep",
            Format::BicepParameters => "main.bicepparam",
            Format::ArmTemplate => "azuredeploy.json",
            Format::ArmParameters => "azuredeploy.parameters.json",
            Format::Terraform => "main.tf",
            Format::TerraformJson => "main.tf.json",
            Format::TerraformVariables => "terraform.tfvars",
            Format::Plan => "plan.json",
            Format::Export => "export.json",
        }
    }

    /// The file the text needs beside it to be read at all (parameters and variables
    /// configure a template), with its name.
    fn companion(self) -> Option<(&'static str, &'static str)> {
        match self {
            Format::BicepParameters => Some(("main.bicep", BICEP_TEMPLATE)),
            Format::ArmParameters => Some(("azuredeploy.json", ARM_TEMPLATE)),
            Format::TerraformVariables => Some(("main.tf", TERRAFORM_MODULE)),
            _ => None,
        }
    }

    /// The format of a real file, for seeds: by its name, and a JSON file by what the
    /// deployment graph reads it as. `None` for a file no format takes.
    pub fn of(path: &Path, text: &str) -> Option<Self> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        // `.tfvars.json` has no format of its own here (nor a seed in the corpus).
        let by_name = [
            (".tfvars.json", None),
            (".bicepparam", Some(Format::BicepParameters)),
            (".bicep", Some(Format::Bicep)),
            (".tfvars", Some(Format::TerraformVariables)),
            (".tf.json", Some(Format::TerraformJson)),
            (".tf", Some(Format::Terraform)),
        ];
        if let Some((_, format)) = by_name.iter().find(|(end, _)| name.ends_with(end)) {
            return *format;
        }
        if !path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
        {
            return None;
        }
        let sources = SourceMap::new();
        let seed = Path::new(PROJECT).join("seed.json");
        sources.preload(&seed, text.into());
        let classified = isolint_deploy::classify(&[seed], &sources, true);
        match classified.inputs.first()? {
            isolint_deploy::Input::Template(..) => Some(Format::ArmTemplate),
            isolint_deploy::Input::ArmParameters(..) => Some(Format::ArmParameters),
            isolint_deploy::Input::Plan(..) => Some(Format::Plan),
            isolint_deploy::Input::Export(..) => Some(Format::Export),
            _ => None,
        }
    }
}

/// A template for `main.bicepparam` to configure: its parameters feed the properties the
/// rules read.
const BICEP_TEMPLATE: &str = "\
param name string = 'mlw'
param location string = resourceGroup().location
param publicNetworkAccess string = 'Enabled'
param managedNetwork object = { isolationMode: 'Disabled' }
param storageAccountName string
param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  tags: tags
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: name
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    publicNetworkAccess: publicNetworkAccess
    managedNetwork: managedNetwork
    storageAccount: storage.id
  }
}
";

/// A template for `azuredeploy.parameters.json` to configure.
const ARM_TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "workspaceName": { "type": "string", "defaultValue": "mlw" },
    "location": { "type": "string", "defaultValue": "[resourceGroup().location]" },
    "publicNetworkAccess": { "type": "string", "defaultValue": "Enabled" },
    "storageAccountName": { "type": "string" }
  },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-05-01",
      "name": "[parameters('storageAccountName')]",
      "location": "[parameters('location')]",
      "kind": "StorageV2",
      "sku": { "name": "Standard_LRS" }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "[parameters('workspaceName')]",
      "location": "[parameters('location')]",
      "identity": { "type": "SystemAssigned" },
      "properties": {
        "publicNetworkAccess": "[parameters('publicNetworkAccess')]",
        "storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]"
      }
    }
  ]
}
"#;

/// A root module for `terraform.tfvars` to set the variables of.
const TERRAFORM_MODULE: &str = r#"variable "name" {
  type    = string
  default = "mlw"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "public_network_access_enabled" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "azurerm_storage_account" "storage" {
  name                     = "${var.name}sa"
  location                 = var.location
  resource_group_name      = "rg"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = var.tags
}

resource "azurerm_machine_learning_workspace" "workspace" {
  name                          = var.name
  location                      = var.location
  resource_group_name           = "rg"
  application_insights_id       = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = azurerm_storage_account.storage.id
  public_network_access_enabled = var.public_network_access_enabled

  identity {
    type = "SystemAssigned"
  }
}
"#;

/// What a run found, for the smoke test's account of what it exercised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ran {
    /// Findings of every rule, before suppressions.
    pub findings: usize,
    /// Diagnostics about the input.
    pub diagnostics: usize,
    /// Resources in the model.
    pub resources: usize,
    /// Bytes of every output rendered.
    pub output_bytes: usize,
}

/// An input for [`run`]: the byte of `format`, then `text`.
pub fn input(format: Format, text: &str) -> Vec<u8> {
    let mut data = Vec::with_capacity(text.len() + 1);
    data.push(format.byte());
    data.extend_from_slice(text.as_bytes());
    data
}

/// Runs `data` (see the module's documentation) through the whole pipeline. Not UTF-8
/// text is read as the lossy text a file of it would give. `Err` says which span lies
/// outside its file; a panic anywhere is a bug the caller sees as one.
pub fn run(data: &[u8]) -> Result<Ran, String> {
    let Some((&first, rest)) = data.split_first() else {
        return Ok(Ran::default());
    };
    let text = String::from_utf8_lossy(rest);
    run_text(Format::from_byte(first), &text, first & NAMED_ALONE != 0)
}

fn run_text(format: Format, text: &str, named_alone: bool) -> Result<Ran, String> {
    let folder = PathBuf::from(PROJECT);
    let file = folder.join(format.file_name());
    let mut texts: Vec<(PathBuf, Arc<str>)> = vec![(file.clone(), text.into())];
    if let Some((name, companion)) = format.companion() {
        texts.push((folder.join(name), companion.into()));
    }
    let mut files: Vec<PathBuf> = texts.iter().map(|(path, _)| path.clone()).collect();
    files.sort();
    let args = check_args()?;
    let input = InputArgs {
        paths: vec![if named_alone { file } else { folder }],
        ..args.input.clone()
    };
    let context = Context::with_config(&input, None)?;
    let options = context.rule_options(&args.select, &args.ignore, args.strict);
    let discovered = Discovered {
        files,
        ..Discovered::default()
    };
    let analyzed = analysis::analyze_in(
        &context,
        Tree::Revision(RevisionTexts(texts)),
        discovered,
        &options,
    );
    let sources = &analyzed.sources;
    let ran = Ran {
        findings: analyzed.findings.len(),
        diagnostics: analyzed.diagnostics.len(),
        resources: analyzed.model.graph().resources().len(),
        output_bytes: 0,
    };
    check_spans(&analyzed)?;

    // As `check` renders: the KPIs of its Markdown summary, the selected findings after
    // suppressions, sorted, then every format; `report`'s formats; the baseline.
    let isolation = analyzed.isolation_report(&options);
    let report_options = |title_level, relative_to: Option<&str>| ReportOptions {
        title_level,
        relative_to: relative_to.map(PathBuf::from),
    };
    let mut rendered: Vec<(&str, String)> = vec![
        (
            "report markdown",
            isolint_output::render_report(
                ReportFormat::Markdown,
                &isolation,
                sources,
                &report_options(3, None),
            ),
        ),
        (
            "report text",
            isolint_output::render_report(
                ReportFormat::Text,
                &isolation,
                sources,
                &report_options(1, Some(PROJECT)),
            ),
        ),
        (
            "report json",
            isolint_output::render_report(
                ReportFormat::Json,
                &isolation,
                sources,
                &report_options(1, Some(PROJECT)),
            ),
        ),
    ];
    let applied = isolint_rules::apply_suppressions(
        analyzed.selected(&options),
        &analyzed.suppressions,
        context::today(),
        &options,
        &|file| suppress::relative_path(sources, context.exceptions_root(), file),
    );
    let mut findings = applied.findings;
    let mut suppressed = applied.suppressed;
    isolint_rules::sort_findings(&mut findings, sources);
    check::sort_suppressed(&mut suppressed, sources);
    let rules = check::rules_run(&options, !analyzed.suppressions.is_empty());
    let report = Report {
        findings: &findings,
        diagnostics: &analyzed.diagnostics,
        sources,
        files: analyzed.files,
        rules: &rules,
        suppressed: &suppressed,
    };
    let text_options = TextOptions {
        color: true,
        width: 80,
        help_urls: true,
    };
    for (name, format) in [
        ("text", isolint_output::Format::Text),
        ("compact", isolint_output::Format::Compact),
        ("json", isolint_output::Format::Json),
        ("sarif", isolint_output::Format::Sarif),
        ("github", isolint_output::Format::Github),
        ("markdown", isolint_output::Format::Markdown),
    ] {
        rendered.push((name, isolint_output::render(format, &report, &text_options)));
    }
    // `--show-suppressed`, in plain text.
    let shown = check::with_suppressed(&findings, &suppressed, sources);
    let with_hidden = Report {
        findings: &shown,
        ..report
    };
    rendered.push((
        "text with the suppressed findings",
        isolint_output::render(
            isolint_output::Format::Text,
            &with_hidden,
            &TextOptions::default(),
        ),
    ));
    rendered.push((
        "baseline",
        baseline::render(
            &findings,
            sources,
            &Path::new(PROJECT).join("isolint-baseline.json"),
        ),
    ));
    for note in &analyzed.notes {
        rendered.push(("note", notes::shown(note, false)));
    }
    rendered.push((
        "summary",
        exit::summary(
            analyzed.files,
            &findings,
            &analyzed.diagnostics,
            std::time::Duration::ZERO,
        ),
    ));
    // Whatever the templates hold, a JSON output stays one JSON document.
    for (name, output) in &rendered {
        if matches!(*name, "report json" | "json" | "sarif" | "baseline") {
            serde_json::from_str::<serde::de::IgnoredAny>(output)
                .map_err(|error| format!("the {name} output is not JSON: {error}"))?;
        }
    }
    apply_fixes(&findings, sources);
    Ok(Ran {
        output_bytes: rendered.iter().map(|(_, output)| output.len()).sum(),
        ..ran
    })
}

/// The arguments of `isolint check --strict` of the project's folder, as clap reads them:
/// once, since building the command line costs more than analysing a small file.
fn check_args() -> Result<&'static CheckArgs, String> {
    static ARGS: OnceLock<Result<CheckArgs, String>> = OnceLock::new();
    let parsed = ARGS.get_or_init(|| {
        let arguments = [
            "isolint",
            "check",
            "--strict",
            "--root",
            PROJECT,
            "--bicep-cache",
            BICEP_CACHE,
            PROJECT,
        ];
        match Cli::try_parse_from(arguments) {
            Ok(Cli {
                command: Command::Check(args),
            }) => Ok(args),
            Ok(_) => Err("the command line is not `check`".to_owned()),
            Err(error) => Err(error.to_string()),
        }
    });
    parsed.as_ref().map_err(Clone::clone)
}

/// Every fix of `findings` applied to the text of its file, as `--fix --unsafe-fixes` would
/// write it.
fn apply_fixes(findings: &[isolint_rules::Finding], sources: &SourceMap) {
    let mut by_file: BTreeMap<u32, Vec<&Fix>> = BTreeMap::new();
    for fix in findings.iter().filter_map(|f| f.fix.as_ref()) {
        by_file.entry(fix.span.file.0).or_default().push(fix);
    }
    for (file, fixes) in by_file {
        if let Some(source) = sources.get(isolint_model::FileId(file)) {
            let _ = isolint_rules::apply_fixes(&source.text, &fixes);
        }
    }
}

/// Whether every span of the analysis lies inside its file, and every located diagnostic
/// in the file it is about.
fn check_spans(analyzed: &analysis::Analyzed) -> Result<(), String> {
    let sources = &analyzed.sources;
    for diagnostic in &analyzed.diagnostics {
        let Some(span) = diagnostic.span else {
            continue;
        };
        let what = || format!("diagnostic [{}] {}", diagnostic.code, diagnostic.message);
        check_span(sources, span, what)?;
        if sources
            .get(span.file)
            .is_some_and(|file| file.path != normalize(&diagnostic.path))
        {
            return Err(format!(
                "{}: about `{}`, located in another file",
                what(),
                diagnostic.path.display()
            ));
        }
    }
    for finding in &analyzed.findings {
        let what = || format!("finding {} {}", finding.rule.id, finding.message);
        check_span(sources, finding.span, what)?;
        for label in &finding.labels {
            check_span(sources, label.span, what)?;
        }
        if let Some(fix) = &finding.fix {
            check_span(sources, fix.span, what)?;
        }
        check_span(sources, finding.resource.declaration, what)?;
    }
    for suppression in &analyzed.suppressions {
        check_span(sources, suppression.at, || {
            format!("suppression {}", suppression.name)
        })?;
    }
    let mut budget = MAX_NODES_CHECKED;
    for resource in analyzed.model.graph().resources() {
        let what = || format!("resource {}", resource.identity());
        check_span(sources, resource.origin.header, what)?;
        for span in resource
            .origin
            .decls
            .iter()
            .chain(resource.origin.calls.iter())
        {
            check_span(sources, *span, what)?;
        }
        for node in [&resource.name, &resource.body] {
            check_node_spans(sources, node, &mut budget, what)?;
        }
    }
    Ok(())
}

/// Whether the spans of `node` and the values under it lie inside their files, for at
/// most `budget` more values.
fn check_node_spans(
    sources: &SourceMap,
    node: &Node,
    budget: &mut usize,
    what: impl Fn() -> String,
) -> Result<(), String> {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if *budget == 0 {
            return Ok(());
        }
        *budget -= 1;
        check_span(sources, node.span, &what)?;
        match &node.kind {
            NodeKind::Array(items) => stack.extend(items.iter()),
            NodeKind::Object(object) => {
                for entry in &object.entries {
                    check_span(sources, entry.key_span, &what)?;
                    stack.push(&entry.value);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `span` lies inside its file of `sources`; `what` names what holds it.
fn check_span(sources: &SourceMap, span: Span, what: impl Fn() -> String) -> Result<(), String> {
    let Some(file) = sources.get(span.file) else {
        return Err(format!(
            "{}: the span {}..{} is in file #{}, which the map does not hold",
            what(),
            span.start,
            span.end,
            span.file.0
        ));
    };
    if span.start > span.end || span.end as usize > file.text.len() {
        return Err(format!(
            "{}: the span {}..{} lies outside `{}` ({} bytes)",
            what(),
            span.start,
            span.end,
            file.name,
            file.text.len()
        ));
    }
    Ok(())
}

/// A file to seed the fuzzer and the smoke test with.
#[derive(Clone, Debug)]
pub struct Seed {
    /// Where it was read.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Its text.
    pub text: String,
}

impl Seed {
    /// The input [`run`] takes.
    pub fn input(&self) -> Vec<u8> {
        input(self.format, &self.text)
    }
}

/// Seeds larger than this are left out: the fuzzer reads no more than 8 KiB of an input
/// anyway, and the smoke test must stay fast.
const MAX_SEED_SIZE: u64 = 1024 * 1024;

/// Folders a walk for seeds never enters: snapshots, build output, version control.
const NOT_SEEDS: &[&str] = &["snapshots", "target", ".git", "node_modules"];

/// The folders of the repository at `repository` that hold real templates of every format
/// (the rules' examples, the test data, the examples).
pub fn repository_seed_folders(repository: &Path) -> Vec<PathBuf> {
    ["rules", "testdata", "examples"]
        .iter()
        .map(|folder| repository.join(folder))
        .collect()
}

/// The real-world corpus: `$ISOLINT_CORPUS`, else `../shared/corpus` beside the
/// repository at `repository`.
pub fn corpus_dir(repository: &Path) -> PathBuf {
    std::env::var_os("ISOLINT_CORPUS")
        .map_or_else(|| repository.join("../shared/corpus"), PathBuf::from)
}

/// Where the inputs of crashes the fuzzer found (fixed since) are kept, relative to the
/// repository: each file is an input of [`run`] (its format byte, then the text).
pub const REGRESSIONS: &str = "testdata/fuzz/deployment";

/// The inputs of [`REGRESSIONS`] in the repository at `repository`, with their paths, in
/// path order (none when the folder cannot be listed).
pub fn regressions(repository: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(repository.join(REGRESSIONS)) else {
        return Vec::new();
    };
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let input = std::fs::read(&path).ok()?;
            Some((path, input))
        })
        .collect();
    inputs.sort();
    inputs
}

/// The files under `folder` that a [`Format`] takes, in path order. Symbolic links are not
/// followed; files that are not UTF-8 or larger than a mebibyte are left out, and so is
/// a folder that cannot be listed.
pub fn seeds_under(folder: &Path) -> Vec<Seed> {
    let mut seeds = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Ok(metadata) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if metadata.is_dir() {
                if !name.is_some_and(|n| NOT_SEEDS.contains(&n.as_str())) {
                    folders.push(path);
                }
            } else if metadata.is_file()
                && metadata.len() <= MAX_SEED_SIZE
                && let Ok(text) = std::fs::read_to_string(&path)
                && let Some(format) = Format::of(&path, &text)
            {
                seeds.push(Seed { path, format, text });
            }
        }
    }
    seeds.sort_by(|a, b| a.path.cmp(&b.path));
    seeds
}
