//! `mfnas run` decodes only the columns a run reads; the run is the same as on the whole
//! table: for every algorithm on every packed NB201 table, the command line's event stream
//! and outcome equal the library's on the fully decoded table.

use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::experiment::run_once;
use mfnas::space::nb201::Nb201;
use std::process::Command;

mod common;

#[test]
fn runs_on_the_columns_a_plan_reads_equal_runs_on_the_whole_table() {
    for dataset in ["cifar10", "cifar100", "ImageNet16-120"] {
        let Some(path) = common::packed_table(&format!("nb201-{dataset}.mfnt")) else {
            return;
        };
        let table = mfnas::table::load(&path).unwrap();
        let scratch = common::ScratchDir::new("mfnas-cli-tables");
        let dir = scratch.path();
        for algo in Algo::ALL {
            let zc = matches!(algo, Algo::MfNas | Algo::ReaW).then_some("params");
            let mut params = AlgoParams::new(algo);
            params.zc = zc.map(str::to_string);
            let plan = params.check(&table).unwrap();
            let (want, events) = run_once(&Nb201, &table, &plan, 3, true).unwrap();
            let events_file = dir.join(format!("{dataset}-{}.jsonl", algo.name()));
            let _ = std::fs::remove_file(&events_file);
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_mfnas"));
            cmd.args([
                "run",
                "--algo",
                algo.name(),
                "--seed",
                "3",
                "--format",
                "json",
            ])
            .arg("--table")
            .arg(&path)
            .arg("--events")
            .arg(&events_file);
            if let Some(p) = zc {
                cmd.args(["--zc", p]);
            }
            let o = cmd.output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let mut got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            // The command line adds what the outcome alone does not say: how far past its
            // budget the run was charged, and why.
            let over = got.as_object_mut().unwrap().remove("over_budget");
            assert_eq!(
                over.as_ref().and_then(|v| v.as_str()),
                plan.overrun(want.cost_s).as_deref(),
                "{dataset} {}",
                algo.name()
            );
            assert_eq!(
                got,
                serde_json::to_value(&want).unwrap(),
                "{dataset} {}",
                algo.name()
            );
            let lines: Vec<serde_json::Value> = std::fs::read_to_string(&events_file)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            let want_events: Vec<serde_json::Value> = events
                .iter()
                .map(|e| serde_json::to_value(e).unwrap())
                .collect();
            assert_eq!(lines, want_events, "{dataset} {}", algo.name());
        }
    }
}
