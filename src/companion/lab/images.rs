//! The lab's image set: training, validation and proxy images of CIFAR-10 in one small
//! binary file that the explorer ships and the command line reads back.
//!
//! The images are the first ones of each class of the CIFAR-10 *training* split of the JPEG
//! shards (their index within the class is CIFAR-10's own order): the training images, then the
//! validation images held out after them (so validation never touches the test split), decoded once by the crate's JPEG reader at build time,
//! so the page never decodes JPEG and every reader sees the same pixels. Training and
//! validation images may be reduced to a smaller square by box averaging (e.g. 16 × 16: the
//! mean of each 2 × 2 block, rounded), which makes training in a browser four times cheaper;
//! proxy images keep CIFAR's 32 × 32, the size the benchmark's proxies were computed at.
//!
//! File layout (little endian): `MFLI`, format version (1 byte), header length (u32), a JSON
//! header ([`Header`]), then per set in header order its labels (1 byte each) and its pixels
//! (CHW bytes per image), and a CRC-32 of everything before it.

use super::super::data::ImageSet;
use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

/// The file's first four bytes.
pub const MAGIC: &[u8; 4] = b"MFLI";
/// The format version this code writes and reads.
pub const VERSION: u8 = 1;

/// How many images of each kind, and the training image size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabImageSpec {
    /// Training images per class (the first ones of the training split).
    pub train_per_class: usize,
    /// Validation images per class (the training split's next ones after the training images:
    /// held out from training).
    pub val_per_class: usize,
    /// Proxy images per class, at 32 × 32 (the first ones of the training split).
    pub proxy_per_class: usize,
    /// Side of the training and validation images: 32 keeps CIFAR's, smaller sides must
    /// divide 32 (box averaging).
    pub train_side: usize,
}

impl Default for LabImageSpec {
    /// What the explorer ships: 2,000 training and 500 validation images at 16 × 16, and
    /// 80 proxy images at 32 × 32.
    fn default() -> Self {
        Self {
            train_per_class: 200,
            val_per_class: 50,
            proxy_per_class: 8,
            train_side: 16,
        }
    }
}

impl LabImageSpec {
    /// Checks the counts and the size and says what to change.
    pub fn check(&self) -> Result<()> {
        if self.train_per_class == 0 || self.val_per_class == 0 || self.proxy_per_class == 0 {
            return Err(Error::param(
                "the lab image set needs at least one training, validation and proxy image per class",
            ));
        }
        if self.train_side == 0 || self.train_side > 32 || 32 % self.train_side != 0 {
            return Err(Error::param(format!(
                "training image side {} must divide 32 (32, 16, 8, …)",
                self.train_side
            )));
        }
        Ok(())
    }
}

/// The JSON header of a lab image file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Where the images came from (for the page and reports).
    pub source: String,
    /// Class names by label.
    pub classes: Vec<String>,
    /// How the images were chosen.
    pub spec: LabImageSpec,
    /// The three sets, in payload order.
    pub sets: Vec<SetShape>,
}

/// The shape of one set in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetShape {
    /// `train`, `val` or `proxy`.
    pub name: String,
    /// Number of images.
    pub n: usize,
    /// Channels per image.
    pub channels: usize,
    /// Image height.
    pub height: usize,
    /// Image width.
    pub width: usize,
}

/// The lab's images.
#[derive(Debug, Clone, PartialEq)]
pub struct LabImages {
    /// Where they came from.
    pub source: String,
    /// How they were chosen.
    pub spec: LabImageSpec,
    /// Images to train on.
    pub train: ImageSet,
    /// Held-out images to validate on.
    pub val: ImageSet,
    /// Full-size images the proxy batches are drawn from.
    pub proxy: ImageSet,
}

const SET_NAMES: [&str; 3] = ["train", "val", "proxy"];

fn corrupt(msg: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::CorruptTable,
        format!("lab image file: {}", msg.into()),
    )
}

