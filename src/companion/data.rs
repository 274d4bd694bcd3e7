//! Labelled images in memory, loaded from the CIFAR-10 JPEG shards, CIFAR binary files or a
//! folder of class sub-folders, with NB201's augmentation (random crop with 4 pixels of
//! padding, horizontal flip) driven by the crate's seeded [`Rng`].

//!
//! The in-memory part builds for wasm; the file readers need the `images` feature and the
//! tensor [`Batcher`] the `model` feature.

#[cfg(feature = "images")]
use crate::error::{Error, ErrorKind, Result};
use crate::rng::Rng;
#[cfg(feature = "model")]
use burn::tensor::{Device, Int, Tensor, TensorData};
#[cfg(feature = "images")]
use std::io::Read;
#[cfg(feature = "images")]
use std::path::{Path, PathBuf};

/// Images of one size, stored as bytes in channel-major (CHW) order per image.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSet {
    /// Pixel bytes, `len = n × channels × height × width`.
    pub pixels: Vec<u8>,
    /// Class id per image.
    pub labels: Vec<u16>,
    /// Channels per image (3 colour, 1 grey).
    pub channels: usize,
    /// Image height.
    pub height: usize,
    /// Image width.
    pub width: usize,
    /// Class names by id.
    pub classes: Vec<String>,
}

impl ImageSet {
    fn empty(channels: usize, height: usize, width: usize, classes: Vec<String>) -> Self {
        Self {
            pixels: Vec::new(),
            labels: Vec::new(),
            channels,
            height,
            width,
            classes,
        }
    }
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    /// Bytes per image.
    pub fn image_len(&self) -> usize {
        self.channels * self.height * self.width
    }
    /// The bytes of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.image_len();
        &self.pixels[i * n..(i + 1) * n]
    }
    fn push(&mut self, chw: &[u8], label: u16) {
        self.pixels.extend_from_slice(chw);
        self.labels.push(label);
    }
    /// The images `indices` (in that order) as a new set.
    pub fn select(&self, indices: &[usize]) -> Self {
        let mut out = Self::empty(self.channels, self.height, self.width, self.classes.clone());
        for &i in indices {
            out.push(self.image(i), self.labels[i]);
        }
        out
    }
    /// At most `k` images, the same number from every class as far as possible, drawn with
    /// `rng`; the result keeps the original order.
    pub fn balanced_subset(&self, k: usize, rng: &mut Rng) -> Self {
        if k >= self.len() {
            return self.clone();
        }
        self.select(&self.balanced_indices(k, rng))
    }
    /// The indices [`ImageSet::balanced_subset`] picks (`k` below the set's size), sorted.
    pub fn balanced_indices(&self, k: usize, rng: &mut Rng) -> Vec<usize> {
        let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); self.classes.len()];
        for (i, &l) in self.labels.iter().enumerate() {
            by_class[l as usize].push(i);
        }
        for c in by_class.iter_mut() {
            rng.shuffle(c);
        }
        let mut picked = Vec::with_capacity(k);
        let mut round = 0;
        while picked.len() < k {
            let mut any = false;
            for c in &by_class {
                if let Some(&i) = c.get(round) {
                    any = true;
                    if picked.len() < k {
                        picked.push(i);
                    }
                }
            }
            if !any {
                break;
            }
            round += 1;
        }
        picked.sort_unstable();
        picked
    }
    /// Per-channel mean and standard deviation of the pixels scaled to [0, 1].
    pub fn channel_stats(&self) -> Normalization {
        let mut sum = vec![0f64; self.channels];
        let mut sq = vec![0f64; self.channels];
        let plane = self.height * self.width;
        for img in self.pixels.chunks_exact(self.image_len()) {
            for c in 0..self.channels {
                for &p in &img[c * plane..(c + 1) * plane] {
                    let v = p as f64 / 255.0;
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        let n = (self.len() * plane).max(1) as f64;
        let mean: Vec<f32> = sum.iter().map(|s| (s / n) as f32).collect();
        let std: Vec<f32> = sq
            .iter()
            .zip(&sum)
            .map(|(q, s)| ((q / n - (s / n) * (s / n)).max(1e-12).sqrt()) as f32)
            .collect();
        Normalization { mean, std }
    }
}

/// Per-channel normalisation `(x / 255 − mean) / std`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Normalization {
    /// Mean per channel on the [0, 1] scale.
    pub mean: Vec<f32>,
    /// Standard deviation per channel on the [0, 1] scale.
    pub std: Vec<f32>,
}

/// A training and a validation set of the same image shape and classes.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Images to train on.
    pub train: ImageSet,
    /// Images to validate on.
    pub val: ImageSet,
    /// Where it came from, for reports.
    pub source: String,
}

