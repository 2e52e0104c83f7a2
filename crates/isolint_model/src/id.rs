//! Symbolic resource IDs: a type plus name segments, some of which may be unknown.
//!
//! `resourceId('Microsoft.Storage/storageAccounts', variables('n'))` in ARM, `st.id` in
//! Bicep, `azurerm_storage_account.st.id` in Terraform and the literal string
//! `/subscriptions/.../providers/Microsoft.Storage/storageAccounts/name` all become one
//! [`ResourceId`], which is how the graph matches a reference with the resource it names.

use std::fmt;
use std::sync::Arc;

use crate::value::push_quoted;

/// One name segment of a resource ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NamePart {
    /// A name static evaluation settled.
    Known(Arc<str>),
    /// A name only known symbolically; the text is the canonical expression.
    Symbolic(Arc<str>),
}

impl NamePart {
    /// Whether two segments name the same thing: known names compare case-insensitively
    /// (Azure resource names are), symbolic ones by their expression.
    pub fn matches(&self, other: &NamePart) -> bool {
        match (self, other) {
            (Self::Known(a), Self::Known(b)) => a.eq_ignore_ascii_case(b),
            (Self::Symbolic(a), Self::Symbolic(b)) => a == b,
            _ => false,
        }
    }

    /// The known name, if any.
    pub fn known(&self) -> Option<&str> {
        match self {
            Self::Known(s) => Some(s),
            Self::Symbolic(_) => None,
        }
    }

    fn expression(&self) -> String {
        match self {
            Self::Known(s) => {
                let mut out = String::new();
                push_quoted(&mut out, s);
                out
            }
            Self::Symbolic(e) => e.to_string(),
        }
    }
}

impl fmt::Display for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Known(s) => f.write_str(s),
            Self::Symbolic(e) => write!(f, "[{e}]"),
        }
    }
}

/// A resource ID: full type and one name segment per type segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceId {
    /// The full type, as written (`Microsoft.Network/privateEndpoints/privateDnsZoneGroups`).
    pub ty: Arc<str>,
    /// One name per type segment after the namespace.
    pub names: Vec<NamePart>,
    /// The subscription, when the ID says.
    pub subscription: Option<NamePart>,
    /// The resource group, when the ID says.
    pub resource_group: Option<NamePart>,
}

/// Private-use characters that wrap a symbolic segment while a resource ID travels through
/// string concatenation (`concat(resourceGroup().id, '/providers/...')`).
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// Wraps a symbolic expression so that it survives string concatenation as one name
/// segment of a resource ID (see [`ResourceId::parse`]).
pub fn marked(expr: &str) -> String {
    format!("{MARK_OPEN}{expr}{MARK_CLOSE}")
}

/// Whether `text` holds a segment wrapped by [`marked`].
pub fn has_marks(text: &str) -> bool {
    text.contains(MARK_OPEN)
}

/// The type of a resource group ID.
pub const RESOURCE_GROUP_TYPE: &str = "Microsoft.Resources/resourceGroups";
/// The type of a subscription ID.
pub const SUBSCRIPTION_TYPE: &str = "Microsoft.Resources/subscriptions";

impl ResourceId {
    /// An ID of `ty` with `names`.
    pub fn new(ty: impl Into<Arc<str>>, names: Vec<NamePart>) -> Self {
        Self {
            ty: ty.into(),
            names,
            subscription: None,
            resource_group: None,
        }
    }

    /// Whether both IDs name the same resource (type case-insensitively, names segment by
    /// segment) in scopes that may be the same (see [`ResourceId::may_share_scope`]).
    pub fn matches(&self, other: &ResourceId) -> bool {
        self.matches_parts(&other.ty, &other.names) && self.may_share_scope(other)
    }

    /// [`ResourceId::matches`] against an ID given by its type and names, whatever its
    /// scope (the caller compares scopes with [`ResourceId::may_share_scope`]).
    pub(crate) fn matches_parts(&self, ty: &str, names: &[NamePart]) -> bool {
        self.ty.eq_ignore_ascii_case(ty) && names_match(&self.names, names)
    }

    /// Whether both IDs may lie in the same subscription and resource group: they do not
    /// when both know the subscription, or both know the resource group, and the known
    /// names differ (case-insensitively). Templates rarely say either, so a scope that one
    /// side leaves open (absent or symbolic) never tells two resources apart; full IDs
    /// from an export of deployed resources always say both, and two deployed resources
    /// with the same name in two resource groups stay two.
    pub fn may_share_scope(&self, other: &ResourceId) -> bool {
        let differ = |a: &Option<NamePart>, b: &Option<NamePart>| match (a, b) {
            (Some(NamePart::Known(a)), Some(NamePart::Known(b))) => !a.eq_ignore_ascii_case(b),
            _ => false,
        };
        !differ(&self.subscription, &other.subscription)
            && !differ(&self.resource_group, &other.resource_group)
    }

