//! Following a plan's references: the IDs of its resources, what a reference in the
//! configuration links to, and which root module argument decided a module's variable.
//!
//! The configuration's expressions only list what they reference (`references`), never how
//! (`"${azurerm_x.y.id}/sub"` and `azurerm_x.y.id` both list `azurerm_x.y.id`), and a plan
//! describes no `locals`. So a value links to a resource when a reference it lists leads
//! to that resource's `id`, directly, through a module's variable (its call's argument)
//! or through a module's output; and a module variable is known to decide a value when
//! the expression references it alone, or when it is the one whose name matches the
//! value's (`public_network_access_enabled` for `publicNetworkAccess`).

use std::cell::RefCell;
use std::sync::Arc;

use isolint_json::Json;
use isolint_model::{NamePart, ResourceId, Span};
use rustc_hash::FxHashMap;

use super::address::{Step, instance_key, traversal};
use super::{Reader, build::Builder, member_span};
use crate::lower::instance_id;

/// How many references one lookup follows (module variables, outputs, nested modules).
const MAX_HOPS: usize = 64;

/// The roots of references that never name a resource of the plan.
const NOT_RESOURCES: [&str; 8] = [
    "local",
    "data",
    "each",
    "count",
    "path",
    "terraform",
    "self",
    "var",
];

/// Where a module variable's value was decided.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    /// By an argument of a call in the root module: the name of the argument (the root
    /// call's variable) and where it is written.
    Argument {
        /// The argument.
        name: Arc<str>,
        /// The argument, from its name to the end of its expression.
        span: Span,
    },
    /// By a module variable's default, nothing passing a value.
    Default {
        /// The variable.
        name: Arc<str>,
        /// Its `default`, in the module's configuration.
        span: Span,
    },
}

/// A resource's ID while it is being computed, and once it is.
#[derive(Clone, Debug, Default)]
enum IdState {
    #[default]
    NotYet,
    /// Being computed: a reference back to it is a cycle.
    Active,
    Done(Option<ResourceId>),
}

/// What the reader computes once.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// Resource IDs, by resource index.
    ids: RefCell<Vec<IdState>>,
    /// The first resource of each identity (type and names), so that a second one that
    /// names the same Azure resource stays a resource of its own.
    identities: RefCell<FxHashMap<String, usize>>,
    /// Variable sources, by module instance and variable.
    sources: RefCell<FxHashMap<(usize, String), Option<Source>>>,
}

impl Memo {
    /// Makes room for `resources` IDs.
    pub(crate) fn size(&self, resources: usize) {
        self.ids.borrow_mut().resize(resources, IdState::NotYet);
    }
}

/// The references an expression lists.
pub(crate) fn references(expression: &Json) -> impl Iterator<Item = &str> {
    expression
        .get("references")
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Json::as_str)
}

/// The module variables an expression references (each once, in order), and whether it
/// also references locals, which a plan does not describe.
pub(crate) fn variables(expression: &Json) -> (Vec<&str>, bool) {
    let mut names: Vec<&str> = Vec::new();
    let mut locals = false;
    for reference in references(expression) {
        match traversal(reference).as_deref() {
            Some([Step::Name("var"), Step::Name(name), ..]) if !names.contains(name) => {
                names.push(name);
            }
            Some([Step::Name("local"), ..]) => locals = true,
            _ => {}
        }
    }
    (names, locals)
}

/// Whether a module variable's name matches a key of a value: equal, a prefix
/// (`public_network_access_enabled` for `publicNetworkAccess`) or a suffix
/// (`workspace_managed_network` for `managedNetwork`), ignoring case and separators.
pub(crate) fn names_match(key: &str, variable: &str) -> bool {
    let squash = |text: &str| -> String {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (key, variable) = (squash(key), squash(variable));
    key.len() >= 4 && (variable == key || variable.starts_with(&key) || variable.ends_with(&key))
}

/// The one variable among `candidates` whose name matches `key`.
pub(crate) fn matching<'c>(key: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let mut found = candidates.iter().filter(|c| names_match(key, c));
    let first = found.next()?;
    found.next().is_none().then_some(*first)
}

/// An object member by its exact key (names in a plan are case-sensitive).
pub(crate) fn field<'j>(json: &'j Json, key: &str) -> Option<&'j Json> {
    json.members()?
        .iter()
        .find(|m| &*m.key == key)
        .map(|m| &m.value)
}