#[cfg(feature = "model")]
/// Turns images into normalised tensors, with or without augmentation.
#[derive(Debug, Clone)]
pub struct Batcher {
    /// The normalisation applied to every image.
    pub norm: Normalization,
    /// Padding of the random crop (NB201: 4); 0 disables cropping.
    pub crop_pad: usize,
    /// Whether to flip horizontally with probability 1/2.
    pub flip: bool,
}

#[cfg(feature = "model")]
impl Batcher {
    /// NB201's training augmentation with the given normalisation.
    pub fn nb201(norm: Normalization) -> Self {
        Self {
            norm,
            crop_pad: 4,
            flip: true,
        }
    }
    /// Builds the batch of images `indices`. With `rng`, each image is randomly cropped
    /// (zero padding, like torchvision's `RandomCrop(padding=4)`) and flipped; without, the
    /// images are used as they are.
    pub fn batch(
        &self,
        set: &ImageSet,
        indices: &[usize],
        mut rng: Option<&mut Rng>,
        device: &Device,
    ) -> (Tensor<4>, Tensor<1, Int>) {
        let (c, h, w) = (set.channels, set.height, set.width);
        let mut data = Vec::with_capacity(indices.len() * c * h * w);
        let mut labels = Vec::with_capacity(indices.len());
        for &i in indices {
            let img = set.image(i);
            let (dy, dx, flip) = match rng.as_deref_mut() {
                Some(r) => {
                    let p = self.crop_pad;
                    let dy = r.below(2 * p + 1) as isize - p as isize;
                    let dx = r.below(2 * p + 1) as isize - p as isize;
                    let flip = self.flip && r.below(2) == 1;
                    (dy, dx, flip)
                }
                None => (0, 0, false),
            };
            for ch in 0..c {
                let (m, s) = (self.norm.mean[ch], self.norm.std[ch]);
                let pad_value = (0.0 - m) / s;
                for y in 0..h {
                    let sy = y as isize + dy;
                    for x in 0..w {
                        let xx = if flip { w - 1 - x } else { x };
                        let sx = xx as isize + dx;
                        let v = if sy < 0 || sx < 0 || sy >= h as isize || sx >= w as isize {
                            pad_value
                        } else {
                            let p = img[ch * h * w + sy as usize * w + sx as usize];
                            (p as f32 / 255.0 - m) / s
                        };
                        data.push(v);
                    }
                }
            }
            labels.push(set.labels[i] as i64);
        }
        let n = indices.len();
        let x = Tensor::<4>::from_data(TensorData::new(data, [n, c, h, w]), device);
        let y = Tensor::<1, Int>::from_data(TensorData::new(labels, [n]), device);
        (x, y)
    }
}

#[cfg(feature = "images")]
fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("{}: {e}", path.display()))
}

#[cfg(feature = "images")]
fn source_err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::SourceData, msg)
}

#[cfg(feature = "images")]
/// Decodes an encoded image (JPEG or PNG) into CHW bytes with `channels` channels.
fn decode(bytes: &[u8], channels: usize, what: &str) -> Result<(Vec<u8>, usize, usize)> {
    let img = image::load_from_memory(bytes)
        .map_err(|e| source_err(format!("{what} is not a readable JPEG/PNG image: {e}")))?;
    let (w, h) = (img.width() as usize, img.height() as usize);
    let interleaved = if channels == 1 {
        img.into_luma8().into_raw()
    } else {
        img.into_rgb8().into_raw()
    };
    let mut chw = vec![0u8; channels * h * w];
    for (i, px) in interleaved.chunks_exact(channels).enumerate() {
        for (c, &v) in px.iter().enumerate() {
            chw[c * h * w + i] = v;
        }
    }
    Ok((chw, h, w))
}

