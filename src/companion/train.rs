//! Training with NB201's recipe: SGD with Nesterov momentum 0.9, learning rate 0.1 decayed
//! to 0 by a cosine over the schedule (updated every iteration), weight decay 5e-4, batch
//! 256, cross-entropy, random crop (padding 4) and horizontal flip.
//!
//! A [`Trainer`] owns one network and its optimiser. It trains to a given epoch of its
//! schedule, validates after every epoch, and saves/loads checkpoints so that training can
//! stop and continue (successive halving continues a candidate from its last rung).

use super::data::{Batcher, Dataset, ImageSet, Normalization};
use super::net::{Nb201Net, NetConfig};
use crate::error::{Error, ErrorKind, Result};
use crate::rng::Rng;
use crate::space::nb201::Nb201Arch;
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{GradientsParams, ModuleOptimizer, SgdConfig, decay::WeightDecayConfig};
use burn::tensor::{Device, Int, Tensor};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Instant;

/// The training recipe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// The network shape.
    pub net: NetConfig,
    /// Length of the cosine schedule in epochs (NB201: 200; its short schedule: 12).
    pub schedule_epochs: u32,
    /// Mini-batch size (NB201: 256).
    pub batch_size: usize,
    /// Initial learning rate (NB201: 0.1).
    pub lr: f64,
    /// Nesterov momentum (NB201: 0.9).
    pub momentum: f64,
    /// Weight decay (NB201: 5e-4).
    pub weight_decay: f64,
    /// Seed of the initial weights' draw order, shuffling and augmentation.
    pub seed: u64,
}

impl TrainConfig {
    /// NB201's recipe for `net` on a schedule of `schedule_epochs` epochs.
    pub fn nb201(net: NetConfig, schedule_epochs: u32) -> Self {
        Self {
            net,
            schedule_epochs,
            batch_size: 256,
            lr: 0.1,
            momentum: 0.9,
            weight_decay: 5e-4,
            seed: 0,
        }
    }
    /// Checks the values and says what to change.
    pub fn check(&self) -> Result<()> {
        self.net.check()?;
        if self.schedule_epochs == 0 || self.batch_size == 0 {
            return Err(Error::param(
                "schedule epochs and batch size must be at least 1",
            ));
        }
        if !(self.lr > 0.0 && self.lr.is_finite())
            || !(0.0..1.0).contains(&self.momentum)
            || !(self.weight_decay >= 0.0)
        {
            return Err(Error::param(format!(
                "learning rate must be positive, momentum in [0, 1), weight decay >= 0 (got {}, {}, {})",
                self.lr, self.momentum, self.weight_decay
            )));
        }
        Ok(())
    }
    /// The learning rate at fractional epoch `t` of the schedule (cosine to 0).
    pub fn lr_at(&self, t: f64) -> f64 {
        let frac = (t / self.schedule_epochs as f64).clamp(0.0, 1.0);
        0.5 * self.lr * (1.0 + (std::f64::consts::PI * frac).cos())
    }
}

/// What one epoch gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// The epoch just finished (1-based).
    pub epoch: u32,
    /// Mean training loss over the epoch.
    pub train_loss: f64,
    /// Training accuracy over the epoch (%), on augmented images.
    pub train_acc: f64,
    /// Validation loss.
    pub val_loss: f64,
    /// Validation accuracy (%).
    pub val_acc: f64,
    /// Wall seconds of the epoch's training (without validation).
    pub train_seconds: f64,
    /// Training images per second.
    pub images_per_s: f64,
}

/// The saved state besides weights and optimiser.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    arch: String,
    config: TrainConfig,
    norm: Normalization,
    epochs_done: u32,
    history: Vec<EpochReport>,
}

/// One network being trained.
pub struct Trainer {
    /// The architecture.
    pub arch: Nb201Arch,
    /// The recipe.
    pub config: TrainConfig,
    /// The normalisation of input images (fixed when training starts).
    pub norm: Normalization,
    model: Option<Nb201Net>,
    optim: ModuleOptimizer,
    epochs_done: u32,
    history: Vec<EpochReport>,
    device: Device,
}

fn optimizer(config: &TrainConfig) -> ModuleOptimizer {
    SgdConfig::new()
        .with_momentum(Some(
            MomentumConfig::new()
                .with_momentum(config.momentum)
                .with_dampening(0.0)
                .with_nesterov(true),
        ))
        .with_weight_decay(Some(WeightDecayConfig::new(config.weight_decay as f32)))
        .init()
}

impl Trainer {
    /// A fresh network for `arch`. `device` must be an autodiff device
    /// (`cpu().autodiff()`). Weights are drawn from burn's seeded generator.
    pub fn new(
        arch: Nb201Arch,
        config: TrainConfig,
        norm: Normalization,
        device: &Device,
    ) -> Result<Self> {
        config.check()?;
        let model = Nb201Net::seeded(
            arch,
            &config.net,
            device,
            config.seed ^ ((arch.0 as u64) << 20),
        );
        Ok(Self {
            arch,
            optim: optimizer(&config),
            config,
            norm,
            model: Some(model),
            epochs_done: 0,
            history: Vec::new(),
            device: device.clone(),
        })
    }

