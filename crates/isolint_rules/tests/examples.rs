//! The examples beside the rules, `rules/<ID>/` (see `rules/README.md`): every `bad*` file
//! makes its rule fire, every `good*` file keeps it silent, every `good-unknown*` file gets
//! an `unresolved` note under `--strict`, the help of every finding is one its rule lists in
//! `Rule::help`, and the rendered findings of every `bad*` file match their snapshot in
//! `rules/<ID>/snapshots/`.
//!
//! Each rule's examples are one test named after its ID (`AML001::examples`), so
//! `cargo test AML001` runs them; [`rule_examples!`] declares them, and a guard test checks
//! that its list is the registry and the folders under `rules/`.

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_model::{Model, Severity, SourceMap};
use isolint_output::{Format, Report, TextOptions};
use isolint_rules::{Finding, Help, Options, RULES, Rule, Status, check, sort_findings};

/// Examples that show a bug in a rule or a frontend, as (rule ID, file name). They are kept
/// (the example is right, the code is wrong) and skipped by the checks until the bug is
/// fixed; `known_bugs_still_fail` fails once one passes, so that its entry is removed.
const KNOWN_BUGS: &[(&str, &str)] = &[];

/// The file extensions of the frontends: every rule needs a `bad*` and a `good*` example in
/// each of them.
const FORMATS: &[&str] = &["bicep", "json", "tf"];

/// Whether `file_name` is in a format whose examples are checked.
fn landed(file_name: &str) -> bool {
    FORMATS
        .iter()
        .any(|f| file_name.ends_with(&format!(".{f}")))
}

/// The folder of the rule examples' snapshots, inside each rule's folder.
const SNAPSHOTS: &str = "snapshots";

/// The workspace root: the examples are named relative to it in failures and snapshots.
fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// One example file.
struct Example {
    rule: &'static Rule,
    /// Absolute (below [`root`]).
    path: PathBuf,
    /// Relative to the root, with `/`: `rules/AML001/bad.json`.
    shown: String,
    /// `bad.json`.
    file_name: String,
}

impl Example {
    fn is_bad(&self) -> bool {
        self.file_name.starts_with("bad")
    }

    fn is_good(&self) -> bool {
        self.file_name.starts_with("good")
    }

    fn is_default(&self) -> bool {
        self.file_name.starts_with("bad-default")
    }

    fn is_unknown(&self) -> bool {
        self.file_name.starts_with("good-unknown")
    }

    fn is_bicep(&self) -> bool {
        self.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
    }

    fn is_known_bug(&self) -> bool {
        KNOWN_BUGS
            .iter()
            .any(|&(id, file)| id == self.rule.id && file == self.file_name)
    }
}

/// The folder of `rule`'s examples.
fn folder(rule: &Rule) -> PathBuf {
    root().join("rules").join(rule.id)
}

/// The file names in `dir` (not folders), sorted; empty when `dir` cannot be read.
fn file_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The examples of `rule`, files sorted by name.
fn examples_of(rule: &'static Rule) -> Vec<Example> {
    let dir = folder(rule);
    file_names(&dir)
        .into_iter()
        .filter(|name| landed(name) && (name.starts_with("bad") || name.starts_with("good")))
        .map(|file_name| Example {
            rule,
            path: dir.join(&file_name),
            shown: format!("rules/{}/{file_name}", rule.id),
            file_name,
        })
        .collect()
}

/// What a run over one example gives.
struct Run {
    sources: SourceMap,
    findings: Vec<Finding>,
    /// Error diagnostics, as text.
    errors: Vec<String>,
}

impl Run {
    /// The findings of the example's rule, `--strict` notes apart.
    fn fired<'a>(&'a self, rule: &'a Rule) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.rule.id == rule.id && !f.unresolved)
    }

    /// Every finding, one line each, for failure messages.
    fn listing(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let at = self
                .sources
                .get(f.span.file)
                .map_or(0, |file| file.position(f.span.start).line);
            let note = if f.unresolved { " (unresolved)" } else { "" };
            let _ = write!(out, "\n    line {at}: {}{note} {}", f.rule.id, f.message);
        }
        if out.is_empty() {
            out.push_str(" none");
        }
        out
    }
}

/// The tags AML301's examples are checked against (the rule is off without any).
const REQUIRED_TAGS: &[&str] = &["owner", "cost-center"];

