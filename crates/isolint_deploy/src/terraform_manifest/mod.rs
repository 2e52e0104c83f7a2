//! `.terraform/modules/modules.json`: where `terraform init` installed the registry, git
//! and other remote modules of a root module, read offline.
//!
//! The manifest (hashicorp/terraform `internal/modsdir/manifest.go`,
//! `internal/initwd/module_install.go`) is `{"Modules":[{"Key","Source","Version"?,"Dir"}]}`:
//! - `Key` is the module call path joined with `.` (`aml`, `aml.connection`), without
//!   `count`/`for_each` instance keys; the root module is `{"Key":"","Source":"","Dir":"."}`;
//! - `Dir` is relative to the root module's folder, with `/`: `.terraform/modules/<key>`
//!   for a remote module (plus its `//subdir`), the parent's `Dir` joined with the source
//!   for a local module inside one;
//! - `Source` is normalised: registry addresses carry their host
//!   (`registry.terraform.io/Azure/x/azurerm`; older files have the short form, accepted
//!   too), git shorthands are expanded;
//! - the data folder is `.terraform`, or `TF_DATA_DIR` (relative to the root module).
//!
//! A record is stale as Terraform judges it before reinstalling: the configuration's
//! `source` differs from the recorded one, or the recorded version no longer meets the
//! configuration's `version` constraint. `terraform plan` refuses to run on a stale
//! installation, so a stale record is not followed: `terraform init` must run first.
//!
//! Local modules called from local modules need no manifest: their folder is the caller's
//! folder joined with the source (see [`is_local_source`]).

mod source;
mod version;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use isolint_json::{self as json, Json, JsonKind};
use isolint_model::source::display_name;
use isolint_model::{Diagnostic, SourceFile, SourceMap, Span};

pub use source::{is_local_source, normalize_source};
pub use version::{Version, VersionConstraints, satisfies};

use crate::files;
use crate::unresolved::{Unresolved, UnresolvedCause};

/// Terraform's data folder when `TF_DATA_DIR` is not set.
pub const DEFAULT_DATA_DIR: &str = ".terraform";

/// The diagnostic code of a manifest whose content cannot be used.
const MANIFEST_ERROR: &str = "manifest-error";

/// The manifest key of a module call path: the call names joined with `.` (`["aml",
/// "connection"]` → `aml.connection`; the root module is `""`).
pub fn module_key<S: AsRef<str>>(call_path: &[S]) -> String {
    call_path
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<&str>>()
        .join(".")
}

/// Where `modules.json` is for the root module in `root_module`: under `tf_data_dir` (the
/// value of `TF_DATA_DIR`, relative to the root module) when set and not empty, else under
/// `.terraform`.
pub fn manifest_path(root_module: &Path, tf_data_dir: Option<&OsStr>) -> PathBuf {
    let data_dir = tf_data_dir
        .filter(|dir| !dir.is_empty())
        .map_or(Path::new(DEFAULT_DATA_DIR), Path::new);
    isolint_model::source::normalize(
        &root_module
            .join(data_dir)
            .join("modules")
            .join("modules.json"),
    )
}

/// A module call as the configuration writes it.
#[derive(Clone, Copy, Debug)]
pub struct ModuleCall<'a> {
    /// The `source` argument.
    pub source: &'a str,
    /// The `version` argument, when there is one.
    pub version: Option<&'a str>,
}

/// One record of the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleRecord {
    /// The call path key (`aml.connection`).
    pub key: String,
    /// The source as recorded.
    pub source: String,
    /// The installed version (registry modules only).
    pub version: Option<String>,
    /// The module's folder: the root module's folder joined with `Dir`, normalised.
    pub dir: PathBuf,
    /// Where the record is written in `modules.json`.
    pub span: Span,
    /// Whether `dir` leaves both the project root and the modules folder (reported when
    /// the manifest was loaded; never followed).
    outside: bool,
    /// Whether `dir` was a folder when the manifest was loaded.
    installed: bool,
}

/// The module manifest of one Terraform root module.
#[derive(Clone, Debug)]
pub struct ModuleManifest {
    path: PathBuf,
    root_module: PathBuf,
    state: ManifestState,
}

