//! File output: atomic writes, safe file names, and CSV cells that spreadsheets cannot execute.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename, then
/// fsync of the folder, so a reader sees the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, bytes, true)
}

/// `write_atomic` without the fsync of the folder, for many files in one folder: the caller
/// syncs the folder once with `sync_folder` when the batch is done.
pub fn write_atomic_in_batch(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, bytes, false)
}

/// Makes the renames done in `dir` durable.
pub fn sync_folder(dir: &Path) -> Result<(), Error> {
    sync_dir(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })
}

fn write_atomic_with(path: &Path, bytes: &[u8], sync_folder: bool) -> Result<(), Error> {
    let failed = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let temp = write_temp(path, bytes)?;
    temp.as_file().sync_all().map_err(failed)?;
    temp.persist(path).map_err(|e| failed(e.error))?;
    if sync_folder {
        sync_dir(folder_of(path)).map_err(failed)?;
    }
    Ok(())
}

/// The folder a file is written in: its parent, or the current folder for a bare name.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `bytes` in a temporary file beside `path`, with `path`'s permissions when it exists, not
/// yet flushed to disk.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, Error> {
    let failed = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let dir = folder_of(path);
    fs::create_dir_all(dir).map_err(failed)?;
    let mut temp = temp_file_in(dir).map_err(failed)?;
    temp.write_all(bytes).map_err(failed)?;
    keep_permissions(path, temp.as_file()).map_err(failed)?;
    Ok(temp)
}

/// A file of a batch, written beside its destination and not yet renamed over it.
pub struct Pending {
    temp: tempfile::TempPath,
    path: PathBuf,
}

/// Writes `bytes` to a temporary file beside `path` without flushing it to disk: one file of a
/// batch that [`commit`] makes durable and puts in place together.
pub fn write_pending(path: &Path, bytes: &[u8]) -> Result<Pending, Error> {
    Ok(Pending {
        temp: write_temp(path, bytes)?.into_temp_path(),
        path: path.to_owned(),
    })
}

/// Flushes to disk the files of a batch, all at once, then renames each over its destination
/// and syncs each folder once: every file is atomic as with [`write_atomic`], but hundreds of
/// chart files cost a few journal commits instead of two flushes each. Returns the paths written.
pub fn commit(pending: Vec<Pending>) -> Result<Vec<PathBuf>, Error> {
    // Flushes issued together are committed together by the file system's journal; the threads
    // only wait on the disk, so there may be more of them than cores.
    const FLUSHERS: usize = 16;
    let flush = |file: &Pending| -> Result<(), Error> {
        fs::OpenOptions::new()
            .write(true)
            .open(&file.temp)
            .and_then(|f| f.sync_all())
            .map_err(|source| Error::Write {
                path: file.path.clone(),
                source,
            })
    };
    let threads = FLUSHERS.min(pending.len());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let pending = &pending;
                scope.spawn(move || pending.iter().skip(t).step_by(threads).try_for_each(flush))
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })?;
    let mut written = Vec::with_capacity(pending.len());
    let mut folders: Vec<PathBuf> = Vec::new();
    for file in pending {
        let path = file.path;
        file.temp.persist(&path).map_err(|e| Error::Write {
            path: path.clone(),
            source: e.error,
        })?;
        let dir = folder_of(&path).to_owned();
        if !folders.contains(&dir) {
            folders.push(dir);
        }
        written.push(path);
    }
    for dir in folders {
        sync_folder(&dir)?;
    }
    Ok(written)
}

/// A temporary file in `dir` that becomes a file of ours by a rename: named so that
/// `remove_stale_temp_files` finds it if the process is stopped before the rename.
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
}

/// Makes `dir`, the output folder a user named, ready to write into: created when missing, and
/// refused with a clear message when it is a file. A link to a folder is the user's to make.
pub fn prepare_out_folder(dir: &Path) -> Result<(), Error> {
    match fs::metadata(dir) {
        Ok(found) if found.is_dir() => Ok(()),
        Ok(_) => Err(Error::NotAFolder(dir.to_owned())),
        Err(_) => fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_owned(),
            source,
        }),
    }
}