/// The options an example of `rule` runs with: the defaults, plus the settings that turn
/// on a rule that is off by default.
fn options_for(rule: &Rule, strict: bool) -> Options {
    let mut options = Options {
        strict,
        ..Options::default()
    };
    if rule.id == "AML301" {
        options.required_tags = REQUIRED_TAGS.iter().map(|t| (*t).to_owned()).collect();
    }
    options
}

/// How an example of `rule` is read: by default, except that COV001's examples look for
/// Bicep registry modules in a module cache that holds none (the rule's folder), as on a
/// machine where `bicep restore` has not run.
fn deploy_options_for(rule: &Rule) -> isolint_deploy::Options {
    let mut options = isolint_deploy::Options::default();
    if rule.id == "COV001" {
        options.bicep_cache = Some(folder(rule));
    }
    options
}

/// Reads one example through the deployment graph and runs every rule over it. A panic anywhere becomes an error.
fn run(example: &Example, strict: bool) -> Result<Run, String> {
    run_on(example, strict, None)
}

/// [`run`], on `text` in place of the example's file when given (a fixed copy).
fn run_on(example: &Example, strict: bool, text: Option<&str>) -> Result<Run, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let sources = SourceMap::new();
        if let Some(text) = text {
            sources.preload(&example.path, text.into());
        }
        let files = std::slice::from_ref(&example.path);
        let analysis =
            isolint_deploy::analyze_files(files, &sources, &deploy_options_for(example.rule));
        let errors = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        let model = Model::new(analysis.resources);
        let options = options_for(example.rule, strict);
        let mut findings = check(&model, &options);
        sort_findings(&mut findings, &sources);
        Run {
            sources,
            findings,
            errors,
        }
    }))
    .map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("{}: panicked: {message}", example.shown)
    })
}

/// What is wrong with an example's run under default options: errors, a `bad*` file its
/// rule does not fire on, a `bad-default*` finding that does not point at the `"name"`
/// line, a `good*` file it fires on, a finding whose help its rule does not list in
/// `Rule::help`, a finding reported twice.
fn failures(example: &Example, run: &Run) -> Vec<String> {
    let mut out = Vec::new();
    for error in &run.errors {
        out.push(format!("{}: error diagnostic: {error}", example.shown));
    }
    let id = example.rule.id;
    let fired = run.fired(example.rule).count();
    if example.is_bad() && fired == 0 {
        out.push(format!(
            "{}: {id} should fire and does not; findings:{}",
            example.shown,
            run.listing()
        ));
    }
    if example.is_default() {
        // The property is absent: the finding points at the declaration's `"name"` line.
        for f in run.fired(example.rule) {
            let line = run.sources.get(f.span.file).map(|file| {
                let line = file.position(f.span.start).line;
                file.line_text(line).trim_start().to_owned()
            });
            // In Bicep and Terraform, at the declaration's header line.
            let header = if example.is_bicep() || isolint_terraform::accepts(&example.path) {
                "resource "
            } else {
                "\"name\""
            };
            if !line.as_deref().is_some_and(|l| l.starts_with(header)) {
                out.push(format!(
                    "{}: {id} should point at the resource's \"name\" line, points at `{}`",
                    example.shown,
                    line.unwrap_or_default()
                ));
            }
        }
    }
    if example.is_good() && fired > 0 {
        out.push(format!(
            "{}: {id} should stay silent and fires; findings:{}",
            example.shown,
            run.listing()
        ));
    }
    for f in run.fired(example.rule) {
        match &f.help {
            Some(help) if helps_of(example.rule).any(|template| fits(template, help)) => {}
            Some(help) => out.push(format!(
                "{}: {id}'s help is none of the texts its `Rule::help` lists: {help}",
                example.shown
            )),
            None => out.push(format!(
                "{}: {id} reports without help: {}",
                example.shown, f.message
            )),
        }
    }
    for (i, f) in run.findings.iter().enumerate() {
        if run.findings[..i]
            .iter()
            .any(|g| g.rule.id == f.rule.id && g.span == f.span)
        {
            out.push(format!(
                "{}: {} is reported twice at the same place: {}",
                example.shown, f.rule.id, f.message
            ));
        }
    }
    out
}

