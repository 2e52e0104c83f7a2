//! Baselines: `--write-baseline FILE` records the current findings by fingerprint, and
//! `--baseline FILE` then reports only findings that are not recorded there.
//!
//! The file is versioned JSON:
//! `{ "isolint_baseline": 1, "findings": [{ "fingerprint", "rule", "path", "resource", "property" }] }`.
//! Only `fingerprint` decides; the other fields are there for reviewers of the file.

use std::collections::BTreeMap;
use std::path::Path;

use isolint_model::SourceMap;
use isolint_rules::Finding;
use serde_json::{Value, json};

/// The format version this isolint writes and reads.
const VERSION: u64 = 1;
/// The key that marks a file as a baseline, holding its version.
const MARKER: &str = "isolint_baseline";

/// Fingerprints recorded in a baseline, with how many findings carry each.
#[derive(Debug, Default)]
pub(crate) struct Baseline {
    counts: BTreeMap<String, usize>,
}

impl Baseline {
    /// Removes from `findings` those the baseline records (each recorded fingerprint
    /// absorbs as many findings as it was recorded for); returns how many were removed.
    pub(crate) fn filter(&self, findings: &mut Vec<Finding>) -> usize {
        let mut left = self.counts.clone();
        let before = findings.len();
        findings.retain(|finding| match left.get_mut(&finding.fingerprint()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        });
        before - findings.len()
    }
}

/// The baseline document for `findings`.
pub(crate) fn render(findings: &[Finding], sources: &SourceMap) -> String {
    let entries: Vec<Value> = findings
        .iter()
        .map(|finding| {
            let path = sources
                .get(finding.span.file)
                .map(|file| file.name.clone())
                .unwrap_or_default();
            json!({
                "fingerprint": finding.fingerprint(),
                "rule": finding.rule.id,
                "path": path,
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
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read baseline `{}`: {err}", path.display()))?;
    parse(&text)
        .map_err(|reason| format!("`{}` is not an isolint baseline: {reason}", path.display()))
}

fn parse(text: &str) -> Result<Baseline, String> {
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
    let mut baseline = Baseline::default();
    for (index, entry) in findings.iter().enumerate() {
        let fingerprint = entry
            .get("fingerprint")
            .and_then(Value::as_str)
            .filter(|f| f.len() == 16 && f.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                format!("findings[{index}] has no `fingerprint` of 16 hexadecimal digits")
            })?;
        *baseline.counts.entry(fingerprint.to_owned()).or_default() += 1;
    }
    Ok(baseline)
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
        let ok = parse(
            "{\"isolint_baseline\": 1, \"findings\": [{\"fingerprint\": \"0123456789abcdef\"}]}",
        )
        .unwrap();
        assert_eq!(ok.counts.len(), 1);
    }
}
