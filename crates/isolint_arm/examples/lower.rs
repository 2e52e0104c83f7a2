//! Prints the resources the ARM frontend lowers from the given files, and its diagnostics:
//! `cargo run -p isolint_arm --example lower -- FILE...`.

use std::path::PathBuf;

use isolint_model::SourceMap;

fn main() {
    let files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let sources = SourceMap::new();
    let analysis =
        isolint_deploy::analyze_files(&files, &sources, &isolint_deploy::Options::default());
    let mut out = String::new();
    for resource in &analysis.resources {
        out.push_str(&isolint_model::describe::describe(resource, &sources));
    }
    for diagnostic in &analysis.diagnostics {
        let at = diagnostic
            .span
            .and_then(|s| sources.get(s.file).map(|f| (f.position(s.start), f)));
        let position = at.map_or_else(String::new, |(p, _)| format!(":{}:{}", p.line, p.column));
        out.push_str(&format!(
            "{}{position}: {:?} {}: {}\n",
            diagnostic.path.display(),
            diagnostic.severity,
            diagnostic.code,
            diagnostic.message
        ));
    }
    for note in &analysis.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes()).ok();
}