impl LabImages {
    fn sets(&self) -> [&ImageSet; 3] {
        [&self.train, &self.val, &self.proxy]
    }

    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let header = Header {
            source: self.source.clone(),
            classes: self.train.classes.clone(),
            spec: self.spec,
            sets: SET_NAMES
                .iter()
                .zip(self.sets())
                .map(|(name, s)| SetShape {
                    name: name.to_string(),
                    n: s.len(),
                    channels: s.channels,
                    height: s.height,
                    width: s.width,
                })
                .collect(),
        };
        let json = serde_json::to_vec(&header).expect("serialisable header");
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        for s in self.sets() {
            out.extend(s.labels.iter().map(|&l| l as u8));
            out.extend_from_slice(&s.pixels);
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Reads a lab image file, checking every size and the checksum.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < 13 || &bytes[..4] != MAGIC {
            return Err(corrupt(
                "not a lab image file (it must start with MFLI); rebuild it with scripts/build-lab.sh",
            ));
        }
        if bytes[4] != VERSION {
            return Err(corrupt(format!(
                "format version {} is not the {VERSION} this program reads; rebuild it with scripts/build-lab.sh",
                bytes[4]
            )));
        }
        let (body, tail) = bytes.split_at(bytes.len() - 4);
        let crc = u32::from_le_bytes(tail.try_into().expect("4 bytes"));
        if crc32fast::hash(body) != crc {
            return Err(corrupt(
                "checksum mismatch: the file is damaged or truncated; download or rebuild it",
            ));
        }
        let hlen = u32::from_le_bytes(body[5..9].try_into().expect("4 bytes")) as usize;
        let json = body
            .get(9..9 + hlen)
            .ok_or_else(|| corrupt("header longer than the file"))?;
        let header: Header =
            serde_json::from_slice(json).map_err(|e| corrupt(format!("bad header: {e}")))?;
        header.spec.check()?;
        if header.classes.len() < 2 || header.classes.len() > 256 {
            return Err(corrupt(format!(
                "{} classes; expected 2 to 256",
                header.classes.len()
            )));
        }
        let names: Vec<&str> = header.sets.iter().map(|s| s.name.as_str()).collect();
        if names != SET_NAMES {
            return Err(corrupt(format!("sets {names:?}; expected {SET_NAMES:?}")));
        }
        let mut at = 9 + hlen;
        let mut sets = Vec::with_capacity(3);
        for shape in &header.sets {
            let per = shape
                .channels
                .checked_mul(shape.height)
                .and_then(|v| v.checked_mul(shape.width))
                .filter(|&v| v > 0 && shape.channels <= 4)
                .ok_or_else(|| {
                    corrupt(format!("set {} has an impossible image shape", shape.name))
                })?;
            let len = shape
                .n
                .checked_mul(per + 1)
                .ok_or_else(|| corrupt("set sizes overflow"))?;
            let chunk = body
                .get(at..at + len)
                .ok_or_else(|| corrupt(format!("set {} is cut short", shape.name)))?;
            at += len;
            let (labels, pixels) = chunk.split_at(shape.n);
            if let Some(&l) = labels.iter().find(|&&l| l as usize >= header.classes.len()) {
                return Err(corrupt(format!(
                    "set {} has label {l} but only {} classes",
                    shape.name,
                    header.classes.len()
                )));
            }
            if shape.n == 0 {
                return Err(corrupt(format!("set {} is empty", shape.name)));
            }
            sets.push(ImageSet {
                pixels: pixels.to_vec(),
                labels: labels.iter().map(|&l| l as u16).collect(),
                channels: shape.channels,
                height: shape.height,
                width: shape.width,
                classes: header.classes.clone(),
            });
        }
        if at != body.len() {
            return Err(corrupt(format!(
                "{} bytes after the last set",
                body.len() - at
            )));
        }
        let proxy = sets.pop().expect("three sets");
        let val = sets.pop().expect("three sets");
        let train = sets.pop().expect("three sets");
        if (train.channels, train.height, train.width) != (val.channels, val.height, val.width) {
            return Err(corrupt("training and validation images differ in shape"));
        }
        Ok(Self {
            source: header.source,
            spec: header.spec,
            train,
            val,
            proxy,
        })
    }

