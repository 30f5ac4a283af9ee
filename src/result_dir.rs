//! Checks on a result directory before reporting from it: the raw table must hold as many rows
//! as its manifest says the tournament played. A torn `raw.csv` (a copy cut short, a disk that
//! filled up) would otherwise give reports over a fraction of the matches — n = 1, NaN
//! intervals — and say nothing.

use crate::Failure;
use std::path::Path;

/// Records in CSV text: newlines outside double quotes, after the header; a last record
/// without its newline counts too. Read in pieces, so a table of any size is counted in
/// constant memory.
fn csv_records(mut reader: impl std::io::Read) -> std::io::Result<usize> {
    let mut quoted = false;
    let mut lines = 0usize;
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
                b'\n' if !quoted => lines += 1,
                _ => {}
            }
        }
        last = buf[n - 1];
    }
    if last != b'\n' {
        lines += 1;
    }
    Ok(lines.saturating_sub(1))
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
    let Ok(file) = std::fs::File::open(&manifest_path) else {
        return Ok(());
    };
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
    let csv = dir.join("raw.csv");
    if let Ok(file) = std::fs::File::open(&csv) {
        let n = csv_records(file).map_err(|e| e.to_string());
        found.push((csv, n));
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
        let count = |bytes: &[u8]| csv_records(bytes).unwrap();
        assert_eq!(count(b"a,b\n1,\"x\ny\"\n2,z\n"), 2);
        assert_eq!(count(b"a,b\n1,2\n3,4"), 2);
        assert_eq!(count(b"a,b\n"), 0);
        assert_eq!(count(b""), 0);
    }
}
