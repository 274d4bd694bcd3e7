//! Browser tests of the `mfnas` wasm face (see `tests/wasm.rs`); this library is empty.
