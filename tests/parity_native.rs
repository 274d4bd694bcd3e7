//! The native half of the native/wasm parity check: the runs of `parity::digests` must equal
//! the golden fixture, which `tests/wasm.rs` checks in the browser too.
//! Regenerate on purpose with `MFNAS_UPDATE_GOLDEN=1 cargo test --test parity_native`.
#![cfg(not(target_arch = "wasm32"))]

mod parity;

#[test]
fn native_runs_match_the_parity_fixture() {
    let got = parity::digests_json();
    if std::env::var_os("MFNAS_UPDATE_GOLDEN").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/parity_synthetic3.json"
        );
        std::fs::write(path, got).unwrap();
        return;
    }
    assert_eq!(got, parity::FIXTURE);
}