#[cfg(feature = "images")]
/// Reads a tar.gz of `<split>/<class>/<file>.jpg` entries (the layout of the CIFAR-10 JPEG
/// shards). Classes are numbered in sorted name order (CIFAR-10's official ids).
/// `per_class` keeps only the first images of each class, in archive order.
pub fn load_jpeg_tar(path: &Path, per_class: Option<usize>) -> Result<ImageSet> {
    let file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for entry in archive.entries().map_err(|e| io_err(path, e))? {
        let mut entry = entry.map_err(|e| io_err(path, e))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map_err(|e| io_err(path, e))?
            .to_string_lossy()
            .into_owned();
        let parts: Vec<&str> = name.trim_start_matches("./").split('/').collect();
        if parts.len() < 2 {
            continue;
        }
        let class = parts[parts.len() - 2].to_string();
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".jpg") || lower.ends_with(".jpeg") || lower.ends_with(".png")) {
            continue;
        }
        let seen = counts.entry(class.clone()).or_insert(0);
        *seen += 1;
        if per_class.is_some_and(|k| *seen > k) {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| io_err(path, e))?;
        entries.push((format!("{class}/{name}"), bytes));
    }
    let classes: Vec<String> = counts.keys().cloned().collect();
    if classes.len() < 2 {
        return Err(source_err(format!(
            "{} holds images of {} class(es); expected entries <split>/<class>/<image>.jpg for at least 2 classes",
            path.display(),
            classes.len()
        )));
    }
    build_set(entries, &classes, 3, &path.display().to_string())
}

#[cfg(feature = "images")]
fn build_set(
    entries: Vec<(String, Vec<u8>)>,
    classes: &[String],
    channels: usize,
    origin: &str,
) -> Result<ImageSet> {
    let mut set: Option<ImageSet> = None;
    for (key, bytes) in entries {
        let class = key.split('/').next().unwrap_or_default();
        let label = classes
            .iter()
            .position(|c| c == class)
            .expect("known class") as u16;
        let (chw, h, w) = decode(&bytes, channels, &format!("{origin}: {key}"))?;
        let s = set.get_or_insert_with(|| ImageSet::empty(channels, h, w, classes.to_vec()));
        if (h, w) != (s.height, s.width) {
            return Err(source_err(format!(
                "{origin}: {key} is {w}×{h} but the first image is {}×{}; all images must have one size (resize them first)",
                s.width, s.height
            )));
        }
        s.push(&chw, label);
    }
    set.ok_or_else(|| source_err(format!("{origin}: no images found")))
}

#[cfg(feature = "images")]
/// Reads CIFAR binary files: records of 1 label byte (CIFAR-10) or 2 (CIFAR-100: coarse,
/// fine; the fine label is used) followed by 1024 red, 1024 green and 1024 blue bytes.
pub fn load_cifar_binary(files: &[PathBuf], classes: usize) -> Result<ImageSet> {
    let label_bytes = if classes > 10 { 2 } else { 1 };
    let rec = label_bytes + 3072;
    let names = (0..classes).map(|c| c.to_string()).collect();
    let mut set = ImageSet::empty(3, 32, 32, names);
    for f in files {
        let bytes = std::fs::read(f).map_err(|e| io_err(f, e))?;
        if bytes.is_empty() || bytes.len() % rec != 0 {
            return Err(source_err(format!(
                "{} has {} bytes, not a multiple of the {rec}-byte CIFAR record ({label_bytes} label byte(s) + 3072 pixels); is it a CIFAR-{} binary file?",
                f.display(),
                bytes.len(),
                if classes > 10 { 100 } else { 10 }
            )));
        }
        for r in bytes.chunks_exact(rec) {
            let label = r[label_bytes - 1] as usize;
            if label >= classes {
                return Err(source_err(format!(
                    "{}: label {label} is not below {classes}",
                    f.display()
                )));
            }
            set.push(&r[label_bytes..], label as u16);
        }
    }
    Ok(set)
}

#[cfg(feature = "images")]
fn list_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io_err(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    Ok(v)
}

