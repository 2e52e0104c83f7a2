//! The estate: the exported resources of one run, from any number of export files,
//! placed so that the resource graph relates them as deployed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_json::Json;
use isolint_model::types::{PRIVATE_DNS_ZONE_GROUP, PRIVATE_ENDPOINT};
use isolint_model::{
    Analysis, Diagnostic, FileId, NamePart, Resource, ResourceId, RootId, SourceFile, SourceMap,
    Span,
};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::connections::{unexported_endpoints, unseen_zone_groups};
use crate::lower::{Element, Exported, lower};
use crate::shape::{Paging, Shape, detect, elements};

/// Input diagnostics of one code kept per file; the rest are counted in one note.
const DIAGNOSTICS_PER_CODE: usize = 20;

/// The types of the entries that stand beside the resources in a PSRule export (and in
/// Resource Graph's `resourcecontainers`): containers, never refused for lacking
/// properties.
const CONTAINER_TYPES: [&str; 3] = [
    "Microsoft.Subscription",
    "Microsoft.Resources/subscriptions",
    "Microsoft.Resources/resourceGroups",
];

/// One export file, read and lowered on its own (the estate relates files afterwards,
/// in [`Estate::absorb`]): files are lowered in parallel, and no parsed tree outlives its
/// file.
#[derive(Debug, Default)]
pub struct FileExport {
    /// The file, when it could be read.
    file: Option<Arc<SourceFile>>,
    /// Its resources of checked types, in document order (sub-resources after their
    /// parent).
    resources: Vec<Exported>,
    /// Problems with it.
    diagnostics: Vec<Diagnostic>,
    /// What it says of records it does not hold, for a Resource Graph result.
    paging: Option<(PathBuf, Paging)>,
    /// How many resources of any type it holds.
    elements: usize,
}

/// Reads, parses and lowers one export file.
pub(crate) fn read_export(path: &Path, sources: &SourceMap) -> FileExport {
    let failed = |diagnostic: Diagnostic| FileExport {
        diagnostics: vec![diagnostic],
        ..FileExport::default()
    };
    let file = match sources.read(path) {
        Ok(file) => file,
        Err(diagnostic) => return failed(diagnostic),
    };
    let json = match isolint_json::parse(&file) {
        Ok(json) => json,
        Err(diagnostic) => return failed(diagnostic),
    };
    match detect(&json) {
        Some(shape) => lower_file(&file, &json, shape),
        None => failed(
            Diagnostic::error(
                "export-error",
                "this JSON is not an export of deployed resources: isolint reads an Azure Resource Graph result (`az graph query`), a REST list (`{\"value\": [...]}`), a JSON array of resources (PSRule for Azure `Export-AzRuleData`, `az resource show`) or one resource, each resource an object with an `id` and a `type`",
                path,
            )
            .at(first_character(&json)),
        ),
    }
}

impl FileExport {
    /// Lowers an export that the caller already parsed and recognised with
    /// [`detect`](crate::detect) (the deployment graph routes JSON files by content).
    pub fn lower(file: &Arc<SourceFile>, json: &Json, shape: Shape) -> Self {
        lower_file(file, json, shape)
    }
}

/// Lowers one parsed export of `shape`.
fn lower_file(file: &Arc<SourceFile>, json: &Json, shape: Shape) -> FileExport {
    let mut export = FileExport {
        file: Some(Arc::clone(file)),
        paging: (shape == Shape::ResourceGraph).then(|| (file.path.clone(), Paging::of(json))),
        ..FileExport::default()
    };
    let items = elements(json, shape);
    if let Some(refusal) = refusal(file, items) {
        export.diagnostics.push(refusal);
        return export;
    }
    let mut strays: Vec<Span> = Vec::new();
    walk(file, items, &mut export, &mut strays);
    if let Some(&first) = strays.first() {
        let message = match strays.len() {
            1 => "this element of the export is not a resource (an object with an `id` and a `type`): it is skipped".to_owned(),
            n => format!(
                "{n} elements of this export are not resources (objects with an `id` and a `type`), the first here: they are skipped"
            ),
        };
        export
            .diagnostics
            .push(Diagnostic::warning("export-not-a-resource", message, &file.path).at(first));
    }
    export
}

/// Lowers `items` and, after each, the sub-resources it lists in `resources` (PSRule).
/// The recursion is as deep as the JSON, which the reader bounds.
fn walk(file: &SourceFile, items: &[Json], export: &mut FileExport, strays: &mut Vec<Span>) {
    for item in items {
        match lower(file, item, &mut export.diagnostics) {
            Element::Lowered(exported) => {
                export.elements += 1;
                export.resources.push(*exported);
            }
            Element::Skipped => export.elements += usize::from(!is_container(item)),
            Element::NotAResource => {
                strays.push(first_character(item));
                continue;
            }
        }
        if let Some(children) = item.get("resources").and_then(Json::as_array) {
            walk(file, children, export, strays);
        }
    }
}

