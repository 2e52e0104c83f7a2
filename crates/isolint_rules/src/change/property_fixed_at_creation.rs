//! CHG003: a change alters a property that is fixed once the resource is created.

use isolint_model::paths::{
    APPLICATION_INSIGHTS, COMPUTE_TYPE, CONTAINER_REGISTRY, DISABLE_LOCAL_AUTH, HBI_WORKSPACE,
    KEY_VAULT, PROVISION_NETWORK_NOW, REMOTE_LOGIN_PORT_PUBLIC_ACCESS, STORAGE_ACCOUNT, SUBNET_ID,
};
use isolint_model::types::{ML_COMPUTE, ML_WORKSPACE};
use isolint_model::{Prop, Resource, ResourceId, ResourceRef, Syntax, Target, Value};

use crate::change::Comparison;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a change to a property that is fixed once the resource is created.
    ///
    /// Azure refuses a new value for a workspace's `storageAccount`, `keyVault`
    /// and `hbiWorkspace`, and for a compute cluster's `remoteLoginPortPublicAccess`. With
    /// the azurerm provider, Terraform replaces the resource (destroys it, then creates it
    /// again) when a workspace's `application_insights_id`, `container_registry_id` or
    /// `managed_network.provision_on_creation_enabled`, or a compute cluster's
    /// `subnet_resource_id` or `local_auth_enabled` changes. Only `isolint diff` runs it.
    ///
    /// Linked resources are compared as resources: the same storage account declared under
    /// another symbolic name, or named by its ID instead of a reference, is no change.
    ///
    /// ## Why is this bad?
    /// A deployment Azure refuses fails after the review, often with the rest of the change
    /// half applied. A replacement Terraform plans deletes the workspace, and with it its
    /// computes, endpoints, registered models and the link to its data, to create an empty
    /// one under the same name.
    ///
    /// ## How to fix
    /// Keep the value the resource was created with. When the change is meant, it is a new
    /// resource: deploy it under a new name, move the work to it, then remove the old one.
    ///
    /// ## Known limitations
    /// A value isolint cannot settle at either revision (a parameter without a default) is
    /// not compared. The rule compares two revisions, so it has no example files under
    /// `rules/`; its tests build throw-away git repositories.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/rest/api/azureml/workspaces/create-or-update>
    /// - <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/machine_learning_workspace>
    pub(crate) static PROPERTY_FIXED_AT_CREATION = Rule {
        id: "CHG003",
        name: "property-fixed-at-creation",
        level: Level::Error,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Preview,
        weighs: Weight::Advisory,
        help: &[REFUSED_HELP, REPLACED_HELP],
        targets: &[ML_WORKSPACE, ML_COMPUTE],
        check,
    };
}

const REFUSED_HELP: Help = Help::everywhere(
    "keep the value the resource has at the base revision; a different one is a new resource: deploy it under a new name and move the work to it",
);

const REPLACED_HELP: Help = Help::everywhere(
    "keep the value the resource has at the base revision, or plan the replacement on purpose (`terraform plan` says `must be replaced`) after moving the work elsewhere",
);

/// What happens when a fixed property changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Azure refuses the deployment, whatever wrote it.
    Refused,
    /// The azurerm provider replaces the resource (`ForceNew`); Azure itself would accept.
    Replaced,
}

/// A property fixed at creation.
struct Fixed {
    /// The resource type.
    ty: &'static str,
    /// The compute type it applies to, for computes.
    compute_type: Option<&'static str>,
    /// The ARM path.
    path: &'static str,
    /// Whether the value names another resource (compared as resources).
    link: bool,
    /// The value an absent property has, rendered (`false()`), when the service has one.
    default: Option<&'static str>,
    outcome: Outcome,
}