/// Makes `dir`, a folder the tool writes inside an output folder (`charts/`, `responses/`),
/// ready: created when missing, refused when it is a symbolic link, which would send our files
/// elsewhere, or anything but a folder.
pub fn prepare_own_folder(dir: &Path) -> Result<(), Error> {
    let refuse = |what: &str| Error::Write {
        path: dir.to_owned(),
        source: std::io::Error::other(format!(
            "it is {what}; expected a folder of its own (remove or rename it)"
        )),
    };
    match fs::symlink_metadata(dir) {
        Ok(found) if found.file_type().is_symlink() => Err(refuse("a symbolic link")),
        Ok(found) if found.is_dir() => Ok(()),
        Ok(_) => Err(refuse("not a folder")),
        Err(_) => fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_owned(),
            source,
        }),
    }
}

/// Reads a file the tool wrote earlier (a response file it may replace), at most `limit` bytes:
/// `Ok(None)` when there is none. A symbolic link or anything but a regular file is an error,
/// never followed: it could lead to a device or a file of someone else's.
pub fn read_own_file(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
        Ok(found) if !found.file_type().is_file() => {
            return Err(std::io::Error::other(
                "it is a symbolic link or not a regular file; expected a response file (remove or rename it)",
            ));
        }
        Ok(_) => {}
    }
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "it is over {} MiB; expected a response file",
            limit / (1024 * 1024)
        )));
    }
    Ok(Some(bytes))
}

/// What the temporary files of `write_atomic` are called: `.cybercap-XXXXXX.tmp`.
const TEMP_PREFIX: &str = ".cybercap-";
const TEMP_SUFFIX: &str = ".tmp";

/// How old a temporary file must be to count as left behind: a write keeps one for the time of
/// one file's write and fsync, so an older one belongs to a process that was stopped.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Removes the temporary files of `write_atomic` left in `dir` (not below it) by a process that
/// was stopped before it could rename them, when older than `older_than`; returns how many.
/// A folder that cannot be read has none to remove.
pub fn remove_stale_temp_files(dir: &Path, older_than: std::time::Duration) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let stale = entry.metadata().is_ok_and(|m| {
            m.is_file()
                && m.modified()
                    .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age >= older_than))
        });
        if stale && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Temporary files are private (0600); the file replacing a regular file keeps its permissions
/// (a user may have made it private), and any other gets the usual 0644 so reports can be shared
/// and served. A symbolic link's target lends nothing: the link itself is replaced.
#[cfg(unix)]
pub fn keep_permissions(path: &Path, temp: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match fs::symlink_metadata(path) {
        Ok(existing) if existing.is_file() => existing.permissions(),
        _ => fs::Permissions::from_mode(0o644),
    };
    temp.set_permissions(permissions)
}

