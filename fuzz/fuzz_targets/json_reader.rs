//! Fuzzes the span-keeping JSON reader: any bytes (as text) through `SourceMap::add` and
//! `isolint_json::parse`. A parse error must be located inside the text.

#![no_main]

use std::path::Path;

use isolint_model::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources = SourceMap::new();
    let file = sources.add(Path::new("fuzz.json"), text.as_ref().into());
    match isolint_json::parse(&file) {
        Ok(json) => {
            let _ = isolint_arm::template::classify(&json);
        }
        Err(diagnostic) => {
            let span = diagnostic.span.expect("a parse error is located");
            assert!(span.start <= span.end && span.end as usize <= file.text.len());
            let _ = file.position(span.start);
        }
    }
});
