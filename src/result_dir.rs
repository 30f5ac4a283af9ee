//! Checks on a result directory before reporting from it: the raw table must hold as many rows
//! as its manifest says the tournament played. A torn `raw.csv` (a copy cut short, a disk that
//! filled up) would otherwise give reports over a fraction of the matches — n = 1, NaN
//! intervals — and say nothing.

use crate::Failure;
use std::path::Path;

/// Records in CSV text: newlines outside double quotes, after the header; a last record
/// without its newline counts too.
fn csv_records(bytes: &[u8]) -> usize {
    let mut quoted = false;
    let mut lines = 0usize;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => lines += 1,
            _ => {}
        }
    }
    if bytes.last().is_some_and(|&b| b != b'\n') {
        lines += 1;
    }
    lines.saturating_sub(1)
}

/// Rows of a Parquet file, from its footer.
fn parquet_rows(path: &Path) -> Result<usize, String> {
    use polars::prelude::*;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    ParquetReader::new(file)
        .num_rows()
        .map_err(|e| e.to_string())
}

/// With a `manifest.json` in `dir`, every raw table there (`raw.parquet`, `raw.csv`) must hold
/// `matches × rows_per_match` rows; without one (a raw table from elsewhere) there is nothing
/// to check against.
pub fn check_row_counts(dir: &Path) -> Result<(), Failure> {
    let manifest_path = dir.join("manifest.json");
    let Ok(text) = std::fs::read_to_string(&manifest_path) else {
        return Ok(());
    };
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("{}: not a manifest: {e}", manifest_path.display())))?;
    let (Some(matches), Some(per_match)) = (
        manifest["matches"].as_u64(),
        manifest["rows_per_match"].as_u64(),
    ) else {
        return Err(Failure::Usage(format!(
            "{}: no `matches` or `rows_per_match`",
            manifest_path.display()
        )));
    };
    let expected = matches.saturating_mul(per_match) as usize;
    let mut found = Vec::new();
    let csv = dir.join("raw.csv");
    if let Ok(bytes) = std::fs::read(&csv) {
        found.push((csv, Ok(csv_records(&bytes))));
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
    use super::csv_records;

    #[test]
    fn records_are_counted_outside_quotes() {
        // Header + two records, one with a quoted newline; then a record without its newline.
        assert_eq!(csv_records(b"a,b\n1,\"x\ny\"\n2,z\n"), 2);
        assert_eq!(csv_records(b"a,b\n1,2\n3,4"), 2);
        assert_eq!(csv_records(b"a,b\n"), 0);
        assert_eq!(csv_records(b""), 0);
    }
}