/// The error for an export whose resources all lack their properties (`az resource
/// list`), located at the first one's `properties`.
fn refusal(file: &SourceFile, items: &[Json]) -> Option<Diagnostic> {
    let mut resources = items
        .iter()
        .filter(|item| item.get("type").is_some() && !is_container(item));
    let first = resources.next()?;
    let carries = |item: &Json| {
        item.get("properties")
            .is_some_and(|p| p.members().is_some())
    };
    if carries(first) || resources.any(carries) {
        return None;
    }
    let at = first
        .member("properties")
        .map_or_else(|| first_character(first), |m| m.key_span.to(m.value.span));
    Some(
        Diagnostic::error(
            "export-error",
            "this export carries no resource properties (`\"properties\": null` on every resource, as `az resource list` prints them: Azure Resource Manager lists resources without their properties, by design), so nothing in it can be checked",
            &file.path,
        )
        .at(at)
        .with_help(
            "export resources with their properties: `az graph query -q \"resources\" --first 1000` (each page, with `--skip-token`), `az resource show --ids <ID>...`, or PSRule for Azure `Export-AzRuleData`; see docs/estate.md",
        ),
    )
}

/// Whether `item` is a subscription or resource-group entry, not a resource.
fn is_container(item: &Json) -> bool {
    item.get("type")
        .and_then(Json::as_str)
        .is_some_and(|ty| CONTAINER_TYPES.iter().any(|c| c.eq_ignore_ascii_case(ty)))
}

/// The span of the first character of `json`, where a diagnostic about all of it points.
fn first_character(json: &Json) -> Span {
    Span {
        end: json.span.start.saturating_add(1).min(json.span.end),
        ..json.span
    }
}

/// The exported resources of a run. Files are added one at a time (in a fixed order, so
/// that the result does not depend on timing), then [`Estate::finish`] relates them:
///
/// - a resource exported twice (same ID, compared case-insensitively) is read from its
///   later copy, with a warning at that copy: each copy is a complete snapshot, so mixing
///   their properties would describe a resource that never existed, and keeping both
///   would report every finding twice;
/// - approved private endpoint connections stand for the private endpoints the export
///   does not hold, and private endpoints without a DNS zone group in the export get one
///   whose zones are unknown (see the `connections` module);
/// - each subscription and resource group is one root of the resource graph, so that two
///   resources with the same name in two resource groups are never merged, and links
///   resolve by full resource ID across files, resource groups and subscriptions.
#[derive(Debug, Default)]
pub struct Estate {
    resources: Vec<Exported>,
    by_key: FxHashMap<Box<str>, usize>,
    files: FxHashMap<FileId, Arc<SourceFile>>,
    diagnostics: Vec<Diagnostic>,
    pages: Vec<(PathBuf, Paging)>,
    exports: usize,
    elements: usize,
}

impl Estate {
    /// An empty estate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the export at `path` into the estate. A file that cannot be read, parsed, or
    /// recognised as an export gives a located diagnostic.
    pub fn read(&mut self, path: &Path, sources: &SourceMap) {
        self.absorb(read_export(path, sources));
    }

    /// Takes in one lowered file (files are taken in a fixed order: the later copy of a
    /// resource exported twice wins).
    pub fn absorb(&mut self, export: FileExport) {
        self.diagnostics.extend(export.diagnostics);
        self.pages.extend(export.paging);
        self.elements += export.elements;
        if let Some(file) = export.file {
            self.exports += 1;
            self.files.insert(file.id, file);
        }
        for exported in export.resources {
            match self.by_key.get(&exported.key) {
                Some(&slot) => {
                    let earlier = &self.resources[slot].resource;
                    let diagnostic = self.duplicate(earlier, &exported.resource);
                    self.diagnostics.push(diagnostic);
                    self.resources[slot] = exported;
                }
                None => {
                    self.by_key
                        .insert(exported.key.clone(), self.resources.len());
                    self.resources.push(exported);
                }
            }
        }
    }

    /// The warning, at the later copy, about a resource exported twice.
    fn duplicate(&self, earlier: &Resource, later: &Resource) -> Diagnostic {
        let path = self
            .files
            .get(&later.origin.file)
            .map_or_else(PathBuf::new, |f| f.path.clone());
        let where_earlier = self
            .files
            .get(&earlier.origin.file)
            .map(|f| {
                let at = f.position(earlier.origin.header.start);
                format!("{}:{}:{}", f.name, at.line, at.column)
            })
            .unwrap_or_default();
        Diagnostic::warning(
            "export-duplicate-id",
            format!(
                "resource `{}` is exported twice: this later copy is read, and the one at {where_earlier} is not",
                later.qualified_name()
            ),
            path,
        )
        .at(later.origin.header)
    }

