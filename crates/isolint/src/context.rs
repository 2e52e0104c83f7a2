//! What the commands that read infrastructure share: the configuration, the discovery of
//! files, the rule options, the date, and writing what they rendered (never over an input).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use isolint_model::{Diagnostic, Project, Severity, SourceMap};
use isolint_rules::{Date, Rule};

use crate::baseline;
use crate::cli::InputArgs;
use crate::config::{self, Config};
use crate::console;
use crate::discover::{self, Discovered, Settings};
use crate::exit::Outcome;
use crate::files;
use crate::frontend;
use crate::globs::glob_set;

/// The configuration and the discovery settings of one run, from `check`'s or `report`'s
/// arguments.
pub(crate) struct Context<'a> {
    /// What is read, and how.
    pub(crate) input: &'a InputArgs,
    /// The configuration file, when one was named or found.
    pub(crate) config: Option<Config>,
    settings: Settings,
}

impl<'a> Context<'a> {
    /// Reads the configuration (`--config FILE`, else the file found from the first path
    /// upward) and compiles the globs. The error is a message for the user.
    pub(crate) fn load(input: &'a InputArgs) -> Result<Self, String> {
        let path: Option<PathBuf> = match &input.config {
            Some(path) => Some(path.clone()),
            None => input.paths.first().and_then(|first| config::find(first)),
        };
        let config = path.map(|path| config::load(&path)).transpose()?;
        Self::with_config(input, config)
    }

    /// The context of `input` with the configuration `config`, read already or none: for
    /// a run that must not look for one on disk (the end-to-end fuzz pipeline).
    pub(crate) fn with_config(
        input: &'a InputArgs,
        config: Option<Config>,
    ) -> Result<Self, String> {
        let settings = discovery_settings(input, config.as_ref())?;
        Ok(Self {
            input,
            config,
            settings,
        })
    }

    /// The files to read under the paths given.
    pub(crate) fn discover(&self) -> Discovered {
        discover::discover(&self.input.paths, &self.settings)
    }

    /// The files to read under the paths given, or, when there is nothing to check, the
    /// run's error printed after discovery's diagnostics.
    pub(crate) fn discover_checked(&self) -> Result<Discovered, Outcome> {
        let discovered = self.discover();
        let Some(message) = self.nothing_found(&discovered) else {
            return Ok(discovered);
        };
        for diagnostic in &discovered.diagnostics {
            console::diagnostic(diagnostic);
        }
        console::error(&message);
        Err(Outcome::Error)
    }

    /// How files are discovered: the same for the files of a git revision.
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The project root: `--root`, else the git work tree holding the first path, else
    /// that path (its folder, for a file).
    pub(crate) fn project_root(&self) -> PathBuf {
        match &self.input.root {
            Some(root) => isolint_model::source::normalize(root),
            None => {
                let first = self
                    .input
                    .paths
                    .first()
                    .map_or(Path::new("."), PathBuf::as_path);
                Project::discover(first).root
            }
        }
    }

    /// The infrastructure files of the whole project under `root`, walked with the same
    /// ignore files and configuration filter (not `--include`/`--exclude`, which select
    /// what is checked): where the callers of a file named alone are looked for. Empty
    /// when no file is named.
    pub(crate) fn project_files(&self, root: &Path) -> Vec<PathBuf> {
        if !self.input.paths.iter().any(|path| path.is_file()) {
            return Vec::new();
        }
        let mut settings = self.settings.clone();
        settings.include = None;
        settings.exclude = None;
        discover::discover(&[root.to_path_buf()], &settings).files
    }

