//! Real training on CPU: a reduced NB201 network learns CIFAR-10 in one epoch, and a
//! checkpoint resumes exactly where it stopped.

use super::companion_common;

use mfnas::companion::data::{self, DataSpec};
use mfnas::companion::net::{NetConfig, cpu};
use mfnas::companion::train::{TrainConfig, Trainer};
use mfnas::space::nb201::Nb201Arch;

fn small_cifar(train: usize, val: usize) -> Option<data::Dataset> {
    let dir = companion_common::cifar_jpg()?;
    let mut spec = DataSpec::new(dir);
    spec.train_limit = Some(train);
    spec.val_limit = Some(val);
    Some(data::load(&spec).unwrap())
}

fn reduced(schedule: u32) -> TrainConfig {
    let net = NetConfig {
        channels: 8,
        cells_per_stage: 1,
        num_classes: 10,
        in_channels: 3,
    };
    let mut cfg = TrainConfig::nb201(net, schedule);
    // 3,000 images in batches of 256 are only 12 steps; 64 gives the epoch enough updates.
    cfg.batch_size = 64;
    cfg
}

#[test]
fn one_epoch_of_a_reduced_network_on_3000_cifar_images_clearly_beats_chance() {
    let Some(d) = small_cifar(3000, 1000) else {
        return;
    };
    let device = cpu().autodiff();
    // The best NB201 cell's genotype (index 9930 in the benchmark).
    let arch = Nb201Arch::from_index(9930).unwrap();
    let mut t = Trainer::new(arch, reduced(1), d.train.channel_stats(), &device).unwrap();
    t.train_until(&d, 1, |_| {}, |_, _| {}).unwrap();
    let r = &t.history()[0];
    eprintln!(
        "1 epoch: train loss {:.3} acc {:.1}%, val loss {:.3} acc {:.1}%, {:.0} img/s",
        r.train_loss, r.train_acc, r.val_loss, r.val_acc, r.images_per_s
    );
    // Chance is 10 % on 10 balanced classes.
    assert!(r.val_acc > 20.0, "validation accuracy {:.1}%", r.val_acc);
}

#[test]
fn a_resumed_checkpoint_continues_with_the_same_weights_and_epoch_count() {
    let Some(d) = small_cifar(300, 100) else {
        return;
    };
    let device = cpu().autodiff();
    let arch = Nb201Arch::parse_genotype("332433").unwrap();
    let dir = std::env::temp_dir().join(format!("mfnas-ckpt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut t = Trainer::new(arch, reduced(3), d.train.channel_stats(), &device).unwrap();
    t.train_until(&d, 1, |_| {}, |_, _| {}).unwrap();
    t.save(&dir).unwrap();
    let before = t.evaluate(&d.val);
    let mut back = Trainer::load(&dir, &device).unwrap();
    assert_eq!(back.epochs_done(), 1);
    assert_eq!(back.arch, arch);
    // Weights and BN running statistics survive the round trip.
    let after = back.evaluate(&d.val);
    assert!((before.0 - after.0).abs() < 1e-5, "{before:?} vs {after:?}");
    // Training on from the checkpoint equals training on without stopping.
    back.train_until(&d, 2, |_| {}, |_, _| {}).unwrap();
    t.train_until(&d, 2, |_| {}, |_, _| {}).unwrap();
    let (a, b) = (&back.history()[1], &t.history()[1]);
    assert!(
        (a.val_loss - b.val_loss).abs() < 1e-4,
        "{} vs {}",
        a.val_loss,
        b.val_loss
    );
    let _ = std::fs::remove_dir_all(&dir);
}