/// What is wrong with a `good-unknown*` example under `--strict`: no `unresolved` note of
/// its rule.
fn strict_failures(example: &Example) -> Vec<String> {
    if !example.is_unknown() {
        return Vec::new();
    }
    let run = match run(example, true) {
        Ok(run) => run,
        Err(panic) => return vec![panic],
    };
    let noted = run
        .findings
        .iter()
        .any(|f| f.rule.id == example.rule.id && f.unresolved);
    if noted {
        Vec::new()
    } else {
        vec![format!(
            "{}: under --strict, {} should note the unknown value and does not; findings:{}",
            example.shown,
            example.rule.id,
            run.listing()
        )]
    }
}

/// How many passes of fixes an example may take: a finding about two switches (AML131)
/// fixes one per pass.
const FIX_PASSES: usize = 3;

/// The fixes the rule of `example` offers in `run`, safe and unsafe.
fn fixes_of<'r>(example: &Example, run: &'r Run) -> Vec<&'r isolint_rules::Fix> {
    run.fired(example.rule)
        .filter_map(|f| f.fix.as_ref())
        .collect()
}

/// What is wrong with the fixes of a `bad*` example, applied as `check --fix
/// --unsafe-fixes` does, pass after pass: a fix whose edit does not apply to the example's
/// text or touches another file; text changed outside the edited spans; after the passes, a
/// finding of the rule when every finding of the rule had a fix; a fix still offered once
/// nothing is left to fix (`--fix` must be idempotent).
fn fix_failures(example: &Example, first: &Run) -> Vec<String> {
    let Ok(original) = std::fs::read_to_string(&example.path) else {
        return vec![format!("{}: cannot be read", example.shown)];
    };
    let all_fixable = first.fired(example.rule).all(|f| f.fix.is_some());
    let mut text = original.clone();
    let mut out = Vec::new();
    let mut run = None;
    for _ in 0..FIX_PASSES {
        let current = run.as_ref().unwrap_or(first);
        let fixes = fixes_of(example, current);
        if fixes.is_empty() {
            break;
        }
        let file = current.sources.find(&example.path).map(|f| f.id);
        if let Some(elsewhere) = fixes.iter().find(|fix| Some(fix.span.file) != file) {
            out.push(format!(
                "{}: the fix `{}` edits another file",
                example.shown, elsewhere.title
            ));
            return out;
        }
        let (fixed, applied) = isolint_rules::apply_fixes(&text, &fixes);
        if applied.len() != fixes.len() {
            out.push(format!(
                "{}: {} of the fixes do not apply to the text they were made for",
                example.shown,
                fixes.len() - applied.len()
            ));
            return out;
        }
        if let Some(wrong) = changed_outside(&text, &fixed, &applied) {
            out.push(format!("{}: {wrong}", example.shown));
            return out;
        }
        text = fixed;
        match run_on(example, false, Some(&text)) {
            Ok(next) => run = Some(next),
            Err(panic) => return vec![panic],
        }
    }
    let Some(after) = run else {
        return out;
    };
    if !after.errors.is_empty() {
        out.push(format!(
            "{}: after the fixes, error diagnostics: {:?}",
            example.shown, after.errors
        ));
    }
    if all_fixable && after.fired(example.rule).next().is_some() {
        out.push(format!(
            "{}: after every fix, {} still fires:{}\n--- fixed text ---\n{text}",
            example.shown,
            example.rule.id,
            after.listing()
        ));
    }
    if !fixes_of(example, &after).is_empty() {
        out.push(format!(
            "{}: after {FIX_PASSES} passes, fixes are still offered",
            example.shown
        ));
    }
    out
}

/// Whether `fixed` is `before` with exactly the `applied` edits (sorted by position) and
/// nothing else: what differs, if anything.
fn changed_outside(before: &str, fixed: &str, applied: &[&isolint_rules::Fix]) -> Option<String> {
    let mut rebuilt = String::new();
    let mut done = 0usize;
    let mut ordered = applied.to_vec();
    ordered.sort_by_key(|fix| fix.span.start);
    for fix in ordered {
        let start = fix.span.start as usize;
        rebuilt.push_str(&before[done..start]);
        rebuilt.push_str(&fix.replacement);
        done = fix.span.end as usize;
    }
    rebuilt.push_str(&before[done..]);
    (rebuilt != fixed).then(|| "the fixed text differs outside the edited spans".to_owned())
}

/// Every help text `rule` lists, in every syntax.
fn helps_of(rule: &Rule) -> impl Iterator<Item = &'static str> + '_ {
    rule.help
        .iter()
        .flat_map(|help| help.texts().map(|(_, text)| text))
}

