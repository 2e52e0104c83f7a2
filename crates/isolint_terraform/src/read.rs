//! Reading `.tf` files into a module's declarations, with spans.
//!
//! A folder is one module: the blocks of all its `.tf` files are gathered into one
//! [`Module`] (variables, locals, outputs, resources, data sources, module calls and the
//! azurerm version constraint). Parse errors become located diagnostics.

use std::path::{Path, PathBuf};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use isolint_model::{Diagnostic, FileId, Refusal, SourceFile, Span};

/// The deepest bracket nesting accepted before parsing (the parser recurses per level).
const MAX_NESTING: usize = 200;

/// The byte span of an hcl-edit node in `file` (empty at 0 when the node has none).
pub(crate) fn span_of(file: FileId, node: &impl hcl_edit::Span) -> Span {
    node.span().map_or_else(
        || Span::new(file, 0, 0),
        |r| Span::new(file, r.start, r.end),
    )
}

/// An expression with the file it was written in.
#[derive(Clone, Debug)]
pub(crate) struct Located {
    /// The expression.
    pub(crate) expr: Expression,
    /// Its file.
    pub(crate) file: FileId,
}

/// A `variable` block.
#[derive(Clone, Debug)]
pub(crate) struct Variable {
    /// Its name.
    pub(crate) name: String,
    /// Its `default`, if any.
    pub(crate) default: Option<Located>,
    /// Its `type`, if any (for the defaults of `optional(...)` attributes).
    pub(crate) ty: Option<Located>,
}

/// A `resource` or `data` block.
#[derive(Clone, Debug)]
pub(crate) struct Declaration {
    /// The resource type (`azurerm_storage_account`).
    pub(crate) ty: String,
    /// The local name.
    pub(crate) name: String,
    /// The block.
    pub(crate) block: Block,
    /// Its file.
    pub(crate) file: FileId,
    /// The `resource "t" "n"` header.
    pub(crate) header: Span,
    /// The whole block.
    pub(crate) span: Span,
}

/// A `module` block.
#[derive(Clone, Debug)]
pub(crate) struct Call {
    /// The module's local name.
    pub(crate) name: String,
    /// The block.
    pub(crate) block: Block,
    /// Its file.
    pub(crate) file: FileId,
}

/// One folder's declarations.
#[derive(Clone, Debug, Default)]
pub(crate) struct Module {
    /// The folder.
    pub(crate) dir: PathBuf,
    /// Variables in file order.
    pub(crate) variables: Vec<Variable>,
    /// Locals by name.
    pub(crate) locals: Vec<(String, Located)>,
    /// Outputs by name.
    pub(crate) outputs: Vec<(String, Located)>,
    /// `resource` blocks.
    pub(crate) resources: Vec<Declaration>,
    /// `data` blocks.
    pub(crate) data: Vec<Declaration>,
    /// `module` blocks.
    pub(crate) calls: Vec<Call>,
    /// The azurerm `version` constraint of `required_providers`, if written.
    pub(crate) azurerm_version: Option<String>,
    /// Files read.
    pub(crate) files: usize,
    /// Why the folder was not read (it, or a file in it, lies outside the project root).
    pub(crate) refused: Option<Refusal>,
    /// Read from a module cache (`.terraform/modules`): its text is never printed.
    pub(crate) hidden: bool,
}

impl Module {
    /// The local named `name`.
    pub(crate) fn local(&self, name: &str) -> Option<&Located> {
        self.locals.iter().find(|(n, _)| n == name).map(|(_, l)| l)
    }

    /// The output named `name`.
    pub(crate) fn output(&self, name: &str) -> Option<&Located> {
        self.outputs.iter().find(|(n, _)| n == name).map(|(_, l)| l)
    }

