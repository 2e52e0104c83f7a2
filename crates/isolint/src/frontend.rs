//! The formats as a table: which files discovery keeps for each. A new format is one
//! entry here; reading them is `isolint_deploy`'s business (JSON files are told apart by
//! content there: templates, parameters, plans, exports).

use std::path::Path;

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
}

/// The formats. The more specific predicates come first: Terraform's `.tf.json` must sit
/// above ARM's `.json`.
pub(crate) static FRONTENDS: &[Frontend] = &[
    Frontend {
        name: "Terraform",
        accepts: isolint_terraform::accepts,
        configures: is_terraform_variable_file,
    },
    Frontend {
        name: "Bicep",
        accepts: isolint_bicep::accepts,
        configures: |_| false,
    },
    Frontend {
        name: "ARM",
        accepts: isolint_arm::accepts,
        configures: |_| false,
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

#[cfg(test)]
mod tests {
    use super::*;

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
