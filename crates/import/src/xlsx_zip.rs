//! The zip inside an .xlsx, checked before a spreadsheet reader opens it: a bounded number of entries and
//! total, no entry with a compression ratio only a zip bomb has, no entry larger than its budget, no
//! encryption, and every entry decompressing to exactly the size its directory declares (read once, into a
//! sink: nothing is kept). Shared by the rubric template (`rubric_xlsx`) and the spreadsheets of rows
//! (`table`: paper scores, expert lists), each with its own [`Limits`] and its own wording of the refusal.

use std::io::{Cursor, Read};

/// What a workbook's zip may hold.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) entries: usize,
    /// Uncompressed bytes of all entries together.
    pub(crate) total: u64,
    /// Uncompressed bytes of one entry that is not a worksheet (shared strings, styles: read whole).
    pub(crate) part: u64,
    /// Largest uncompressed : compressed ratio of an entry over 1 MiB.
    pub(crate) ratio: u64,
}

/// Why a workbook's zip is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not a readable zip, or an entry that does not match its directory.
    Damaged(String),
    /// More entries than a workbook has.
    TooManyEntries(usize),
    /// Larger or more compressed than any workbook: a zip bomb.
    Bomb,
    Encrypted,
}

/// Checks `bytes` against `limits`.
pub(crate) fn check(bytes: &[u8], limits: Limits) -> Result<(), Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Refusal::Damaged(e.to_string()))?;
    if zip.len() > limits.entries {
        return Err(Refusal::TooManyEntries(zip.len()));
    }
    let mut sizes = Vec::with_capacity(zip.len());
    let mut total = 0u64;
    for i in 0..zip.len() {
        let e = zip.by_index_raw(i).map_err(|e| Refusal::Damaged(e.to_string()))?;
        let (size, compressed) = (e.size(), e.compressed_size());
        if e.encrypted() {
            return Err(Refusal::Encrypted);
        }
        let worksheet = e.name().is_ok_and(|n| n.starts_with("xl/worksheets/"));
        total = total.saturating_add(size);
        if total > limits.total || (!worksheet && size > limits.part) || (size > 1 << 20 && size > compressed.saturating_mul(limits.ratio)) {
            return Err(Refusal::Bomb);
        }
        sizes.push(size);
    }
    for (i, size) in sizes.into_iter().enumerate() {
        let mut e = zip.by_index(i).map_err(|e| Refusal::Damaged(e.to_string()))?;
        let name = e.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("第 {} 个", i + 1));
        match std::io::copy(&mut (&mut e).take(size + 1), &mut std::io::sink()) {
            Ok(n) if n == size => {}
            Ok(_) => return Err(Refusal::Damaged(format!("部件 {name} 的长度与目录不符"))),
            Err(err) => return Err(Refusal::Damaged(format!("部件 {name}：{err}"))),
        }
    }
    Ok(())
}
