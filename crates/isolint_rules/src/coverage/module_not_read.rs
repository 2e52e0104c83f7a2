//! COV001: a module, linked template or template spec that the deployment calls could not
//! be read, so what it deploys is not checked.

use isolint_model::ResourceRef;
use isolint_model::coverage::{GapReport, Remedy};
use isolint_model::types::UNREAD_MODULE;

use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a module call whose module isolint cannot read, so the resources it deploys
    /// are not checked.
    ///
    /// isolint reads modules offline, from where the tools that deploy them put them: a
    /// Bicep registry module (`br:`, `br/public:`) or template spec (`ts:`) from the Bicep
    /// module cache that `bicep restore` (or `bicep build`) fills, `~/.bicep` unless
    /// `bicepconfig.json` or `--bicep-cache` names another; a Terraform registry or git
    /// module from `.terraform/modules`, as `terraform init` installs it. The finding
    /// points at the module reference, says why it was not read (not in the cache, not
    /// installed, installed from another source or version, missing, outside the project
    /// root, linked by URI) and what to run.
    ///
    /// ## Why is this bad?
    /// Most real deployments create the workspace and its storage, key vault and registry
    /// through modules. A module that is not read is a part of the deployment nobody
    /// checked: without this rule the run would pass, whatever the module deploys.
    ///
    /// ## How to fix
    /// Run what the message names before isolint: `bicep restore main.bicep`, or
    /// `terraform init` in the root module (for Terraform, checking the plan works too:
    /// `terraform show -json plan.out > plan.json`, then `isolint check plan.json`). Fix a
    /// path that names nothing, keep modules inside the project, or suppress the finding
    /// on the module call when the module is checked elsewhere.
    ///
    /// ## Known limitations
    /// Templates linked by URI and template specs named by resource ID are never fetched:
    /// check their sources on their own.
    pub(crate) static MODULE_NOT_READ = Rule {
        id: "COV001",
        name: "module-not-read",
        level: Level::Warning,
        protects: Protects::Coverage,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[RESTORE, INIT, LOCAL_PATH, OUTSIDE_ROOT, REMOTE, REFERENCE],
        targets: &[UNREAD_MODULE],
        check,
    };
}

const RESTORE: Help = Help::everywhere(
    "run `bicep restore {file}` (or `bicep build`) so that the module is in the Bicep module cache, or name the cache with `--bicep-cache DIR`",
);
const INIT: Help = Help::everywhere(
    "run `terraform init` in `{folder}` so that the module is installed in `.terraform/modules`, or check the plan: `terraform show -json plan.out > plan.json`",
);
const LOCAL_PATH: Help = Help::everywhere(
    "make the module path name a template (or, in Terraform, a folder of `.tf` files) in the project",
);
const OUTSIDE_ROOT: Help = Help::everywhere(
    "keep the module inside the project, or pass `--root DIR` naming a folder that holds the module and its caller",
);
const REMOTE: Help = Help::everywhere(
    "link the template by `relativePath` to a file in the repository, or check what it names on its own",
);
const REFERENCE: Help = Help::everywhere(
    "fix the module reference, or declare its alias in `bicepconfig.json` (`moduleAliases`)",
);

fn check(gap: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(report) = GapReport::of(&gap) else {
        return;
    };
    let help = match report.remedy {
        Remedy::BicepRestore => RESTORE.arm.replace("{file}", report.subject),
        Remedy::TerraformInit => INIT.arm.replace("{folder}", report.subject),
        Remedy::LocalPath => LOCAL_PATH.arm.to_owned(),
        Remedy::OutsideRoot => OUTSIDE_ROOT.arm.to_owned(),
        Remedy::Remote => REMOTE.arm.to_owned(),
        Remedy::Reference => REFERENCE.arm.to_owned(),
    };
    let message = format!(
        "{}, so the resources it deploys are not checked: {}",
        report.reason, report.fix
    );
    cx.report(gap.header(), "", message).help(help);
}
