//! Training with NB201's recipe: SGD with Nesterov momentum 0.9, learning rate 0.1 decayed
//! to 0 by a cosine over the schedule (updated every iteration), weight decay 5e-4, batch
//! 256, cross-entropy, random crop (padding 4) and horizontal flip.
//!
//! A [`Trainer`] owns one network and its optimiser. It trains to a given epoch of its
//! schedule, validates after every epoch, and saves/loads checkpoints so that training can
//! stop and continue (successive halving continues a candidate from its last rung). It can
//! also advance one mini-batch at a time ([`Trainer::train_step`]) with exactly the same
//! result, which is how the explorer's lab module trains in small slices.

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
use web_time::Instant;

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
        // Written so that a NaN anywhere fails the check.
        let valid = self.lr > 0.0
            && self.lr.is_finite()
            && (0.0..1.0).contains(&self.momentum)
            && self.weight_decay >= 0.0;
        if !valid {
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

/// What one mini-batch step gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// The epoch this step belongs to (1-based).
    pub epoch: u32,
    /// The step's batch within its epoch (1-based).
    pub batch: usize,
    /// Batches per epoch.
    pub batches: usize,
    /// Steps taken since training started, this one included.
    pub step: u64,
    /// Mean loss of the batch (before the update).
    pub loss: f64,
    /// Correct predictions in the batch (before the update).
    pub correct: usize,
    /// Images in the batch.
    pub images: usize,
    /// The learning rate the step used.
    pub lr: f64,
    /// Wall seconds of the step (building the batch, forward, backward, update).
    pub seconds: f64,
    /// Set on an epoch's last step: the epoch's training figures (validation not included).
    pub epoch_end: Option<EpochTraining>,
}

/// The training figures of one finished epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochTraining {
    /// Mean training loss over the epoch.
    pub loss: f64,
    /// Training accuracy over the epoch (%), on augmented images.
    pub acc: f64,
    /// Wall seconds of the epoch's steps.
    pub seconds: f64,
    /// Images trained on in the epoch.
    pub images: usize,
}

/// Where training stands inside an epoch: its shuffled order, the random stream that
/// augments its batches, and the sums its report needs.
#[derive(Debug, Clone)]
struct EpochCursor {
    rng: Rng,
    order: Vec<usize>,
    next_batch: usize,
    loss_sum: f64,
    correct: usize,
    seconds: f64,
}