    /// Relates the resources of every file added and hands them over.
    pub fn finish(self) -> Analysis {
        let Estate {
            resources,
            by_key,
            mut diagnostics,
            pages,
            exports,
            elements,
            ..
        } = self;
        let endpoints =
            unexported_endpoints(resources.iter().flat_map(|e| &e.connections), |key| {
                by_key.contains_key(key)
            });
        let checked = resources.len();
        let mut all: Vec<Resource> = resources
            .into_iter()
            .map(|e| e.resource)
            .chain(endpoints)
            .collect();
        let zone_group_parents: FxHashSet<String> = all
            .iter()
            .filter(|r| r.is(PRIVATE_DNS_ZONE_GROUP))
            .filter_map(|r| r.id.parent())
            .map(|parent| scoped_key(&parent))
            .collect();
        let unseen: Vec<Resource> = all
            .iter()
            .filter(|r| r.is(PRIVATE_ENDPOINT) && !zone_group_parents.contains(&scoped_key(&r.id)))
            .map(unseen_zone_groups)
            .collect();
        all.extend(unseen);
        let mut roots: FxHashMap<String, RootId> = FxHashMap::default();
        for resource in &mut all {
            let scope = scope_key(&resource.id);
            resource.origin.root = *roots.entry(scope).or_insert_with(RootId::fresh);
        }
        diagnostics.extend(incomplete(&pages));
        let notes = if exports == 0 {
            Vec::new()
        } else {
            vec![format!(
                "exports of deployed resources: {elements} resources read, {checked} of the types isolint checks"
            )]
        };
        Analysis {
            resources: all,
            diagnostics: bounded(diagnostics),
            templates: exports,
            notes,
        }
    }
}

/// Subscription and resource group of an ID, lower-cased: one root of the graph each.
fn scope_key(id: &ResourceId) -> String {
    let part = |p: &Option<NamePart>| {
        p.as_ref()
            .map_or_else(String::new, |p| p.to_string().to_ascii_lowercase())
    };
    format!("{}/{}", part(&id.subscription), part(&id.resource_group))
}

/// A resource ID with its scope, lower-cased.
fn scoped_key(id: &ResourceId) -> String {
    format!("{}/{}", scope_key(id), id).to_ascii_lowercase()
}

/// A warning when the Resource Graph results read hold fewer records than a query
/// matched: `az graph query` returns 100 records unless told otherwise, and 1000 at most
/// per page.
fn incomplete(pages: &[(PathBuf, Paging)]) -> Option<Diagnostic> {
    let (path, page) = pages.iter().find(|(_, p)| p.more.is_some())?;
    let read: usize = pages.iter().map(|(_, p)| p.records).sum();
    let total = pages.iter().filter_map(|(_, p)| p.total).max();
    let message = match total {
        Some(total) if (read as u64) >= total => return None,
        Some(total) => format!(
            "this Azure Resource Graph result is one page of {total} records, and the results read hold {read}: the estate is not checked in full"
        ),
        None => format!(
            "this Azure Resource Graph result says more records follow, and the results read hold {read}: the estate is not checked in full"
        ),
    };
    let mut diagnostic = Diagnostic::warning("export-incomplete", message, path).with_help(
        "export every page (`az graph query -q \"...\" --first 1000 --skip-token <skip_token of the previous page>`) and pass them all; see docs/estate.md",
    );
    diagnostic.span = page.more;
    Some(diagnostic)
}

/// At most [`DIAGNOSTICS_PER_CODE`] diagnostics of each code per file, then one note
/// counting the others: a broken export of 100,000 resources must not bury the rest.
fn bounded(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut counts: FxHashMap<(PathBuf, &'static str), usize> = FxHashMap::default();
    let mut kept = Vec::with_capacity(diagnostics.len().min(1024));
    for diagnostic in diagnostics {
        let count = counts
            .entry((diagnostic.path.clone(), diagnostic.code))
            .or_default();
        *count += 1;
        if *count <= DIAGNOSTICS_PER_CODE {
            kept.push(diagnostic);
        }
    }
    let mut over: Vec<((PathBuf, &'static str), usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n > DIAGNOSTICS_PER_CODE)
        .collect();
    over.sort();
    kept.extend(over.into_iter().map(|((path, code), n)| {
        Diagnostic::note(
            code,
            format!(
                "{} more `{code}` diagnostics in this file are not shown",
                n - DIAGNOSTICS_PER_CODE
            ),
            path,
        )
    }));
    kept
}
