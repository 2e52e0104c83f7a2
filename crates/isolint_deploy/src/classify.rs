//! What each file of a run is: by extension, and a JSON file by its content (an ARM
//! template, ARM deployment parameters, a Terraform plan, an export of deployed
//! resources), whatever its name. Terraform files group by folder, one folder one module,
//! and a variable file stands for the module of its folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_arm::Document;
use isolint_arm::template::Template;
use isolint_model::source::normalize;
use isolint_model::{Analysis, Diagnostic, Node, SourceMap};
use rayon::prelude::*;

/// One unit of input.
#[derive(Debug)]
pub enum Input {
    /// A `.bicep` file.
    Bicep(PathBuf),
    /// A `.bicepparam` file.
    BicepParameters(PathBuf),
    /// An ARM JSON template, lowered.
    Template(PathBuf, Box<Template>),
    /// An ARM deployment parameters file, with its values.
    ArmParameters(PathBuf, Vec<(Arc<str>, Node)>),
    /// A Terraform module: a folder and its `.tf`/`.tf.json` files of the run.
    Terraform(PathBuf, Vec<PathBuf>),
    /// A Terraform plan (`terraform show -json`), read.
    Plan(Analysis),
    /// An export of deployed resources, lowered (the estate relates the exports).
    Export(isolint_inventory::FileExport),
}

/// The files of a run, classified.
#[derive(Debug, Default)]
pub struct Classified {
    /// Each unit, in the order of the files (Terraform folders in folder order, after the
    /// other units).
    pub inputs: Vec<Input>,
    /// Files that could not be read or parsed.
    pub diagnostics: Vec<Diagnostic>,
    /// Files skipped on purpose, for the summary.
    pub notes: Vec<String>,
}

/// Whether `path` is a Terraform variable file (`.tfvars`, `.tfvars.json`).
fn is_variable_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// Whether `path` is a `.bicep` or `.bicepparam` file.
pub(crate) fn is_bicep_family(path: &Path) -> bool {
    isolint_bicep::accepts(path)
}

/// Classifies `files`: reads each JSON file once (side by side) and keeps what it is
/// with what was read. JSON compiled from a `.bicep` file of the same folder is skipped
/// (with a note) unless `include_compiled`.
pub fn classify(files: &[PathBuf], sources: &SourceMap, include_compiled: bool) -> Classified {
    let mut classified = Classified::default();
    let skipped = if include_compiled {
        std::collections::BTreeSet::new()
    } else {
        isolint_bicep::compiled_copies(files, sources)
    };
    let mut json_files = Vec::new();
    let mut folders: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let path = normalize(file);
        if isolint_terraform::accepts(&path) {
            let dir = path
                .parent()
                .map_or_else(|| path.clone(), Path::to_path_buf);
            folders.entry(dir).or_default().push(path);
        } else if is_variable_file(&path) {
            // A variable file stands for the root module of its folder.
            if let Some(dir) = path.parent()
                && let Ok(module) = isolint_terraform::folder_files(dir, sources)
                && !module.is_empty()
            {
                folders.entry(dir.to_path_buf()).or_default().extend(module);
            }
        } else if isolint_bicep::is_parameters_file(&path) {
            classified.inputs.push(Input::BicepParameters(path));
        } else if is_bicep_family(&path) {
            classified.inputs.push(Input::Bicep(path));
        } else if isolint_arm::accepts(&path) {
            if skipped.contains(file) {
                continue;
            }
            json_files.push(path);
        }
    }
    let read: Vec<(Option<Input>, Vec<Diagnostic>)> = json_files
        .par_iter()
        .map(|path| read_json(path, sources))
        .collect();
    for (input, diagnostics) in read {
        classified.inputs.extend(input);
        classified.diagnostics.extend(diagnostics);
    }
    classified
        .inputs
        .extend(folders.into_iter().map(|(dir, mut files)| {
            files.sort();
            files.dedup();
            Input::Terraform(dir, files)
        }));
    if !skipped.is_empty() {
        let names: Vec<String> = skipped.iter().map(|p| p.display().to_string()).collect();
        classified.notes.push(format!(
            "skipped (compiled from a Bicep file that is linted): {}",
            names.join(", ")
        ));
    }
    classified
}

/// Reads one JSON file and tells what it is.
fn read_json(path: &Path, sources: &SourceMap) -> (Option<Input>, Vec<Diagnostic>) {
    let file = match sources.read(path) {
        Ok(file) => file,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let json = match isolint_json::parse(&file) {
        Ok(json) => json,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let mut diagnostics = Vec::new();
    let input = match isolint_arm::read_document(&file, &json, &mut diagnostics) {
        Document::Template(template) => {
            Some(Input::Template(path.to_path_buf(), Box::new(template)))
        }
        Document::Parameters(values) => Some(Input::ArmParameters(path.to_path_buf(), values)),
        other => {
            if isolint_terraform::plan::detect(&json) {
                Some(Input::Plan(isolint_terraform::plan::read(&json, &file)))
            } else if let Some(shape) = isolint_inventory::detect(&json) {
                Some(Input::Export(isolint_inventory::FileExport::lower(
                    &file, &json, shape,
                )))
            } else {
                if let Document::ResourceArray(error) = other {
                    diagnostics.push(error);
                }
                None
            }
        }
    };
    (input, diagnostics)
}
