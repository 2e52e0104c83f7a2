//! The example files of a rule (`rules/<ID>/`) and the findings snapshots beside them.

use std::path::{Path, PathBuf};

use crate::Error;

/// A source format that examples are written in, in the order the docs show them.
#[derive(Debug, PartialEq, Eq)]
pub struct Format {
    /// The file extension, without the dot.
    pub extension: &'static str,
    /// The heading of the format's examples.
    pub heading: &'static str,
    /// The language of the Markdown code fence.
    pub fence: &'static str,
}

/// Every format, in the order the docs show them.
pub static FORMATS: &[Format] = &[
    Format {
        extension: "bicep",
        heading: "Bicep",
        fence: "bicep",
    },
    Format {
        extension: "json",
        heading: "ARM JSON",
        fence: "json",
    },
    Format {
        extension: "tf",
        heading: "Terraform",
        fence: "hcl",
    },
];

/// What an example is meant to show, from its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// `bad*`: the rule must report it.
    Flagged,
    /// `good*`: the rule must stay silent.
    NotFlagged,
    /// Any other name: shown after the others, without a verdict.
    Other,
}

/// One example file.
#[derive(Debug, PartialEq, Eq)]
pub struct Example {
    /// The file name (`bad-default.json`).
    pub file_name: String,
    /// What the example is meant to show.
    pub verdict: Verdict,
    /// The rest of the name after `bad`/`good`, as words (`default`), if any.
    pub label: Option<String>,
    /// The file's text, with `\n` line endings.
    pub content: String,
    /// The rendered findings from the example's snapshot, without insta's header, for
    /// flagged examples that have one.
    pub findings: Option<String>,
}

impl Example {
    /// A short, deterministic heading: ``Flagged: default (`bad-default.json`)``.
    pub fn heading(&self) -> String {
        let verdict = match self.verdict {
            Verdict::Flagged => "Flagged",
            Verdict::NotFlagged => "Not flagged",
            Verdict::Other => "Example",
        };
        match &self.label {
            Some(label) => format!("{verdict}: {label} (`{}`)", self.file_name),
            None => format!("{verdict} (`{}`)", self.file_name),
        }
    }
}

/// The examples of rule `id` grouped by format (in [`FORMATS`] order, empty formats left
/// out), flagged before not flagged, then by name. No `rules/<ID>/` folder means no
/// examples.
pub fn load(root: &Path, id: &str) -> Result<Vec<(&'static Format, Vec<Example>)>, Error> {
    let folder = Path::new("rules").join(id);
    let files = match std::fs::read_dir(root.join(&folder)) {
        Ok(entries) => entries
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<Vec<PathBuf>, _>>()
            .map_err(|source| Error::Io {
                action: "list",
                path: folder.clone(),
                source,
            })?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(Error::Io {
                action: "list",
                path: folder,
                source,
            });
        }
    };

    let mut groups = Vec::new();
    for format in FORMATS {
        let mut examples = Vec::new();
        for path in &files {
            let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !path.is_file() || path.extension().is_none_or(|e| e != format.extension) {
                continue;
            }
            let stem = &file_name[..file_name.len() - format.extension.len() - 1];
            let (verdict, label) = classify(stem);
            let content = crate::read(root, &folder.join(file_name))?.replace("\r\n", "\n");
            let findings = if verdict == Verdict::Flagged {
                snapshot_findings(root, &folder, file_name, stem)?
            } else {
                None
            };
            examples.push(Example {
                file_name: file_name.to_owned(),
                verdict,
                label,
                content,
                findings,
            });
        }
        // `bad` sorts before `bad-default`: the plain case first, then its variants.
        examples.sort_by(|a, b| {
            (a.verdict, stem_of(&a.file_name), &a.file_name).cmp(&(
                b.verdict,
                stem_of(&b.file_name),
                &b.file_name,
            ))
        });
        if !examples.is_empty() {
            groups.push((format, examples));
        }
    }
    Ok(groups)
}

fn stem_of(file_name: &str) -> &str {
    file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
}

/// The verdict and label of a file stem: `bad-default` → flagged, `default`.
pub fn classify(stem: &str) -> (Verdict, Option<String>) {
    for (prefix, verdict) in [("bad", Verdict::Flagged), ("good", Verdict::NotFlagged)] {
        let Some(rest) = stem.strip_prefix(prefix) else {
            continue;
        };
        if rest.is_empty() {
            return (verdict, None);
        }
        if let Some(rest) = rest.strip_prefix(['-', '_', '.']) {
            return (verdict, words(rest));
        }
    }
    (Verdict::Other, words(stem))
}