/// The properties, from `reference/aml-spec.md` (§1.2, §2, §5.1, §5.3).
const FIXED: &[Fixed] = &[
    Fixed {
        ty: ML_WORKSPACE,
        compute_type: None,
        path: STORAGE_ACCOUNT,
        link: true,
        default: None,
        outcome: Outcome::Refused,
    },
    Fixed {
        ty: ML_WORKSPACE,
        compute_type: None,
        path: KEY_VAULT,
        link: true,
        default: None,
        outcome: Outcome::Refused,
    },
    Fixed {
        ty: ML_WORKSPACE,
        compute_type: None,
        path: HBI_WORKSPACE,
        link: false,
        default: Some("false()"),
        outcome: Outcome::Refused,
    },
    Fixed {
        ty: ML_WORKSPACE,
        compute_type: None,
        path: APPLICATION_INSIGHTS,
        link: true,
        default: None,
        outcome: Outcome::Replaced,
    },
    Fixed {
        ty: ML_WORKSPACE,
        compute_type: None,
        path: CONTAINER_REGISTRY,
        link: true,
        default: None,
        outcome: Outcome::Replaced,
    },
    Fixed {
        ty: ML_WORKSPACE,
        compute_type: None,
        path: PROVISION_NETWORK_NOW,
        link: false,
        default: Some("false()"),
        outcome: Outcome::Replaced,
    },
    Fixed {
        ty: ML_COMPUTE,
        compute_type: Some("AmlCompute"),
        path: REMOTE_LOGIN_PORT_PUBLIC_ACCESS,
        link: false,
        default: Some("'NotSpecified'"),
        outcome: Outcome::Refused,
    },
    Fixed {
        ty: ML_COMPUTE,
        compute_type: Some("AmlCompute"),
        path: SUBNET_ID,
        link: true,
        default: None,
        outcome: Outcome::Replaced,
    },
    Fixed {
        ty: ML_COMPUTE,
        compute_type: Some("AmlCompute"),
        path: DISABLE_LOCAL_AUTH,
        link: false,
        default: Some("false()"),
        outcome: Outcome::Replaced,
    },
];

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(comparison) = cx.comparison() else {
        return;
    };
    let Some(before) = comparison.before(resource) else {
        return;
    };
    for fixed in FIXED.iter().filter(|f| applies(f, &resource)) {
        let now = resource.get(fixed.path);
        let was = before.get(fixed.path);
        let Some((was_shown, now_shown)) =
            changed(comparison, fixed, (&before, &was), (&resource, &now))
        else {
            continue;
        };
        let (what, help) = match fixed.outcome {
            Outcome::Refused => ("Azure refuses the change", &REFUSED_HELP),
            Outcome::Replaced => (
                "Terraform replaces the resource: it destroys it, with what it holds, and creates an empty one",
                &REPLACED_HELP,
            ),
        };
        let help = cx.help(help);
        cx.report(
            now.span_or(resource.header()),
            fixed.path,
            format!(
                "{} of `{}` changes from {was_shown} at the base revision to {now_shown}, but it is fixed once the resource is created: {what}",
                Terms::of(&resource).name(fixed.path),
                resource.display_name(),
            ),
        )
        .help(help);
    }
}

/// Whether `fixed` is a property of `resource`, in the language that wrote it.
fn applies(fixed: &Fixed, resource: &Resource) -> bool {
    resource.is(fixed.ty)
        && fixed
            .compute_type
            .is_none_or(|ty| resource.get(COMPUTE_TYPE).is(ty))
        && (fixed.outcome == Outcome::Refused || resource.origin.syntax == Syntax::Terraform)
}

/// The two values as messages show them, when they differ; `None` when they are the same
/// or cannot be compared (a value isolint cannot settle).
fn changed(
    comparison: &Comparison<'_>,
    fixed: &Fixed,
    (before, was): (&Resource, &Prop<'_>),
    (after, now): (&Resource, &Prop<'_>),
) -> Option<(String, String)> {
    if fixed.link {
        let was_target = comparison.base().graph().resolve(before, &was.value);
        let now_target = comparison.current().graph().resolve(after, &now.value);
        return match (&was_target, &now_target) {
            (Target::Unknown(_), _) | (_, Target::Unknown(_)) => None,
            _ if same_target(comparison, &was_target, &now_target) => None,
            _ => Some((shown_target(&was_target), shown_target(&now_target))),
        };
    }
    let rendered = |prop: &Prop<'_>| match &prop.value {
        Value::Known(node) => Some(Some(node.render())),
        Value::Absent => Some(fixed.default.map(str::to_owned)),
        Value::Unknown(_) => None,
    };
    let (was_value, now_value) = (rendered(was)?, rendered(now)?);
    let same = match (&was_value, &now_value) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    };
    (!same).then(|| {
        (
            shown_value(before, fixed.path, was),
            shown_value(after, fixed.path, now),
        )
    })
}

fn same_target(comparison: &Comparison<'_>, was: &Target<'_>, now: &Target<'_>) -> bool {
    match (was, now) {
        (Target::Absent, Target::Absent) => true,
        (Target::Declared(a) | Target::Existing(a), Target::Declared(b) | Target::Existing(b)) => {
            comparison
                .after(*a)
                .is_some_and(|matched| matched.idx() == b.idx())
                || same_id(&a.id, &b.id)
        }
        (Target::Declared(a) | Target::Existing(a), Target::External(id)) => same_id(&a.id, id),
        (Target::External(id), Target::Declared(b) | Target::Existing(b)) => same_id(id, &b.id),
        (Target::External(a), Target::External(b)) => same_id(a, b),
        _ => false,
    }
}

/// Whether two resource IDs name one resource: the same type and names, every name known.
fn same_id(a: &ResourceId, b: &ResourceId) -> bool {
    a.ty.eq_ignore_ascii_case(&b.ty)
        && a.names.len() == b.names.len()
        && a.names
            .iter()
            .zip(&b.names)
            .all(|(x, y)| x.known().is_some() && x.matches(y))
}

fn shown_target(target: &Target<'_>) -> String {
    match target {
        Target::Declared(resource) | Target::Existing(resource) => {
            format!("`{}`", resource.display_name())
        }
        Target::External(id) => match id.last_name().and_then(|name| name.known()) {
            Some(name) => format!("`{name}`"),
            None => format!("`{}`", id.render_expression()),
        },
        Target::Unknown(unknown) => format!("`{}`", unknown.expr),
        Target::Absent => "nothing".to_owned(),
    }
}

fn shown_value(resource: &Resource, path: &str, prop: &Prop<'_>) -> String {
    match &prop.value {
        Value::Known(node) => Terms::of(resource).value(path, node),
        Value::Absent => "not set".to_owned(),
        Value::Unknown(unknown) => format!("`{}`", unknown.expr),
    }
}