    /// The rule options of the run: the command line's `select`, `ignore` and `strict`
    /// merged with the configuration, which they win over: `select` replaces the
    /// configuration's, `ignore` adds to it, `strict` is on when either asks,
    /// `--required-tag` replaces `required_tags`.
    pub(crate) fn rule_options(
        &self,
        select: &[&'static Rule],
        ignore: &[&'static Rule],
        strict: bool,
    ) -> isolint_rules::Options {
        let mut options = isolint_rules::Options {
            select: select.iter().map(|r| r.id.to_owned()).collect(),
            ignore: ignore.iter().map(|r| r.id.to_owned()).collect(),
            strict,
            required_tags: self.input.required_tags.clone(),
            ..isolint_rules::Options::default()
        };
        if let Some(config) = &self.config {
            if options.select.is_empty() {
                options.select = config.select.iter().map(|r| r.id.to_owned()).collect();
            }
            options
                .ignore
                .extend(config.ignore.iter().map(|r| r.id.to_owned()));
            options.strict |= config.strict.unwrap_or(false);
            if options.required_tags.is_empty() {
                options.required_tags.clone_from(&config.required_tags);
            }
            options.levels.clone_from(&config.levels);
        }
        options
    }

    /// The error of a run that found nothing to check: no file of a format isolint reads
    /// under the paths, through the filters, and no file named on purpose that the
    /// configuration excludes. `None` when something was found, skipped on purpose, or
    /// when discovery already failed (its errors say why).
    fn nothing_found(&self, discovered: &Discovered) -> Option<String> {
        let failed = discovered
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        if !discovered.files.is_empty() || discovered.skipped_on_purpose > 0 || failed {
            return None;
        }
        let quoted = |items: Vec<String>| {
            items
                .iter()
                .map(|item| format!("`{item}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let globs =
            |globs: &[globset::Glob]| quoted(globs.iter().map(|g| g.glob().to_owned()).collect());
        let mut filters = Vec::new();
        if !self.input.include.is_empty() {
            filters.push(format!("--include {}", globs(&self.input.include)));
        }
        if !self.input.exclude.is_empty() {
            filters.push(format!("--exclude {}", globs(&self.input.exclude)));
        }
        if let Some(config) = &self.config {
            if !config.include.is_empty() {
                filters.push(format!(
                    "`include` {} of `{}`",
                    globs(&config.include),
                    config.path.display()
                ));
            }
            if !config.exclude.is_empty() {
                filters.push(format!(
                    "`exclude` {} of `{}`",
                    globs(&config.exclude),
                    config.path.display()
                ));
            }
        }
        if !self.input.no_ignore {
            filters.push("ignore files (--no-ignore reads what they ignore)".to_owned());
        }
        let paths = quoted(
            self.input
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        );
        let mut message = format!(
            "no file to check under {paths}: isolint reads {} files",
            frontend::format_names()
        );
        if !filters.is_empty() {
            message.push_str(&format!(", filtered by {}", filters.join("; ")));
        }
        Some(message)
    }

    /// The folder the configuration's exception paths are relative to.
    pub(crate) fn exceptions_root(&self) -> &Path {
        self.config.as_ref().map_or(Path::new("."), Config::root)
    }
}

/// Compiles `--include`/`--exclude` and the configuration's globs, and collects the walk
/// options.
fn discovery_settings(input: &InputArgs, config: Option<&Config>) -> Result<Settings, String> {
    let config_filter = match config {
        Some(config) if !config.include.is_empty() || !config.exclude.is_empty() => {
            Some(discover::ConfigFilter {
                root: std::path::absolute(config.root()).map_err(|err| {
                    format!("cannot resolve `{}`: {err}", config.root().display())
                })?,
                include: glob_set(&config.include, "include")?,
                exclude: glob_set(&config.exclude, "exclude")?,
            })
        }
        _ => None,
    };
    Ok(Settings {
        config_filter,
        include: glob_set(&input.include, "--include")?,
        exclude: glob_set(&input.exclude, "--exclude")?,
        honour_ignore_files: !input.no_ignore,
        follow_links: input.follow,
        accepts: frontend::accepts_any,
        formats: frontend::format_names(),
        configured_by: frontend::configured_by,
    })
}

/// Today, in UTC, for suppressions' `until`.
pub(crate) fn today() -> Date {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Date::from_unix_seconds(seconds)
}

/// Orders diagnostics by file and position, whichever thread or frontend found them.
pub(crate) fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| {
                a.span
                    .map(|s| (s.start, s.end))
                    .cmp(&b.span.map(|s| (s.start, s.end)))
            })
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Writes a rendered report to `--output FILE` (see [`Context::write`]), or to standard
/// output.
pub(crate) fn write_output(
    context: &Context<'_>,
    output: Option<&Path>,
    rendered: &str,
    sources: &SourceMap,
) -> Outcome {
    match output {
        Some(path) => match context.write(path, rendered, sources, &[]) {
            Ok(()) => Outcome::Clean,
            Err(message) => {
                console::error(&message);
                Outcome::Error
            }
        },
        None => console::stdout(rendered),
    }
}

impl Context<'_> {
    /// Writes `text` to `target` atomically, unless `target` is a folder or one of the
    /// run's inputs: a path named on the command line, the configuration, a parameters or
    /// variable file, `also_read`, or a file the frontends read. A file isolint wrote
    /// itself (a baseline, a JSON or SARIF report) that a folder walk read is no input:
    /// rewriting it is why it is named. The error is a message for the user.
    pub(crate) fn write(
        &self,
        target: &Path,
        text: &str,
        sources: &SourceMap,
        also_read: &[&Path],
    ) -> Result<(), String> {
        let refused = |reason: String| format!("cannot write `{}`: {reason}", target.display());
        let mut named: Vec<PathBuf> = self
            .input
            .paths
            .iter()
            .chain(&self.input.parameter_files)
            .chain(&self.input.var_files)
            .cloned()
            .collect();
        named.extend(self.config.as_ref().map(|config| config.path.clone()));
        named.extend(also_read.iter().map(|path| path.to_path_buf()));
        files::check_target(target, &named).map_err(&refused)?;
        let read: Vec<PathBuf> = sources.files().iter().map(|f| f.path.clone()).collect();
        if let Err(reason) = files::check_target(target, &read)
            && !is_isolint_output(target)
        {
            return Err(refused(format!(
                "{reason} (write it outside the folders checked, or under a name isolint does not read)"
            )));
        }
        files::write_atomic(target, text).map_err(|err| refused(files::io_message(&err)))
    }
}

/// Whether the file at `path` is a document isolint writes: a baseline, or a JSON or SARIF
/// report.
fn is_isolint_output(path: &Path) -> bool {
    let Ok(text) = files::read_text(path, files::MAX_BASELINE_SIZE) else {
        return false;
    };
    let Ok(document) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let isolint = Some(&serde_json::Value::from("isolint"));
    document.get(baseline::MARKER).is_some()
        || document.pointer("/tool/name") == isolint
        || document["runs"].as_array().is_some_and(|runs| {
            runs.iter()
                .any(|run| run.pointer("/tool/driver/name") == isolint)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_sort_by_path_then_position() {
        let mut diagnostics = vec![
            Diagnostic::error("io-error", "b", "z.json"),
            Diagnostic::error("parse-error", "a", "a.json"),
            Diagnostic::error("io-error", "a", "z.json"),
        ];
        sort_diagnostics(&mut diagnostics);
        let order: Vec<(String, &str)> = diagnostics
            .iter()
            .map(|d| (d.path.display().to_string(), d.message.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("a.json".to_owned(), "a"),
                ("z.json".to_owned(), "a"),
                ("z.json".to_owned(), "b"),
            ]
        );
    }
}
