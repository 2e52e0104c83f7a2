//! Tests of reading revisions: trees, blobs, shallow clones, discovery over a listing.
