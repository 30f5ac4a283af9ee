//! File names made from match ids. A match id joins the mechanism label (up to 112 characters),
//! the schedule and the entrants' or the role profile's names (up to 64 characters each), so a
//! long one passes the 255-byte limit most file systems put on a file name. Such an id is
//! shortened to its first bytes and a hash of the whole id: still readable, unique in practice,
//! and the same on every run and machine (FNV-1a, not the process-seeded std hasher), so the
//! run that writes a series file and the report that reads it agree on the name.

use std::borrow::Cow;

/// Longest stem kept whole; longer ones keep [`KEPT_BYTES`] and a 16-digit hash.
pub const MAX_STEM_BYTES: usize = 200;
const KEPT_BYTES: usize = 180;

/// `id` itself when it is at most [`MAX_STEM_BYTES`] bytes; otherwise its first 180 bytes (cut
/// at a character boundary), `-h`, and the FNV-1a hash of all of it in 16 hex digits.
pub fn file_stem(id: &str) -> Cow<'_, str> {
    if id.len() <= MAX_STEM_BYTES {
        return Cow::Borrowed(id);
    }
    let mut cut = KEPT_BYTES;
    while !id.is_char_boundary(cut) {
        cut -= 1;
    }
    Cow::Owned(format!("{}-h{:016x}", &id[..cut], fnv1a_64(id.as_bytes())))
}

/// The file name of match `match_id`'s time series in a result's `series/` folder.
pub fn series_file_name(match_id: &str) -> String {
    format!("{}.csv", file_stem(match_id))
}

/// 64-bit FNV-1a.
fn fnv1a_64(bytes: &[u8]) -> u64 {
    fnv1a_64_from(0xcbf2_9ce4_8422_2325, bytes)
}

/// 64-bit FNV-1a of `bytes`, continuing from `hash` (the reports' one copy of it; the crate
/// depends on neither the engine nor the SDK, which hold theirs).
pub(crate) fn fnv1a_64_from(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_kept_whole() {
        let id = "dtao-price__native__meme-farmer-vs-honest-ai-subnet__r0";
        assert_eq!(file_stem(id), id);
        assert_eq!(series_file_name(id), format!("{id}.csv"));
        let exactly = "x".repeat(MAX_STEM_BYTES);
        assert_eq!(file_stem(&exactly), exactly);
    }

    #[test]
    fn long_ids_fit_a_file_name_and_stay_distinct() {
        let base = format!("{}__native__{}", "m".repeat(112), "e".repeat(200));
        let (a, b) = (format!("{base}__r0"), format!("{base}__r1"));
        let (fa, fb) = (series_file_name(&a), series_file_name(&b));
        assert!(
            fa.len() <= 255 && fb.len() <= 255,
            "{} {}",
            fa.len(),
            fb.len()
        );
        assert_ne!(fa, fb, "ids differing past the cut differ by their hash");
        assert!(fa.starts_with(&a[..KEPT_BYTES]));
        // Stable: the same id gives the same name (no per-process seed).
        assert_eq!(fa, series_file_name(&a));
    }

    #[test]
    fn the_cut_respects_characters() {
        // 179 ASCII bytes, then two-byte characters: byte 180 falls inside one.
        let id = format!("{}{}", "a".repeat(179), "é".repeat(40));
        let stem = file_stem(&id);
        assert!(stem.starts_with(&"a".repeat(179)));
        assert!(stem.len() <= MAX_STEM_BYTES);
    }

    #[test]
    fn fnv1a_matches_its_published_vectors() {
        // From the FNV reference test suite: "" and "a".
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
