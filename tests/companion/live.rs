//! Live MF-NAS runs to completion on a tiny setting, continuing training between rungs.

use super::companion_common;

use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::companion::data::{self, DataSpec};
use mfnas::companion::executor::{Executor, Jobs};
use mfnas::companion::live::{LiveEvaluator, live_schema, run_live};
use mfnas::companion::net::{NetConfig, cpu};
use mfnas::companion::proxies::{ProxyEvaluator, batch_from};
use mfnas::companion::task::{TaskSettings, WorkDir};
use mfnas::companion::train::TrainConfig;
use mfnas::table::Fidelity;

#[test]
fn live_mf_nas_completes_on_a_tiny_setting_and_continues_training_between_rungs() {
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let mut spec = DataSpec::new(dir);
    spec.train_limit = Some(400);
    spec.val_limit = Some(100);
    let d = data::load(&spec).unwrap();
    let device = cpu().autodiff();
    let net = NetConfig {
        channels: 4,
        cells_per_stage: 1,
        num_classes: 10,
        in_channels: 3,
    };
    let ladder = vec![Fidelity::new(1, "live"), Fidelity::new(2, "live")];
    let mut params = AlgoParams::new(Algo::MfNas);
    params.zc = Some("synflow".into());
    params.budget_s = Some(1e9);
    params.stage1_evals = Some(6);
    params.candidates = Some(4);
    params.ladder = Some(ladder.clone());
    params.fidelity = Some(ladder[0].clone());
    let plan = params
        .check(&live_schema("synflow", &ladder).unwrap())
        .unwrap();
    let norm = d.train.channel_stats();
    let batch = batch_from(&d.train, &norm, 16, 1, &device).unwrap();
    let proxies = ProxyEvaluator::new(net, batch, 1, &device);
    let mut train = TrainConfig::nb201(net, 2);
    train.batch_size = 64;
    let ckpt = std::env::temp_dir().join(format!("mfnas-live-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&ckpt);
    let jobs = Jobs {
        work: WorkDir::new(&ckpt).unwrap(),
        settings: TaskSettings { data: spec, train },
        executor: Executor::InProcess,
        retries: 0,
        program: Default::default(),
        poll: std::time::Duration::from_millis(100),
        notes: Box::new(|_| {}),
        device: Default::default(),
    };
    let mut events = Vec::new();
    let out = run_live(
        &plan,
        |o| LiveEvaluator::new(&d, proxies, jobs, &device, o),
        1,
        |e| events.push(e.clone()),
    )
    .unwrap();
    // 6 proxy evaluations, then 4 candidates at epoch 1 and the best 2 continued to epoch 2.
    assert_eq!(out.evals, 12, "{events:#?}");
    // Continuation: 4 × 1 epoch + 2 × 1 more epoch, not 2 × 2.
    assert_eq!(out.epochs, 6);
    assert!(out.cost_s > 0.0);
    let _ = std::fs::remove_dir_all(&ckpt);
}
