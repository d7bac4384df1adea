//! Finding the workflow files of a directory, reading them within the limits, and parsing
//! them: everything that touches the file system or sees raw bytes.
//!
//! Only an unreadable directory is an error. Every file that cannot be used becomes a
//! located warning and is skipped, so that one broken or hostile workflow does not hide the
//! others: a symbolic link (not followed: it could point at a device, a pipe that blocks
//! forever, or a secret outside the checkout whose first line would end up in a parse error),
//! anything but a regular file, a file over 1 MiB, files past the 500th or past 8 MiB in all,
//! bytes that are not UTF-8, and YAML the parser refuses or that is over its budget.

use std::collections::BTreeMap;
use std::fs::{File, FileType};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::limits::{MAX_DIR_ENTRIES, MAX_FILE_BYTES, MAX_FILES, MAX_SCAN_BYTES};
use super::yaml::{self, Yaml};
use super::{WorkflowWarning, file_name};
use crate::Error;
use crate::output::untrusted::escape;

/// How long a parser message may be in a warning; longer ones are cut.
const MAX_DETAIL_CHARS: usize = 200;

/// One `*.yml` / `*.yaml` entry of the directory.
#[derive(Debug)]
pub(super) struct Source {
    /// The file's path (the directory joined with its name).
    pub(super) path: PathBuf,
    /// The text, when the file could be read.
    pub(super) text: Option<String>,
    /// Why the file was not read, when it was not and that is worth a warning.
    pub(super) problem: Option<WorkflowWarning>,
}

/// The workflow files of a directory, by name.
#[derive(Debug, Default)]
pub(super) struct Listing {
    /// The files, sorted by name.
    pub(super) files: Vec<Source>,
    /// Index in `files` by file name, for reusable workflow calls.
    by_name: BTreeMap<String, usize>,
    /// Warnings about the directory as a whole.
    pub(super) problems: Vec<WorkflowWarning>,
}

impl Listing {
    /// Returns the file of this name, when the directory has it.
    pub(super) fn get(&self, name: &str) -> Option<&Source> {
        self.by_name.get(name).and_then(|&i| self.files.get(i))
    }
}

/// Lists and reads the workflow files of `dir`.
pub(super) fn list(dir: &Path) -> Result<Listing, Error> {
    let shown = escape(&dir.to_string_lossy()).into_owned();
    let entries = std::fs::read_dir(dir).map_err(|err| {
        Error::new(format!("failed to read the workflow directory `{shown}`"))
            .caused_by(err.to_string())
            .with_hint("pass the directory holding the workflow files (usually .github/workflows)")
    })?;
    let mut listing = Listing::default();
    let mut candidates: Vec<(PathBuf, std::io::Result<FileType>)> = Vec::new();
    for (seen, entry) in entries.enumerate() {
        if seen == MAX_DIR_ENTRIES {
            listing.problems.push(directory_warning(format!(
                "the workflow directory {shown} has more than {MAX_DIR_ENTRIES} entries; only the first {MAX_DIR_ENTRIES} listed were looked at"
            )));
            break;
        }
        let entry = entry.map_err(|err| {
            Error::new(format!("failed to list the workflow directory `{shown}`"))
                .caused_by(err.to_string())
        })?;
        let path = entry.path();
        if is_yaml(&path) {
            candidates.push((path, entry.file_type()));
        }
    }
    candidates.sort_by(|a, b| a.0.cmp(&b.0));

    let mut total: u64 = 0;
    let mut read = 0;
    for (path, file_type) in candidates {
        let problem = match file_type {
            Ok(kind) if kind.is_dir() => continue,
            Ok(kind) if kind.is_symlink() => Some(format!(
                "workflow {} is a symbolic link, which is not followed, so it was not checked",
                file_name(&path)
            )),
            Ok(kind) if !kind.is_file() => Some(not_regular(&path)),
            Err(err) => Some(unreadable(&path, &err)),
            Ok(_) => None,
        };
        if let Some(message) = problem {
            let warning = located(&path, None, message);
            push_source(&mut listing, path, None, Some(warning));
            continue;
        }
        if read == MAX_FILES {
            listing.problems.push(directory_warning(format!(
                "the workflow directory {shown} has more than {MAX_FILES} workflow files; {} and the files after it (by name) were not checked",
                file_name(&path)
            )));
        }
        if read >= MAX_FILES || total > MAX_SCAN_BYTES {
            // Past a limit that was already reported: listed, so that a call to it is not
            // reported as missing, but not read.
            read += 1;
            push_source(&mut listing, path, None, None);
            continue;
        }
        read += 1;
        match read_text(&path, &mut total) {
            Ok(text) => push_source(&mut listing, path, Some(text), None),
            Err((message, line)) => {
                let warning = located(&path, line, message);
                push_source(&mut listing, path, None, Some(warning));
            }
        }
    }
    Ok(listing)
}

