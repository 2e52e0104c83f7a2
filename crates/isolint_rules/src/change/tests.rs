//! Tests of the matching of resources across revisions and of the comparison of findings.