    /// Whether every name segment is known.
    pub fn is_known(&self) -> bool {
        self.names.iter().all(|n| matches!(n, NamePart::Known(_)))
    }

    /// The type segments after the namespace (`["privateEndpoints", "privateDnsZoneGroups"]`).
    pub fn type_segments(&self) -> impl Iterator<Item = &str> {
        self.ty.split('/').skip(1)
    }

    /// The ID of the parent resource, for a child type.
    pub fn parent(&self) -> Option<ResourceId> {
        let (ty, names) = self.parent_parts()?;
        Some(ResourceId {
            ty: ty.into(),
            names: names.to_vec(),
            subscription: self.subscription.clone(),
            resource_group: self.resource_group.clone(),
        })
    }

    /// The type and names of [`ResourceId::parent`], without building it.
    pub(crate) fn parent_parts(&self) -> Option<(&str, &[NamePart])> {
        let cut = self.ty.rfind('/')?;
        let parent_ty = &self.ty[..cut];
        let (_, parent_names) = self.names.split_last()?;
        (parent_ty.contains('/') && !parent_names.is_empty()).then_some((parent_ty, parent_names))
    }

    /// The last name segment.
    pub fn last_name(&self) -> Option<&NamePart> {
        self.names.last()
    }

    /// Canonical ARM expression: `resourceId('Microsoft.Storage/storageAccounts', 'name')`.
    pub fn render_expression(&self) -> String {
        let mut out = String::from("resourceId(");
        push_quoted(&mut out, &self.ty);
        for name in &self.names {
            out.push_str(", ");
            out.push_str(&name.expression());
        }
        out.push(')');
        out
    }

    /// The ID as a path string, with symbolic segments wrapped in private-use markers so
    /// that [`ResourceId::parse`] can restore them after string concatenation.
    pub fn to_marked_path(&self) -> String {
        let part = |p: &NamePart| match p {
            NamePart::Known(s) => s.to_string(),
            NamePart::Symbolic(e) => format!("{MARK_OPEN}{e}{MARK_CLOSE}"),
        };
        let mut out = String::new();
        let subscription = self.subscription.as_ref().map_or_else(
            || format!("{MARK_OPEN}subscription().subscriptionId{MARK_CLOSE}"),
            part,
        );
        if self.ty.eq_ignore_ascii_case(SUBSCRIPTION_TYPE) {
            if let Some(name) = self.names.first() {
                out.push_str("/subscriptions/");
                out.push_str(&part(name));
            }
            return out;
        }
        out.push_str("/subscriptions/");
        out.push_str(&subscription);
        if self.ty.eq_ignore_ascii_case(RESOURCE_GROUP_TYPE) {
            if let Some(name) = self.names.first() {
                out.push_str("/resourceGroups/");
                out.push_str(&part(name));
            }
            return out;
        }
        let group = self.resource_group.as_ref().map_or_else(
            || format!("{MARK_OPEN}resourceGroup().name{MARK_CLOSE}"),
            part,
        );
        out.push_str("/resourceGroups/");
        out.push_str(&group);
        out.push_str("/providers/");
        let mut segments = self.ty.split('/');
        out.push_str(segments.next().unwrap_or(""));
        for (ty, name) in segments.zip(&self.names) {
            out.push('/');
            out.push_str(ty);
            out.push('/');
            out.push_str(&part(name));
        }
        out
    }

    /// Parses a resource ID path (`/subscriptions/s/resourceGroups/g/providers/NS/type/name`,
    /// also resource group and subscription IDs, and extension resources, of which the last
    /// provider wins). Segments wrapped in the markers of [`ResourceId::to_marked_path`]
    /// become symbolic. Returns `None` for anything else.
    pub fn parse(path: &str) -> Option<ResourceId> {
        let mut segments = path.strip_prefix('/')?.split('/');
        let mut subscription = None;
        let mut resource_group = None;
        let mut namespace: Option<&str> = None;
        let mut types: Vec<&str> = Vec::new();
        let mut names: Vec<NamePart> = Vec::new();
        while let Some(keyword) = segments.next() {
            if keyword.eq_ignore_ascii_case("subscriptions") && namespace.is_none() {
                subscription = Some(decode(segments.next()?)?);
            } else if keyword.eq_ignore_ascii_case("resourceGroups") && namespace.is_none() {
                resource_group = Some(decode(segments.next()?)?);
            } else if keyword.eq_ignore_ascii_case("providers") {
                namespace = Some(segments.next().filter(|s| !s.is_empty())?);
                types.clear();
                names.clear();
            } else if namespace.is_some() {
                if keyword.is_empty() || keyword.contains(MARK_OPEN) {
                    return None;
                }
                types.push(keyword);
                names.push(decode(segments.next()?)?);
            } else {
                return None;
            }
        }
        let (ty, names) = match namespace {
            Some(ns) if !types.is_empty() => (format!("{ns}/{}", types.join("/")), names),
            Some(_) => return None,
            None => match (&subscription, &resource_group) {
                (_, Some(group)) => (RESOURCE_GROUP_TYPE.to_owned(), vec![group.clone()]),
                (Some(sub), None) => (SUBSCRIPTION_TYPE.to_owned(), vec![sub.clone()]),
                (None, None) => return None,
            },
        };
        Some(ResourceId {
            ty: ty.into(),
            names,
            subscription,
            resource_group,
        })
    }
}