#[cfg(feature = "images")]
/// Reads a folder whose sub-folders are classes holding JPEG/PNG images of one size.
pub fn load_folder(dir: &Path, channels: usize) -> Result<ImageSet> {
    let mut classes = Vec::new();
    let mut entries = Vec::new();
    for sub in list_dir(dir)? {
        if !sub.is_dir() {
            continue;
        }
        let class = sub
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for f in list_dir(&sub)? {
            let lower = f.to_string_lossy().to_ascii_lowercase();
            if lower.ends_with(".jpg") || lower.ends_with(".jpeg") || lower.ends_with(".png") {
                let bytes = std::fs::read(&f).map_err(|e| io_err(&f, e))?;
                let name = f
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                entries.push((format!("{class}/{name}"), bytes));
            }
        }
        classes.push(class);
    }
    if classes.len() < 2 {
        return Err(source_err(format!(
            "{} needs at least 2 class sub-folders of images (folder/<class>/<image>.jpg|png)",
            dir.display()
        )));
    }
    build_set(entries, &classes, channels, &dir.display().to_string())
}

#[cfg(feature = "images")]
/// Where to find images, how many to use, and how validation images are held out.
///
/// Validation images are always held out of the **training** images: of the training split
/// where the data has a train/test split (the CIFAR-10 JPEG shards, CIFAR binary files), of
/// all images of a plain folder. A dataset's test split is never read, so nothing selected
/// on validation scores has seen a test image.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DataSpec {
    /// A folder: the CIFAR-10 JPEG shards, CIFAR binary files, or class sub-folders; or a
    /// lab image file.
    pub path: PathBuf,
    /// Use at most this many training images (class-balanced, seeded), `None` for all left
    /// after the validation images are held out.
    pub train_limit: Option<usize>,
    /// Validation images to hold out of the training images (class-balanced, seeded);
    /// `None`: `val_fraction` of them.
    pub val_limit: Option<usize>,
    /// Fraction of the training images held out for validation when `val_limit` is `None`
    /// (with `train_limit` set: the fraction of training plus validation images).
    pub val_fraction: f64,
    /// Seed of the hold-out and subset draws.
    pub seed: u64,
}

#[cfg(feature = "images")]
impl DataSpec {
    /// All images of `path`, 10 % of the training images held out for validation.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            train_limit: None,
            val_limit: None,
            val_fraction: 0.1,
            seed: 0,
        }
    }

    /// How many validation images to hold out of `pool` training images.
    fn val_count(&self, pool: usize) -> Result<usize> {
        let n = match (self.val_limit, self.train_limit) {
            (Some(v), _) => v,
            (None, t) => {
                if !(self.val_fraction > 0.0 && self.val_fraction < 1.0) {
                    return Err(Error::param(format!(
                        "validation fraction {} must be between 0 and 1",
                        self.val_fraction
                    )));
                }
                let f = self.val_fraction;
                match t {
                    Some(t) => (t as f64 * f / (1.0 - f)).round() as usize,
                    None => (pool as f64 * f).round() as usize,
                }
            }
        };
        if n == 0 {
            return Err(Error::param(
                "at least one validation image is needed: raise the validation images or fraction",
            ));
        }
        if n >= pool {
            return Err(Error::param(format!(
                "{n} validation images cannot be held out of {pool} training images: at least one must be left to train on"
            )));
        }
        Ok(n)
    }

    /// Images per class to read from a 10-class source that is read class by class, or
    /// `None` for all: the training images, and twice the held-out ones for the seeded
    /// draw of the validation images among them.
    fn per_class_of_10(&self) -> Option<usize> {
        let t = self.train_limit?;
        let v = match self.val_limit {
            Some(v) => v,
            None => self.val_count(usize::MAX).unwrap_or(0),
        };
        Some(t.div_ceil(10) + 2 * v.div_ceil(10))
    }
}

#[cfg(feature = "images")]
/// Holds validation images out of `pool` (the training images), class-balanced. With a
/// training limit `t`, the first `ceil(t / classes)` images of each class (in the source's
/// order) are the ones training draws from and validation is drawn from the others (so the
/// training set is the one a run without a hold-out drew); without one, the validation
/// images are a seeded draw and the rest train.
fn hold_out(pool: ImageSet, spec: &DataSpec, rng: &mut Rng) -> Result<(ImageSet, ImageSet)> {
    let n_val = spec.val_count(pool.len())?;
    let (train_idx, val_pool): (Vec<usize>, Vec<usize>) = match spec.train_limit {
        Some(t) => {
            let per_class = t.div_ceil(pool.classes.len().max(1));
            let mut seen = vec![0usize; pool.classes.len()];
            (0..pool.len()).partition(|&i| {
                let c = &mut seen[pool.labels[i] as usize];
                *c += 1;
                *c <= per_class
            })
        }
        None => {
            let val = pool.balanced_indices(n_val, rng);
            let mut is_val = vec![false; pool.len()];
            for &i in &val {
                is_val[i] = true;
            }
            ((0..pool.len()).filter(|&i| !is_val[i]).collect(), val)
        }
    };
    let train = pool.select(&train_idx);
    let val = pool.select(&val_pool);
    if train.is_empty() || val.is_empty() {
        return Err(Error::param(format!(
            "{} images cannot be split into training and {n_val} validation images",
            pool.len()
        )));
    }
    let train = match spec.train_limit {
        Some(k) => train.balanced_subset(k, rng),
        None => train,
    };
    let val = val.balanced_subset(n_val, rng);
    Ok((train, val))
}

