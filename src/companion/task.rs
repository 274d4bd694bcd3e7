//! One training job of a live search: train one architecture from its latest checkpoint to a
//! given epoch of its schedule and write what that epoch gave to a result file.
//!
//! The same function runs the job inside the search's process and in a worker process
//! (`mfnas train --until E --result FILE`, started by [`super::executor`] on this machine
//! or as a Slurm array task), so a search gives the same answer whichever runs its
//! trainings: a training is deterministic given the architecture, the settings and the
//! checkpoint it starts from.
//!
//! Files live in a work folder ([`WorkDir`]) that every worker can reach:
//! - `checkpoints/<genotype>-<schedule>-s<S>/epoch-NNNN/`: one checkpoint per finished epoch
//!   ([`Checkpoints`]), written atomically;
//! - `results/<genotype>-<schedule>-s<S>-e<E>.json`: the result of training to epoch `E` of
//!   an `S`-epoch schedule, written atomically. A finished result is reused, never
//!   recomputed: a search started again with the same arguments continues where it stopped.
//!   Files are named by what they hold, never by a Slurm job id (ids are reused);
//! - `logs/<same name>.log`: everything a worker printed, attempt after attempt.

use super::data::{DataSpec, Dataset};
use super::train::{Checkpoints, EpochReport, TrainConfig, Trainer};
use crate::error::{Error, ErrorKind, Result};
use crate::files::AtomicFile;
use crate::space::nb201::Nb201Arch;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What every training of one search shares: the images and the recipe. A result is reused
/// only when it was computed with equal settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSettings {
    /// Where the images come from and how they are split.
    pub data: DataSpec,
    /// The recipe; its `schedule_epochs` is each task's own.
    pub train: TrainConfig,
}

/// One training job: `arch` on a `schedule_epochs`-epoch schedule named `schedule`, trained
/// from its latest checkpoint to epoch `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainTask {
    /// The architecture.
    pub arch: Nb201Arch,
    /// The schedule's name (the fidelity's, e.g. `live`).
    pub schedule: String,
    /// The schedule's length in epochs.
    pub schedule_epochs: u32,
    /// The epoch to train to.
    pub until: u32,
}

impl TrainTask {
    /// The name of its checkpoint folder: genotype, schedule and its length.
    fn run_name(&self) -> String {
        let schedule: String = self
            .schedule
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!(
            "{}-{schedule}-s{}",
            self.arch.genotype_string(),
            self.schedule_epochs
        )
    }
    /// The name of its result and log files.
    pub fn key(&self) -> String {
        format!("{}-e{}", self.run_name(), self.until)
    }
    /// How a person reads it: arch string and epochs.
    pub fn describe(&self) -> String {
        format!(
            "{} to epoch {} of {} ({})",
            self.arch.arch_string(),
            self.until,
            self.schedule_epochs,
            self.schedule
        )
    }
}

/// What a finished training job wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// The architecture (arch string).
    pub arch: String,
    /// The schedule's length in epochs.
    pub schedule_epochs: u32,
    /// The epoch trained to.
    pub until: u32,
    /// The settings it was trained with (`train.schedule_epochs` is the task's).
    pub settings: TaskSettings,
    /// What epoch `until` gave.
    pub report: EpochReport,
    /// The epoch the job started from (its latest checkpoint; 0 for a fresh network).
    pub from_epoch: u32,
    /// Epochs this job trained.
    pub epochs_trained: u32,
    /// Wall seconds of the job's training (loading, training, validating, saving; not
    /// reading the images).
    pub seconds: f64,
    /// Who ran it (a process id, or a Slurm job and array task), for the record.
    pub worker: String,
    /// Whether this result was read back from an earlier run rather than computed now.
    #[serde(skip)]
    pub reused: bool,
}

/// The shared work folder of a live search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkDir {
    root: PathBuf,
}

impl WorkDir {
    /// The work folder `root`, made absolute (workers may start in other folders).
    pub fn new(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root).map_err(|e| Error::from(e).context(root.display()))?;
        let root = root
            .canonicalize()
            .map_err(|e| Error::from(e).context(root.display()))?;
        for sub in ["checkpoints", "results", "logs"] {
            let d = root.join(sub);
            std::fs::create_dir_all(&d).map_err(|e| Error::from(e).context(d.display()))?;
        }
        Ok(Self { root })
    }
    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
    /// The checkpoint folder of `task`'s training run.
    pub fn checkpoints(&self, task: &TrainTask) -> PathBuf {
        self.root.join("checkpoints").join(task.run_name())
    }
    /// The result file of `task`.
    pub fn result(&self, task: &TrainTask) -> PathBuf {
        self.root
            .join("results")
            .join(format!("{}.json", task.key()))
    }
    /// The log file of `task`'s workers.
    pub fn log(&self, task: &TrainTask) -> PathBuf {
        self.root.join("logs").join(format!("{}.log", task.key()))
    }
}

/// The settings with `task`'s schedule length.
fn settings_for(settings: &TaskSettings, schedule_epochs: u32) -> TaskSettings {
    let mut s = settings.clone();
    s.train.schedule_epochs = schedule_epochs;
    s
}

