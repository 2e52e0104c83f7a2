//! Fuzzes the Bicep frontend: arbitrary UTF-8 through the lexer and the parser, whose
//! token and error ranges must stay inside the text and on character boundaries; and,
//! when the first byte is odd, the same text as one `.bicep` file through
//! the deployment graph (`isolint_deploy::analyze_files`) (parse, lower, evaluate), whose diagnostic spans must too.
//!
//! The text is preloaded into the source map, which reads it instead of the
//! disk (at a path that does not exist, so modules and parameter files lead nowhere).

#![no_main]

use std::path::PathBuf;

use isolint_model::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for token in isolint_bicep::lexer::lex(text) {
        let (start, end) = (token.start as usize, token.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "token range out of the text"
        );
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
    let program = isolint_bicep::parser::parse(text);
    for error in &program.errors {
        let (start, end) = (error.range.start as usize, error.range.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "error range out of the text"
        );
    }
    if data.first().is_some_and(|b| b & 1 == 1) {
        let sources = SourceMap::new();
        let path = PathBuf::from("/nonexistent/isolint-fuzz/main.bicep");
        sources.preload(&path, text.into());
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
    }
});
