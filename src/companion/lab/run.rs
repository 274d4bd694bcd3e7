//! A reduced NB201 network trained in bounded slices: each call of [`LabRun::advance`] does one
//! mini-batch step or validates one slice of the held-out images, so the page's worker can
//! answer pause and stop between two calls. The steps are [`Trainer::train_step`]'s, so the
//! losses equal those of `mfnas train` with the same settings and seed (up to the rounding of
//! the backends' kernels, see `docs/LAB.md`).

use super::LabImages;
use crate::companion::data::ImageSet;
use crate::companion::net::NetConfig;
use crate::companion::train::{EpochTraining, StepReport, TrainConfig, Trainer};
use crate::error::{Error, Result};
use crate::space::nb201::Nb201Arch;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// The reduced network and recipe the page trains (NB201's recipe otherwise: SGD with
/// Nesterov momentum 0.9, weight decay 5e-4, cosine learning rate, crop and flip).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabTrainSettings {
    /// Channels of the first stage (NB201: 16).
    pub channels: usize,
    /// Cells per stage (NB201: 5).
    pub cells: usize,
    /// Mini-batch size (NB201: 256).
    pub batch_size: usize,
    /// Epochs of the cosine schedule (NB201: 200).
    pub epochs: u32,
    /// Initial learning rate (NB201: 0.1).
    pub lr: f64,
    /// Seed of the initial weights, the shuffles and the augmentation.
    pub seed: u64,
}

impl Default for LabTrainSettings {
    /// C = 8, N = 1, batch 32, 10 epochs, learning rate 0.1, seed 0. Batches of 32 keep one
    /// step near 60 ms in a browser on a two-core machine, so a pause is answered at once.
    fn default() -> Self {
        Self {
            channels: 8,
            cells: 1,
            batch_size: 32,
            epochs: 10,
            lr: 0.1,
            seed: 0,
        }
    }
}

impl LabTrainSettings {
    /// The training recipe for images of `set`'s shape and classes.
    pub fn train_config(&self, set: &ImageSet) -> TrainConfig {
        let net = NetConfig {
            channels: self.channels,
            cells_per_stage: self.cells,
            num_classes: set.classes.len(),
            in_channels: set.channels,
        };
        let mut cfg = TrainConfig::nb201(net, self.epochs);
        cfg.batch_size = self.batch_size;
        cfg.lr = self.lr;
        cfg.seed = self.seed;
        cfg
    }

    /// Checks the settings and says what to change; the page keeps them small.
    pub fn check(&self) -> Result<()> {
        if !(1..=64).contains(&self.channels) || !(1..=5).contains(&self.cells) {
            return Err(Error::param(format!(
                "channels {} and cells per stage {}: the lab trains 1 to 64 channels and 1 to 5 cells",
                self.channels, self.cells
            )));
        }
        if !(2..=512).contains(&self.batch_size) || !(1..=200).contains(&self.epochs) {
            return Err(Error::param(format!(
                "batch size {} and epochs {}: choose a batch of 2 to 512 and 1 to 200 epochs",
                self.batch_size, self.epochs
            )));
        }
        Ok(())
    }

    /// The command that trains the same network on the same images natively; `data` is the
    /// path of the lab image file, `steps` stops early (and prints every step's loss).
    pub fn command(&self, arch: Nb201Arch, data: &str, steps: Option<u64>) -> String {
        let mut c = format!(
            "mfnas train --arch '{}' --data {data} --channels {} --cells {} --batch-size {} --epochs {} --lr {} --seed {}",
            arch.arch_string(),
            self.channels,
            self.cells,
            self.batch_size,
            self.epochs,
            self.lr,
            self.seed
        );
        if let Some(s) = steps {
            c.push_str(&format!(" --steps {s}"));
        }
        c
    }
}

/// What one call of [`LabRun::advance`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Progress {
    /// One training step.
    Step(StepReport),
    /// One slice of a validation pass.
    Validating {
        /// The epoch being validated (0: before training).
        epoch: u32,
        /// Validation images done.
        done: usize,
        /// Validation images in all.
        total: usize,
    },
    /// A validation pass finished.
    Validated(EpochPoint),
    /// The schedule is finished and validated: nothing more to do.
    Finished,
}

