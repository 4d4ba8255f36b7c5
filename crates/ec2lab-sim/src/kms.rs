//! KMS keys, as far as EBS and EFS encryption need them.
//!
//! Every Region has the AWS managed key `alias/aws/ebs`, the default for EBS
//! encryption (E7), the AWS managed key `alias/aws/elasticfilesystem`, the
//! default for EFS file systems (J3), and the lab adds one customer managed
//! key, `alias/lab-key`. A key can be named by alias, alias ARN, key id or key
//! ARN; volumes and snapshots record the key ARN, as `describe-volumes` does.

use crate::ACCOUNT_ID;

/// One KMS key of a Region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KmsKey {
    /// `alias/aws/ebs` or `alias/lab-key`.
    pub alias: &'static str,
    /// The key id (a UUID).
    pub key_id: &'static str,
    /// AWS managed (can't be shared with other accounts, so neither can
    /// what it encrypts) rather than customer managed.
    pub aws_managed: bool,
}

/// The keys every Region has.
pub const KMS_KEYS: [KmsKey; 2] = [
    KmsKey {
        alias: "alias/aws/ebs",
        key_id: "5e1b7a4c-2f0d-4a8e-9c61-0d3f8b2a7e15",
        aws_managed: true,
    },
    KmsKey {
        alias: "alias/lab-key",
        key_id: "0b9d6f3e-8a27-4c51-b4e0-7f1a2c9d5e38",
        aws_managed: false,
    },
];

/// The default EBS key, `alias/aws/ebs`.
pub const DEFAULT_EBS_KEY: KmsKey = KMS_KEYS[0];

/// The default key of encrypted EFS file systems,
/// `alias/aws/elasticfilesystem`. It is EFS's own: EBS can't use it, so it
/// is not one of [`KMS_KEYS`].
pub const DEFAULT_EFS_KEY: KmsKey = KmsKey {
    alias: "alias/aws/elasticfilesystem",
    key_id: "9c2e4b71-6d3a-4f08-a5b9-3e7d1c0f2a64",
    aws_managed: true,
};

impl KmsKey {
    /// The key ARN in `region`.
    pub fn arn(&self, region: &str) -> String {
        format!("arn:aws:kms:{region}:{ACCOUNT_ID}:key/{}", self.key_id)
    }

    /// The key with this ARN in `region`.
    pub fn by_arn(region: &str, arn: &str) -> Option<Self> {
        KMS_KEYS.into_iter().find(|key| key.arn(region) == arn)
    }

    /// The key a `KmsKeyId` parameter names in `region`: an alias
    /// (`alias/aws/ebs`), an alias ARN, a key id or a key ARN.
    pub fn resolve(region: &str, text: &str) -> Option<Self> {
        KMS_KEYS.into_iter().find(|key| key.is_named(region, text))
    }

    /// Whether a `KmsKeyId` parameter names this key in `region`: by its
    /// alias, alias ARN, key id or key ARN.
    pub fn is_named(&self, region: &str, text: &str) -> bool {
        let alias_arn = format!("arn:aws:kms:{region}:{ACCOUNT_ID}:");
        text == self.alias
            || text == self.key_id
            || text == self.arn(region)
            || text.strip_prefix(&alias_arn) == Some(self.alias)
    }
}