    /// Takes the lab set from the CIFAR-10 JPEG shards in `dir`
    /// (`cifar10_train_jpg.tar.gz`; the test split is not used).
    #[cfg(feature = "images")]
    pub fn from_cifar10_jpg(dir: &std::path::Path, spec: LabImageSpec) -> Result<Self> {
        use super::super::data::load_jpeg_tar;
        spec.check()?;
        let train_tar = dir.join("cifar10_train_jpg.tar.gz");
        if !train_tar.is_file() {
            return Err(Error::new(
                ErrorKind::MissingData,
                format!(
                    "{} is missing; the lab images come from the CIFAR-10 JPEG shards (see the data README)",
                    train_tar.display()
                ),
            ));
        }
        let pool = (spec.train_per_class + spec.val_per_class).max(spec.proxy_per_class);
        let all_train = load_jpeg_tar(&train_tar, Some(pool))?;
        // Images `from..to` (in CIFAR-10's order) of each class.
        let range = |set: &ImageSet, from: usize, to: usize| {
            let mut seen = vec![0usize; set.classes.len()];
            let idx: Vec<usize> = (0..set.len())
                .filter(|&i| {
                    let c = &mut seen[set.labels[i] as usize];
                    *c += 1;
                    *c > from && *c <= to
                })
                .collect();
            set.select(&idx)
        };
        let train = range(&all_train, 0, spec.train_per_class);
        let val = range(
            &all_train,
            spec.train_per_class,
            spec.train_per_class + spec.val_per_class,
        );
        let proxy = range(&all_train, 0, spec.proxy_per_class);
        Ok(Self {
            source: format!(
                "CIFAR-10 training split (JPEG shards): per class the first {} images to train on, the next {} held out to validate on, and the first {} for proxies",
                spec.train_per_class, spec.val_per_class, spec.proxy_per_class
            ),
            spec,
            train: shrink(&train, spec.train_side),
            val: shrink(&val, spec.train_side),
            proxy,
        })
    }
}

/// `set` with every image reduced to `side` × `side` by averaging square blocks (rounded
/// half up); unchanged when it already has that size.
pub fn shrink(set: &ImageSet, side: usize) -> ImageSet {
    if set.height == side && set.width == side {
        return set.clone();
    }
    let f = set.height / side;
    assert!(
        f * side == set.height && f * side == set.width,
        "side {side} must divide the image size"
    );
    let area = (f * f) as u32;
    let mut pixels = Vec::with_capacity(set.len() * set.channels * side * side);
    for img in set.pixels.chunks_exact(set.image_len()) {
        for plane in img.chunks_exact(set.height * set.width) {
            for y in 0..side {
                for x in 0..side {
                    let mut sum = 0u32;
                    for dy in 0..f {
                        let row = (y * f + dy) * set.width + x * f;
                        sum += plane[row..row + f].iter().map(|&p| p as u32).sum::<u32>();
                    }
                    pixels.push(((sum + area / 2) / area) as u8);
                }
            }
        }
    }
    ImageSet {
        pixels,
        labels: set.labels.clone(),
        channels: set.channels,
        height: side,
        width: side,
        classes: set.classes.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(n: usize, side: usize, classes: usize) -> ImageSet {
        ImageSet {
            pixels: (0..n * 3 * side * side)
                .map(|i| (i * 7 % 251) as u8)
                .collect(),
            labels: (0..n).map(|i| (i % classes) as u16).collect(),
            channels: 3,
            height: side,
            width: side,
            classes: (0..classes).map(|c| format!("c{c}")).collect(),
        }
    }

    fn sample() -> LabImages {
        LabImages {
            source: "test".into(),
            spec: LabImageSpec {
                train_per_class: 2,
                val_per_class: 1,
                proxy_per_class: 1,
                train_side: 16,
            },
            train: set(6, 16, 3),
            val: set(3, 16, 3),
            proxy: set(3, 32, 3),
        }
    }

    #[test]
    fn a_lab_file_reads_back_as_written() {
        let lab = sample();
        assert_eq!(LabImages::decode(&lab.encode()).unwrap(), lab);
    }

    #[test]
    fn every_flipped_byte_and_every_truncation_is_rejected() {
        let bytes = sample().encode();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(LabImages::decode(&b).is_err(), "flip at {i}");
            assert!(LabImages::decode(&bytes[..i]).is_err(), "cut at {i}");
        }
    }

    #[test]
    fn shrinking_averages_each_block_rounded() {
        let s = ImageSet {
            pixels: vec![
                1, 2, 10, 10, //
                3, 4, 10, 11, //
                0, 0, 255, 255, //
                0, 1, 255, 254,
            ],
            labels: vec![0],
            channels: 1,
            height: 4,
            width: 4,
            classes: vec!["a".into(), "b".into()],
        };
        let t = shrink(&s, 2);
        // (1+2+3+4)/4 = 2.5 -> 3; 41/4 = 10.25 -> 10; 1/4 -> 0; 1019/4 = 254.75 -> 255.
        assert_eq!(t.pixels, vec![3, 10, 0, 255]);
        assert_eq!((t.height, t.width), (2, 2));
    }

    #[test]
    fn a_training_side_that_does_not_divide_32_is_refused_with_the_reason() {
        let spec = LabImageSpec {
            train_side: 12,
            ..LabImageSpec::default()
        };
        let e = spec.check().unwrap_err();
        assert!(e.to_string().contains("divide 32"), "{e}");
    }
}
