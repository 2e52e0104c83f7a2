//! Fuzzes the ARM expression parser: any text, as the inside of a `"[...]"` template
//! string, through `isolint_arm::expression::parse`. An error must be located inside the
//! string.

#![no_main]

use isolint_arm::expression::{self, Placement};
use isolint_model::{FileId, Span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The expression sits in `"[` ... `]"`: it starts at byte 2 of the file.
    let string_span = Span::new(FileId(0), 0, text.len() + 4);
    let placement = Placement {
        file: FileId(0),
        string_span,
        text_start: Some(1),
    };
    let _ = expression::classify(&text);
    if let Err(error) = expression::parse(&text, 1, placement) {
        assert!(error.span.start <= error.span.end);
        assert!(error.span.end <= string_span.end, "{error:?}");
    }
});
