//! EBS snapshots: point-in-time copies of a volume, kept in S3, Regional.
//!
//! A snapshot is incremental (E1): it stores only the GiB that changed since
//! the previous snapshot of the same volume, yet restoring needs only the
//! latest one. It belongs to one Region and can be restored into any AZ of it
//! (E2); using it elsewhere takes a copy with a new id. A snapshot is
//! encrypted exactly when its volume was, and that can't be undone (E3).

use std::fmt;

use crate::data::DiskData;
use crate::ids::{SnapshotId, VolumeId};
use crate::tags::Tags;

/// A snapshot's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotState {
    /// `pending`: being copied to S3.
    Pending,
    /// `completed`.
    Completed,
}

impl fmt::Display for SnapshotState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pending => "pending",
            Self::Completed => "completed",
        })
    }
}

/// An EBS snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// `snap-…`.
    pub id: SnapshotId,
    /// The volume it was taken from; `None` for a copy (AWS shows
    /// `vol-ffffffff`).
    pub volume_id: Option<VolumeId>,
    /// The volume the data descends from, to find the previous snapshot
    /// (E1). For a copy, the source's lineage.
    pub lineage: Option<VolumeId>,
    /// `VolumeSize` in GiB: the size of the source volume.
    pub volume_size_gib: u32,
    /// The state.
    pub state: SnapshotState,
    /// When it was started (lab seconds).
    pub start_time: u64,
    /// When it completes (lab seconds).
    pub completes_at: u64,
    /// `Description`.
    pub description: String,
    /// Whether it is encrypted: as its volume was (E3).
    pub encrypted: bool,
    /// The KMS key ARN, when encrypted.
    pub kms_key_id: Option<String>,
    /// The data: the volume as it was.
    pub data: DiskData,
    /// Stored in full rather than as changes: the first copy into a Region,
    /// a copy that changes encryption or the key (D3, E4).
    pub full: bool,
    /// `createVolumePermission` for `all` (E8: never when encrypted).
    pub public: bool,
    /// Accounts it is shared with.
    pub shared_with: Vec<String>,
    /// Its place in the order the Region's snapshots were taken.
    pub sequence: u64,
    /// `OwnerId`.
    pub owner_id: String,
    /// Tags.
    pub tags: Tags,
}
