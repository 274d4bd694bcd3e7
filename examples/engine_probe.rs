//! Runs one algorithm many times on the packed cifar10 table, for instruction counting
//! (`valgrind --tool=callgrind target/release/examples/engine_probe mfnas 200`).

use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::experiment::run_once;
use mfnas::space::nb201::Nb201;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map(String::as_str).unwrap_or("mfnas");
    let runs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tables/nb201-cifar10.mfnt");
    let table = mfnas::table::load(&path).expect("tables/nb201-cifar10.mfnt (run mfnas pack)");
    let mut params = match which {
        "mfnas" => {
            let mut p = AlgoParams::new(Algo::MfNas);
            p.zc = Some("params".into());
            p
        }
        "ls" => AlgoParams::new(Algo::Ls),
        "rea" => AlgoParams::new(Algo::Rea),
        other => panic!("unknown algorithm {other} (mfnas, ls, rea)"),
    };
    params.budget_s = Some(20_000.0);
    let plan = params.check(&table).expect("valid plan");
    let mut sum = 0.0;
    for seed in 0..runs {
        let (o, _) = run_once(&Nb201, &table, &plan, 7 + seed, false).unwrap();
        sum += o.test_acc.unwrap_or(0.0);
    }
    println!(
        "{which}: {runs} runs, mean test acc {:.4}",
        sum / runs as f64
    );
}