    /// Epochs trained so far.
    pub fn epochs_done(&self) -> u32 {
        self.epochs_done
    }
    /// Reports of every epoch trained so far (across resumes).
    pub fn history(&self) -> &[EpochReport] {
        &self.history
    }
    /// The network.
    pub fn model(&self) -> &Nb201Net {
        self.model
            .as_ref()
            .expect("model is only taken during a step")
    }

    /// Trains up to epoch `until` of the schedule (no-op if already there), validating after
    /// each epoch; `on_batch(done, total)` is called after every mini-batch of an epoch.
    pub fn train_until(
        &mut self,
        data: &Dataset,
        until: u32,
        mut on_epoch: impl FnMut(&EpochReport),
        mut on_batch: impl FnMut(usize, usize),
    ) -> Result<()> {
        if until > self.config.schedule_epochs {
            return Err(Error::param(format!(
                "cannot train to epoch {until} of a {}-epoch schedule",
                self.config.schedule_epochs
            )));
        }
        if data.train.classes.len() != self.config.net.num_classes
            || data.train.channels != self.config.net.in_channels
        {
            return Err(Error::param(format!(
                "the data has {} classes and {} channels but the network expects {} and {}",
                data.train.classes.len(),
                data.train.channels,
                self.config.net.num_classes,
                self.config.net.in_channels
            )));
        }
        while self.epochs_done < until {
            let report = self.train_epoch(data, &mut on_batch)?;
            on_epoch(&report);
            self.history.push(report);
        }
        Ok(())
    }

    fn train_epoch(
        &mut self,
        data: &Dataset,
        on_batch: &mut impl FnMut(usize, usize),
    ) -> Result<EpochReport> {
        let set = &data.train;
        let n = set.len();
        if n == 0 {
            return Err(Error::new(ErrorKind::MissingData, "no training images"));
        }
        // One stream per (seed, epoch): a resumed run shuffles and augments as an
        // uninterrupted one would.
        let mut rng = Rng::new(
            self.config.seed
                ^ 0x5eed_0000_0000
                ^ ((self.epochs_done as u64) << 32)
                ^ self.arch.0 as u64,
        );
        let mut order: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut order);
        let batcher = Batcher::nb201(self.norm.clone());
        let batches: Vec<&[usize]> = order.chunks(self.config.batch_size).collect();
        let total = batches.len();
        let start = Instant::now();
        let (mut loss_sum, mut correct) = (0.0f64, 0usize);
        for (i, idx) in batches.into_iter().enumerate() {
            let t = self.epochs_done as f64 + i as f64 / total as f64;
            let lr = self.config.lr_at(t);
            let (x, y) = batcher.batch(set, idx, Some(&mut rng), &self.device);
            let (l, c) = self.step(x, y, lr)?;
            correct += c;
            loss_sum += l * idx.len() as f64;
            on_batch(i + 1, total);
        }
        let secs = start.elapsed().as_secs_f64();
        self.epochs_done += 1;
        let (val_loss, val_acc) = self.evaluate(&data.val);
        Ok(EpochReport {
            epoch: self.epochs_done,
            train_loss: loss_sum / n as f64,
            train_acc: 100.0 * correct as f64 / n as f64,
            val_loss,
            val_acc,
            train_seconds: secs,
            images_per_s: n as f64 / secs.max(1e-9),
        })
    }

    /// One SGD step on a batch at learning rate `lr`; returns the batch's mean loss and the
    /// number of correct predictions (before the update).
    pub fn step(&mut self, x: Tensor<4>, y: Tensor<1, Int>, lr: f64) -> Result<(f64, usize)> {
        let loss_fn = CrossEntropyLossConfig::new().init(&self.device);
        let model = self.model.take().expect("model present");
        let logits = model.forward(x);
        let correct = count_correct(&logits, &y);
        let loss = loss_fn.forward(logits, y);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let l: f32 = loss.into_scalar();
        if !l.is_finite() {
            self.model = Some(model);
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!(
                    "training diverged (loss {l}) at epoch {}; lower the learning rate",
                    self.epochs_done + 1
                ),
            ));
        }
        self.model = Some(self.optim.step(lr, model, grads));
        Ok((l as f64, correct))
    }

    /// Mean loss and accuracy (%) on `set`, with batch norm in inference mode.
    pub fn evaluate(&self, set: &ImageSet) -> (f64, f64) {
        evaluate(self.model(), &self.norm, set, &self.device)
    }

    /// Writes the checkpoint into folder `dir` (created if needed): weights, optimiser state
    /// and a JSON file with the architecture, recipe, normalisation and history.
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::from(e).context(dir.display()))?;
        let io = |e: burn::store::RecordError| {
            Error::new(ErrorKind::Io, format!("{}: {e:?}", dir.display()))
        };
        self.model()
            .clone()
            .save_file(dir.join("model.bpk"))
            .map_err(io)?;
        self.optim.save(dir.join("optim.bpk")).map_err(io)?;
        let state = State {
            arch: self.arch.arch_string(),
            config: self.config.clone(),
            norm: self.norm.clone(),
            epochs_done: self.epochs_done,
            history: self.history.clone(),
        };
        let json = serde_json::to_string_pretty(&state).expect("serialisable");
        // Written last: a checkpoint without its state file is incomplete and not loaded.
        let tmp = dir.join("state.json.tmp");
        std::fs::write(&tmp, json).map_err(|e| Error::from(e).context(tmp.display()))?;
        std::fs::rename(&tmp, dir.join("state.json"))
            .map_err(|e| Error::from(e).context(dir.display()))?;
        Ok(())
    }

    /// Whether `dir` holds a complete checkpoint.
    pub fn has_checkpoint(dir: &Path) -> bool {
        dir.join("state.json").is_file() && dir.join("model.bpk").is_file()
    }

    /// Loads the checkpoint in `dir` onto `device` (an autodiff device).
    pub fn load(dir: &Path, device: &Device) -> Result<Self> {
        let text = std::fs::read_to_string(dir.join("state.json")).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("{}: no checkpoint state ({e})", dir.display()),
            )
        })?;
        let state: State = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                ErrorKind::CorruptTable,
                format!(
                    "{}/state.json is not a checkpoint state: {e}",
                    dir.display()
                ),
            )
        })?;
        let arch = Nb201Arch::parse_arch_string(&state.arch)?;
        let mut t = Self::new(arch, state.config.clone(), state.norm, device)?;
        let io = |e: burn::store::RecordError| {
            Error::new(ErrorKind::Io, format!("{}: {e:?}", dir.display()))
        };
        let model = t
            .model
            .take()
            .expect("fresh")
            .try_load_file(dir.join("model.bpk"))
            .map_err(io)?;
        t.model = Some(model);
        if dir.join("optim.bpk").is_file() {
            t.optim = optimizer(&t.config)
                .load(dir.join("optim.bpk"))
                .map_err(io)?;
        }
        t.epochs_done = state.epochs_done;
        t.history = state.history;
        Ok(t)
    }
}

