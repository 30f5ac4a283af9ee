//! Checks on a result directory before reporting from it: the raw table must hold as many rows
//! as its manifest says the tournament played, and a `raw.csv` must end with a whole record. A
//! torn `raw.csv` (a copy cut short, a disk that filled up) would otherwise give reports over a
//! fraction of the matches — n = 1, NaN intervals — or over a phantom last row, and say nothing.
//! A directory without its manifest is refused: nothing would say how many rows it should have.

use crate::Failure;
use std::path::Path;

/// The shape of CSV text: its records after the header, and whether its last line is whole.
#[derive(Debug, PartialEq)]
struct CsvShape {
    /// Records after the header; a last record without its newline counts too.
    records: usize,
    /// Fields of the header and of the last record (separators outside double quotes, + 1).
    header_fields: usize,
    last_fields: usize,
    /// The text ends with a newline outside quotes (as every line `tourney` writes does).
    whole: bool,
    /// The text ends inside a quoted field.
    open_quote: bool,
}

/// Records in CSV text: newlines outside double quotes, after the header; a last record
/// without its newline counts too. Read in pieces, so a table of any size is counted in
/// constant memory.
fn csv_shape(mut reader: impl std::io::Read) -> std::io::Result<CsvShape> {
    let mut quoted = false;
    let mut lines = 0usize;
    let mut fields = 1usize;
    let (mut header_fields, mut last_fields) = (0usize, 0usize);
    let mut last = b'\n';
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => fields += 1,
                b'\n' if !quoted => {
                    if lines == 0 {
                        header_fields = fields;
                    }
                    last_fields = fields;
                    fields = 1;
                    lines += 1;
                }
                _ => {}
            }
        }
        last = buf[n - 1];
    }
    let whole = last == b'\n' && !quoted;
    if !whole {
        if lines == 0 {
            header_fields = fields;
        }
        last_fields = fields;
        lines += 1;
    }
    Ok(CsvShape {
        records: lines.saturating_sub(1),
        header_fields,
        last_fields,
        whole,
        open_quote: quoted,
    })
}

impl CsvShape {
    /// Why the last record of `path` is torn, if it is: it has not the header's number of
    /// fields, or it lacks its newline (`tourney` ends every line with one).
    fn torn(&self, path: &Path) -> Option<String> {
        if self.records == 0 {
            return None;
        }
        let why = if self.open_quote {
            "a quoted field never closed".to_string()
        } else if self.last_fields != self.header_fields {
            format!(
                "{} fields where the header has {}",
                self.last_fields, self.header_fields
            )
        } else if !self.whole {
            "no newline at its end".to_string()
        } else {
            return None;
        };
        Some(format!(
            "{}: row {} (the last) is torn: {why} (a copy cut short, or a disk that filled up?)",
            path.display(),
            self.records
        ))
    }
}

/// Rows of a Parquet file, from its footer.
fn parquet_rows(path: &Path) -> Result<usize, String> {
    use polars::prelude::*;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    ParquetReader::new(file)
        .num_rows()
        .map_err(|e| e.to_string())
}

