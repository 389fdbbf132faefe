"""Rust `regex` crate fidelity without a Rust toolchain: parse, check and size patterns as regex 1.13 does."""