/// The figures of one epoch: validation, and training when the epoch trained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpochPoint {
    /// Epochs trained (0: the untrained network).
    pub epoch: u32,
    /// Mean validation loss.
    pub val_loss: f64,
    /// Validation accuracy (%).
    pub val_acc: f64,
    /// The epoch's training figures (none for epoch 0).
    pub training: Option<EpochTraining>,
}

struct PendingValidation {
    epoch: u32,
    next: usize,
    loss: f64,
    correct: usize,
    training: Option<EpochTraining>,
}

/// One cell being trained on the lab's images.
pub struct LabRun {
    /// The cell.
    pub arch: Nb201Arch,
    /// The settings it trains with.
    pub settings: LabTrainSettings,
    trainer: Trainer,
    train: ImageSet,
    val: ImageSet,
    pending: Option<PendingValidation>,
}

impl LabRun {
    /// A fresh network for `arch`; the untrained network is validated first (epoch 0).
    /// `device` must be an autodiff device.
    pub fn new(
        arch: Nb201Arch,
        images: &LabImages,
        settings: LabTrainSettings,
        device: &Device,
    ) -> Result<Self> {
        settings.check()?;
        let cfg = settings.train_config(&images.train);
        let trainer = Trainer::new(arch, cfg, images.train.channel_stats(), device)?;
        Ok(Self {
            arch,
            settings,
            trainer,
            train: images.train.clone(),
            val: images.val.clone(),
            pending: Some(PendingValidation {
                epoch: 0,
                next: 0,
                loss: 0.0,
                correct: 0,
                training: None,
            }),
        })
    }

    /// Steps taken so far.
    pub fn steps_done(&self) -> u64 {
        self.trainer.steps_done()
    }

    /// Training images.
    pub fn train_images(&self) -> usize {
        self.train.len()
    }

    /// Validation images.
    pub fn val_images(&self) -> usize {
        self.val.len()
    }

    /// Side of the training images.
    pub fn side(&self) -> usize {
        self.train.height
    }

    /// Batches per epoch.
    pub fn batches_per_epoch(&self) -> usize {
        self.train.len().div_ceil(self.settings.batch_size)
    }

    /// Whether the schedule is trained and validated.
    pub fn finished(&self) -> bool {
        self.pending.is_none() && self.trainer.epochs_done() >= self.settings.epochs
    }

