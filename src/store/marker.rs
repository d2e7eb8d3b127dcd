//! The commit marker: a small fsynced file beside the database that says
//! which commit was last acknowledged and how many records it left.
//!
//! sled silently truncates a damaged log when it opens it. The marker lets
//! start-up tell "the database is older or smaller than what we promised our
//! clients" apart from a healthy database. It is written after each durable
//! flush, so it never claims more than the disk holds.
//!
//! Layout: two 32-byte slots, written alternately (slot `seq % 2`), so a torn
//! write can only damage the slot being written while the other still holds
//! the previous commit. A slot is `"CMMK"`, format version, seq, count (all
//! little endian) and a CRC-32 of those 24 bytes.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// The marker file's name inside the data directory.
pub const MARKER_FILE: &str = "connector-mock.marker";
const MAGIC: &[u8; 4] = b"CMMK";
const VERSION: u32 = 1;
const SLOT: usize = 32;

/// What the marker records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Committed {
    /// The number of the last durable commit.
    pub seq: u64,
    /// How many data keys the database held after it.
    pub count: u64,
}

/// An open marker file.
pub struct Marker {
    file: File,
    path: PathBuf,
}

/// Reading the marker found it unusable.
#[derive(Debug)]
pub enum MarkerProblem {
    Io(io::Error),
    /// The file exists but neither slot is intact.
    Garbled,
}

impl Marker {
    /// Reads the marker of `dir`: `Ok(None)` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Committed>, MarkerProblem> {
        let bytes = match std::fs::read(dir.join(MARKER_FILE)) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(MarkerProblem::Io(error)),
        };
        bytes
            .chunks(SLOT)
            .take(2)
            .filter_map(parse_slot)
            .max_by_key(|committed| committed.seq)
            .map(Some)
            .ok_or(MarkerProblem::Garbled)
    }

    /// Opens (creating when missing) the marker of `dir` for writing.
    pub fn open(dir: &Path) -> io::Result<Marker> {
        let path = dir.join(MARKER_FILE);
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        if !existed {
            file.set_len((2 * SLOT) as u64)?;
            file.sync_all()?;
            File::open(dir)?.sync_all()?;
        }
        Ok(Marker { file, path })
    }

    /// Durably records `committed` (write, then `fdatasync`).
    pub fn write(&self, committed: Committed) -> io::Result<()> {
        let slot = encode_slot(committed);
        let offset = (committed.seq % 2) * SLOT as u64;
        self.file.write_all_at(&slot, offset)?;
        self.file.sync_data()
    }

    /// The file's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn encode_slot(committed: Committed) -> [u8; SLOT] {
    let mut slot = [0u8; SLOT];
    slot[..4].copy_from_slice(MAGIC);
    slot[4..8].copy_from_slice(&VERSION.to_le_bytes());
    slot[8..16].copy_from_slice(&committed.seq.to_le_bytes());
    slot[16..24].copy_from_slice(&committed.count.to_le_bytes());
    let crc = crc32fast::hash(&slot[..24]);
    slot[24..28].copy_from_slice(&crc.to_le_bytes());
    slot
}

fn parse_slot(slot: &[u8]) -> Option<Committed> {
    if slot.len() < 28 || &slot[..4] != MAGIC {
        return None;
    }
    let crc = u32::from_le_bytes(slot[24..28].try_into().ok()?);
    if crc32fast::hash(&slot[..24]) != crc {
        return None;
    }
    if u32::from_le_bytes(slot[4..8].try_into().ok()?) != VERSION {
        return None;
    }
    Some(Committed {
        seq: u64::from_le_bytes(slot[8..16].try_into().ok()?),
        count: u64::from_le_bytes(slot[16..24].try_into().ok()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_intact_slot_wins() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(Marker::read(dir.path()), Ok(None)));
        let marker = Marker::open(dir.path()).unwrap();
        marker.write(Committed { seq: 1, count: 3 }).unwrap();
        marker.write(Committed { seq: 2, count: 4 }).unwrap();
        assert_eq!(
            Marker::read(dir.path()).unwrap(),
            Some(Committed { seq: 2, count: 4 })
        );
        // A torn write of slot 0 leaves the previous commit readable.
        marker.file.write_all_at(&[0xff; 8], 8).unwrap();
        assert_eq!(
            Marker::read(dir.path()).unwrap(),
            Some(Committed { seq: 1, count: 3 })
        );
        marker.file.write_all_at(&[0xff; 8], 40).unwrap();
        assert!(matches!(
            Marker::read(dir.path()),
            Err(MarkerProblem::Garbled)
        ));
    }
}
