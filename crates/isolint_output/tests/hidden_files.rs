//! A module-cache file's text is never printed: a finding or a diagnostic located in one
//! (a template `bicep restore` put in the cache, a module `terraform init` installed) is
//! named by path, line and column in every format, never quoted in a snippet.

mod common;

use isolint_model::{Diagnostic, Project, SourceMap, Span};
use isolint_output::{Format, TextOptions, render};
use isolint_rules::Label;

const SECRET: &str = "CACHED-TEXT-THAT-MUST-NOT-BE-PRINTED";

#[test]
fn nothing_of_a_cache_file_is_printed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("project");
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(&root).expect("the project");
    std::fs::create_dir_all(cache.join("br")).expect("the cache");
    let cached = cache.join("br/main.json");
    std::fs::write(
        &cached,
        format!("{{\n  \"resources\": [\n    {{ \"name\": \"{SECRET}\" }}\n  ]\n}}\n"),
    )
    .expect("the cached file");
    let user = root.join("main.bicep");
    std::fs::write(&user, "module m 'br/public:x:1.0' = {\n  name: 'm'\n}\n").expect("main");
    let sources = SourceMap::confined(Project::new(&root).with_cache(&cache));
    let file = sources.read(&cached).expect("read as a cache file");
    assert!(file.hidden);
    let main = sources.read(&user).expect("the user's file");
    let inside = Span::new(
        file.id,
        file.text.find(SECRET).expect("in the file"),
        file.text.len() - 4,
    );

    let fixture = common::fixture();
    // A finding left in the cache, and one moved out with a label inside.
    let mut stuck = fixture.findings[0].clone();
    stuck.span = inside;
    stuck.labels.clear();
    let mut moved = fixture.findings[0].clone();
    moved.span = Span::new(main.id, 0, 6);
    moved.labels = vec![Label {
        span: inside,
        message: "inside the module".to_owned(),
    }];
    let diagnostic = Diagnostic::warning("unknown-function", "a problem", &cached).at(inside);
    let hidden = common::Fixture {
        sources,
        findings: vec![stuck, moved],
        diagnostics: vec![diagnostic],
        rules: fixture.rules,
    };
    let report = hidden.report();
    for format in [
        Format::Text,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
    ] {
        let out = render(format, &report, &TextOptions::default());
        assert!(
            !out.contains(SECRET),
            "{format:?} printed the cache file:\n{out}"
        );
        assert!(!out.contains("\"resources\""), "{format:?}:\n{out}");
    }
    let text = render(Format::Text, &report, &TextOptions::default());
    assert!(text.contains("main.json:3:16: "), "{text}");
    assert!(text.contains("(a module-cache file, not shown)"), "{text}");
    // The user's own file keeps its snippet.
    assert!(text.contains("module m 'br/public:x:1.0'"), "{text}");
}