impl<'j> Reader<'j> {
    /// The symbolic ID of planned resource `index`, from its values (and references, for
    /// what the plan leaves unknown), computed once; `None` in a cycle of references.
    pub(crate) fn id(&self, index: usize) -> Option<ResourceId> {
        match self.memo.ids.borrow().get(index) {
            Some(IdState::Done(id)) => return id.clone(),
            Some(IdState::Active) | None => return None,
            Some(IdState::NotYet) => {}
        }
        self.set_id(index, IdState::Active);
        let planned = &self.planned[index];
        let id = instance_id(planned.ty, |name| Builder::new(self, index).attribute(name))
            .map(|id| self.scoped(index, id))
            .map(|id| self.distinct(index, id));
        self.set_id(index, IdState::Done(id.clone()));
        id
    }

    fn set_id(&self, index: usize, state: IdState) {
        if let Some(slot) = self.memo.ids.borrow_mut().get_mut(index) {
            *slot = state;
        }
    }

    /// `id` with the subscription and resource group of the resource's own `id` when the
    /// plan knows it (a resource that exists: an update or no-op), so that two resources
    /// of the same name in two resource groups stay apart when their IDs are compared.
    fn scoped(&self, index: usize, mut id: ResourceId) -> ResourceId {
        let known = self.planned[index]
            .values
            .and_then(|v| field(v, "id"))
            .and_then(Json::as_str)
            .and_then(ResourceId::parse);
        if let Some(known) = known
            && known.matches(&id)
        {
            id.subscription = known.subscription;
            id.resource_group = known.resource_group;
        }
        id
    }

    /// `id`, or, when an earlier resource of the plan has the same type and names (the
    /// same name in two resource groups), `id` with the resource's address as its last
    /// name, so that the model does not merge the two.
    fn distinct(&self, index: usize, mut id: ResourceId) -> ResourceId {
        let planned = &self.planned[index];
        if planned.ty == "azapi_update_resource"
            || crate::mapping::mapping(planned.ty).is_some_and(|m| m.update)
        {
            return id;
        }
        let mut key = id.ty.to_ascii_lowercase();
        for name in &id.names {
            key.push('\n');
            match name {
                NamePart::Known(known) => key.push_str(&known.to_ascii_lowercase()),
                NamePart::Symbolic(expr) => key.push_str(expr),
            }
        }
        let first = *self
            .memo
            .identities
            .borrow_mut()
            .entry(key)
            .or_insert(index);
        if first != index
            && let Some(last) = id.names.last_mut()
        {
            *last = NamePart::Symbolic(planned.address.into());
        }
        id
    }

    /// The ID of the resource `reference` leads to from module instance `module`, when it
    /// leads to a resource's `id`: `azurerm_x.y.id` (`own_key` picks the instance of a
    /// resource with several when the reference gives no key), `var.v` through the
    /// module call's argument, `module.m.out` through the module's output.
    pub(crate) fn resolve_id(
        &self,
        module: usize,
        reference: &str,
        own_key: Option<&str>,
        hops: usize,
    ) -> Option<ResourceId> {
        if hops > MAX_HOPS {
            return None;
        }
        let steps = traversal(reference)?;
        match steps.as_slice() {
            [Step::Name("var"), Step::Name(name), ..] => {
                let instance = &self.modules[module];
                let parent = instance.parent?;
                let argument = field(field(instance.call_config?, "expressions")?, name)?;
                references(argument).find_map(|r| self.resolve_id(parent, r, None, hops + 1))
            }
            [Step::Name("module"), Step::Name(call), rest @ ..] => {
                let (key, rest) = split_key(rest);
                let [Step::Name(output), ..] = rest else {
                    return None;
                };
                let child = self.child(module, call, key)?;
                let expression = field(
                    field(field(self.modules[child].config?, "outputs")?, output)?,
                    "expression",
                )?;
                references(expression).find_map(|r| self.resolve_id(child, r, None, hops + 1))
            }
            [Step::Name(root), ..] if NOT_RESOURCES.contains(root) => None,
            [Step::Name(ty), Step::Name(name), rest @ ..] => {
                let (key, rest) = split_key(rest);
                let base = format!("{}{ty}.{name}", self.modules[module].prefix());
                let target = match (key, rest) {
                    (Some(key), [Step::Name("id")]) => {
                        *self.by_address.get(format!("{base}[{key}]").as_str())?
                    }
                    (None, [Step::Name("id")]) => match self.by_base.get(&base)?.as_slice() {
                        [only] => *only,
                        _ => *self
                            .by_address
                            .get(format!("{base}[{}]", own_key?).as_str())?,
                    },
                    // `azurerm_x.y[each.key].id` lists `azurerm_x.y` alone (the key is
                    // not a constant): the instance with the referring one's key.
                    (None, []) => *self
                        .by_address
                        .get(format!("{base}[{}]", own_key?).as_str())?,
                    _ => return None,
                };
                self.id(target)
            }
            _ => None,
        }
    }

