//! The frontends as a table: which files each one reads, and how to call it. A new format
//! is one entry here.

use std::path::{Path, PathBuf};

use isolint_model::{Analysis, SourceMap};
use rayon::prelude::*;

/// Every frontend's options, built once from the command line.
#[derive(Clone, Debug, Default)]
pub(crate) struct FrontendOptions {
    /// Options of the ARM JSON frontend.
    pub(crate) arm: isolint_arm::Options,
    /// Lint JSON compiled from a `.bicep` file of the same folder as well (by default the
    /// source is linted and the compiled copy skipped, see `isolint_bicep::compiled_copies`).
    pub(crate) include_compiled: bool,
    /// Options of the Terraform frontend.
    pub(crate) terraform: isolint_terraform::Options,
}

/// One input format.
pub(crate) struct Frontend {
    /// The format, for messages.
    pub(crate) name: &'static str,
    /// Whether this frontend reads `path`.
    pub(crate) accepts: fn(&Path) -> bool,
    /// Whether `path` configures this format's deployment in its folder rather than
    /// declaring one (Terraform variable files): named on the command line, it stands for
    /// the files of its folder that `accepts`.
    pub(crate) configures: fn(&Path) -> bool,
    /// Reads and evaluates the files it accepted.
    pub(crate) analyze: fn(&[PathBuf], &SourceMap, &FrontendOptions) -> Analysis,
}

/// The frontends. A file goes to the first one that accepts it, so the more specific
/// predicates come first: Terraform's `.tf.json` must sit above ARM's `.json`.
pub(crate) static FRONTENDS: &[Frontend] = &[
    Frontend {
        name: "Terraform",
        accepts: isolint_terraform::accepts,
        configures: is_terraform_variable_file,
        analyze: |files, sources, options| {
            isolint_terraform::analyze(files, sources, &options.terraform)
        },
    },
    Frontend {
        name: "Bicep",
        accepts: isolint_bicep::accepts,
        configures: |_| false,
        analyze: |files, sources, _| isolint_bicep::analyze(files, sources),
    },
    Frontend {
        name: "ARM",
        accepts: isolint_arm::accepts,
        configures: |_| false,
        analyze: |files, sources, options| isolint_arm::analyze(files, sources, &options.arm),
    },
];