    /// Does one bounded piece of work: validates at most `val_slice` held-out images when a
    /// validation is due (before training and after every epoch), else trains one step.
    pub fn advance(&mut self, val_slice: usize) -> Result<Progress> {
        if let Some(mut p) = self.pending.take() {
            let total = self.val.len();
            let end = (p.next + val_slice.max(1)).min(total);
            let idx: Vec<usize> = (p.next..end).collect();
            let (loss, correct) = self.trainer.evaluate_part(&self.val, &idx);
            p.loss += loss;
            p.correct += correct;
            p.next = end;
            if end < total {
                let epoch = p.epoch;
                self.pending = Some(p);
                return Ok(Progress::Validating {
                    epoch,
                    done: end,
                    total,
                });
            }
            return Ok(Progress::Validated(EpochPoint {
                epoch: p.epoch,
                val_loss: p.loss / total as f64,
                val_acc: 100.0 * p.correct as f64 / total as f64,
                training: p.training,
            }));
        }
        if self.trainer.epochs_done() >= self.settings.epochs {
            return Ok(Progress::Finished);
        }
        let step = self.trainer.train_step(&self.train)?;
        if let Some(t) = &step.epoch_end {
            self.pending = Some(PendingValidation {
                epoch: step.epoch,
                next: 0,
                loss: 0.0,
                correct: 0,
                training: Some(t.clone()),
            });
        }
        Ok(Progress::Step(step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::companion::lab::LabImageSpec;
    use crate::companion::net::cpu;

    /// A tiny synthetic image set: each class a different mean brightness.
    fn tiny() -> LabImages {
        let make = |n: usize, side: usize| {
            let mut pixels = Vec::new();
            let mut labels = Vec::new();
            for i in 0..n {
                let c = i % 2;
                labels.push(c as u16);
                for p in 0..3 * side * side {
                    pixels.push((60 + 120 * c + (p * 13 + i * 7) % 40) as u8);
                }
            }
            ImageSet {
                pixels,
                labels,
                channels: 3,
                height: side,
                width: side,
                classes: vec!["dark".into(), "light".into()],
            }
        };
        LabImages {
            source: "synthetic".into(),
            spec: LabImageSpec {
                train_per_class: 12,
                val_per_class: 5,
                proxy_per_class: 2,
                train_side: 8,
            },
            train: make(24, 8),
            val: make(10, 8),
            proxy: make(4, 32),
        }
    }

    fn settings() -> LabTrainSettings {
        LabTrainSettings {
            channels: 4,
            cells: 1,
            batch_size: 8,
            epochs: 2,
            lr: 0.05,
            seed: 3,
        }
    }

    #[test]
    fn advancing_validates_first_then_trains_and_validates_after_every_epoch() {
        let images = tiny();
        let arch = Nb201Arch::parse_genotype("332433").unwrap();
        let mut run = LabRun::new(arch, &images, settings(), &cpu().autodiff()).unwrap();
        let mut kinds = Vec::new();
        while !run.finished() {
            kinds.push(match run.advance(4).unwrap() {
                Progress::Step(s) => format!("s{}", s.step),
                Progress::Validating { epoch, done, .. } => format!("v{epoch}:{done}"),
                Progress::Validated(p) => format!("V{}", p.epoch),
                Progress::Finished => "F".into(),
            });
        }
        assert_eq!(
            kinds.join(" "),
            "v0:4 v0:8 V0 s1 s2 s3 v1:4 v1:8 V1 s4 s5 s6 v2:4 v2:8 V2"
        );
        assert_eq!(run.advance(4).unwrap(), Progress::Finished);
    }

    #[test]
    fn sliced_validation_equals_the_trainers_whole_pass_and_steps_equal_train_until() {
        let images = tiny();
        let arch = Nb201Arch::parse_genotype("332433").unwrap();
        let device = cpu().autodiff();
        let mut run = LabRun::new(arch, &images, settings(), &device).unwrap();
        let mut points = Vec::new();
        while !run.finished() {
            if let Progress::Validated(p) = run.advance(3).unwrap() {
                points.push(p);
            }
        }
        let cfg = settings().train_config(&images.train);
        let mut t = Trainer::new(arch, cfg, images.train.channel_stats(), &device).unwrap();
        let data = crate::companion::data::Dataset {
            train: images.train.clone(),
            val: images.val.clone(),
            source: "synthetic".into(),
        };
        t.train_until(&data, 2, |_| {}, |_, _| {}).unwrap();
        for (p, r) in points[1..].iter().zip(t.history()) {
            let tr = p.training.as_ref().unwrap();
            assert_eq!(tr.loss, r.train_loss);
            assert_eq!(p.val_acc, r.val_acc);
            assert!((p.val_loss - r.val_loss).abs() < 1e-6, "{p:?} vs {r:?}");
        }
    }

    #[test]
    fn validation_uses_running_statistics_so_slicing_the_images_changes_nothing() {
        let images = tiny();
        let arch = Nb201Arch::parse_genotype("332433").unwrap();
        let cfg = settings().train_config(&images.train);
        let mut t =
            Trainer::new(arch, cfg, images.train.channel_stats(), &cpu().autodiff()).unwrap();
        for _ in 0..3 {
            t.train_step(&images.train).unwrap();
        }
        let all: Vec<usize> = (0..images.val.len()).collect();
        let (whole_loss, whole_correct) = t.evaluate_part(&images.val, &all);
        let (mut loss, mut correct) = (0.0, 0);
        for i in &all {
            let (l, c) = t.evaluate_part(&images.val, &[*i]);
            loss += l;
            correct += c;
        }
        assert_eq!(correct, whole_correct);
        assert!((loss - whole_loss).abs() < 1e-5, "{loss} vs {whole_loss}");
    }

    #[test]
    fn settings_out_of_the_labs_range_are_refused_with_the_range() {
        let s = LabTrainSettings {
            batch_size: 1,
            ..LabTrainSettings::default()
        };
        assert!(s.check().unwrap_err().to_string().contains("2 to 512"));
    }

    #[test]
    fn the_command_line_equivalent_names_every_setting() {
        let arch = Nb201Arch::parse_genotype("332433").unwrap();
        let c = LabTrainSettings::default().command(arch, "lab.bin", Some(20));
        assert_eq!(
            c,
            format!(
                "mfnas train --arch '{}' --data lab.bin --channels 8 --cells 1 --batch-size 32 --epochs 10 --lr 0.1 --seed 0 --steps 20",
                arch.arch_string()
            )
        );
    }
}