/// Whether `text` is `template` with each `{slot}` filled in by something.
fn fits(template: &str, text: &str) -> bool {
    let mut pieces = Vec::new();
    let mut rest = template;
    for slot in Help::slots(template) {
        let Some((before, after)) = rest.split_once(&format!("{{{slot}}}")) else {
            return false;
        };
        pieces.push(before);
        rest = after;
    }
    let Some((first, others)) = pieces.split_first() else {
        return text == template;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    for piece in others {
        match remaining.find(piece) {
            Some(at) => remaining = &remaining[at + piece.len()..],
            None => return false,
        }
    }
    remaining.ends_with(rest)
}

#[test]
fn help_templates_fit_their_filled_in_texts() {
    let template = "add {zones} to `ids` in {groups}";
    assert!(fits(template, "add \"a\" and \"b\" to `ids` in \"blob\""));
    assert!(!fits(template, "add \"a\" to `names` in \"blob\""));
    assert!(fits("set `x = false`", "set `x = false`"));
    assert!(!fits("set `x = false`", "set `x = true`"));
    assert!(!fits("{tags}!", "no exclamation"));
}

fn assert_none(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failure(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// One test per rule, named after the rule ID (`AML001::examples`), so that
/// `cargo test AML001` runs one rule's examples. The list is the registry, in order:
/// `every_rule_has_its_example_test` says so, and `cargo xtask new-rule` adds a line.
macro_rules! rule_examples {
    ($($id:ident,)*) => {
        /// The rule IDs that have an examples test, in the order declared.
        const TESTED: &[&str] = &[$(stringify!($id)),*];

        $(
            #[expect(non_snake_case, reason = "named after the rule ID, for `cargo test AML001`")]
            mod $id {
                #[test]
                fn examples() {
                    super::check_rule_examples(stringify!($id));
                }
            }
        )*
    };
}

rule_examples! {
    AML001,
    AML002,
    AML003,
    AML004,
    AML005,
    AML006,
    AML007,
    AML101,
    AML102,
    AML111,
    AML112,
    AML121,
    AML122,
    AML123,
    AML131,
    AML201,
    AML202,
    AML203,
    AML204,
    AML205,
    AML301,
    COV001,
}

/// Every check on the examples of the rule `id`: the folder's layout, each example under
/// default options and (`good-unknown*`) under `--strict`, the known bugs, the snapshots.
fn check_rule_examples(id: &str) {
    let Some(rule) = RULES.iter().copied().find(|rule| rule.id == id) else {
        assert_none(&[format!(
            "{id} is not a registered rule: remove it from `rule_examples!`"
        )]);
        return;
    };
    if let Status::Deprecated { .. } = rule.status {
        // A deprecated rule never runs, so no example of it can fire.
        assert!(
            !folder(rule).exists(),
            "{id} is deprecated and never runs: remove rules/{id}/"
        );
        return;
    }
    let mut found = layout_failures(rule);
    for example in examples_of(rule) {
        let run = match run(&example, false) {
            Ok(run) => run,
            Err(panic) => {
                if !example.is_known_bug() {
                    found.push(panic);
                }
                continue;
            }
        };
        let mut wrong = failures(&example, &run);
        wrong.extend(strict_failures(&example));
        if !example.is_known_bug() {
            found.extend(wrong);
        } else if wrong.is_empty() {
            found.push(format!(
                "{} passes now: remove it from KNOWN_BUGS",
                example.shown
            ));
        }
        if example.is_bad() {
            found.extend(snapshot_failure(&example, &run));
            if !example.is_known_bug() {
                found.extend(fix_failures(&example, &run));
            }
        }
    }
    assert_none(&found);
}

/// What is wrong with the folder of `rule`: no folder, a format without a `bad*` or a
/// `good*` example, a file that is no example, a snapshot of no `bad*` example, a folder
/// other than the snapshots.
fn layout_failures(rule: &Rule) -> Vec<String> {
    let id = rule.id;
    let dir = folder(rule);
    if !dir.is_dir() {
        return vec![format!("{id}: no folder rules/{id}/")];
    }
    let mut found = Vec::new();
    let names = file_names(&dir);
    for format in FORMATS {
        for kind in ["bad", "good"] {
            let has = names
                .iter()
                .any(|n| n.starts_with(kind) && n.ends_with(&format!(".{format}")));
            if !has {
                found.push(format!("{id}: no {kind}*.{format} example in rules/{id}/"));
            }
        }
    }
    for name in &names {
        let example = name.starts_with("bad") || name.starts_with("good");
        if !(landed(name) && example) {
            found.push(format!(
                "rules/{id}/{name}: not an example (bad* or good*, one of .{})",
                FORMATS.join(", .")
            ));
        }
    }
    for name in file_names(&dir.join(SNAPSHOTS)) {
        let Some(example) = name.strip_suffix(".snap") else {
            continue;
        };
        if !(example.starts_with("bad") && names.iter().any(|n| n == example)) {
            found.push(format!(
                "rules/{id}/{SNAPSHOTS}/{name}: no bad* example of that name"
            ));
        }
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && name != SNAPSHOTS {
                found.push(format!("rules/{id}/{name}/: unexpected folder"));
            }
        }
    }
    found
}

/// The list of `rule_examples!` is the registry, in order; every folder under `rules/`
/// belongs to a registered rule that runs; every known bug names an example.
#[test]
fn every_rule_has_its_example_test() {
    let registered: Vec<&str> = RULES.iter().map(|rule| rule.id).collect();
    assert_eq!(
        TESTED, registered,
        "`rule_examples!` must list every registered rule, in registry order"
    );
    let rules_dir = root().join("rules");
    let mut found = Vec::new();
    match std::fs::read_dir(&rules_dir) {
        Err(error) => found.push(format!("{}: {error}", rules_dir.display())),
        Ok(entries) => {
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let runs = RULES.iter().any(|rule| {
                    rule.id == name && !matches!(rule.status, Status::Deprecated { .. })
                });
                if entry.path().is_dir() && !runs {
                    found.push(format!(
                        "rules/{name}/: no registered rule that runs has this ID"
                    ));
                }
            }
        }
    }
    for &(id, file) in KNOWN_BUGS {
        let listed = RULES
            .iter()
            .copied()
            .filter(|rule| rule.id == id)
            .flat_map(examples_of)
            .any(|example| example.file_name == file);
        if !listed {
            found.push(format!(
                "KNOWN_BUGS names rules/{id}/{file}, which is not an example"
            ));
        }
    }
    assert_none(&found);
}

/// The same files, named relative to the workspace root (`rules/AML001/bad.json`) whatever
/// the working directory: file IDs stay the same, since files are added in the same order.
fn relative_sources(sources: &SourceMap) -> SourceMap {
    let root = root();
    let relative = SourceMap::new();
    for file in sources.files() {
        let path = file.path.strip_prefix(&root).unwrap_or(&file.path);
        relative.add(path, Arc::clone(&file.text));
    }
    relative
}

/// The findings of the example's rule, in the compact format, then in the text format.
fn rendered(example: &Example, run: &Run) -> String {
    // Messages that name a path (what to run where) name it as seen from the root, as
    // when isolint runs there.
    let from_root = |text: &str| text.replace(&format!("{}/", root().display()), "");
    let findings: Vec<Finding> = run
        .findings
        .iter()
        .filter(|f| f.rule.id == example.rule.id)
        .cloned()
        .map(|mut finding| {
            finding.message = from_root(&finding.message);
            finding.help = finding.help.as_deref().map(from_root);
            finding
        })
        .collect();
    let sources = relative_sources(&run.sources);
    let rules = [example.rule];
    let report = Report {
        findings: &findings,
        diagnostics: &[],
        sources: &sources,
        files: sources.files().len(),
        rules: &rules,
        suppressed: &[],
    };
    let text = TextOptions {
        color: false,
        width: 100,
        ..TextOptions::default()
    };
    let compact = isolint_output::render(Format::Compact, &report, &text);
    let human = isolint_output::render(Format::Text, &report, &text);
    format!("{compact}\n{human}")
}

/// Whether the rendered findings of a `bad*` example match its snapshot, named after the
/// whole file name (`bad.json` and `bad.bicep` get one snapshot each). A mismatch writes a
/// `.snap.new` beside the snapshot.
fn snapshot_failure(example: &Example, run: &Run) -> Option<String> {
    let output = rendered(example, run);
    let snapshots = folder(example.rule).join(SNAPSHOTS);
    let name = example.file_name.as_str();
    // Caught, so that one run renders every snapshot of the rule before failing.
    let matched = catch_unwind(AssertUnwindSafe(|| {
        insta::with_settings!({
            snapshot_path => snapshots,
            prepend_module_to_snapshot => false,
            description => example.shown.as_str(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, output);
        });
    }));
    matched
        .is_err()
        .then(|| format!("{}: the snapshot differs", example.shown))
}