#[derive(Clone, Debug)]
enum ManifestState {
    /// No `modules.json`: `terraform init` has not run (or installed nothing remote).
    Missing,
    /// `modules.json` could not be read or parsed; its diagnostic was reported.
    Unreadable,
    /// The records, by key.
    Read(BTreeMap<String, ModuleRecord>),
}

impl ModuleManifest {
    /// Reads the manifest of the root module in `root_module` ([`manifest_path`]). A
    /// missing manifest is not an error here (every remote module call then resolves to
    /// [`UnresolvedCause::NotInitialized`]); a manifest that cannot be read or is not a
    /// manifest gives a located error, and a record whose `Dir` leaves the project root
    /// (and the modules folder) a located warning.
    pub fn load(
        root_module: &Path,
        project_root: &Path,
        tf_data_dir: Option<&OsStr>,
        sources: &SourceMap,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let root_module = isolint_model::source::normalize(root_module);
        let path = manifest_path(&root_module, tf_data_dir);
        let state = if files::is_file(sources, &path) {
            match read_records(&path, &root_module, project_root, sources, diagnostics) {
                Ok(records) => ManifestState::Read(records),
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    ManifestState::Unreadable
                }
            }
        } else {
            ManifestState::Missing
        };
        Self {
            path,
            root_module,
            state,
        }
    }

    /// Where `modules.json` is (or would be).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The record of `key`, if the manifest was read and has one.
    pub fn record(&self, key: &str) -> Option<&ModuleRecord> {
        match &self.state {
            ManifestState::Read(records) => records.get(key),
            ManifestState::Missing | ManifestState::Unreadable => None,
        }
    }

    /// The installed module for the call `key` whose configuration is `call`: its record
    /// (whose `dir` is the folder to read), or why it cannot be followed and what to run.
    pub fn resolve(&self, key: &str, call: &ModuleCall<'_>) -> Result<&ModuleRecord, Unresolved> {
        let records = match &self.state {
            ManifestState::Read(records) => records,
            ManifestState::Missing => {
                return Err(self.unresolved(
                    UnresolvedCause::NotInitialized,
                    format!(
                        "module `{key}` (`{}`) is installed by `terraform init`, which has not run here: `{}` does not exist",
                        call.source,
                        display_name(&self.path)
                    ),
                    self.path.clone(),
                ));
            }
            ManifestState::Unreadable => {
                return Err(self.unresolved(
                    UnresolvedCause::ManifestUnreadable,
                    format!(
                        "module `{key}` cannot be looked up: `{}` cannot be read",
                        display_name(&self.path)
                    ),
                    self.path.clone(),
                ));
            }
        };
        let Some(record) = records.get(key) else {
            return Err(self.unresolved(
                UnresolvedCause::NotInstalled,
                format!(
                    "module `{key}` (`{}`) is not installed: `{}` has no record of it",
                    call.source,
                    display_name(&self.path)
                ),
                self.path.clone(),
            ));
        };
        if record.outside {
            return Err(Unresolved {
                cause: UnresolvedCause::OutsideRoot,
                reason: format!(
                    "module `{key}` is installed in `{}`, outside the project root: not followed",
                    record.dir.display()
                ),
                fix: format!(
                    "run `terraform init` again in `{}` so that the module is installed under `.terraform`",
                    display_name(&self.root_module)
                ),
                expected: Some(record.dir.clone()),
            });
        }
        if let Some(why) = staleness(record, call) {
            return Err(self.unresolved(
                UnresolvedCause::Stale,
                format!("module `{key}` is out of date in `.terraform`: {why}"),
                record.dir.clone(),
            ));
        }
        if !record.installed {
            return Err(self.unresolved(
                UnresolvedCause::NotInstalled,
                format!(
                    "module `{key}` is recorded in `{}` but its folder `{}` is missing",
                    display_name(&self.path),
                    display_name(&record.dir)
                ),
                record.dir.clone(),
            ));
        }
        Ok(record)
    }

    /// A failure whose fix is to run `terraform init` in the root module (or to scan a
    /// plan, which holds every module's resources).
    fn unresolved(&self, cause: UnresolvedCause, reason: String, expected: PathBuf) -> Unresolved {
        Unresolved {
            cause,
            reason,
            fix: format!(
                "run `terraform init` in `{}`, or scan the plan instead (`terraform show -json`)",
                display_name(&self.root_module)
            ),
            expected: Some(expected),
        }
    }
}