fn located(path: &Path, line: Option<usize>, message: String) -> WorkflowWarning {
    WorkflowWarning {
        file: Some(path.to_path_buf()),
        line,
        setting: None,
        message,
    }
}

fn push_source(
    listing: &mut Listing,
    path: PathBuf,
    text: Option<String>,
    problem: Option<WorkflowWarning>,
) {
    if let Some(name) = path.file_name() {
        listing
            .by_name
            .insert(name.to_string_lossy().into_owned(), listing.files.len());
    }
    listing.files.push(Source {
        path,
        text,
        problem,
    });
}

fn directory_warning(message: String) -> WorkflowWarning {
    WorkflowWarning {
        file: None,
        line: None,
        setting: None,
        message,
    }
}

/// Returns true for the names GitHub reads as workflows.
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "yml" || ext == "yaml")
}

fn not_regular(path: &Path) -> String {
    format!(
        "workflow {} is not a regular file, so it was not checked",
        file_name(path)
    )
}

fn unreadable(path: &Path, err: &std::io::Error) -> String {
    format!(
        "workflow {} could not be read, so its jobs were not checked: {}",
        file_name(path),
        escape(&err.to_string())
    )
}

/// Reads one file as UTF-8 within the size limits, adding its size to `total`; on failure
/// returns the warning's message and line.
fn read_text(path: &Path, total: &mut u64) -> Result<String, (String, Option<usize>)> {
    let failed = |err: std::io::Error| (unreadable(path, &err), None);
    let file = File::open(path).map_err(failed)?;
    let metadata = file.metadata().map_err(failed)?;
    // Checked again on the open file: the entry could have been replaced since it was listed.
    if !metadata.is_file() {
        return Err((not_regular(path), None));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err((too_large(path, metadata.len()), None));
    }
    // The metadata can lie (a file growing); never read more than the limit + 1.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_FILE_BYTES {
        return Err((too_large(path, len), None));
    }
    *total = total.saturating_add(len);
    if *total > MAX_SCAN_BYTES {
        return Err((
            format!(
                "workflow files total more than {MAX_SCAN_BYTES} bytes (8 MiB), so {} and the files after it (by name) were not checked",
                file_name(path)
            ),
            None,
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let bad = err.as_bytes().get(valid.len()).copied().unwrap_or_default();
        let line = valid.split(|&b| b == b'\n').count();
        (
            format!(
                "workflow {} is not valid UTF-8 (byte 0x{bad:02X} at offset {}), so it was not checked",
                file_name(path),
                valid.len()
            ),
            Some(line),
        )
    })
}

fn too_large(path: &Path, len: u64) -> String {
    format!(
        "workflow {} is too large ({len} bytes; the limit is {MAX_FILE_BYTES} bytes, 1 MiB), so it was not checked",
        file_name(path)
    )
}

/// Parses a workflow file; a file that is not a YAML mapping becomes a warning.
pub(super) fn parse(path: &Path, text: &str) -> Result<Yaml, WorkflowWarning> {
    let warning = |line, message| located(path, line, message);
    match yaml::parse(text) {
        Ok(workflow @ Yaml::Map(_)) => Ok(workflow),
        Ok(_) => Err(warning(
            None,
            format!(
                "workflow {} is not a mapping with `jobs`, so it was not checked",
                file_name(path)
            ),
        )),
        Err(err) => {
            let line = err
                .location()
                .and_then(|loc| usize::try_from(loc.line()).ok())
                .filter(|&line| line > 0);
            Err(warning(
                line,
                format!(
                    "workflow {} is not valid YAML, so its jobs were not checked: {}",
                    file_name(path),
                    parser_detail(&err)
                ),
            ))
        }
    }
}

/// Returns the first line of a parser error, without its `error: ` prefix, escaped (it can
/// quote the file) and cut to `MAX_DETAIL_CHARS`.
fn parser_detail(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let first = text.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let mut detail: String = first.chars().take(MAX_DETAIL_CHARS).collect();
    if detail.len() < first.len() {
        detail.push('…');
    }
    escape(&detail).into_owned()
}
