//! Integration tests: the real binary on temporary bases, with a fixed date. All in one
//! test binary (one link, shared helpers).

mod suite;