/// The finished result at `path` for `arch` trained to `until` of `schedule_epochs` with
/// `settings`, if there is one. A result of other settings is an error (the work folder
/// belongs to another search); a file that is not a result is ignored (recomputed).
pub fn read_result(
    path: &Path,
    settings: &TaskSettings,
    arch: Nb201Arch,
    schedule_epochs: u32,
    until: u32,
) -> Result<Option<TaskResult>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(None);
    };
    let Ok(mut r) = serde_json::from_str::<TaskResult>(&text) else {
        return Ok(None);
    };
    let want = settings_for(settings, schedule_epochs);
    if r.arch != arch.arch_string()
        || r.until != until
        || r.schedule_epochs != schedule_epochs
        || r.settings != want
    {
        return Err(Error::param(format!(
            "{} holds the result of another training (other architecture, epochs, images or recipe): give this search its own work folder, or remove that one",
            path.display()
        )));
    }
    r.reused = true;
    Ok(Some(r))
}

/// Trains `arch` from its latest checkpoint in `checkpoints` (at most epoch `until`; a fresh
/// network if there is none) to epoch `until` of a `schedule_epochs`-epoch schedule on
/// `data` (loaded from `settings.data`), saving a checkpoint after every epoch, and writes
/// the result to `result` atomically. A finished result already there is returned as it is.
#[allow(clippy::too_many_arguments)]
pub fn run(
    settings: &TaskSettings,
    arch: Nb201Arch,
    schedule_epochs: u32,
    until: u32,
    checkpoints: &Checkpoints,
    result: &Path,
    data: &Dataset,
    device: &Device,
    worker: &str,
) -> Result<TaskResult> {
    if let Some(r) = read_result(result, settings, arch, schedule_epochs, until)? {
        return Ok(r);
    }
    let start = Instant::now();
    let settings = settings_for(settings, schedule_epochs);
    let mut trainer = match checkpoints.latest(until) {
        Some(epoch) => {
            let t = checkpoints.load(epoch, device)?;
            if t.arch != arch || t.config != settings.train {
                return Err(Error::param(format!(
                    "checkpoint {} is of another training (architecture or recipe): give this search its own work folder, or remove that one",
                    checkpoints.epoch_dir(epoch).display()
                )));
            }
            t
        }
        None => Trainer::new(
            arch,
            settings.train.clone(),
            data.train.channel_stats(),
            device,
        )?,
    };
    let from_epoch = trainer.epochs_done();
    while trainer.epochs_done() < until {
        let next = trainer.epochs_done() + 1;
        trainer.train_until(data, next, |_| {}, |_, _| {})?;
        checkpoints.save(&trainer)?;
    }
    let report = trainer
        .history()
        .iter()
        .find(|r| r.epoch == until)
        .cloned()
        .ok_or_else(|| {
            Error::missing(format!(
                "the checkpoints in {} have no record of epoch {until}",
                checkpoints.dir().display()
            ))
        })?;
    let out = TaskResult {
        arch: arch.arch_string(),
        schedule_epochs,
        until,
        settings,
        report,
        from_epoch,
        epochs_trained: until.saturating_sub(from_epoch),
        seconds: start.elapsed().as_secs_f64(),
        worker: worker.to_string(),
        reused: false,
    };
    if let Some(dir) = result.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::from(e).context(dir.display()))?;
    }
    let mut file = AtomicFile::create(result, true)?;
    let json = serde_json::to_string_pretty(&out).expect("serialisable");
    file.write_all(json.as_bytes())
        .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", result.display())))?;
    file.commit()?;
    Ok(out)
}

/// The arguments of `mfnas train` that run `task` in a worker process with `settings`,
/// checkpoints and result in `work`.
pub fn worker_args(settings: &TaskSettings, work: &WorkDir, task: &TrainTask) -> Vec<String> {
    let d = &settings.data;
    let t = &settings.train;
    let mut a: Vec<String> = vec![
        "train".into(),
        "--arch".into(),
        task.arch.arch_string(),
        "--data".into(),
        d.path.display().to_string(),
    ];
    if let Some(n) = d.train_limit {
        a.extend(["--train-images".into(), n.to_string()]);
    }
    if let Some(n) = d.val_limit {
        a.extend(["--val-images".into(), n.to_string()]);
    }
    a.extend([
        "--val-fraction".into(),
        d.val_fraction.to_string(),
        "--data-seed".into(),
        d.seed.to_string(),
        "--channels".into(),
        t.net.channels.to_string(),
        "--cells".into(),
        t.net.cells_per_stage.to_string(),
        "--batch-size".into(),
        t.batch_size.to_string(),
        "--lr".into(),
        t.lr.to_string(),
        "--seed".into(),
        t.seed.to_string(),
        "--schedule".into(),
        task.schedule_epochs.to_string(),
        "--checkpoint".into(),
        work.checkpoints(task).display().to_string(),
        "--until".into(),
        task.until.to_string(),
        "--result".into(),
        work.result(task).display().to_string(),
    ]);
    a
}
