//! Fuzzes the Terraform frontend: arbitrary UTF-8 as one module file through
//! the deployment graph (`isolint_deploy::analyze_files`) (parse, gather, evaluate, lower), whose diagnostic spans
//! must stay inside a file of the source map. An odd first byte makes the file a
//! `main.tf.json` (the JSON syntax, rewritten to HCL), otherwise a `main.tf`.
//!
//! The text is preloaded into the source map, which reads it instead of the
//! disk (in a folder that does not exist, so variable files and local modules lead
//! nowhere).

#![no_main]

use std::path::PathBuf;

use isolint_model::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let name = if data.first().is_some_and(|b| b & 1 == 1) {
        "main.tf.json"
    } else {
        "main.tf"
    };
    let sources = SourceMap::new();
    let path = PathBuf::from("/nonexistent/isolint-fuzz").join(name);
    sources.preload(&path, text.into());
    let analysis =
        isolint_deploy::analyze_files(&[path], &sources, &isolint_deploy::Options::default());
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