fn count_correct(logits: &Tensor<2>, y: &Tensor<1, Int>) -> usize {
    let pred = logits.clone().argmax(1).flatten::<1>(0, 1);
    pred.equal(y.clone()).int().sum().into_scalar::<i64>() as usize
}

/// Mean cross-entropy and accuracy (%) of `model` on `set` (inference mode, no augmentation).
pub fn evaluate(
    model: &Nb201Net,
    norm: &Normalization,
    set: &ImageSet,
    device: &Device,
) -> (f64, f64) {
    if set.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    // Without autodiff, batch norm uses its running statistics.
    let inference = device.clone().inner();
    let model = model.clone().fork(&inference);
    let batcher = Batcher {
        norm: norm.clone(),
        crop_pad: 0,
        flip: false,
    };
    let loss_fn = CrossEntropyLossConfig::new().init(&inference);
    let idx: Vec<usize> = (0..set.len()).collect();
    let (mut loss, mut correct) = (0.0f64, 0usize);
    for chunk in idx.chunks(500) {
        let (x, y) = batcher.batch(set, chunk, None, &inference);
        let logits = model.forward(x);
        correct += count_correct(&logits, &y);
        let l: f32 = loss_fn.forward(logits, y).into_scalar();
        loss += l as f64 * chunk.len() as f64;
    }
    (
        loss / set.len() as f64,
        100.0 * correct as f64 / set.len() as f64,
    )
}

/// Measures seconds per training image of the full NB201 network (C = 16, N = 5) for `arch`
/// on 32×32 images with `classes` classes, from `steps` timed steps of batch `batch` after one
/// warm-up step. Multiply by images × epochs for a full run's time.
pub fn seconds_per_image_full(
    arch: Nb201Arch,
    classes: usize,
    batch: usize,
    steps: usize,
    device: &Device,
) -> f64 {
    let config = TrainConfig::nb201(NetConfig::nb201(classes), 200);
    let mut model = Nb201Net::new(arch, &config.net, device);
    let mut optim = optimizer(&config);
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let mut rng = Rng::new(1);
    let mut elapsed = 0.0;
    for step in 0..=steps {
        let x: Vec<f32> = (0..batch * 3 * 32 * 32)
            .map(|_| rng.unit() as f32 - 0.5)
            .collect();
        let y: Vec<i64> = (0..batch).map(|_| rng.below(classes) as i64).collect();
        let x =
            Tensor::<4>::from_data(burn::tensor::TensorData::new(x, [batch, 3, 32, 32]), device);
        let y = Tensor::<1, Int>::from_data(burn::tensor::TensorData::new(y, [batch]), device);
        let t = Instant::now();
        let loss = loss_fn.forward(model.forward(x), y);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(0.1, model, grads);
        let _: f32 = model.classifier.weight.val().sum().into_scalar();
        if step > 0 {
            elapsed += t.elapsed().as_secs_f64();
        }
    }
    elapsed / (steps.max(1) * batch) as f64
}
