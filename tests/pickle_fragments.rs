//! The pickle reader against the real pickles in the shared data and their lossless
//! JSON/CSV conversions.
#![cfg(feature = "cli")]

mod common;

use mfnas::sources::pickle::{self, Value};

fn csv_rows(path: &std::path::Path) -> Vec<Vec<f64>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect()
}

#[test]
fn every_lomonas_front_pickle_equals_its_csv_conversion() {
    let Some(dir) = common::data_dir("nb101/LOMONAS") else {
        return;
    };
    let pairs = [
        (
            "nb101/LOMONAS/[POF_TestAcc_Params]_[NAS101].p",
            "nb101/LOMONAS/pof_testacc_params__nas101.csv",
        ),
        (
            "nb101/LOMONAS/[POF_ValAcc_Params]_[NAS101].p",
            "nb101/LOMONAS/pof_valacc_params__nas101.csv",
        ),
        (
            "nbasr/LOMONAS/[POF_TestPER_FLOPs]_[NAS-ASR].p",
            "nbasr/LOMONAS/pof_testper_flops__nas_asr.csv",
        ),
        (
            "nbasr/LOMONAS/[POF_ValPER_FLOPs]_[NAS-ASR].p",
            "nbasr/LOMONAS/pof_valper_flops__nas_asr.csv",
        ),
    ];
    for (p, c) in pairs {
        let v = pickle::load(&std::fs::read(dir.join(p)).unwrap()).unwrap();
        let Value::Array { shape, data } = v else {
            panic!("{p} is not an array")
        };
        let rows = csv_rows(&dir.join(c));
        assert_eq!(shape, vec![rows.len(), 2], "{p}");
        assert_eq!(data, rows.concat(), "{p}");
    }
}

#[test]
fn the_nb101_slice_pickle_equals_its_json_conversion() {
    let Some(dir) = common::data_dir("nb101/NASLib/nb101_dummy.pkl") else {
        return;
    };
    let v =
        pickle::load(&std::fs::read(dir.join("nb101/NASLib/nb101_dummy.pkl")).unwrap()).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("nb101/NASLib/nb101_dummy.json")).unwrap(),
    )
    .unwrap();
    let Value::Dict(items) = &v else {
        panic!("not a dict")
    };
    assert_eq!(items.len(), 30);
    for (k, rec) in items {
        let j = &json[k.as_str().unwrap()];
        // (fixed, computed) pair in the pickle.
        let [fixed, computed] = rec.as_seq().unwrap() else {
            panic!("not a pair")
        };
        let Value::Array { shape, data } = fixed.get("module_adjacency").unwrap() else {
            panic!("adjacency is not an array")
        };
        let n = shape[0];
        let jm: Vec<f64> = j["module_adjacency"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
            .collect();
        assert_eq!(shape, &vec![n, n]);
        assert_eq!(data, &jm);
        assert_eq!(
            fixed.get("trainable_parameters").unwrap().as_f64(),
            j["trainable_parameters"].as_f64()
        );
        let Value::Dict(by_epochs) = computed else {
            panic!("computed is not a dict")
        };
        let (e, runs) = &by_epochs[0];
        assert_eq!(e, &Value::Int(108));
        for (r, run) in runs.as_seq().unwrap().iter().enumerate() {
            let jr = &j["computed_metrics"]["108"][r];
            for field in [
                "final_test_accuracy",
                "halfway_training_time",
                "final_validation_accuracy",
            ] {
                assert_eq!(
                    run.get(field).unwrap().as_f64(),
                    jr[field].as_f64(),
                    "{field}"
                );
            }
        }
    }
}
