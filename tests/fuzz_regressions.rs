//! Replays every input under `fuzz/regressions/<target>/` through the check of its fuzz target,
//! so that what fuzzing found stays fixed on the stable toolchain, without the fuzzer.

use std::path::Path;

#[test]
fn every_regression_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    dirs.sort();
    let mut replayed = 0;
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            dir.is_dir(),
            "{}: expected only folders named after fuzz targets",
            dir.display()
        );
        let check = cybercap::fuzzing::target(&name).unwrap_or_else(|| {
            panic!(
                "{}: no fuzz target is named `{name}`; expected one of {:?}",
                dir.display(),
                cybercap::fuzzing::TARGETS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
            )
        });
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            // The file name in the failure says which input to open.
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{} fails its target", file.display());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression input under {}", root.display());
}
