//! Parses every `.bicep`/`.bicepparam` under a folder and prints the syntax errors.

use std::path::Path;

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "bicep" || e == "bicepparam")
        {
            out.push(path);
        }
    }
}

#[expect(clippy::print_stdout, reason = "a command-line tool")]
fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus".into());
    let mut files = Vec::new();
    walk(Path::new(&root), &mut files);
    files.sort();
    let mut bytes = 0;
    let mut bad = 0;
    let mut elapsed = std::time::Duration::ZERO;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        bytes += text.len();
        let start = std::time::Instant::now();
        let program = isolint_bicep::parser::parse(&text);
        elapsed += start.elapsed();
        if !program.errors.is_empty() {
            bad += 1;
        }
        for error in &program.errors {
            let line = text[..error.range.start as usize].matches('\n').count() + 1;
            println!("{}:{line}: {}", file.display(), error.message);
        }
        if std::env::var_os("DUMP").is_some() {
            print!("{}", isolint_bicep::dump::dump(&program));
        }
    }
    println!(
        "{} files, {} with errors, {} bytes parsed in {:?}",
        files.len(),
        bad,
        bytes,
        elapsed
    );
}
