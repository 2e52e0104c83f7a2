//! The configuration file: `isolint.toml` or `.isolint.toml`, found from the scanned path
//! upward to the repository root (the first folder holding `.git`), or named with
//! `--config`. Unknown keys and bad values are errors with the file's line and column.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher};
use isolint_model::source::display_name;
use isolint_rules::{Date, Level, Rule};
use serde::Deserialize;
use toml::Spanned;

use crate::catalog;
use crate::files;
use crate::globs::{self, MAX_GLOBS, parse_glob};

/// The file names looked for, in this order, in each folder.
pub(crate) const FILE_NAMES: [&str; 2] = ["isolint.toml", ".isolint.toml"];

/// A rule's level in `[rules]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Findings are notes.
    Note,
    /// Findings are warnings.
    Warning,
    /// Findings are errors.
    Error,
}

/// `fail_level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FailLevel {
    Note,
    Warning,
    Error,
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    strict: Option<bool>,
    fail_level: Option<FailLevel>,
    #[serde(default)]
    required_tags: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RuleLevel>,
    #[serde(default)]
    exceptions: Vec<Spanned<RawException>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    rule: Spanned<String>,
    path: Spanned<String>,
    resource: Option<Spanned<String>>,
    reason: Option<String>,
    approved_by: Option<String>,
    until: Option<Spanned<String>>,
}

/// A configuration exception, checked.
#[derive(Debug)]
pub(crate) struct Exception {
    /// The rule it suppresses.
    pub(crate) rule: &'static Rule,
    /// The glob as written, for messages.
    pub(crate) path_text: String,
    /// Matched against paths relative to the configuration file's folder.
    pub(crate) path: GlobMatcher,
    /// Matched against the resource's name.
    pub(crate) resource: Option<GlobMatcher>,
    /// Why.
    pub(crate) reason: Option<String>,
    /// Who approved it.
    pub(crate) approved_by: Option<String>,
    /// The last day it holds.
    pub(crate) until: Option<Date>,
    /// The byte range of its table in the configuration file.
    pub(crate) span: Range<usize>,
}

/// A configuration, checked.
#[derive(Debug, Default)]
pub(crate) struct Config {
    /// The file it was read from.
    pub(crate) path: PathBuf,
    /// The file's text (SUP findings about exceptions point into it).
    pub(crate) text: String,
    /// Rules to run (IDs).
    pub(crate) select: Vec<&'static Rule>,
    /// Rules not to run (IDs), including those whose level is `off`.
    pub(crate) ignore: Vec<&'static Rule>,
    /// `include` globs, relative to the configuration file's folder.
    pub(crate) include: Vec<Glob>,
    /// `exclude` globs, relative to the configuration file's folder.
    pub(crate) exclude: Vec<Glob>,
    /// `strict`.
    pub(crate) strict: Option<bool>,
    /// `fail_level`.
    pub(crate) fail_level: Option<Level>,
    /// `required_tags`.
    pub(crate) required_tags: Vec<String>,
    /// Levels by rule ID.
    pub(crate) levels: BTreeMap<String, Level>,
    /// `[[exceptions]]`.
    pub(crate) exceptions: Vec<Exception>,
}

impl Config {
    /// The folder the configuration's globs are relative to.
    pub(crate) fn root(&self) -> &Path {
        // `isolint.toml` named alone has the empty path as its parent.
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    }
}

/// Finds the configuration file for `scanned`: in its folder (its own folder when it is a
/// file) and each folder above, stopping after the first one that holds `.git`.
pub(crate) fn find(scanned: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(scanned).ok()?;
    let mut folder = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(dir) = folder {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            // Whatever is there (a link to a device, a folder) is the configuration, which
            // `load` then refuses with a reason, rather than skipped in silence.
            if std::fs::symlink_metadata(&candidate).is_ok() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
        folder = dir.parent();
    }
    None
}

/// Reads and checks the configuration at `path`. Errors are `path:line:column: message`.
pub(crate) fn load(path: &Path) -> Result<Config, String> {
    let text = files::read_text(path, files::MAX_CONFIG_SIZE)
        .map_err(|reason| format!("cannot read `{}`: {reason}", path.display()))?;
    parse(path, text)
}

