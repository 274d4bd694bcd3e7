//! MF-NAS stage 1 counts isomorphic NB101 cells once (de-duplication by network, as the
//! reference does by hash).

use mfnas::algo::config::{Algo, AlgoParams, Stage1Kind};
use mfnas::event::Event;
use mfnas::experiment;
use mfnas::rng::Rng;
use mfnas::space::SearchSpace;
use mfnas::space::nb101::{Nb101, Nb101Arch};
use mfnas::table::{Column, ColumnSpec, Fidelity, Role, Table, TableMeta};

/// NB101, except that sampling draws one of two different specs of the same network.
#[derive(Clone)]
struct TwoWritings(Nb101Arch, Nb101Arch);

impl SearchSpace for TwoWritings {
    type Arch = Nb101Arch;
    fn name(&self) -> &'static str {
        "nb101"
    }
    fn n_positions(&self) -> usize {
        Nb101.n_positions()
    }
    fn sample(&self, rng: &mut Rng) -> Nb101Arch {
        if rng.below(2) == 0 { self.0 } else { self.1 }
    }
    fn position_neighbours(&self, _: Nb101Arch, _: usize, _: &mut Vec<Nb101Arch>) {}
    fn crossover(&self, a: Nb101Arch, _: Nb101Arch, _: &mut Rng) -> Nb101Arch {
        a
    }
    fn key(&self, a: Nb101Arch) -> u64 {
        Nb101.key(a)
    }
    fn from_key(&self, k: u64) -> Option<Nb101Arch> {
        Nb101.from_key(k)
    }
    fn canonical(&self, a: Nb101Arch) -> Nb101Arch {
        Nb101.canonical(a)
    }
    fn to_string(&self, a: Nb101Arch) -> String {
        Nb101.to_string(a)
    }
    fn parse(&self, t: &str) -> mfnas::Result<Nb101Arch> {
        Nb101.parse(t)
    }
}

#[test]
fn isomorphic_specs_reach_stage_2_as_one_candidate() {
    // input → {conv3x3, conv1x1} → output, the two interior nodes in either order.
    let a = Nb101Arch::parse_compact("110000000010001000000/31333").unwrap();
    let b = Nb101Arch::parse_compact("110000000010001000000/13333").unwrap();
    assert_ne!(a, b);
    assert_eq!(Nb101.key(a), Nb101.key(b));
    let f = Fidelity::new(108, "nb101");
    let col = |spec: ColumnSpec, v: f64| Column::from_raw(spec, vec![v]);
    let mut time = ColumnSpec::new(Role::ZcTime, Some("x"), None, None, "s", "test");
    time.missing_cost = Some(1.0);
    let table = Table::new(
        TableMeta {
            space: "nb101".into(),
            dataset: "test".into(),
            title: "one network".into(),
            notes: vec![],
        },
        vec![Nb101.key(a)],
        vec![
            col(
                ColumnSpec::new(Role::ZcScore, Some("x"), None, None, "", "test"),
                1.0,
            ),
            col(time, 1.0),
            col(
                ColumnSpec::new(Role::ValAcc, None, Some(f.clone()), None, "%", "test"),
                90.0,
            ),
            col(
                ColumnSpec::new(Role::TrainTimePerEpoch, None, None, None, "s", "test"),
                1.0,
            ),
        ],
    )
    .unwrap();
    let mut p = AlgoParams::new(Algo::MfNas);
    p.zc = Some("x".into());
    p.stage1 = Some(Stage1Kind::Rs);
    p.stage1_evals = Some(20);
    p.candidates = Some(8);
    p.fidelity = Some(f.clone());
    p.ladder = Some(vec![f]);
    p.budget_s = Some(10_000.0);
    let plan = p.check(&table).unwrap();
    let (_, events) = experiment::run_once(&TwoWritings(a, b), &table, &plan, 1, true).unwrap();
    let trained = events
        .iter()
        .filter(
            |e| matches!(e, Event::Evaluated { objective, .. } if objective.starts_with("val_acc")),
        )
        .count();
    assert_eq!(trained, 1);
}