    /// Adds the blocks of one parsed file.
    pub(crate) fn add_body(&mut self, body: &Body, file: FileId) {
        self.files += 1;
        for block in body.blocks() {
            let labels: Vec<&str> = block
                .labels
                .iter()
                .map(hcl_edit::structure::BlockLabel::as_str)
                .collect();
            let header = header_span(file, block);
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => self.variables.push(Variable {
                    name: (*name).to_owned(),
                    default: block.body.get_attribute("default").map(|a| Located {
                        expr: a.value.clone(),
                        file,
                    }),
                    ty: block.body.get_attribute("type").map(|a| Located {
                        expr: a.value.clone(),
                        file,
                    }),
                }),
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        self.locals.push((
                            attr.key.as_str().to_owned(),
                            Located {
                                expr: attr.value.clone(),
                                file,
                            },
                        ));
                    }
                }
                ("output", [name]) => {
                    if let Some(value) = block.body.get_attribute("value") {
                        self.outputs.push((
                            (*name).to_owned(),
                            Located {
                                expr: value.value.clone(),
                                file,
                            },
                        ));
                    }
                }
                (kind @ ("resource" | "data"), [ty, name]) => {
                    let decl = Declaration {
                        ty: (*ty).to_owned(),
                        name: (*name).to_owned(),
                        block: block.clone(),
                        file,
                        header,
                        span: span_of(file, block),
                    };
                    if kind == "resource" {
                        self.resources.push(decl);
                    } else {
                        self.data.push(decl);
                    }
                }
                ("module", [name]) => self.calls.push(Call {
                    name: (*name).to_owned(),
                    block: block.clone(),
                    file,
                }),
                ("terraform", []) => {
                    for providers in block.body.get_blocks("required_providers") {
                        if let Some(attr) = providers.body.get_attribute("azurerm")
                            && let Expression::Object(object) = &attr.value
                        {
                            for (key, value) in object {
                                let key =
                                    key.as_ident().map(|i| i.as_str().to_owned()).or_else(|| {
                                        match key.as_expr() {
                                            Some(Expression::String(s)) => Some(s.value().clone()),
                                            _ => None,
                                        }
                                    });
                                if key.as_deref() == Some("version")
                                    && let Expression::String(s) = value.expr()
                                {
                                    self.azurerm_version = Some(s.value().clone());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The `resource "t" "n"` part of a block: from its identifier to its last label.
pub(crate) fn header_span(file: FileId, block: &Block) -> Span {
    let start = span_of(file, &block.ident);
    let end = block
        .labels
        .last()
        .map_or(start, |label| span_of(file, label));
    start.to(end)
}

/// Parses a `.tf` file (or the HCL rewrite `text` of a `.tf.json` file).
pub(crate) fn parse(file: &SourceFile, text: &str) -> Result<Body, Diagnostic> {
    if let Some(at) = too_deep(text) {
        return Err(Diagnostic::error(
            "parse-error",
            format!("brackets nest deeper than {MAX_NESTING} levels"),
            &file.path,
        )
        .at(Span::new(file.id, at, at + 1)));
    }
    hcl_edit::parser::parse_body(text).map_err(|error| {
        let offset = error.location().offset();
        let message = error.message().trim().replace('\n', " ");
        if message.contains("found redefined")
            && let Some(redefined) = redefined_key(file, text, offset)
        {
            return redefined;
        }
        let span = Span::new(file.id, offset, (offset + 1).min(text.len()));
        Diagnostic::error(
            "parse-error",
            format!("cannot parse HCL: {message}"),
            &file.path,
        )
        .at(span)
    })
}

/// The parse error of a key written twice (an object key, or an attribute of a block, at
/// `offset`): which key, located whole, and where it was first defined. hcl-edit only says
/// "found redefined object key" at the second one's first character. `None` when the key
/// cannot be read there.
fn redefined_key(file: &SourceFile, text: &str, offset: usize) -> Option<Diagnostic> {
    let rest = text.get(offset..)?;
    let length = match rest.strip_prefix('"') {
        Some(quoted) => quoted.find('"')? + 2,
        None => rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len()),
    };
    if length == 0 {
        return None;
    }
    let key = &rest[..length];
    let first = first_definition(text, offset, key);
    // A rewrite of a `.tf.json` file has lines of its own: say where only in the file read.
    let first = match first {
        Some(at) if *file.text == *text => {
            let position = file.position(u32::try_from(at).unwrap_or(u32::MAX));
            format!(
                ", first at line {}, column {}",
                position.line, position.column
            )
        }
        _ => String::new(),
    };
    Some(
        Diagnostic::error(
            "parse-error",
            format!(
                "cannot parse HCL: `{key}` is defined twice in the same object or block{first}"
            ),
            &file.path,
        )
        .at(Span::new(file.id, offset, offset + length))
        .with_help("remove one of them, or merge them into one"),
    )
}

/// Where `key` is first written as a key (followed by `=` or `:`) in the object or block
/// whose body holds `offset`: the body starts after the nearest unclosed `{` before it (or
/// at the start of the file). Strings are skipped only roughly: a brace in a string can
/// mislead the search, which then finds nothing.
fn first_definition(text: &str, offset: usize, key: &str) -> Option<usize> {
    let before = text.get(..offset)?;
    let mut depth = 0usize;
    let mut start = 0;
    for (at, byte) in before.bytes().enumerate().rev() {
        match byte {
            b'}' | b']' | b')' => depth += 1,
            b'{' | b'[' | b'(' if depth > 0 => depth -= 1,
            b'{' => {
                start = at + 1;
                break;
            }
            _ => {}
        }
    }
    let body = &before[start..];
    let mut depth = 0usize;
    let mut at = 0;
    while at < body.len() {
        let rest = &body[at..];
        match rest.as_bytes()[0] {
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && rest.starts_with(key) => {
                let after = rest[key.len()..].trim_start_matches([' ', '\t']);
                let boundary = body[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '"'));
                if boundary && (after.starts_with('=') || after.starts_with(':')) {
                    return Some(start + at);
                }
            }
            _ => {}
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Whether `path` is a `.tf.json` file.
pub(crate) fn is_json(path: &Path) -> bool {
    path.to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".tf.json")
}

/// The offset where bracket nesting first exceeds the limit (strings are not skipped: the
/// count only needs to be an upper bound).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