#[cfg(feature = "images")]
/// Loads a dataset, recognising the layout of `spec.path`:
/// - `cifar10_train_jpg.tar.gz` (the shared CIFAR-10 JPEG shards);
/// - `data_batch_*.bin` (CIFAR-10 binary) or `train.bin` (CIFAR-100 binary, fine labels);
/// - otherwise a folder of class sub-folders;
/// - or a lab image file (the explorer's `lab/cifar10-lab.bin`, see [`super::lab::images`]):
///   its training and validation sets (the validation set is held out of CIFAR-10's training
///   split when the file is made).
///
/// The validation set is held out of the training images ([`DataSpec`]); test splits
/// (`cifar10_test_jpg.tar.gz`, `test_batch.bin`, `test.bin`) are never opened.
/// [`Dataset::source`] says where the images came from and how they were split.
pub fn load(spec: &DataSpec) -> Result<Dataset> {
    let dir = &spec.path;
    let mut rng = Rng::new(spec.seed);
    if dir.is_file() {
        let bytes = std::fs::read(dir).map_err(|e| io_err(dir, e))?;
        let lab = super::lab::LabImages::decode(&bytes).map_err(|e| {
            e.context(format!(
                "{} (a file: expected a lab image file)",
                dir.display()
            ))
        })?;
        let train = match spec.train_limit {
            Some(k) => lab.train.balanced_subset(k, &mut rng),
            None => lab.train,
        };
        let val = match spec.val_limit {
            Some(k) => lab.val.balanced_subset(k, &mut rng),
            None => lab.val,
        };
        let source = format!(
            "lab image file {} ({}); validation: {} images held out of the training split when the file was made",
            dir.display(),
            lab.source,
            val.len()
        );
        return Ok(Dataset { train, val, source });
    }
    if !dir.is_dir() {
        return Err(Error::new(
            ErrorKind::Io,
            format!(
                "{} is not a folder; pass a folder with the CIFAR-10 JPEG shards, CIFAR binary files or class sub-folders of images, or a lab image file",
                dir.display()
            ),
        ));
    }
    let train_jpg = dir.join("cifar10_train_jpg.tar.gz");
    let (pool, what) = if train_jpg.is_file() {
        // The shards hold 10 classes in class folders; reading only the first images of
        // each class saves most of the load time of small runs.
        (
            load_jpeg_tar(&train_jpg, spec.per_class_of_10())?,
            format!("CIFAR-10 JPEG shards in {} (training split)", dir.display()),
        )
    } else if dir.join("data_batch_1.bin").is_file() {
        let files: Vec<PathBuf> = (1..=5)
            .map(|i| dir.join(format!("data_batch_{i}.bin")))
            .filter(|p| p.is_file())
            .collect();
        (
            load_cifar_binary(&files, 10)?,
            format!(
                "CIFAR-10 binary files in {} (training split)",
                dir.display()
            ),
        )
    } else if dir.join("train.bin").is_file() {
        (
            load_cifar_binary(&[dir.join("train.bin")], 100)?,
            format!(
                "CIFAR-100 binary files in {} (training split)",
                dir.display()
            ),
        )
    } else {
        (
            load_folder(dir, 3)?,
            format!("image folder {}", dir.display()),
        )
    };
    let read = pool.len();
    let (train, val) = hold_out(pool, spec, &mut rng)?;
    let source = format!(
        "{what}; validation: {} images held out of the {read} training images read (class-balanced, seed {}); no test image is read",
        val.len(),
        spec.seed
    );
    Ok(Dataset { train, val, source })
}
