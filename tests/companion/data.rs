//! Image loading: the JPEG decoder agrees with the published reference decode, and the
//! augmentation keeps images inside their padded frame.

use super::companion_common;

use mfnas::companion::data::{self, Batcher, DataSpec, load_jpeg_tar};
use mfnas::companion::net::cpu;
use mfnas::rng::Rng;

#[test]
fn decoded_cifar_jpegs_match_the_pillow_reference_within_decoder_rounding() {
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let set = load_jpeg_tar(&dir.join("cifar10_test_jpg.tar.gz"), Some(10)).unwrap();
    let reference = std::fs::read(dir.join("test_first10perclass_decoded_pillow.bin")).unwrap();
    assert_eq!(set.len(), 100);
    assert_eq!(reference.len(), 100 * 3073);
    let (mut sum, mut max) = (0u64, 0u8);
    for (i, rec) in reference.chunks_exact(3073).enumerate() {
        assert_eq!(rec[0] as u16, set.labels[i], "label of image {i}");
        for (a, b) in rec[1..].iter().zip(set.image(i)) {
            let d = a.abs_diff(*b);
            sum += d as u64;
            max = max.max(d);
        }
    }
    let mean = sum as f64 / (100.0 * 3072.0);
    eprintln!("decoder vs Pillow: mean |diff| {mean:.3}, max {max}");
    // Different IDCT/upsampling implementations differ by a few levels at most.
    assert!(mean < 1.0, "mean abs difference {mean}");
    assert!(max <= 16, "max abs difference {max}");
}

#[test]
fn a_class_balanced_subset_takes_the_same_count_from_every_class() {
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let mut spec = DataSpec::new(&dir);
    spec.train_limit = Some(200);
    spec.val_limit = Some(50);
    let d = data::load(&spec).unwrap();
    assert_eq!((d.train.len(), d.val.len()), (200, 50));
    for c in 0..10u16 {
        assert_eq!(d.train.labels.iter().filter(|&&l| l == c).count(), 20);
    }
}

#[test]
fn augmented_batches_have_the_image_shape_and_normalised_values() {
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let set = load_jpeg_tar(&dir.join("cifar10_test_jpg.tar.gz"), Some(2)).unwrap();
    let norm = set.channel_stats();
    let b = Batcher::nb201(norm);
    let mut rng = Rng::new(3);
    let (x, y) = b.batch(&set, &[0, 5, 19], Some(&mut rng), &cpu());
    assert_eq!(x.dims(), [3, 3, 32, 32]);
    assert_eq!(y.dims(), [3]);
    let v: Vec<f32> = x.into_data().try_into_vec().unwrap();
    assert!(v.iter().all(|p| p.is_finite() && p.abs() < 10.0));
}

#[test]
fn a_folder_that_is_not_there_is_a_clear_error() {
    let e = data::load(&DataSpec::new("/nonexistent/images")).unwrap_err();
    assert!(e.message().contains("not a folder"), "{e}");
}

#[test]
fn the_lab_files_validation_images_are_held_out_from_the_training_split_and_never_trained_on() {
    use mfnas::companion::lab::{LabImageSpec, LabImages};
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let spec = LabImageSpec {
        train_per_class: 6,
        val_per_class: 3,
        proxy_per_class: 2,
        train_side: 32,
    };
    let lab = LabImages::from_cifar10_jpg(&dir, spec).unwrap();
    // The training split's first 9 images of each class, in CIFAR-10's order.
    let pool = load_jpeg_tar(&dir.join("cifar10_train_jpg.tar.gz"), Some(9)).unwrap();
    let images = |set: &data::ImageSet| -> Vec<Vec<u8>> {
        (0..set.len()).map(|i| set.image(i).to_vec()).collect()
    };
    let (train, val, pool) = (images(&lab.train), images(&lab.val), images(&pool));
    assert_eq!((train.len(), val.len()), (60, 30));
    assert_held_out(&val, &train, &pool);
    // Every class is held out equally.
    let mut per_class = [0usize; 10];
    lab.val
        .labels
        .iter()
        .for_each(|&l| per_class[l as usize] += 1);
    assert_eq!(per_class, [3; 10]);
}

/// A folder with the CIFAR-10 training shard and a "test shard" that is not an archive.
fn training_shard_only(real: &std::path::Path, name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("mfnas-split-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::os::unix::fs::symlink(
        real.join("cifar10_train_jpg.tar.gz"),
        d.join("cifar10_train_jpg.tar.gz"),
    )
    .unwrap();
    std::fs::write(d.join("cifar10_test_jpg.tar.gz"), b"not an archive").unwrap();
    d
}

#[test]
fn validation_images_are_held_out_of_the_training_split_and_the_test_split_is_never_read() {
    let Some(real) = companion_common::cifar_jpg() else {
        return;
    };
    let dir = training_shard_only(&real, "holdout");
    let mut spec = DataSpec::new(&dir);
    spec.train_limit = Some(200);
    spec.val_limit = Some(100);
    spec.seed = 3;
    // Loading would fail if it opened the test shard.
    let d = data::load(&spec).unwrap();
    assert_eq!((d.train.len(), d.val.len()), (200, 100));
    assert!(
        d.source.contains("100 images held out") && d.source.contains("seed 3"),
        "the split is stated: {}",
        d.source
    );
    let images = |set: &data::ImageSet| -> Vec<Vec<u8>> {
        (0..set.len()).map(|i| set.image(i).to_vec()).collect()
    };
    // The first 40 images of each class of the training split hold both sets.
    let pool = images(&load_jpeg_tar(&real.join("cifar10_train_jpg.tar.gz"), Some(40)).unwrap());
    let (train, val) = (images(&d.train), images(&d.val));
    assert_held_out(&val, &train, &pool);
    for t in &train {
        assert!(
            pool.contains(t),
            "a training image is not from the training split"
        );
    }
    let mut per_class = [0usize; 10];
    d.val
        .labels
        .iter()
        .for_each(|&l| per_class[l as usize] += 1);
    assert_eq!(per_class, [10; 10], "class-balanced hold-out");
    // Another seed holds out other images (validation is drawn, not fixed); the training
    // images do not depend on the hold-out.
    spec.seed = 4;
    let e = data::load(&spec).unwrap();
    assert_ne!(images(&e.val), val);
    spec.val_limit = Some(50);
    spec.seed = 3;
    assert_eq!(images(&data::load(&spec).unwrap().train), train);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn live_search_refuses_to_select_on_test_accuracy() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mfnas"))
        .args([
            "search",
            "--live",
            "--data",
            "/nonexistent",
            "--budget",
            "10",
            "--stage2-metric",
            "valtest_acc",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("valtest_acc"), "{stderr}");
}

/// Every validation image comes from the training split (`pool`) and none is a training image.
fn assert_held_out(val: &[Vec<u8>], train: &[Vec<u8>], pool: &[Vec<u8>]) {
    for v in val {
        assert!(
            pool.contains(v),
            "a validation image is not from the training split"
        );
        assert!(
            !train.contains(v),
            "a validation image is also a training image"
        );
    }
}
