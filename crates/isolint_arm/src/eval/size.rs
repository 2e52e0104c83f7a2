//! How large and how deep evaluated values may grow. Values share their parts (a variable
//! read twice is the same allocation twice), so a few bytes of template can stand for a
//! tree of 2^70 nodes: sizes are measured by walking with a budget, never further than
//! the limit, and a value that outgrows a limit becomes an unknown that says so.

use isolint_model::{NamePart, Node, NodeKind, ResourceId};

/// The most a value may weigh: one per node plus the bytes of its strings, keys and
/// symbolic expressions, about the length of its rendering. ARM itself takes templates of
/// at most 4 MB.
pub(crate) const MAX_WEIGHT: usize = 8 << 20;
/// How deeply arrays and objects may nest in a value: more than the JSON reader accepts,
/// few enough for every recursive walk over values (rendering, comparing, dropping).
pub(crate) const MAX_DEPTH: usize = 600;
/// The most element comparisons `union` and `intersection` of arrays may make.
pub(crate) const MAX_COMPARISONS: usize = 1 << 24;

/// What an unknown says when a string outgrows `MAX_STRING`.
pub(crate) const TOO_LONG: &str = "a string grows beyond 1 MiB";
/// What an unknown says when an array outgrows `MAX_ITEMS`.
pub(crate) const TOO_MANY: &str = "an array grows beyond 100,000 elements";
/// What an unknown says when a value outgrows [`MAX_WEIGHT`].
pub(crate) const TOO_LARGE: &str = "a value grows beyond 8 MiB";
/// What an unknown says when a value outgrows [`MAX_DEPTH`].
pub(crate) const TOO_DEEP: &str = "a value nests more than 600 levels deep";
/// What an unknown says when comparing arrays would outgrow [`MAX_COMPARISONS`].
pub(crate) const TOO_MANY_COMPARISONS: &str =
    "the arrays are too large to compare element by element";

/// The limit above that `message` (of an `Invalid` unknown) speaks of, if any.
pub(crate) fn limit(message: &str) -> Option<&'static str> {
    [
        TOO_LONG,
        TOO_MANY,
        TOO_LARGE,
        TOO_DEEP,
        TOO_MANY_COMPARISONS,
    ]
    .into_iter()
    .find(|limit| *limit == message)
}

/// The outcome of [`measure`].
pub(crate) struct Measure {
    /// How many nodes the walk visited (what measuring cost).
    pub(crate) visited: u64,
    /// The weight of the value, up to where the walk stopped.
    pub(crate) weight: usize,
    /// The limit the value outgrew, if any.
    pub(crate) exceeded: Option<&'static str>,
}

/// Measures `node` against `max_weight` and [`MAX_DEPTH`], visiting at most about
/// `max_weight` nodes whatever the size of the tree the value stands for.
pub(crate) fn measure(node: &Node, max_weight: usize) -> Measure {
    let mut walk = Walk {
        weight: 0,
        visited: 0,
        max_weight,
    };
    let exceeded = walk.node(node, 1).err();
    Measure {
        visited: walk.visited,
        weight: walk.weight,
        exceeded,
    }
}

/// A depth-first walk; it recurses at most [`MAX_DEPTH`] deep.
struct Walk {
    weight: usize,
    visited: u64,
    max_weight: usize,
}

impl Walk {
    fn node(&mut self, node: &Node, depth: usize) -> Result<(), &'static str> {
        self.visited += 1;
        if depth > MAX_DEPTH {
            return Err(TOO_DEEP);
        }
        self.add(match &node.kind {
            NodeKind::String(text) => text.len(),
            NodeKind::Unknown(unknown) => unknown.expr.len(),
            NodeKind::ResourceId(id) => id_weight(id),
            NodeKind::Object(object) => object.rest.as_ref().map_or(0, |rest| rest.expr.len()),
            NodeKind::Array(_)
            | NodeKind::Null
            | NodeKind::Bool(_)
            | NodeKind::Int(_)
            | NodeKind::Float(_) => 0,
        })?;
        match &node.kind {
            NodeKind::Array(items) => {
                for item in items.iter() {
                    self.node(item, depth + 1)?;
                }
            }
            NodeKind::Object(object) => {
                for entry in &object.entries {
                    self.add(entry.key.len())?;
                    self.node(&entry.value, depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds a node of `bytes` bytes of text.
    fn add(&mut self, bytes: usize) -> Result<(), &'static str> {
        self.weight = self.weight.saturating_add(1 + bytes);
        if self.weight > self.max_weight {
            Err(TOO_LARGE)
        } else {
            Ok(())
        }
    }
}

fn id_weight(id: &ResourceId) -> usize {
    let part = |p: &NamePart| match p {
        NamePart::Known(text) | NamePart::Symbolic(text) => text.len() + 1,
    };
    id.ty.len()
        + id.names.iter().map(part).sum::<usize>()
        + id.subscription.as_ref().map_or(0, part)
        + id.resource_group.as_ref().map_or(0, part)
}

/// The canonical rendering of `node` (`Node::render`) when it stays within about
/// `max_len` bytes; `None` for a larger value, which is never rendered.
pub(crate) fn render(node: &Node, max_len: usize) -> Option<String> {
    let fits = match &node.kind {
        NodeKind::Unknown(unknown) => unknown.expr.len() <= max_len,
        // Quotes inside are doubled.
        NodeKind::String(text) => text.len() <= max_len / 2,
        // A rendering adds quotes, `createArray(`, `, ` and the like: up to about 16 bytes
        // per unit of weight.
        _ => measure(node, max_len / 16).exceeded.is_none(),
    };
    fits.then(|| node.render())
        .filter(|text| text.len() <= max_len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use isolint_model::{FileId, Span};

    fn span() -> Span {
        Span::new(FileId(0), 0, 0)
    }

    fn array(items: Vec<Node>) -> Node {
        Node::new(NodeKind::Array(items.into()), span())
    }

    #[test]
    fn shared_parts_count_every_time_but_are_walked_only_up_to_the_limit() {
        let mut node = Node::string("ab", span());
        for _ in 0..70 {
            node = array(vec![node.clone(), node]);
        }
        let measure = measure(&node, 1 << 20);
        assert_eq!(measure.exceeded, Some(TOO_LARGE));
        assert!(measure.visited <= 1 << 20, "{}", measure.visited);
        assert!(render(&node, 1 << 20).is_none());
    }

    #[test]
    fn depth_is_bounded() {
        let mut node = Node::new(NodeKind::Int(1), span());
        for _ in 0..MAX_DEPTH {
            node = array(vec![node]);
        }
        assert_eq!(measure(&node, MAX_WEIGHT).exceeded, Some(TOO_DEEP));
        let shallow = array(vec![array(vec![Node::string("x", span())])]);
        let fits = measure(&shallow, MAX_WEIGHT);
        assert_eq!(fits.exceeded, None);
        assert_eq!(fits.visited, 3);
        assert_eq!(
            render(&shallow, 1000).as_deref(),
            Some("createArray(createArray('x'))")
        );
    }
}