/// Why `record` no longer matches `call`, as Terraform's installer decides it.
fn staleness(record: &ModuleRecord, call: &ModuleCall<'_>) -> Option<String> {
    let configured = normalize_source(call.source);
    if configured != normalize_source(&record.source) {
        return Some(format!(
            "it was installed from `{}`, and the configuration now says `{}`",
            record.source, call.source
        ));
    }
    let (Some(constraint), Some(installed)) = (call.version, &record.version) else {
        return None;
    };
    // A constraint or a recorded version Terraform would not parse leaves the record alone:
    // `terraform init` reports those itself.
    match satisfies(installed, constraint) {
        Some(false) => Some(format!(
            "version {installed} is installed, and the configuration now asks for `{constraint}`"
        )),
        Some(true) | None => None,
    }
}

/// Reads and checks the records of the manifest at `path`.
fn read_records(
    path: &Path,
    root_module: &Path,
    project_root: &Path,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, ModuleRecord>, Diagnostic> {
    let file = files::read(sources, path)?;
    let json = json::parse(&file)?;
    let not_a_manifest = |at: &Json, what: &str| {
        Diagnostic::error(
            MANIFEST_ERROR,
            format!("this is not a Terraform module manifest: {what}"),
            &file.path,
        )
        .at(at.span)
        .with_help("run `terraform init` again to rewrite it")
    };
    if json.members().is_none() {
        return Err(not_a_manifest(&json, "it must be an object with `Modules`"));
    }
    let items = match json.get("Modules") {
        None => return Ok(BTreeMap::new()),
        Some(modules) => match &modules.kind {
            JsonKind::Null => return Ok(BTreeMap::new()),
            JsonKind::Array(items) => items,
            _ => return Err(not_a_manifest(modules, "`Modules` must be an array")),
        },
    };
    let modules_dir = path.parent().unwrap_or(path);
    let mut records = BTreeMap::new();
    for item in items {
        let text = |key: &str| -> Result<Option<String>, Diagnostic> {
            match item.get(key).map(|value| (value, &value.kind)) {
                None | Some((_, JsonKind::Null)) => Ok(None),
                Some((_, JsonKind::String(s))) => Ok(Some(s.text.to_string())),
                Some((value, _)) => {
                    Err(not_a_manifest(value, &format!("`{key}` must be a string")))
                }
            }
        };
        if item.members().is_none() {
            return Err(not_a_manifest(item, "each module must be an object"));
        }
        let (Some(key), Some(dir)) = (text("Key")?, text("Dir")?) else {
            return Err(not_a_manifest(
                item,
                "each module needs a `Key` and a `Dir`",
            ));
        };
        let dir_path = isolint_model::source::normalize(&root_module.join(&dir));
        let outside =
            !files::is_inside(&dir_path, project_root) && !files::is_inside(&dir_path, modules_dir);
        if outside {
            diagnostics.push(outside_warning(&file, item, &key, &dir));
        }
        let installed = files::is_dir(sources, &dir_path);
        let record = ModuleRecord {
            installed,
            source: text("Source")?.unwrap_or_default(),
            version: text("Version")?,
            dir: dir_path,
            span: item.span,
            outside,
            key: key.clone(),
        };
        // A repeated key: the last record wins, as when Terraform reads the file.
        records.insert(key, record);
    }
    Ok(records)
}

fn outside_warning(file: &SourceFile, item: &Json, key: &str, dir: &str) -> Diagnostic {
    let at = item.get("Dir").map_or(item.span, |value| value.span);
    Diagnostic::warning(
        MANIFEST_ERROR,
        format!("module `{key}` is recorded in `{dir}`, outside the project root: not followed"),
        &file.path,
    )
    .at(at)
}

#[cfg(test)]
mod tests;
