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
        self.select(&picked)
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
/// Where to find images and how many to use.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSpec {
    /// A folder: the CIFAR-10 JPEG shards, CIFAR binary files, or class sub-folders.
    pub path: PathBuf,
    /// Use at most this many training images (class-balanced, seeded), `None` for all.
    pub train_limit: Option<usize>,
    /// Use at most this many validation images, `None` for all.
    pub val_limit: Option<usize>,
    /// Fraction of a plain folder held out for validation (folders without a split).
    pub val_fraction: f64,
    /// Seed of the subset draws.
    pub seed: u64,
}

#[cfg(feature = "images")]
impl DataSpec {
    /// All images of `path`, a 10 % validation split for plain folders.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            train_limit: None,
            val_limit: None,
            val_fraction: 0.1,
            seed: 0,
        }
    }
}

#[cfg(feature = "images")]
/// Loads a dataset, recognising the layout of `spec.path`:
/// - `cifar10_train_jpg.tar.gz` + `cifar10_test_jpg.tar.gz` (the shared CIFAR-10 JPEG shards);
/// - `data_batch_*.bin` + `test_batch.bin` (CIFAR-10 binary) or `train.bin` + `test.bin`
///   (CIFAR-100 binary, fine labels);
/// - otherwise a folder of class sub-folders, split into train/validation by `val_fraction`;
/// - or a lab image file (the explorer's `lab/cifar10-lab.bin`, see [`super::lab::images`]):
///   its training and validation sets.
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
        return Ok(Dataset {
            train,
            val,
            source: format!("lab image file {} ({})", dir.display(), lab.source),
        });
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
    // The shards hold 10 classes in class folders; reading only the first images of each
    // class saves most of the load time of small runs.
    let per_class = |limit: Option<usize>| limit.map(|k: usize| k.div_ceil(10));
    let train_jpg = dir.join("cifar10_train_jpg.tar.gz");
    let (train, val, source) = if train_jpg.is_file() {
        let val_jpg = dir.join("cifar10_test_jpg.tar.gz");
        let train = load_jpeg_tar(&train_jpg, per_class(spec.train_limit))?;
        let val = load_jpeg_tar(&val_jpg, per_class(spec.val_limit))?;
        (
            train,
            val,
            format!("CIFAR-10 JPEG shards in {}", dir.display()),
        )
    } else if dir.join("data_batch_1.bin").is_file() {
        let files: Vec<PathBuf> = (1..=5)
            .map(|i| dir.join(format!("data_batch_{i}.bin")))
            .filter(|p| p.is_file())
            .collect();
        let train = load_cifar_binary(&files, 10)?;
        let val = load_cifar_binary(&[dir.join("test_batch.bin")], 10)?;
        (
            train,
            val,
            format!("CIFAR-10 binary files in {}", dir.display()),
        )
    } else if dir.join("train.bin").is_file() && dir.join("test.bin").is_file() {
        let train = load_cifar_binary(&[dir.join("train.bin")], 100)?;
        let val = load_cifar_binary(&[dir.join("test.bin")], 100)?;
        (
            train,
            val,
            format!("CIFAR-100 binary files in {}", dir.display()),
        )
    } else {
        let all = load_folder(dir, 3)?;
        if !(spec.val_fraction > 0.0 && spec.val_fraction < 1.0) {
            return Err(Error::param(format!(
                "validation fraction {} must be between 0 and 1",
                spec.val_fraction
            )));
        }
        let mut order: Vec<usize> = (0..all.len()).collect();
        rng.shuffle(&mut order);
        let n_val =
            ((all.len() as f64 * spec.val_fraction).round() as usize).clamp(1, all.len() - 1);
        let mut val_idx = order[..n_val].to_vec();
        let mut train_idx = order[n_val..].to_vec();
        val_idx.sort_unstable();
        train_idx.sort_unstable();
        (
            all.select(&train_idx),
            all.select(&val_idx),
            format!("image folder {}", dir.display()),
        )
    };
    if train.classes != val.classes || (train.height, train.width) != (val.height, val.width) {
        return Err(source_err(format!(
            "{}: training and validation images differ in classes or size",
            dir.display()
        )));
    }
    let train = match spec.train_limit {
        Some(k) => train.balanced_subset(k, &mut rng),
        None => train,
    };
    let val = match spec.val_limit {
        Some(k) => val.balanced_subset(k, &mut rng),
        None => val,
    };
    Ok(Dataset { train, val, source })
}
