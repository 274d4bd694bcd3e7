//! The NB101 search space against every hash and key in the shared NB101 fragments.

mod common;

use mfnas::space::SearchSpace;
use mfnas::space::nb101::{Nb101, Nb101Arch};
use std::collections::BTreeMap;

#[test]
fn every_official_hash_in_the_30_cell_slice_is_reproduced() {
    let Some(dir) = common::data_dir("nb101/NASLib/nb101_dummy.json") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("nb101/NASLib/nb101_dummy.json")).unwrap();
    let records: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(records.len(), 30);
    for (hash, r) in &records {
        let matrix: Vec<Vec<u8>> = serde_json::from_value(r["module_adjacency"].clone()).unwrap();
        let ops: Vec<String> = serde_json::from_value(r["module_operations"].clone()).unwrap();
        let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
        let a = Nb101Arch::from_matrix(&matrix, &ops).unwrap();
        assert_eq!(&a.hash(), hash);
        assert_eq!(&a.canonical().hash(), hash);
    }
}

#[test]
fn every_suite_zero_key_is_a_valid_cell_and_specs_sharing_a_key_share_a_hash() {
    let Some(dir) = common::data_dir("nb101/NASLib/zc_nasbench101.json") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("nb101/NASLib/zc_nasbench101.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cells = v["nasbench101"]["cifar10"].as_object().unwrap();
    assert_eq!(cells.len(), 500);
    let mut by_key: BTreeMap<u64, String> = BTreeMap::new();
    let mut by_hash: BTreeMap<String, u64> = BTreeMap::new();
    for k in cells.keys() {
        let a = Nb101Arch::parse_naslib(k).unwrap();
        assert_eq!(&a.naslib_string(), k, "7-node keys print back unchanged");
        let (key, hash) = (Nb101.key(a), a.hash());
        assert_eq!(*by_key.entry(key).or_insert(hash.clone()), hash);
        assert_eq!(*by_hash.entry(hash).or_insert(key), key);
    }
    // The file holds raw random specs; many prune to the same network.
    assert_eq!(by_key.len(), 292);
}

#[test]
fn zen_cells_share_a_key_exactly_when_they_share_an_official_hash() {
    let Some(dir) = common::data_dir("nb101/NASLib/nb101_zen.zip") else {
        return;
    };
    let bytes = std::fs::read(dir.join("nb101/NASLib/nb101_zen.zip")).unwrap();
    let mut key_of_hash: BTreeMap<String, u64> = BTreeMap::new();
    let mut hash_of_key: BTreeMap<u64, String> = BTreeMap::new();
    let mut n = 0;
    for (name, contents) in common::read_zip(&bytes) {
        if !name.ends_with(".json") {
            continue;
        }
        let list: Vec<serde_json::Value> = serde_json::from_slice(&contents).unwrap();
        for r in list {
            let a = Nb101Arch::parse_naslib(r["arch"].as_str().unwrap()).unwrap();
            let (h, k) = (a.hash(), Nb101.key(a));
            assert_eq!(*key_of_hash.entry(h.clone()).or_insert(k), k);
            assert_eq!(*hash_of_key.entry(k).or_insert(h.clone()), h);
            n += 1;
        }
    }
    assert_eq!(n, 10_250);
    assert_eq!(key_of_hash.len(), hash_of_key.len());
    println!("{n} zen records, {} distinct cells", key_of_hash.len());
}