#[cfg(not(unix))]
pub fn keep_permissions(_: &Path, _: &fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A file-name component made from untrusted text: ASCII letters, digits, `-` and `_` kept,
/// anything else turned into `_`, never empty, never a dot-name, at most 64 bytes.
pub fn safe_file_name(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if name.is_empty() || name.chars().all(|c| c == '_') {
        name = format!("unnamed{name}");
    }
    name
}

/// A CSV cell a spreadsheet will show as text: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return would start a formula, so such a cell gets a leading apostrophe.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if starts_formula(text.as_bytes()) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A free text (a text answer, a note, a name) as a CSV cell that `import` reads back as the
/// same text: `csv_cell`'s apostrophe goes before every text that would otherwise read back as
/// something else — a formula, a leading blank (cells are trimmed), an empty text, a word for
/// "not applicable" or "don't know", or a text that itself starts with such an apostrophe — and
/// [`csv_text_of`] takes it off again.
pub fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if takes_apostrophe(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// What a trimmed cell says, and whether it said it after the apostrophe of [`csv_cell`] or
/// [`csv_text`], which marks a text to be taken as it is written. An apostrophe before anything
/// else is part of the text (`'90s`).
pub fn csv_text_of(cell: &str) -> (&str, bool) {
    match cell.strip_prefix('\'') {
        Some(rest) if takes_apostrophe(rest) => (rest, true),
        _ => (cell, false),
    }
}

/// Whether `csv_text` puts an apostrophe before `text`. Leading apostrophes are looked past, so
/// that a text that begins with one is marked too and reads back whole.
fn takes_apostrophe(text: &str) -> bool {
    use crate::answer_words::{Meaning, meaning};
    let past = text.trim_start_matches('\'');
    past.is_empty()
        || past.starts_with(['=', '+', '-', '@'])
        || past.starts_with(char::is_whitespace)
        || matches!(
            meaning(past),
            Some(Meaning::NotApplicable | Meaning::Unknown)
        )
}

/// `csv_cell` for a cell copied as it came, whatever its encoding: a spreadsheet reads a
/// formula from its first byte, so the same bytes are neutralized the same way.
pub fn csv_cell_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if starts_formula(bytes) {
        let mut neutral = Vec::with_capacity(bytes.len() + 1);
        neutral.push(b'\'');
        neutral.extend_from_slice(bytes);
        neutral.into()
    } else {
        bytes.into()
    }
}

/// Whether a cell's first byte would start a formula, apart from a negative number such as
/// `-3.5`, which is data.
fn starts_formula(bytes: &[u8]) -> bool {
    match bytes.first() {
        Some(b'=' | b'+' | b'@' | b'\t' | b'\r') => true,
        Some(b'-') => !std::str::from_utf8(&bytes[1..])
            .is_ok_and(|rest| rest.parse::<f64>().is_ok_and(f64::is_finite)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_puts_every_file_in_place_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let charts = dir.path().join("charts");
        std::fs::create_dir(&charts).unwrap();
        std::fs::write(charts.join("a.svg"), "old").unwrap();
        let pending: Vec<Pending> = (0..40)
            .map(|i| {
                let folder = if i % 2 == 0 { &charts } else { dir.path() };
                write_pending(&folder.join(format!("{}.svg", (b'a' + i) as char)), &[i; 3]).unwrap()
            })
            .collect();
        // Nothing is in place before the commit: the old file is still there.
        assert_eq!(std::fs::read(charts.join("a.svg")).unwrap(), b"old");
        let written = commit(pending).unwrap();
        assert_eq!(written.len(), 40);
        assert_eq!(std::fs::read(charts.join("a.svg")).unwrap(), [0, 0, 0]);
        assert_eq!(std::fs::read(dir.path().join("b.svg")).unwrap(), [1, 1, 1]);
        let temps = [dir.path(), &charts]
            .iter()
            .flat_map(|d| std::fs::read_dir(d).unwrap())
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().starts_with(TEMP_PREFIX)
            })
            .count();
        assert_eq!(temps, 0);
        assert_eq!(commit(Vec::new()).unwrap(), Vec::<PathBuf>::new());
    }

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("+33 1"), "'+33 1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-cmd"), "'-cmd");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("-3.5"), "-3.5");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("-"), "'-");
    }

    #[test]
    fn formulas_are_neutralized_whatever_the_encoding() {
        assert_eq!(&*csv_cell_bytes(b"=cmd|\xff"), b"'=cmd|\xff");
        assert_eq!(&*csv_cell_bytes(b"@\xe9"), b"'@\xe9");
        assert_eq!(&*csv_cell_bytes(b"-2"), b"-2");
        assert_eq!(&*csv_cell_bytes(b"-\xe9"), b"'-\xe9");
        assert_eq!(&*csv_cell_bytes(b"caf\xe9"), b"caf\xe9");
        assert_eq!(&*csv_cell_bytes(b""), b"");
    }

    #[test]
    fn a_text_comes_back_from_its_cell_whatever_it_starts_with() {
        let texts = [
            "plain", "=1+1", "-3.5", "-cmd", "+5", "@x", "\tx", " lead", "", "'", "''", "'=1",
            "''=1", "'quoted", "'90s", "na", "N/A", "No sé", "'na", "unknown?", "'-3.5", "yes",
        ];
        for text in texts {
            let cell = csv_text(text);
            assert!(!starts_formula(cell.as_bytes()), "{text:?} as {cell:?}");
            assert_eq!(csv_text_of(&cell).0, text, "{text:?} as {cell:?}");
        }
        assert_eq!(csv_text("N/A"), "'N/A");
        assert_eq!(csv_text("'90s"), "'90s");
        assert_eq!(csv_text_of("'90s"), ("'90s", false));
        assert_eq!(csv_text_of("'=1"), ("=1", true));
    }

    #[test]
    fn a_cell_neutralized_as_it_came_reads_as_it_came() {
        // A rejects file copies cells through `csv_cell_bytes`: read again, each must say what
        // the original cell said.
        for cell in ["=1", "'=1", "''=1", "-x", "'-3.5", "plain", "'", "'na", "@"] {
            let copied = csv_cell(cell);
            assert_eq!(csv_text_of(&copied).0, csv_text_of(cell).0, "{cell:?}");
        }
    }

    #[test]
    fn a_plus_sign_before_a_number_is_still_a_formula() {
        assert_eq!(csv_cell("+5"), "'+5");
        assert_eq!(csv_cell("-5"), "-5");
    }

    #[test]
    fn file_names_keep_letters_digits_dashes_and_underscores() {
        assert_eq!(safe_file_name("XA-2025_r1"), "XA-2025_r1");
    }

    #[test]
    fn file_names_cannot_escape_their_folder() {
        assert_eq!(safe_file_name("../../etc/passwd"), "______etc_passwd");
        assert_eq!(safe_file_name(".."), "unnamed__");
        assert_eq!(safe_file_name(""), "unnamed");
        assert_eq!(safe_file_name("XA"), "XA");
        assert_eq!(safe_file_name("a/b\\c:d"), "a_b_c_d");
    }

    #[test]
    fn a_batch_of_writes_replaces_each_file_and_syncs_the_folder_once() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        write_atomic_in_batch(&a, b"old").unwrap();
        write_atomic_in_batch(&a, b"new").unwrap();
        write_atomic_in_batch(&b, b"other").unwrap();
        sync_folder(dir.path()).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(fs::read_to_string(&b).unwrap(), "other");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn syncing_a_folder_that_is_not_there_fails() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        assert!(matches!(sync_folder(&missing), Err(Error::Write { path, .. }) if path == missing));
    }

    /// Sets how long ago a file or folder was last changed.
    fn age(path: &Path, ago: std::time::Duration) {
        let when = std::time::SystemTime::now() - ago;
        fs::File::open(path).unwrap().set_modified(when).unwrap();
    }

    #[test]
    fn only_temporary_files_ten_minutes_old_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let minutes = |m: u64| std::time::Duration::from_secs(m * 60);
        let entries = [
            (".cybercap-stale1.tmp", 11),
            (".cybercap-stale2.tmp", 60),
            (".cybercap-fresh.tmp", 0),
            (".cybercap-recent.tmp", 5),
            (".cybercap-other.txt", 60),
            ("report.tmp", 60),
            ("report.csv", 60),
        ];
        for (name, ago) in entries {
            let path = dir.path().join(name);
            fs::write(&path, b"x").unwrap();
            age(&path, minutes(ago));
        }
        let folder = dir.path().join(".cybercap-folder.tmp");
        fs::create_dir(&folder).unwrap();
        age(&folder, minutes(60));
        assert_eq!(remove_stale_temp_files(dir.path(), STALE_TEMP_AGE), 2);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".cybercap-folder.tmp",
                ".cybercap-fresh.tmp",
                ".cybercap-other.txt",
                ".cybercap-recent.tmp",
                "report.csv",
                "report.tmp"
            ]
        );
        assert_eq!(
            remove_stale_temp_files(&dir.path().join("missing"), STALE_TEMP_AGE),
            0
        );
    }

    /// Runs `test` of this test binary again, alone, in its own process with `dir` as its
    /// current folder (which belongs to the whole process), and `CYBERCAP_TEST_OUT` set to `out`.
    fn rerun_in(dir: &Path, test: &str, out: &Path) {
        let run = std::process::Command::new(std::env::current_exe().unwrap())
            .args([test, "--exact", "--test-threads=1"])
            .env("CYBERCAP_TEST_OUT", out)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stdout)
        );
    }

    #[test]
    fn a_bare_file_name_is_written_in_the_current_folder() {
        if let Some(out) = std::env::var_os("CYBERCAP_TEST_OUT") {
            write_atomic(Path::new(&out), b"here").unwrap();
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let test = "fsio::tests::a_bare_file_name_is_written_in_the_current_folder";
        rerun_in(dir.path(), test, Path::new("out.txt"));
        assert_eq!(
            fs::read_to_string(dir.path().join("out.txt")).unwrap(),
            "here"
        );
    }

    /// The temporary file goes beside the file it replaces, not in the current folder: a
    /// rename only replaces a file atomically within one file system. Only Unix lets a process
    /// remove its current folder, which shows where the temporary file went.
    #[cfg(unix)]
    #[test]
    fn a_write_does_not_use_the_current_folder() {
        if let Some(out) = std::env::var_os("CYBERCAP_TEST_OUT") {
            fs::remove_dir(std::env::current_dir().unwrap()).unwrap();
            write_atomic(Path::new(&out), b"there").unwrap();
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let (gone, out) = (
            dir.path().join("gone"),
            dir.path().join("out").join("out.txt"),
        );
        fs::create_dir(&gone).unwrap();
        rerun_in(
            &gone,
            "fsio::tests::a_write_does_not_use_the_current_folder",
            &out,
        );
        assert_eq!(fs::read_to_string(&out).unwrap(), "there");
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644);
        }
    }

    #[test]
    fn an_output_folder_is_made_or_taken_and_a_file_in_its_place_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("a/b");
        prepare_out_folder(&fresh).unwrap();
        assert!(fresh.is_dir());
        prepare_out_folder(&fresh).unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "mine").unwrap();
        let refused = prepare_out_folder(&file).unwrap_err().to_string();
        assert!(
            refused.ends_with(
                "file is a file; expected a folder to write into (choose another --out)"
            ),
            "{refused}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
        #[cfg(unix)]
        {
            // A link the user made to a folder is theirs to make.
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&fresh, &link).unwrap();
            prepare_out_folder(&link).unwrap();
        }
    }

    #[test]
    fn a_folder_of_our_own_is_made_or_taken_but_never_a_link_or_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let charts = dir.path().join("charts");
        prepare_own_folder(&charts).unwrap();
        assert!(charts.is_dir());
        prepare_own_folder(&charts).unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        let refused = prepare_own_folder(&file).unwrap_err().to_string();
        assert!(
            refused.contains("cannot write: it is not a folder"),
            "{refused}"
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&charts, &link).unwrap();
            let refused = prepare_own_folder(&link).unwrap_err().to_string();
            assert!(
                refused.contains("cannot write: it is a symbolic link"),
                "{refused}"
            );
        }
    }

    #[test]
    fn a_file_of_our_own_is_read_within_its_limit_and_never_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.yaml");
        assert_eq!(read_own_file(&path, 4).unwrap(), None);
        fs::write(&path, b"four").unwrap();
        assert_eq!(read_own_file(&path, 4).unwrap(), Some(b"four".to_vec()));
        let over = read_own_file(&path, 3).unwrap_err().to_string();
        assert!(over.contains("it is over"), "{over}");
        let not_a_file = read_own_file(dir.path(), 4).unwrap_err().to_string();
        assert!(not_a_file.contains("not a regular file"), "{not_a_file}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.yaml");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            let refused = read_own_file(&link, 4).unwrap_err().to_string();
            assert!(refused.contains("symbolic link"), "{refused}");
        }
        // Below a file: an error other than "not there", which is not taken for "not there".
        assert!(read_own_file(&path.join("below"), 4).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions_but_a_replaced_link_lends_none() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private.yaml");
        fs::write(&private, "x").unwrap();
        fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&private, b"y").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&private), 0o600);
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&private, &link).unwrap();
        write_atomic(&link, b"z").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_file());
        assert_eq!(mode(&link), 0o644);
        assert_eq!(fs::read_to_string(&private).unwrap(), "y");
    }
}
