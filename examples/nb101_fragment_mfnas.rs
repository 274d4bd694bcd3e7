//! MF-NAS end to end on the NB101 FRAGMENT table (the distinct networks of
//! NAS-Bench-Suite-Zero's early 500-record file). A demonstration of the NB101 space and
//! packer, not a reproduction of the paper's NB101 numbers: the fragment has no test
//! accuracy and only 108-epoch validation accuracy.
//!
//! `cargo run --example nb101_fragment_mfnas -- [DATA_DIR] [RUNS]`
//! (DATA_DIR defaults to `$MFNAS_DATA`, else `../shared/data`).

use mfnas::algo::config::{Algo, AlgoParams, Stage1Kind};
use mfnas::experiment;
use mfnas::sources::nb101 as pack_nb101;
use mfnas::space::nb101::Nb101;
use mfnas::space::subset::Subset;
use mfnas::table::Fidelity;
use std::path::PathBuf;

fn main() -> mfnas::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = args
        .first()
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("MFNAS_DATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/data"));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(10);
    let table = pack_nb101::pack_fragment(&data)?;
    let space = Subset::new(Nb101, table.keys())?;
    // The reference's NB101 configuration (configs/algo_101.yaml): RS on synflow for 2000
    // evaluations, 16 candidates; the ladder is cut to the one fidelity the fragment has.
    let mut p = AlgoParams::new(Algo::MfNas);
    p.zc = Some("synflow".into());
    p.stage1 = Some(Stage1Kind::Rs);
    p.stage1_evals = Some(2000);
    p.candidates = Some(16);
    p.fidelity = Some(Fidelity::new(108, "nb101"));
    p.ladder = Some(vec![Fidelity::new(108, "nb101")]);
    p.budget_s = Some(100_000.0);
    let plan = p.check(&table)?;
    println!("table: {}", table.meta.title);
    for n in &table.meta.notes {
        println!("  {n}");
    }
    println!("plan:  {}", plan.label);
    for seed in 0..runs as u64 {
        let (o, _) = experiment::run_once(&space, &table, &plan, seed, false)?;
        println!(
            "seed {seed}: {}  val_acc@108 {:.2} %  cost {:.0} s  {} epochs  {} evaluations",
            o.arch_string, o.score, o.cost_s, o.epochs, o.evals
        );
    }
    Ok(())
}