/// Whether two lists of name segments name the same thing, segment by segment.
pub(crate) fn names_match(a: &[NamePart], b: &[NamePart]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.matches(b))
}

fn decode(segment: &str) -> Option<NamePart> {
    if segment.is_empty() {
        return None;
    }
    if let Some(inner) = segment
        .strip_prefix(MARK_OPEN)
        .and_then(|s| s.strip_suffix(MARK_CLOSE))
        .filter(|s| !s.contains(MARK_OPEN) && !s.contains(MARK_CLOSE))
    {
        return Some(NamePart::Symbolic(inner.into()));
    }
    if segment.contains(MARK_OPEN) || segment.contains(MARK_CLOSE) {
        // Half a symbolic segment: `concat(prefix, uniqueString(...))` inside an ID. Keep
        // it symbolic as a whole, still comparable with the same concatenation elsewhere.
        return Some(NamePart::Symbolic(segment.into()));
    }
    Some(NamePart::Known(segment.into()))
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ty)?;
        for name in &self.names {
            write!(f, "/{name}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_literal_ids() {
        let id = ResourceId::parse(
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stx",
        )
        .unwrap();
        assert_eq!(&*id.ty, "Microsoft.Storage/storageAccounts");
        assert_eq!(id.names, vec![NamePart::Known("stx".into())]);
        let child = ResourceId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe",
        )
        .unwrap();
        assert_eq!(&*child.ty, "Microsoft.Network/virtualNetworks/subnets");
        assert_eq!(child.parent().unwrap().names.len(), 1);
        assert!(ResourceId::parse("not/an/id").is_none());
        assert!(
            ResourceId::parse("/subscriptions/s/resourceGroups/rg/providers/NS/type").is_none()
        );
        let rg = ResourceId::parse("/subscriptions/s/resourceGroups/rg").unwrap();
        assert_eq!(&*rg.ty, RESOURCE_GROUP_TYPE);
    }

    #[test]
    fn symbolic_segments_survive_a_round_trip_through_strings() {
        let group = ResourceId::new(
            RESOURCE_GROUP_TYPE,
            vec![NamePart::Symbolic("resourceGroup().name".into())],
        );
        let path = format!(
            "{}/providers/Microsoft.Storage/storageAccounts/{}",
            group.to_marked_path(),
            "st1"
        );
        let id = ResourceId::parse(&path).unwrap();
        assert!(id.matches(&ResourceId::new(
            "microsoft.storage/STORAGEACCOUNTS",
            vec![NamePart::Known("ST1".into())]
        )));
        let named = ResourceId::new(
            "Microsoft.Storage/storageAccounts",
            vec![NamePart::Symbolic("parameters('n')".into())],
        );
        assert!(
            ResourceId::parse(&named.to_marked_path())
                .unwrap()
                .matches(&named)
        );
    }

    #[test]
    fn known_scopes_that_differ_never_match() {
        let parse = |rg: &str| {
            ResourceId::parse(&format!(
                "/subscriptions/s/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/mlw"
            ))
            .unwrap()
        };
        assert!(parse("rg-a").matches(&parse("RG-A")));
        assert!(!parse("rg-a").matches(&parse("rg-b")));
        let unscoped = ResourceId::new(
            "Microsoft.MachineLearningServices/workspaces",
            vec![NamePart::Known("mlw".into())],
        );
        assert!(parse("rg-a").matches(&unscoped) && unscoped.matches(&parse("rg-b")));
        let mut other_subscription = parse("rg-a");
        other_subscription.subscription = Some(NamePart::Known("t".into()));
        assert!(!parse("rg-a").matches(&other_subscription));
        let mut symbolic = parse("rg-b");
        symbolic.resource_group = Some(NamePart::Symbolic("resourceGroup().name".into()));
        assert!(parse("rg-a").matches(&symbolic));
    }

    #[test]
    fn known_and_symbolic_names_never_match() {
        let a = ResourceId::new("A/b", vec![NamePart::Known("x".into())]);
        let b = ResourceId::new("A/b", vec![NamePart::Symbolic("'x'".into())]);
        assert!(!a.matches(&b));
        assert_eq!(a.render_expression(), "resourceId('A/b', 'x')");
    }
}