/// Parses configuration `text` read from `path`.
pub(crate) fn parse(path: &Path, text: String) -> Result<Config, String> {
    let located = |span: Option<Range<usize>>, message: &str| {
        let (line, column) = span.map_or((1, 1), |span| line_column(&text, span.start));
        format!("{}:{line}:{column}: {message}", display_name(path))
    };
    let raw: RawConfig = toml::from_str(&text).map_err(|err| {
        located(err.span(), err.message().trim_end())
            .replace('\n', " ")
            .replace("  ", " ")
    })?;

    let rule = |name: &Spanned<String>| {
        catalog::lookup(name.get_ref().trim())
            .map_err(|message| located(Some(name.span()), &message))
    };
    let glob = |text: &Spanned<String>| {
        parse_glob(text.get_ref()).map_err(|message| {
            located(
                Some(text.span()),
                &format!("invalid glob `{}`: {message}", text.get_ref()),
            )
        })
    };

    let mut config = Config {
        path: path.to_path_buf(),
        strict: raw.strict,
        fail_level: raw.fail_level.map(|level| match level {
            FailLevel::Note => Level::Note,
            FailLevel::Warning => Level::Warning,
            FailLevel::Error => Level::Error,
        }),
        required_tags: raw.required_tags,
        ..Config::default()
    };
    // Globs cost memory once compiled: the lists are bounded before any is compiled.
    for (list, what) in [(&raw.include, "include"), (&raw.exclude, "exclude")] {
        if let Some(first_extra) = list.get(MAX_GLOBS) {
            return Err(located(
                Some(first_extra.span()),
                &globs::too_many(&format!("`{what}`"), list.len()),
            ));
        }
    }
    if let Some(first_extra) = raw.exceptions.get(MAX_GLOBS) {
        return Err(located(
            Some(first_extra.span()),
            &format!(
                "too many `[[exceptions]]`: {} (at most {MAX_GLOBS}; an exception's `path` glob can cover a whole folder)",
                raw.exceptions.len()
            ),
        ));
    }
    for name in &raw.select {
        config.select.push(rule(name)?);
    }
    for name in &raw.ignore {
        config.ignore.push(rule(name)?);
    }
    for text in &raw.include {
        config.include.push(glob(text)?);
    }
    for text in &raw.exclude {
        config.exclude.push(glob(text)?);
    }
    for (name, level) in &raw.rules {
        let found = rule(name)?;
        match level {
            RuleLevel::Off => config.ignore.push(found),
            RuleLevel::Note => drop(config.levels.insert(found.id.to_owned(), Level::Note)),
            RuleLevel::Warning => drop(config.levels.insert(found.id.to_owned(), Level::Warning)),
            RuleLevel::Error => drop(config.levels.insert(found.id.to_owned(), Level::Error)),
        }
    }
    for exception in &raw.exceptions {
        let span = exception.span();
        let exception = exception.get_ref();
        let until = match &exception.until {
            Some(until) => Some(
                Date::parse(until.get_ref())
                    .map_err(|message| located(Some(until.span()), &message))?,
            ),
            None => None,
        };
        config.exceptions.push(Exception {
            rule: rule(&exception.rule)?,
            path_text: exception.path.get_ref().clone(),
            path: glob(&exception.path)?.compile_matcher(),
            resource: match &exception.resource {
                Some(resource) => Some(
                    GlobBuilder::new(resource.get_ref())
                        .build()
                        .map_err(|err| {
                            located(
                                Some(resource.span()),
                                &format!("invalid glob `{}`: {}", resource.get_ref(), err.kind()),
                            )
                        })?
                        .compile_matcher(),
                ),
                None => None,
            },
            reason: exception.reason.clone(),
            approved_by: exception.approved_by.clone(),
            until,
            span,
        });
    }
    config.text = text;
    Ok(config)
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The starter file `isolint init` writes. Every setting is present and commented out, so
/// the file is valid as written and changes nothing until edited.
pub(crate) const STARTER: &str = r#"# isolint configuration. isolint finds this file (isolint.toml or .isolint.toml) from the
# scanned path upward to the repository root; `isolint check --config FILE` names another.
# Unknown keys are errors. Command-line options win over these settings.

# Run only these rules (IDs or names). Empty: all rules.
# select = ["AML001", "storage-public-network-access"]

# Do not run these rules.
# ignore = ["AML205"]

# Check only files matching these globs, relative to this file's folder. A glob without
# `/` matches at any depth.
# include = ["infra/**"]

# Skip files matching these globs (applied after include).
# exclude = ["**/legacy/**", "*.parameters.json"]

# Report values isolint cannot settle (parameters without default) as notes.
# strict = false

# The lowest level that fails the run (exit code 1): "note", "warning" or "error".
# fail_level = "warning"

# Tags every workspace must carry (AML301).
# required_tags = ["owner", "cost-center"]

# Rule levels: "off", "note", "warning" or "error", by rule ID or name.
[rules]
# AML002 = "error"
# compute-public-ip = "off"

# Approved exceptions. `path` is a glob relative to this file's folder, `resource` a glob
# over the resource name, `until` the last day the exception holds (YYYY-MM-DD).
# [[exceptions]]
# rule = "AML101"
# path = "infra/legacy/**"
# resource = "legacy*"
# reason = "migrated to private endpoints in Q3"
# approved_by = "security-team"
# until = "2027-01-31"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Config, String> {
        parse(Path::new("isolint.toml"), text.to_owned())
    }

    #[test]
    fn the_starter_file_is_valid_and_empty() {
        let config = parsed(STARTER).unwrap();
        assert!(config.select.is_empty() && config.levels.is_empty());
        assert!(config.exceptions.is_empty());
    }

    #[test]
    fn unknown_keys_are_located() {
        let error = parsed("strict = true\nfail_levle = \"error\"\n").unwrap_err();
        assert!(
            error.starts_with("isolint.toml:2:1: unknown field `fail_levle`"),
            "{error}"
        );
        let error =
            parsed("[[exceptions]]\nrule = \"AML001\"\npath = \"*\"\nowner = \"x\"\n").unwrap_err();
        assert!(
            error.starts_with("isolint.toml:4:1: unknown field `owner`"),
            "{error}"
        );
    }

    #[test]
    fn bad_values_are_located() {
        let error = parsed("[rules]\nAML001 = \"critical\"\n").unwrap_err();
        assert!(
            error.starts_with("isolint.toml:2:10: unknown variant `critical`"),
            "{error}"
        );
        let error = parsed("select = [\"AML999\"]\n").unwrap_err();
        assert!(
            error.starts_with("isolint.toml:1:11: unknown rule `AML999`"),
            "{error}"
        );
        let error =
            parsed("[[exceptions]]\nrule = \"AML001\"\npath = \"*\"\nuntil = \"2027-02-30\"\n")
                .unwrap_err();
        assert!(error.starts_with("isolint.toml:4:9:"), "{error}");
        let error = parsed("strict = \"yes\"\n").unwrap_err();
        assert!(error.starts_with("isolint.toml:1:10:"), "{error}");
    }

    #[test]
    fn glob_lists_are_bounded_and_located() {
        let excludes: Vec<String> = (0..=MAX_GLOBS).map(|i| format!("\"d{i}\"")).collect();
        let error = parsed(&format!("exclude = [{}]\n", excludes.join(", "))).unwrap_err();
        assert!(error.contains("too many `exclude` globs: 1001"), "{error}");
        assert!(error.starts_with("isolint.toml:1:"), "{error}");
        let exception = "[[exceptions]]\nrule = \"AML001\"\npath = \"*\"\n";
        let error = parsed(&exception.repeat(MAX_GLOBS + 1)).unwrap_err();
        assert!(error.contains("too many `[[exceptions]]`: 1001"), "{error}");
    }

    #[test]
    fn levels_and_off() {
        let config =
            parsed("[rules]\nAML001 = \"warning\"\nworkspace-managed-network-disabled = \"off\"\n")
                .unwrap();
        assert_eq!(config.levels.get("AML001"), Some(&Level::Warning));
        assert_eq!(config.ignore.len(), 1);
        assert_eq!(config.ignore[0].id, "AML002");
    }

    #[test]
    fn line_columns_count_characters() {
        assert_eq!(line_column("a\nbé c", 5), (2, 3));
        assert_eq!(line_column("", 0), (1, 1));
    }
}