fn words(text: &str) -> Option<String> {
    let words = text.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    (!words.is_empty()).then_some(words)
}

/// The findings recorded for an example: `snapshots/<file name>.snap`, else
/// `snapshots/<stem>.snap`, with insta's header removed. `None` when neither exists or the
/// snapshot is empty.
fn snapshot_findings(
    root: &Path,
    folder: &Path,
    file_name: &str,
    stem: &str,
) -> Result<Option<String>, Error> {
    for candidate in [format!("{file_name}.snap"), format!("{stem}.snap")] {
        let relative = folder.join("snapshots").join(candidate);
        if root.join(&relative).is_file() {
            let body = snapshot_body(&crate::read(root, &relative)?);
            return Ok((!body.is_empty()).then_some(body));
        }
    }
    Ok(None)
}

/// The body of an insta snapshot: what follows the `---`-fenced header, with `\n` line
/// endings, without trailing blank space. Text without a header is taken whole.
pub fn snapshot_body(snapshot: &str) -> String {
    let text = snapshot.replace("\r\n", "\n");
    let body = match text.strip_prefix("---\n") {
        Some(rest) => match rest.find("\n---\n") {
            Some(end) => &rest[end + "\n---\n".len()..],
            None => rest.strip_suffix("\n---").map_or(rest, |_| ""),
        },
        None => &text,
    };
    body.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_prefix() {
        assert_eq!(classify("bad"), (Verdict::Flagged, None));
        assert_eq!(
            classify("bad-default"),
            (Verdict::Flagged, Some("default".into()))
        );
        assert_eq!(
            classify("good-unknown_kind"),
            (Verdict::NotFlagged, Some("unknown kind".into()))
        );
        assert_eq!(classify("badge"), (Verdict::Other, Some("badge".into())));
        assert_eq!(classify("main"), (Verdict::Other, Some("main".into())));
    }

    #[test]
    fn headings_name_verdict_label_and_file() {
        let example = |file_name: &str| {
            let (verdict, label) = classify(stem_of(file_name));
            Example {
                file_name: file_name.into(),
                verdict,
                label,
                content: String::new(),
                findings: None,
            }
        };
        assert_eq!(example("bad.json").heading(), "Flagged (`bad.json`)");
        assert_eq!(
            example("bad-default.json").heading(),
            "Flagged: default (`bad-default.json`)"
        );
        assert_eq!(
            example("good-unknown.tf").heading(),
            "Not flagged: unknown (`good-unknown.tf`)"
        );
    }

    #[test]
    fn strips_the_insta_header() {
        let snap = "---\nsource: crates/isolint_rules/tests/examples.rs\nexpression: out\n---\nerror[AML001]: x\n  --> bad.json:3:5\n\n";
        assert_eq!(snapshot_body(snap), "error[AML001]: x\n  --> bad.json:3:5");
        assert_eq!(snapshot_body("---\na: b\n---\n"), "");
        assert_eq!(snapshot_body("plain\r\ntext\r\n"), "plain\ntext");
    }

    #[test]
    fn loads_groups_in_format_order_bad_first_with_snapshots() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("rules/AML001");
        std::fs::create_dir_all(folder.join("snapshots")).unwrap();
        for (name, text) in [
            ("good.json", "{}\r\n"),
            ("bad-default.json", "{ }\n"),
            ("bad.json", "{  }\n"),
            ("bad.bicep", "param x string\n"),
            ("notes.txt", "ignored"),
        ] {
            std::fs::write(folder.join(name), text).unwrap();
        }
        std::fs::write(
            folder.join("snapshots/bad-default.snap"),
            "---\nsource: x\n---\nerror[AML001]\n",
        )
        .unwrap();
        std::fs::write(
            folder.join("snapshots/bad.bicep.snap"),
            "---\nsource: x\n---\nerror[AML001] bicep\n",
        )
        .unwrap();

        let groups = load(root.path(), "AML001").unwrap();
        let shape: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(format, examples)| {
                (
                    format.heading,
                    examples.iter().map(|e| e.file_name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("Bicep", vec!["bad.bicep"]),
                (
                    "ARM JSON",
                    vec!["bad.json", "bad-default.json", "good.json"]
                ),
            ]
        );
        let json = &groups[1].1;
        assert_eq!(json[0].findings, None);
        assert_eq!(json[1].findings.as_deref(), Some("error[AML001]"));
        assert_eq!(json[2].content, "{}\n");
        assert_eq!(
            groups[0].1[0].findings.as_deref(),
            Some("error[AML001] bicep")
        );
        assert!(load(root.path(), "AML999").unwrap().is_empty());
    }
}