/// The formats isolint reads, for messages: `ARM`, or `Bicep, ARM and Terraform`.
pub(crate) fn format_names() -> String {
    let names: Vec<&str> = FRONTENDS.iter().map(|f| f.name).collect();
    match names.as_slice() {
        [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => names.concat(),
    }
}

/// The deployment a file such as `prod.tfvars` configures: the files of its folder that
/// one format reads.
#[derive(Clone, Copy)]
pub(crate) struct Configured {
    /// The format, for messages.
    pub(crate) format: &'static str,
    /// Whether a file of the folder belongs to the deployment.
    pub(crate) member: fn(&Path) -> bool,
}

/// The deployment `path` configures, when it is a file that configures one.
pub(crate) fn configured_by(path: &Path) -> Option<Configured> {
    FRONTENDS
        .iter()
        .find(|frontend| (frontend.configures)(path))
        .map(|frontend| Configured {
            format: frontend.name,
            member: frontend.accepts,
        })
}

/// `*.tfvars` and `*.tfvars.json`.
fn is_terraform_variable_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// Whether any frontend reads `path`.
pub(crate) fn accepts_any(path: &Path) -> bool {
    FRONTENDS.iter().any(|frontend| (frontend.accepts)(path))
}

/// Hands each file to the first frontend that accepts it, runs the frontends side by side,
/// and merges their analyses in table order, so the result does not depend on timing.
pub(crate) fn analyze_all(
    files: &[PathBuf],
    sources: &SourceMap,
    options: &FrontendOptions,
) -> Analysis {
    // JSON compiled from a `.bicep` file of the same folder repeats the source's findings:
    // the source is linted, the compiled copy skipped.
    let skipped = if options.include_compiled {
        std::collections::BTreeSet::new()
    } else {
        isolint_bicep::compiled_copies(files, sources)
    };
    let (compiled, files): (Vec<PathBuf>, Vec<PathBuf>) = files
        .iter()
        .cloned()
        .partition(|f| skipped.contains(f) && isolint_arm::accepts(f));
    let mut analysis = analyze_with(FRONTENDS, &files, sources, options);
    if !compiled.is_empty() {
        let names: Vec<String> = compiled.iter().map(|p| p.display().to_string()).collect();
        analysis.notes.push(format!(
            "skipped (compiled from a Bicep file that is linted): {}",
            names.join(", ")
        ));
    }
    analysis
}

fn analyze_with(
    frontends: &[Frontend],
    files: &[PathBuf],
    sources: &SourceMap,
    options: &FrontendOptions,
) -> Analysis {
    let mut groups: Vec<Vec<PathBuf>> = vec![Vec::new(); frontends.len()];
    for file in files {
        if let Some(index) = frontends.iter().position(|f| (f.accepts)(file)) {
            groups[index].push(file.clone());
        }
    }
    let analyses: Vec<Analysis> = frontends
        .par_iter()
        .zip(groups.par_iter())
        .filter(|(_, group)| !group.is_empty())
        .map(|(frontend, group)| (frontend.analyze)(group, sources, options))
        .collect();
    let mut all = Analysis::default();
    for analysis in analyses {
        all.extend(analysis);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_extension(path: &Path, ext: &str) -> bool {
        path.to_string_lossy().ends_with(ext)
    }

    fn tf(files: &[PathBuf], _: &SourceMap, _: &FrontendOptions) -> Analysis {
        let notes = files.iter().map(|f| format!("tf {}", f.display()));
        Analysis {
            notes: notes.collect(),
            ..Analysis::default()
        }
    }

    fn json(files: &[PathBuf], _: &SourceMap, _: &FrontendOptions) -> Analysis {
        let notes = files.iter().map(|f| format!("json {}", f.display()));
        Analysis {
            notes: notes.collect(),
            ..Analysis::default()
        }
    }

    #[test]
    fn each_file_goes_to_the_first_frontend_that_accepts_it() {
        let table = [
            Frontend {
                name: "tf",
                accepts: |p| has_extension(p, ".tf.json"),
                configures: |_| false,
                analyze: tf,
            },
            Frontend {
                name: "json",
                accepts: |p| has_extension(p, ".json"),
                configures: |_| false,
                analyze: json,
            },
        ];
        let files: Vec<PathBuf> = ["a.json", "b.tf.json", "c.txt", "d.json"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let analysis = analyze_with(
            &table,
            &files,
            &SourceMap::new(),
            &FrontendOptions::default(),
        );
        assert_eq!(
            analysis.notes,
            ["tf b.tf.json", "json a.json", "json d.json"]
        );
    }

    #[test]
    fn the_bicep_frontend_reads_bicep_and_bicepparam() {
        assert!(accepts_any(Path::new("main.bicep")));
        assert!(accepts_any(Path::new("main.bicepparam")));
        assert!(FRONTENDS.iter().any(|f| f.name == "Bicep"));
    }

    #[test]
    fn terraform_variable_files_stand_for_their_module() {
        let configured = configured_by(Path::new("envs/prod.tfvars")).unwrap();
        assert_eq!(configured.format, "Terraform");
        assert!((configured.member)(Path::new("main.tf")));
        assert!(configured_by(Path::new("terraform.tfvars.json")).is_some());
        assert!(configured_by(Path::new("main.tf")).is_none());
        assert!(configured_by(Path::new("main.bicepparam")).is_none());
    }

    #[test]
    fn the_arm_frontend_reads_json() {
        assert!(accepts_any(Path::new("azuredeploy.json")));
        assert!(!accepts_any(Path::new("README.md")));
        assert!(FRONTENDS.iter().any(|f| f.name == "ARM"));
    }
}