    /// The instance of module call `call` made by module instance `module`, with `key`
    /// (or the only one, without).
    fn child(&self, module: usize, call: &str, key: Option<&str>) -> Option<usize> {
        let mut found = self
            .children
            .get(&(module, call))?
            .iter()
            .copied()
            .filter(|&child| {
                key.is_none_or(|key| instance_key(self.modules[child].address) == Some(key))
            });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Where the value of variable `name` of module instance `module` was decided: a root
    /// module call's argument, followed up through the calls between; a variable's
    /// default when no call passes it. `None` when a module decided it itself (a constant
    /// or something a plan does not describe).
    pub(crate) fn variable_source(&self, module: usize, name: &str) -> Option<Source> {
        let key = (module, name.to_owned());
        if let Some(done) = self.memo.sources.borrow().get(&key) {
            return done.clone();
        }
        let source = self.find_source(module, name, 0);
        self.memo.sources.borrow_mut().insert(key, source.clone());
        source
    }

    fn find_source(&self, module: usize, name: &str, hops: usize) -> Option<Source> {
        if hops > MAX_HOPS {
            return None;
        }
        let instance = &self.modules[module];
        let parent = instance.parent?;
        let argument = instance
            .call_config
            .and_then(|call| call.get("expressions"))
            .and_then(|arguments| arguments.members())
            .and_then(|arguments| arguments.iter().find(|m| &*m.key == name));
        let Some(argument) = argument else {
            let default = instance
                .config
                .and_then(|c| field(c, "variables"))
                .and_then(|v| field(v, name))?
                .members()?
                .iter()
                .find(|m| &*m.key == "default")?;
            return Some(Source::Default {
                name: name.into(),
                span: member_span(default),
            });
        };
        if parent == 0 {
            return Some(Source::Argument {
                name: name.into(),
                span: member_span(argument),
            });
        }
        let next = self.candidates(parent, &argument.value).pick(name)?;
        self.find_source(parent, next, hops + 1)
    }

    /// The variables of module instance `module` that may decide a value `expression`
    /// sets: those it references, and, when it also references locals (which a plan does
    /// not describe), every variable of the module.
    pub(crate) fn candidates(&self, module: usize, expression: &'j Json) -> Candidates<'j> {
        let (mut names, locals) = variables(expression);
        let only = names.len() == 1 && !locals;
        if locals {
            for name in self.module_variables(module) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        Candidates { names, only }
    }

    /// The variables of module instance `module`: those its configuration declares, and
    /// those its call passes.
    pub(crate) fn module_variables(&self, module: usize) -> Vec<&'j str> {
        let instance = &self.modules[module];
        let names = |json: Option<&'j Json>| {
            json.and_then(Json::members)
                .unwrap_or_default()
                .iter()
                .map(|m| &*m.key)
        };
        let mut all: Vec<&'j str> =
            names(instance.config.and_then(|c| field(c, "variables"))).collect();
        for name in names(instance.call_config.and_then(|c| field(c, "expressions"))) {
            if !all.contains(&name) {
                all.push(name);
            }
        }
        all
    }

    /// The instance key of planned resource `index`, as written in its address.
    pub(crate) fn own_key(&self, index: usize) -> Option<&str> {
        instance_key(self.planned[index].address)
    }
}

/// The module variables that may decide a value ([`Reader::candidates`]).
#[derive(Debug)]
pub(crate) struct Candidates<'j> {
    /// The variables, each once.
    pub(crate) names: Vec<&'j str>,
    /// Whether the expression references one variable and nothing else a plan does not
    /// describe: that variable decides every value in it.
    only: bool,
}

impl<'j> Candidates<'j> {
    /// The variable that decides the value at `key`: the only one, or the one whose name
    /// matches `key`.
    pub(crate) fn pick(&self, key: &str) -> Option<&'j str> {
        match self.names.as_slice() {
            [only] if self.only => Some(*only),
            names => matching(key, names),
        }
    }
}

/// An optional instance key at the start of `steps`, and the steps after it.
fn split_key<'a, 's>(steps: &'a [Step<'s>]) -> (Option<&'s str>, &'a [Step<'s>]) {
    match steps {
        [Step::Key(key), rest @ ..] => (Some(*key), rest),
        _ => (None, steps),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_match_value_keys() {
        assert!(names_match(
            "publicNetworkAccess",
            "public_network_access_enabled"
        ));
        assert!(names_match("managedNetwork", "workspace_managed_network"));
        assert!(names_match("storageAccount", "storage_account"));
        assert!(!names_match("kind", "location"));
        assert!(
            !names_match("id", "id"),
            "keys shorter than four say nothing"
        );
        assert_eq!(
            matching("keyVault", &["key_vault", "storage_account"]),
            Some("key_vault")
        );
        assert_eq!(
            matching("account", &["storage_account", "cosmos_account"]),
            None,
            "two matches decide nothing"
        );
    }
}
