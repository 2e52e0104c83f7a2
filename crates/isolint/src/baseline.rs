//! Baselines: `--write-baseline FILE` records the current findings by file and fingerprint,
//! and `--baseline FILE` then reports only findings that are not recorded there, and lists
//! the entries that no longer match a finding.
//!
//! The file is versioned JSON:
//! `{ "isolint_baseline": 1, "findings": [{ "fingerprint", "rule", "path", "resource", "property" }] }`.
//! `path` (relative to the baseline's folder, with `/`) and `fingerprint` decide together:
//! two copies of a deployment (`dev/`, `prod/`) have the same fingerprints, and a finding
//! recorded in one never hides a finding in the other. The other fields are for reviewers.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use isolint_model::{FileId, SourceMap};
use isolint_rules::Finding;
use serde_json::{Value, json};

use crate::files;

/// The format version this isolint writes and reads.
const VERSION: u64 = 1;
/// The key that marks a file as a baseline, holding its version.
pub(crate) const MARKER: &str = "isolint_baseline";

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The file, relative to the baseline's folder, with `/` separators.
    pub(crate) path: String,
    /// The finding's fingerprint.
    pub(crate) fingerprint: String,
    /// The rule ID, for messages.
    pub(crate) rule: String,
    /// The resource, for messages.
    pub(crate) resource: String,
}

/// The findings a baseline records.
#[derive(Debug)]
pub(crate) struct Baseline {
    /// The baseline file's folder, absolute: entries' paths are relative to it.
    folder: PathBuf,
    entries: Vec<Entry>,
}

/// What applying a baseline did.
#[derive(Debug)]
pub(crate) struct Filtered<'a> {
    /// How many findings it hid.
    pub(crate) hidden: usize,
    /// The entries that matched no finding: fixed, or moved to another file.
    pub(crate) unmatched: Vec<&'a Entry>,
}

impl Baseline {
    /// Removes from `findings` those the baseline records: each entry absorbs one finding
    /// of its file with its fingerprint. Entries of rules that did not run (`ran` says
    /// which, by ID) are not counted as unmatched: nothing says whether they still hold.
    pub(crate) fn filter(
        &self,
        findings: &mut Vec<Finding>,
        sources: &SourceMap,
        ran: &dyn Fn(&str) -> bool,
    ) -> Filtered<'_> {
        // By path, then fingerprint: the entries not matched yet, the first on top.
        let mut open: HashMap<&str, HashMap<&str, Vec<usize>>> = HashMap::new();
        for (index, entry) in self.entries.iter().enumerate().rev() {
            open.entry(entry.path.as_str())
                .or_default()
                .entry(entry.fingerprint.as_str())
                .or_default()
                .push(index);
        }
        let mut matched = vec![false; self.entries.len()];
        let before = findings.len();
        let mut paths: HashMap<FileId, String> = HashMap::new();
        findings.retain(|finding| {
            let path = paths
                .entry(finding.span.file)
                .or_insert_with(|| path_of(sources, finding.span.file, &self.folder));
            let fingerprint = finding.fingerprint();
            match open
                .get_mut(path.as_str())
                .and_then(|by_fingerprint| by_fingerprint.get_mut(fingerprint.as_str()))
                .and_then(Vec::pop)
            {
                Some(index) => {
                    matched[index] = true;
                    false
                }
                None => true,
            }
        });
        Filtered {
            hidden: before - findings.len(),
            unmatched: self
                .entries
                .iter()
                .zip(matched)
                .filter(|(entry, matched)| !matched && ran(&entry.rule))
                .map(|(entry, _)| entry)
                .collect(),
        }
    }
}

