//! Addresses and references as a plan spells them: `module.a["k"].azurerm_x.y[0]`,
//! `azurerm_x.y.id`, `var.v`, `module.m.out`.
//!
//! Instance keys are kept as written between the brackets (`0`, `"k"`): Terraform prints
//! them the same way in addresses and in references, so that addresses are compared and
//! composed as text.

/// One step of a traversal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step<'s> {
    /// A name: the root (`azurerm_x`, `var`, `module`) or `.name` after it.
    Name(&'s str),
    /// `[0]` or `["k"]`: the key as written between the brackets.
    Key(&'s str),
}

/// The steps of `text`, or `None` when it is not a traversal of names and keys.
pub(crate) fn traversal(text: &str) -> Option<Vec<Step<'_>>> {
    let bytes = text.as_bytes();
    let mut steps = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'.' if !steps.is_empty() => at += 1,
            b'[' => {
                let start = at + 1;
                let end = key_end(bytes, start)?;
                steps.push(Step::Key(text.get(start..end)?));
                at = end + 1;
                continue;
            }
            _ if steps.is_empty() => {}
            _ => return None,
        }
        let start = at;
        while at < bytes.len()
            && (bytes[at].is_ascii_alphanumeric() || matches!(bytes[at], b'_' | b'-'))
        {
            at += 1;
        }
        if at == start {
            return None;
        }
        steps.push(Step::Name(text.get(start..at)?));
    }
    Some(steps)
}

/// Where the key that starts at `start` (just after `[`) ends: the index of its `]`.
fn key_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start;
    if bytes.get(at) == Some(&b'"') {
        at += 1;
        loop {
            match bytes.get(at)? {
                b'\\' => at += 2,
                b'"' => break,
                _ => at += 1,
            }
        }
        at += 1;
    } else {
        while bytes.get(at).is_some_and(|b| *b != b']') {
            at += 1;
        }
    }
    (bytes.get(at) == Some(&b']')).then_some(at)
}

/// One module call on a module instance's path: `module.name` and its key, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ModuleStep<'s> {
    /// The module call's name.
    pub(crate) call: &'s str,
    /// The instance key, as written (`0`, `"k"`), for a call with `count` or `for_each`.
    pub(crate) key: Option<&'s str>,
}

/// The module calls of a module instance address (`module.a[0].module.b`), outermost
/// first; `None` when it is not one.
pub(crate) fn module_steps(address: &str) -> Option<Vec<ModuleStep<'_>>> {
    let steps = traversal(address)?;
    let mut out = Vec::new();
    let mut rest = steps.as_slice();
    while let [Step::Name("module"), Step::Name(call), tail @ ..] = rest {
        let (key, tail) = match tail {
            [Step::Key(key), tail @ ..] => (Some(*key), tail),
            _ => (None, tail),
        };
        out.push(ModuleStep { call, key });
        rest = tail;
    }
    rest.is_empty().then_some(out)
}

/// The instance key of a resource address (`azurerm_x.y["k"]` → `"k"`), if it has one.
pub(crate) fn instance_key(address: &str) -> Option<&str> {
    match traversal(address)?.last() {
        Some(Step::Key(key)) => Some(key),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversals_split_into_names_and_keys() {
        assert_eq!(
            traversal(r#"module.a["x.y]"].azurerm_x.y[0].id"#),
            Some(vec![
                Step::Name("module"),
                Step::Name("a"),
                Step::Key(r#""x.y]""#),
                Step::Name("azurerm_x"),
                Step::Name("y"),
                Step::Key("0"),
                Step::Name("id"),
            ])
        );
        assert_eq!(
            traversal(r#"a["q\"]"].b"#),
            Some(vec![
                Step::Name("a"),
                Step::Key(r#""q\"]""#),
                Step::Name("b")
            ])
        );
        assert_eq!(traversal(""), Some(Vec::new()), "the root module's address");
        for bad in [".a", "a..b", "a[0", "a b", r#"a["x]"#, "a.[0]x"] {
            assert_eq!(traversal(bad), None, "{bad}");
        }
    }

    #[test]
    fn module_addresses_give_their_calls() {
        assert_eq!(
            module_steps(r#"module.a["k"].module.b"#),
            Some(vec![
                ModuleStep {
                    call: "a",
                    key: Some(r#""k""#)
                },
                ModuleStep {
                    call: "b",
                    key: None
                },
            ])
        );
        assert_eq!(module_steps(""), Some(Vec::new()));
        assert_eq!(module_steps("module.a.azurerm_x.y"), None);
    }

    #[test]
    fn instance_keys_of_resource_addresses() {
        assert_eq!(
            instance_key(r#"module.m[1].azurerm_x.y["k"]"#),
            Some(r#""k""#)
        );
        assert_eq!(instance_key("azurerm_x.y[0]"), Some("0"));
        assert_eq!(instance_key("module.m[1].azurerm_x.y"), None);
    }
}
