//! Fuzzes a whole template analysis: any bytes as one template file through
//! the deployment graph (`isolint_deploy::analyze_files`) (read, classify, lower, evaluate).
//!
//! `isolint_arm` has no entry point that takes text. UTF-8 input is preloaded into the
//! source map, which reads it instead of the disk (at a path that does not exist, so
//! relative links lead nowhere); other input is written to a temporary file, so that the
//! encoding check runs too.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use isolint_model::SourceMap;
use libfuzzer_sys::fuzz_target;

/// Where non-UTF-8 input is written: one folder per fuzzing process.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("isolint-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let sources = SourceMap::new();
    let path = match std::str::from_utf8(data) {
        Ok(text) => {
            let path = PathBuf::from("/nonexistent/isolint-fuzz/azuredeploy.json");
            sources.preload(&path, text.into());
            path
        }
        Err(_) => {
            let path = scratch().join("azuredeploy.json");
            std::fs::write(&path, data).expect("the scratch file is writable");
            path
        }
    };
    let analysis = isolint_deploy::analyze_files(&[path], &sources, &isolint_deploy::Options::default());
    for diagnostic in &analysis.diagnostics {
        if let Some(span) = diagnostic.span {
            let file = sources.get(span.file).expect("a span in a file of the map");
            assert!(span.start <= span.end && span.end as usize <= file.text.len());
            let _ = file.position(span.start);
        }
    }
    for resource in &analysis.resources {
        let _ = resource.body.render();
    }
});