/// `dir` must be a result directory: a raw table with the `manifest.json` that `tourney run` or
/// `tourney merge` wrote beside it. Every raw table there (`raw.parquet`, `raw.csv`) must hold
/// `matches × rows_per_match` rows, and a `raw.csv` must end with a whole record
/// ([`CsvShape::torn`]). Without the manifest nothing says how many rows the table should have,
/// nor that a run wrote it: a table cut short, or one made elsewhere, would be reported as a
/// tournament's, so it is refused.
pub fn check_row_counts(dir: &Path) -> Result<(), Failure> {
    let manifest_path = dir.join("manifest.json");
    let csv = dir.join("raw.csv");
    let file = match std::fs::File::open(&manifest_path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Failure::Usage(format!(
                "{}: not found, so {} is not a result directory: one holds the raw table \
                 (raw.parquet, raw.csv) beside the manifest.json that `tourney run` or \
                 `tourney merge` wrote with it, which says how many rows the table has",
                manifest_path.display(),
                dir.display()
            )))
        }
        Err(e) => {
            return Err(Failure::Usage(format!(
                "{}: cannot read: {e}",
                manifest_path.display()
            )))
        }
    };
    let csv_shape = std::fs::File::open(&csv)
        .ok()
        .map(|file| csv_shape(file).map_err(|e| e.to_string()));
    // Only the two counts are kept: the match seeds are skipped as they are read.
    #[derive(serde::Deserialize)]
    struct Counts {
        matches: Option<u64>,
        rows_per_match: Option<u64>,
    }
    let manifest: Counts = serde_json::from_reader(std::io::BufReader::new(file))
        .map_err(|e| Failure::Usage(format!("{}: not a manifest: {e}", manifest_path.display())))?;
    let (Some(matches), Some(per_match)) = (manifest.matches, manifest.rows_per_match) else {
        return Err(Failure::Usage(format!(
            "{}: no `matches` or `rows_per_match`",
            manifest_path.display()
        )));
    };
    let expected = matches.saturating_mul(per_match) as usize;
    let mut found = Vec::new();
    if let Some(shape) = csv_shape {
        if let Some(why) = shape.as_ref().ok().and_then(|s| s.torn(&csv)) {
            return Err(Failure::Usage(why));
        }
        found.push((csv, shape.map(|s| s.records)));
    }
    let parquet = dir.join("raw.parquet");
    if parquet.is_file() {
        let n = parquet_rows(&parquet);
        found.push((parquet, n));
    }
    for (path, rows) in found {
        match rows {
            Ok(n) if n == expected => {}
            Ok(n) => {
                return Err(Failure::Usage(format!(
                    "{}: {n} rows, but manifest.json says {matches} matches × {per_match} rows \
                     = {expected} (a torn copy, or an unmerged shard?)",
                    path.display()
                )))
            }
            Err(e) => {
                return Err(Failure::Usage(format!(
                    "{}: unreadable: {e}",
                    path.display()
                )))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::csv_shape;
    use std::path::Path;

    #[test]
    fn records_are_counted_outside_quotes() {
        // Header + two records, one with a quoted newline; then a record without its newline.
        let count = |bytes: &[u8]| csv_shape(bytes).unwrap().records;
        assert_eq!(count(b"a,b\n1,\"x\ny\"\n2,z\n"), 2);
        assert_eq!(count(b"a,b\n1,2\n3,4"), 2);
        assert_eq!(count(b"a,b\n"), 0);
        assert_eq!(count(b""), 0);
    }

    #[test]
    fn a_last_record_cut_short_is_torn() {
        let torn = |bytes: &[u8]| csv_shape(bytes).unwrap().torn(Path::new("raw.csv"));
        // Whole: quoted commas and newlines are inside one field.
        assert_eq!(torn(b"a,b,c\n1,\"x,\ny\",3\n2,z,4\n"), None);
        assert_eq!(torn(b"a,b\n"), None);
        // Cut inside its second field: two fields of three, no newline.
        assert_eq!(
            torn(b"a,b,c\n1,2,3\n4,5").as_deref(),
            Some(
                "raw.csv: row 2 (the last) is torn: 2 fields where the header has 3 (a copy cut \
                 short, or a disk that filled up?)"
            )
        );
        // Cut inside the last field: every field there, but no newline.
        assert_eq!(
            torn(b"a,b,c\n1,2,3\n4,5,6").as_deref(),
            Some(
                "raw.csv: row 2 (the last) is torn: no newline at its end (a copy cut short, or \
                 a disk that filled up?)"
            )
        );
        // Cut inside a quoted field: its quote is never closed.
        assert!(torn(b"a,b\n1,\"x,y")
            .unwrap()
            .contains("row 1 (the last) is torn: a quoted field never closed"));
        // A last line of the wrong width with its newline (a line cut and a newline appended).
        assert!(torn(b"a,b,c\n1,2,3\n4\n").is_some());
    }
}
