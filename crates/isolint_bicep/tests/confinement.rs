//! Nothing outside the project root is read for a Bicep file: modules and `using` targets
//! that lie outside it (by path or through a symbolic link), system files and FIFOs are
//! coverage gaps at the path that names them, and their text never reaches a diagnostic.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::{Path, PathBuf};

use isolint_model::coverage::GapReport;
use isolint_model::{Analysis, Diagnostic, Project, SourceMap};

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// A project folder and, beside it, a folder outside the project holding a secret.
struct Layout {
    _dir: tempfile::TempDir,
    project: PathBuf,
    outside: PathBuf,
}

const SECRET: &str = "SECRET-TEXT-THAT-MUST-NOT-BE-PRINTED";

fn layout() -> Layout {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&project).unwrap();
    write(
        &outside.join("evil.bicep"),
        &format!("resource x '{SECRET}' = {{\n  this does not parse {SECRET}\n"),
    );
    Layout {
        _dir: dir,
        project,
        outside,
    }
}

fn analyze(layout: &Layout, files: &[PathBuf]) -> (Analysis, SourceMap) {
    let sources = SourceMap::confined(Project::new(&layout.project));
    let analysis =
        isolint_deploy::analyze_files(files, &sources, &isolint_deploy::Options::default());
    (analysis, sources)
}

/// The refusals, each as `reason @ the text its location covers`: coverage gaps.
fn refusals(analysis: &Analysis, sources: &SourceMap) -> Vec<String> {
    analysis
        .resources
        .iter()
        .filter_map(|r| Some((GapReport::of(r)?, r.header())))
        .map(|(gap, at)| {
            let at = sources
                .get(at.file)
                .map(|f| f.slice(at).to_owned())
                .unwrap_or_default();
            format!("{} @ {at}", gap.reason)
        })
        .collect()
}

/// No diagnostic quotes text from outside the project, and no such file is in the map.
fn assert_nothing_leaks(analysis: &Analysis, sources: &SourceMap, outside: &[&str]) {
    let printed = |d: &Diagnostic| format!("{} {:?}", d.message, d.help);
    for diagnostic in &analysis.diagnostics {
        let text = printed(diagnostic);
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("root:x:0:0"), "{text}");
        if let Some(span) = diagnostic.span {
            let file = sources.get(span.file).unwrap();
            assert!(!file.text.contains(SECRET), "a span in a file from outside");
        }
    }
    for file in sources.files() {
        assert!(!file.text.contains(SECRET), "{} was read", file.name);
        for path in outside {
            assert!(!file.path.starts_with(path), "{} was read", file.name);
        }
    }
}

#[test]
fn modules_outside_the_root_are_refused_at_their_path() {
    let layout = layout();
    let main = write(
        &layout.project.join("main.bicep"),
        "module a '/etc/passwd' = {\n  name: 'a'\n}\n\
         module b '../../../../../../../../etc/passwd' = {\n  name: 'b'\n}\n\
         module c '/proc/self/environ' = {\n  name: 'c'\n}\n\
         module d '../outside/evil.bicep' = {\n  name: 'd'\n}\n",
    );
    let (analysis, sources) = analyze(&layout, &[main]);
    let mut found = refusals(&analysis, &sources);
    found.sort();
    let outside_root = |target: &str| {
        format!("module `{target}` lies outside the project root: not followed @ '{target}'")
    };
    let mut expected = vec![
        "module `/proc/self/environ` is not a regular file: not read @ '/proc/self/environ'"
            .to_owned(),
        outside_root("/etc/passwd"),
        outside_root("../../../../../../../../etc/passwd"),
        outside_root("../outside/evil.bicep"),
    ];
    expected.sort();
    assert_eq!(found, expected);
    assert_nothing_leaks(&analysis, &sources, &["/etc", "/proc"]);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_to_a_module_outside_the_root_is_refused() {
    let layout = layout();
    std::os::unix::fs::symlink(&layout.outside, layout.project.join("modules")).unwrap();
    let main = write(
        &layout.project.join("main.bicep"),
        "module m 'modules/evil.bicep' = {\n  name: 'm'\n}\n",
    );
    let (analysis, sources) = analyze(&layout, &[main]);
    let found = refusals(&analysis, &sources);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("outside the project root: not followed @ 'modules/evil.bicep'"),
        "{found:?}"
    );
    assert_nothing_leaks(&analysis, &sources, &[layout.outside.to_str().unwrap()]);
    // Unconfined, the same link is followed (and its parse errors shown).
    let sources = SourceMap::new();
    let analysis = isolint_deploy::analyze_files(
        &[layout.project.join("main.bicep")],
        &sources,
        &isolint_deploy::Options::default(),
    );
    assert!(analysis.diagnostics.iter().any(|d| d.code == "parse-error"));
}

#[test]
fn a_using_outside_the_root_is_refused_at_the_using() {
    let layout = layout();
    write(
        &layout.outside.join("main.bicep"),
        "param location string\n",
    );
    let params = write(
        &layout.project.join("main.bicepparam"),
        "using '../outside/main.bicep'\n\nparam location = 'westeurope'\n",
    );
    let (analysis, sources) = analyze(&layout, &[params]);
    let found = refusals(&analysis, &sources);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("outside the project root: not followed @ '../outside/main.bicep'"),
        "{found:?}"
    );
    assert_eq!(analysis.templates, 0, "the template is not brought along");
    assert_nothing_leaks(&analysis, &sources, &[layout.outside.to_str().unwrap()]);
}

#[cfg(unix)]
#[test]
fn a_module_that_is_a_fifo_is_refused_without_hanging() {
    let layout = layout();
    let fifo = layout.project.join("pipe.bicep");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this machine
    }
    let main = write(
        &layout.project.join("main.bicep"),
        "module m 'pipe.bicep' = {\n  name: 'm'\n}\n",
    );
    let (analysis, sources) = analyze(&layout, &[main]);
    let found = refusals(&analysis, &sources);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("not a regular file"), "{found:?}");
}