/// The baseline document for `findings`, to be written at `baseline` (whose folder the
/// recorded paths are relative to).
pub(crate) fn render(findings: &[Finding], sources: &SourceMap, baseline: &Path) -> String {
    let folder = folder_of(baseline);
    let entries: Vec<Value> = findings
        .iter()
        .map(|finding| {
            json!({
                "fingerprint": finding.fingerprint(),
                "rule": finding.rule.id,
                "path": path_of(sources, finding.span.file, &folder),
                "resource": finding.resource.qualified_name,
                "property": finding.property,
            })
        })
        .collect();
    let document = json!({
        MARKER: VERSION,
        "tool": { "name": "isolint", "version": env!("CARGO_PKG_VERSION") },
        "findings": entries,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a baseline. The error says why `path` is not one.
pub(crate) fn load(path: &Path) -> Result<Baseline, String> {
    let text = files::read_text(path, files::MAX_BASELINE_SIZE)
        .map_err(|reason| format!("cannot read baseline `{}`: {reason}", path.display()))?;
    let entries = parse(&text)
        .map_err(|reason| format!("`{}` is not an isolint baseline: {reason}", path.display()))?;
    Ok(Baseline {
        folder: folder_of(path),
        entries,
    })
}

fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let document: Value = serde_json::from_str(text).map_err(|err| {
        format!(
            "invalid JSON at line {}, column {}: {}",
            err.line(),
            err.column(),
            strip_position(&err.to_string())
        )
    })?;
    let Some(object) = document.as_object() else {
        return Err("the document is not a JSON object".to_owned());
    };
    match object.get(MARKER) {
        None => {
            return Err(format!(
                "it has no `{MARKER}` version (write one with `isolint check --write-baseline FILE`)"
            ));
        }
        Some(version) if version.as_u64() == Some(VERSION) => {}
        Some(version) => {
            return Err(format!(
                "version {version} is not supported (this isolint reads version {VERSION})"
            ));
        }
    }
    let Some(findings) = object.get("findings").and_then(Value::as_array) else {
        return Err("it has no `findings` array".to_owned());
    };
    let text_of = |entry: &Value, key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut entries = Vec::with_capacity(findings.len());
    for (index, entry) in findings.iter().enumerate() {
        let fingerprint = entry
            .get("fingerprint")
            .and_then(Value::as_str)
            .filter(|f| f.len() == 16 && f.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                format!("findings[{index}] has no `fingerprint` of 16 hexadecimal digits")
            })?;
        let path = entry
            .get("path")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| format!("findings[{index}] has no `path`"))?;
        entries.push(Entry {
            path: path.to_owned(),
            fingerprint: fingerprint.to_owned(),
            rule: text_of(entry, "rule"),
            resource: text_of(entry, "resource"),
        });
    }
    Ok(entries)
}

/// The absolute folder of the baseline file at `path`.
fn folder_of(path: &Path) -> PathBuf {
    let mut folder = files::absolute_lexical(path);
    folder.pop();
    folder
}

/// The path of `file` relative to `folder`, with `/` separators (`../` to climb out).
fn path_of(sources: &SourceMap, file: FileId, folder: &Path) -> String {
    sources
        .get(file)
        .map(|file| relative(&files::absolute_lexical(&file.path), folder))
        .unwrap_or_default()
}

/// `path` relative to `folder`, both absolute and lexically normal, with `/` separators.
fn relative(path: &Path, folder: &Path) -> String {
    let path: Vec<Component<'_>> = path.components().collect();
    let folder: Vec<Component<'_>> = folder.components().collect();
    let common = path.iter().zip(&folder).take_while(|(a, b)| a == b).count();
    if common == 0 {
        // Another drive: nothing to be relative to.
        return path
            .iter()
            .collect::<PathBuf>()
            .to_string_lossy()
            .replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); folder.len() - common];
    parts.extend(
        path[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `serde_json`'s message without its trailing ` at line L column C`.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |end| &message[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_baselines_say_why() {
        assert!(
            parse("[")
                .unwrap_err()
                .starts_with("invalid JSON at line 1, column 1")
        );
        assert!(parse("[]").unwrap_err().contains("not a JSON object"));
        assert!(
            parse("{\"version\": 1}")
                .unwrap_err()
                .contains("no `isolint_baseline`")
        );
        assert!(
            parse("{\"isolint_baseline\": 9, \"findings\": []}")
                .unwrap_err()
                .contains("version 9")
        );
        assert!(
            parse("{\"isolint_baseline\": 1}")
                .unwrap_err()
                .contains("`findings`")
        );
        assert!(
            parse("{\"isolint_baseline\": 1, \"findings\": [{\"fingerprint\": \"x\"}]}")
                .unwrap_err()
                .contains("findings[0]")
        );
        assert!(
            parse(
                "{\"isolint_baseline\": 1, \"findings\": [{\"fingerprint\": \"0123456789abcdef\"}]}"
            )
            .unwrap_err()
            .contains("findings[0] has no `path`")
        );
        let ok = parse(
            "{\"isolint_baseline\": 1, \"findings\": [{\"fingerprint\": \"0123456789abcdef\", \"path\": \"a.json\"}]}",
        )
        .unwrap();
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].path, "a.json");
    }

    #[test]
    fn paths_are_relative_to_the_baseline_folder() {
        let root = files::absolute_lexical(Path::new("repo"));
        assert_eq!(
            relative(&root.join("infra/main.json"), &root),
            "infra/main.json"
        );
        assert_eq!(
            relative(&root.join("infra/main.json"), &root.join("ci")),
            "../infra/main.json"
        );
    }
}
