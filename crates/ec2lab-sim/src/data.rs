//! What is on a disk: enough to see which rules keep data and which lose it.
//!
//! A disk (an EBS volume, an instance-store disk, a snapshot's copy of a
//! volume) holds a small file tree and a map of which GiB of it have been
//! written. Files make "the data survived" visible; the GiB map is what
//! snapshot sizes are counted from: a snapshot holds the blocks that differ
//! from the previous snapshot of the same volume (E1).

use std::collections::{BTreeMap, BTreeSet};

/// The contents of one disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiskData {
    /// Files by absolute path.
    pub files: BTreeMap<String, String>,
    /// Written GiB: index → the stamp of the write that last changed it.
    /// Two disks whose GiB `n` carries the same stamp hold the same data there.
    pub blocks: BTreeMap<u32, u64>,
    /// Directories made with `mkdir` (others are implied by their files).
    pub dirs: BTreeSet<String>,
    /// The file system it is formatted with (`xfs`, `ext4`), if any: a new
    /// volume is a raw block device until `mkfs` formats it.
    pub format: Option<String>,
}

impl DiskData {
    /// An empty disk (a new volume or instance-store disk).
    pub fn empty() -> Self {
        Self::default()
    }

    /// GiB of data written (what a first, full snapshot holds, E1).
    pub fn used_gib(&self) -> u32 {
        u32::try_from(self.blocks.len()).unwrap_or(u32::MAX)
    }

    /// GiB of this disk that `base` does not hold as they are here: what an
    /// incremental snapshot taken after `base` stores (E1).
    pub fn changed_since(&self, base: &DiskData) -> u32 {
        let changed = self
            .blocks
            .iter()
            .filter(|(index, stamp)| base.blocks.get(index) != Some(stamp))
            .count();
        u32::try_from(changed).unwrap_or(u32::MAX)
    }

    /// Writes `gib` GiB starting at GiB `offset`, all with `stamp`.
    pub fn write_gib(&mut self, offset: u32, gib: u32, stamp: u64) {
        for index in offset..offset.saturating_add(gib) {
            self.blocks.insert(index, stamp);
        }
    }

    /// Writes a file. A small file still lands in some GiB of the disk: the
    /// one its path hashes to among those already written (or GiB 0), so a
    /// snapshot after only small writes holds about a GiB, never nothing.
    pub fn write_file(&mut self, path: &str, text: &str, stamp: u64) {
        self.files.insert(path.to_owned(), text.to_owned());
        let written = self.used_gib().max(1);
        let hash = path
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        let index = self
            .blocks
            .keys()
            .nth((hash % written) as usize)
            .copied()
            .unwrap_or(0);
        self.blocks.insert(index, stamp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example_of_e1() {
        // E1: 200 GiB volume with 50 GiB of data → first snapshot 50 GiB;
        // after changing 20 GiB and adding 10 GiB → second snapshot 30 GiB.
        let mut disk = DiskData::empty();
        disk.write_gib(0, 50, 1);
        let first = disk.clone();
        assert_eq!(first.changed_since(&DiskData::empty()), 50);
        disk.write_gib(0, 20, 2);
        disk.write_gib(50, 10, 3);
        assert_eq!(disk.changed_since(&first), 30);
        assert_eq!(disk.used_gib(), 60);
    }
}