/// The saved state besides weights and optimiser.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    arch: String,
    config: TrainConfig,
    norm: Normalization,
    epochs_done: u32,
    history: Vec<EpochReport>,
    /// Mini-batch steps taken (absent in checkpoints written before steps were counted).
    #[serde(default)]
    steps_done: u64,
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
    /// The epoch in progress (`None` between epochs).
    cursor: Option<EpochCursor>,
    /// Steps taken since training started (across resumes).
    steps_done: u64,
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
            cursor: None,
            steps_done: 0,
        })
    }

    /// Epochs trained so far.
    pub fn epochs_done(&self) -> u32 {
        self.epochs_done
    }
    /// Mini-batch steps taken so far.
    pub fn steps_done(&self) -> u64 {
        self.steps_done
    }
    /// Whether an epoch is in progress (some but not all of its batches trained).
    pub fn mid_epoch(&self) -> bool {
        self.cursor.is_some()
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
        self.check_data(&data.train)?;
        while self.epochs_done < until {
            let report = self.train_epoch(data, &mut on_batch)?;
            on_epoch(&report);
            self.history.push(report);
        }
        Ok(())
    }

    fn check_data(&self, set: &ImageSet) -> Result<()> {
        if set.is_empty() {
            return Err(Error::new(ErrorKind::MissingData, "no training images"));
        }
        if set.classes.len() != self.config.net.num_classes
            || set.channels != self.config.net.in_channels
        {
            return Err(Error::param(format!(
                "the data has {} classes and {} channels but the network expects {} and {}",
                set.classes.len(),
                set.channels,
                self.config.net.num_classes,
                self.config.net.in_channels
            )));
        }
        Ok(())
    }

    fn train_epoch(
        &mut self,
        data: &Dataset,
        on_batch: &mut impl FnMut(usize, usize),
    ) -> Result<EpochReport> {
        loop {
            let step = self.train_step(&data.train)?;
            on_batch(step.batch, step.batches);
            if let Some(t) = step.epoch_end {
                let (val_loss, val_acc) = self.evaluate(&data.val);
                return Ok(EpochReport {
                    epoch: self.epochs_done,
                    train_loss: t.loss,
                    train_acc: t.acc,
                    val_loss,
                    val_acc,
                    train_seconds: t.seconds,
                    images_per_s: t.images as f64 / t.seconds.max(1e-9),
                });
            }
        }
    }

    /// Trains one mini-batch of the current epoch of the schedule (starting the epoch if
    /// none is in progress). A sequence of steps gives exactly the weights, losses and
    /// random draws of [`Trainer::train_until`]; validation is the caller's (see
    /// [`Trainer::evaluate_part`]). `set` must be the same training set at every step.
    pub fn train_step(&mut self, set: &ImageSet) -> Result<StepReport> {
        if self.epochs_done >= self.config.schedule_epochs {
            return Err(Error::param(format!(
                "the {}-epoch schedule is finished; start a new training run",
                self.config.schedule_epochs
            )));
        }
        self.check_data(set)?;
        let n = set.len();
        let bs = self.config.batch_size;
        let mut cursor = match self.cursor.take() {
            Some(c) if c.order.len() == n => c,
            Some(_) => {
                return Err(Error::param(
                    "the training set changed in the middle of an epoch",
                ));
            }
            None => {
                // One stream per (seed, epoch): a resumed run shuffles and augments as an
                // uninterrupted one would, and every architecture trained with one seed sees
                // the same batches (a fair race between cells).
                let mut rng = Rng::new(
                    self.config.seed ^ 0x5eed_0000_0000 ^ ((self.epochs_done as u64) << 32),
                );
                let mut order: Vec<usize> = (0..n).collect();
                rng.shuffle(&mut order);
                EpochCursor {
                    rng,
                    order,
                    next_batch: 0,
                    loss_sum: 0.0,
                    correct: 0,
                    seconds: 0.0,
                }
            }
        };
        let batches = n.div_ceil(bs);
        let i = cursor.next_batch;
        let start = Instant::now();
        let lr = self
            .config
            .lr_at(self.epochs_done as f64 + i as f64 / batches as f64);
        let idx = &cursor.order[i * bs..((i + 1) * bs).min(n)];
        let images = idx.len();
        let (x, y) =
            Batcher::nb201(self.norm.clone()).batch(set, idx, Some(&mut cursor.rng), &self.device);
        let (loss, correct) = match self.step(x, y, lr) {
            Ok(r) => r,
            Err(e) => {
                self.cursor = Some(cursor);
                return Err(e);
            }
        };
        let seconds = start.elapsed().as_secs_f64();
        cursor.next_batch += 1;
        cursor.loss_sum += loss * images as f64;
        cursor.correct += correct;
        cursor.seconds += seconds;
        self.steps_done += 1;
        let epoch = self.epochs_done + 1;
        let epoch_end = if cursor.next_batch == batches {
            self.epochs_done += 1;
            Some(EpochTraining {
                loss: cursor.loss_sum / n as f64,
                acc: 100.0 * cursor.correct as f64 / n as f64,
                seconds: cursor.seconds,
                images: n,
            })
        } else {
            self.cursor = Some(cursor);
            None
        };
        Ok(StepReport {
            epoch,
            batch: i + 1,
            batches,
            step: self.steps_done,
            loss,
            correct,
            images,
            lr,
            seconds,
            epoch_end,
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

    /// Summed loss and number of correct predictions on the images `indices` of `set`
    /// (inference mode), for validating in slices: the sums of all slices divided by the
    /// set's size give [`Trainer::evaluate`]'s figures.
    pub fn evaluate_part(&self, set: &ImageSet, indices: &[usize]) -> (f64, usize) {
        evaluate_sums(self.model(), &self.norm, set, indices, &self.device)
    }

    /// Writes the checkpoint into folder `dir` (created if needed): weights, optimiser state
    /// and a JSON file with the architecture, recipe, normalisation and history.
    pub fn save(&self, dir: &Path) -> Result<()> {
        if self.mid_epoch() {
            return Err(Error::param(
                "a checkpoint is taken between epochs; finish the epoch in progress first",
            ));
        }
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
            steps_done: self.steps_done,
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
        t.steps_done = state.steps_done;
        Ok(t)
    }
}

/// A folder of checkpoints of one training run, one sub-folder per finished epoch
/// (`epoch-0001`, `epoch-0002`, …). Each is written under a temporary name and renamed into
/// place once complete, so a process killed while saving never leaves a checkpoint whose
/// weights and state disagree, and two processes saving the same epoch of the same
/// deterministic run leave one of their (identical) checkpoints.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoints {
    dir: std::path::PathBuf,
}

#[cfg(not(target_arch = "wasm32"))]
impl Checkpoints {
    /// The checkpoints in folder `dir` (created when the first one is saved).
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        Self { dir: dir.into() }
    }
    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    /// The folder of the checkpoint taken after `epoch`.
    pub fn epoch_dir(&self, epoch: u32) -> std::path::PathBuf {
        self.dir.join(format!("epoch-{epoch:04}"))
    }
    /// The latest epoch at most `at_most` with a complete checkpoint, if any.
    pub fn latest(&self, at_most: u32) -> Option<u32> {
        let entries = std::fs::read_dir(&self.dir).ok()?;
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let epoch: u32 = name.strip_prefix("epoch-")?.parse().ok()?;
                (epoch <= at_most && Trainer::has_checkpoint(&e.path())).then_some(epoch)
            })
            .max()
    }
    /// Loads the checkpoint taken after `epoch` onto `device` (an autodiff device).
    pub fn load(&self, epoch: u32, device: &Device) -> Result<Trainer> {
        Trainer::load(&self.epoch_dir(epoch), device)
    }
    /// Saves `trainer` (between epochs) as the checkpoint of its last finished epoch.
    pub fn save(&self, trainer: &Trainer) -> Result<()> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let dest = self.epoch_dir(trainer.epochs_done());
        let tmp = self.dir.join(format!(
            ".epoch-{:04}.{}-{}.tmp",
            trainer.epochs_done(),
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&tmp);
        trainer.save(&tmp)?;
        if let Err(e) = std::fs::rename(&tmp, &dest) {
            let _ = std::fs::remove_dir_all(&tmp);
            // Another process saved the same epoch first: keep its checkpoint.
            if !Trainer::has_checkpoint(&dest) {
                return Err(Error::from(e).context(dest.display()));
            }
        }
        Ok(())
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
    let idx: Vec<usize> = (0..set.len()).collect();
    let (mut loss, mut correct) = (0.0f64, 0usize);
    for chunk in idx.chunks(500) {
        let (l, c) = evaluate_sums(model, norm, set, chunk, device);
        loss += l;
        correct += c;
    }
    (
        loss / set.len() as f64,
        100.0 * correct as f64 / set.len() as f64,
    )
}

/// Summed cross-entropy and correct predictions of `model` on the images `indices` of `set`
/// (inference mode, no augmentation).
fn evaluate_sums(
    model: &Nb201Net,
    norm: &Normalization,
    set: &ImageSet,
    indices: &[usize],
    device: &Device,
) -> (f64, usize) {
    if indices.is_empty() {
        return (0.0, 0);
    }
    // Batch norm uses its running statistics only when neither the module nor the input is
    // on an autodiff device: `valid()` takes the module off it (forking it to the inner
    // device does not, and would validate with batch statistics).
    let inference = device.clone().inner();
    let model = model.valid();
    let batcher = Batcher {
        norm: norm.clone(),
        crop_pad: 0,
        flip: false,
    };
    let loss_fn = CrossEntropyLossConfig::new().init(&inference);
    let (x, y) = batcher.batch(set, indices, None, &inference);
    let logits = model.forward(x);
    let correct = count_correct(&logits, &y);
    let l: f32 = loss_fn.forward(logits, y).into_scalar();
    (l as f64 * indices.len() as f64, correct)
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
