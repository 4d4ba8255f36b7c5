//! What runs on an instance, as far as the lab needs it: which operating
//! system an AMI holds, its packages and services, and what is running.
//!
//! The operating system is read from the root disk (`/etc/os-release`), so
//! an AMI baked from a configured instance carries what was installed on it
//! (H6): installing a package writes its files to the disk, enabling a
//! service writes systemd's `multi-user.target.wants` link. What is running
//! (services, mounts) lives in memory ([`Runtime`]) and is lost on reboot,
//! stop and terminate; at boot, enabled services start and `/etc/fstab` is
//! mounted again.

use std::fmt;

use crate::data::DiskData;
use crate::ids::VolumeId;

/// The operating systems of the AMI catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distro {
    /// Amazon Linux 2023: `dnf` (and `yum`), user `ec2-user`, IMDSv2 only.
    AmazonLinux2023,
    /// The original Amazon Linux AMI (2018.03): `yum`.
    AmazonLinux1,
    /// Ubuntu: `apt-get`, user `ubuntu`.
    Ubuntu,
    /// Debian: `apt-get`, user `admin`.
    Debian,
    /// Windows Server: no cloud-init (EC2Launch runs `<powershell>` user data).
    Windows,
}

/// How packages are installed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packaging {
    /// RPM packages: `dnf`/`yum`; services are not started on install.
    Rpm,
    /// Debian packages: `apt-get`/`apt`; services start on install.
    Deb,
}

impl Distro {
    /// The system on a root disk.
    pub fn of(root: &DiskData) -> Option<Self> {
        if root.files.keys().any(|p| p.starts_with("C:\\")) {
            return Some(Self::Windows);
        }
        if let Some(release) = root.files.get("/etc/os-release") {
            return Some(if release.contains("Amazon Linux 2023") {
                Self::AmazonLinux2023
            } else if release.contains("Ubuntu") {
                Self::Ubuntu
            } else if release.contains("Debian") {
                Self::Debian
            } else {
                Self::AmazonLinux2023
            });
        }
        root.files
            .get("/etc/system-release")
            .map(|_| Self::AmazonLinux1)
    }

    /// `PRETTY_NAME`-like name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::AmazonLinux2023 => "Amazon Linux 2023",
            Self::AmazonLinux1 => "Amazon Linux AMI 2018.03",
            Self::Ubuntu => "Ubuntu 24.04",
            Self::Debian => "Debian 12",
            Self::Windows => "Windows Server 2022",
        }
    }

    /// Its packaging, if it has a Linux package manager.
    pub fn packaging(self) -> Option<Packaging> {
        match self {
            Self::AmazonLinux2023 | Self::AmazonLinux1 => Some(Packaging::Rpm),
            Self::Ubuntu | Self::Debian => Some(Packaging::Deb),
            Self::Windows => None,
        }
    }

    /// The package managers its shell has.
    pub fn has_command(self, command: &str) -> bool {
        match command {
            "dnf" => self == Self::AmazonLinux2023,
            "yum" => matches!(self, Self::AmazonLinux2023 | Self::AmazonLinux1),
            "apt-get" | "apt" => matches!(self, Self::Ubuntu | Self::Debian),
            // Only Amazon Linux 2 had it; AL2023 dropped it.
            "amazon-linux-extras" => false,
            _ => true,
        }
    }

    /// The user a learner logs in as.
    pub fn default_user(self) -> &'static str {
        match self {
            Self::AmazonLinux2023 | Self::AmazonLinux1 => "ec2-user",
            Self::Ubuntu => "ubuntu",
            Self::Debian => "admin",
            Self::Windows => "Administrator",
        }
    }

    /// Whether the instance metadata service requires IMDSv2 tokens: AL2023
    /// AMIs are registered with `ImdsSupport: v2.0`.
    pub fn imds_v2_only(self) -> bool {
        self == Self::AmazonLinux2023
    }

    /// The file system its root is formatted with.
    pub fn root_format(self) -> &'static str {
        match self {
            Self::AmazonLinux2023 | Self::AmazonLinux1 => "xfs",
            Self::Ubuntu | Self::Debian => "ext4",
            Self::Windows => "ntfs",
        }
    }

    /// Services that come with the AMI, installed and enabled.
    pub fn base_services(self, root: &DiskData) -> Vec<&'static ServiceInfo> {
        let mut units = match self {
            Self::AmazonLinux2023 | Self::AmazonLinux1 => vec![service("sshd")],
            Self::Ubuntu | Self::Debian => vec![service("ssh")],
            Self::Windows => vec![service("TermService")],
        };
        // The Bitnami WordPress image runs its own Apache.
        if root.files.keys().any(|p| p.starts_with("/opt/bitnami/")) {
            units.push(service("bitnami"));
        }
        units.into_iter().flatten().collect()
    }
}

impl fmt::Display for Distro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a service answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// HTTP: serves files from a document root.
    Http,
    /// Anything else (SSH, MySQL, RDP): answers, but not in HTTP.
    Other,
}

/// A systemd service the lab knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The unit name without `.service`.
    pub unit: &'static str,
    /// The TCP ports it listens on.
    pub ports: &'static [u16],
    /// What it speaks.
    pub protocol: Protocol,
    /// Where an HTTP server's files are.
    pub docroot: &'static str,
    /// The page it serves when the document root has no `index.html`.
    pub default_page: &'static str,
}

/// The services the lab knows.
pub const SERVICES: &[ServiceInfo] = &[
    ServiceInfo {
        unit: "httpd",
        ports: &[80],
        protocol: Protocol::Http,
        docroot: "/var/www/html",
        default_page: "<html><body><h1>It works!</h1></body></html>\n",
    },
    ServiceInfo {
        unit: "apache2",
        ports: &[80],
        protocol: Protocol::Http,
        docroot: "/var/www/html",
        default_page: "<html><body><h1>Apache2 Default Page</h1><p>It works!</p></body></html>\n",
    },
    ServiceInfo {
        unit: "nginx",
        ports: &[80],
        protocol: Protocol::Http,
        docroot: "/usr/share/nginx/html",
        default_page: "<html><body><h1>Welcome to nginx!</h1></body></html>\n",
    },
    ServiceInfo {
        unit: "bitnami",
        ports: &[80, 443],
        protocol: Protocol::Http,
        docroot: "/opt/bitnami/wordpress",
        default_page:
            "<html><body><h1>User's Blog!</h1><p>Just another WordPress site</p></body></html>\n",
    },
    ServiceInfo {
        unit: "mariadb",
        ports: &[3306],
        protocol: Protocol::Other,
        docroot: "",
        default_page: "",
    },
    ServiceInfo {
        unit: "sshd",
        ports: &[22],
        protocol: Protocol::Other,
        docroot: "",
        default_page: "",
    },
    ServiceInfo {
        unit: "ssh",
        ports: &[22],
        protocol: Protocol::Other,
        docroot: "",
        default_page: "",
    },
    ServiceInfo {
        unit: "TermService",
        ports: &[3389],
        protocol: Protocol::Other,
        docroot: "",
        default_page: "",
    },
    ServiceInfo {
        unit: "docker",
        ports: &[],
        protocol: Protocol::Other,
        docroot: "",
        default_page: "",
    },
];

/// A service by unit name (`httpd` or `httpd.service`).
pub fn service(unit: &str) -> Option<&'static ServiceInfo> {
    let unit = unit.strip_suffix(".service").unwrap_or(unit);
    SERVICES.iter().find(|s| s.unit == unit)
}

/// A package the lab knows: its name per packaging, version, the service it
/// brings, and files it installs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackageInfo {
    /// The package name.
    pub name: &'static str,
    /// Which packaging has it.
    pub packaging: Packaging,
    /// Version string as the package manager prints it.
    pub version: &'static str,
    /// The unit it installs, if any.
    pub unit: Option<&'static str>,
    /// A file it installs (the lab marks installation with it).
    pub file: &'static str,
}

/// Packages the lab knows by name. Others install as generic packages; the
/// names that belong to the other packaging are refused as the real package
/// manager refuses them (`apache2` on Amazon Linux, `httpd` on Ubuntu).
pub const PACKAGES: &[PackageInfo] = &[
    PackageInfo {
        name: "httpd",
        packaging: Packaging::Rpm,
        version: "2.4.62-1.amzn2023",
        unit: Some("httpd"),
        file: "/usr/sbin/httpd",
    },
    PackageInfo {
        name: "nginx",
        packaging: Packaging::Rpm,
        version: "1.26.2-1.amzn2023.0.1",
        unit: Some("nginx"),
        file: "/usr/sbin/nginx",
    },
    PackageInfo {
        name: "mariadb105-server",
        packaging: Packaging::Rpm,
        version: "10.5.25-1.amzn2023.0.1",
        unit: Some("mariadb"),
        file: "/usr/libexec/mariadbd",
    },
    PackageInfo {
        name: "docker",
        packaging: Packaging::Rpm,
        version: "25.0.6-1.amzn2023.0.2",
        unit: Some("docker"),
        file: "/usr/bin/docker",
    },
    PackageInfo {
        name: "amazon-efs-utils",
        packaging: Packaging::Rpm,
        version: "2.1.0-1.amzn2023",
        unit: None,
        file: "/sbin/mount.efs",
    },
    PackageInfo {
        name: "apache2",
        packaging: Packaging::Deb,
        version: "2.4.58-1ubuntu8.5",
        unit: Some("apache2"),
        file: "/usr/sbin/apache2",
    },
    PackageInfo {
        name: "nginx",
        packaging: Packaging::Deb,
        version: "1.24.0-2ubuntu7.1",
        unit: Some("nginx"),
        file: "/usr/sbin/nginx",
    },
    PackageInfo {
        name: "mariadb-server",
        packaging: Packaging::Deb,
        version: "1:10.11.8-0ubuntu0.24.04.1",
        unit: Some("mariadb"),
        file: "/usr/sbin/mariadbd",
    },
    PackageInfo {
        name: "docker.io",
        packaging: Packaging::Deb,
        version: "24.0.7-0ubuntu4.1",
        unit: Some("docker"),
        file: "/usr/bin/docker",
    },
    PackageInfo {
        name: "nfs-common",
        packaging: Packaging::Deb,
        version: "1:2.6.4-3ubuntu5",
        unit: None,
        file: "/sbin/mount.nfs4",
    },
];

/// Looks a package up for a packaging: `Ok(Some)` a known package, `Ok(None)`
/// a package the lab installs generically, `Err` a name the package manager
/// would not find there.
pub fn package(name: &str, packaging: Packaging) -> Result<Option<&'static PackageInfo>, ()> {
    if let Some(p) = PACKAGES
        .iter()
        .find(|p| p.name == name && p.packaging == packaging)
    {
        return Ok(Some(p));
    }
    if PACKAGES.iter().any(|p| p.name == name) {
        return Err(());
    }
    Ok(None)
}

/// The file that records an installed package on a disk.
pub fn package_record(name: &str, packaging: Packaging) -> String {
    match packaging {
        Packaging::Rpm => format!("/var/lib/rpm/{name}"),
        Packaging::Deb => format!("/var/lib/dpkg/info/{name}.list"),
    }
}

/// Where a package installs a unit file.
pub fn unit_file(unit: &str, packaging: Packaging) -> String {
    match packaging {
        Packaging::Rpm => format!("/usr/lib/systemd/system/{unit}.service"),
        Packaging::Deb => format!("/lib/systemd/system/{unit}.service"),
    }
}

/// The link that enables a unit at boot.
pub fn wants_link(unit: &str) -> String {
    format!("/etc/systemd/system/multi-user.target.wants/{unit}.service")
}

/// Whether a unit is installed on a root disk.
pub fn unit_installed(distro: Distro, root: &DiskData, unit: &str) -> bool {
    distro.base_services(root).iter().any(|s| s.unit == unit)
        || distro
            .packaging()
            .is_some_and(|p| root.files.contains_key(&unit_file(unit, p)))
}

/// Whether a unit starts at boot.
pub fn unit_enabled(distro: Distro, root: &DiskData, unit: &str) -> bool {
    distro.base_services(root).iter().any(|s| s.unit == unit)
        || root.files.contains_key(&wants_link(unit))
}

/// A running service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunningService {
    /// The unit.
    pub unit: String,
    /// When it started (lab seconds).
    pub since: u64,
}

/// A mounted file system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// Where it is mounted, e.g. `/data`.
    pub point: String,
    /// What is mounted.
    pub source: MountSource,
    /// `xfs`, `ext4`, `nfs4`.
    pub fstype: String,
}

/// What a mount shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSource {
    /// An EBS volume.
    Volume(VolumeId),
    /// An instance-store disk, by its device name.
    InstanceStore(String),
    /// An EFS file system, by id.
    Efs(String),
}

/// What is in an instance's memory: lost on reboot, stop and terminate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Runtime {
    /// Running services, listening on their ports.
    pub services: Vec<RunningService>,
    /// Services that start later in this boot (lab seconds, unit): the
    /// ones user data starts, once cloud-init reaches them.
    pub starting: Vec<(u64, String)>,
    /// Mounted file systems besides the root.
    pub mounts: Vec<Mount>,
    /// When cloud-init finishes this boot's work.
    pub cloud_init_done_at: u64,
}

impl Runtime {
    /// Whether a unit is running.
    pub fn is_running(&self, unit: &str) -> bool {
        self.services.iter().any(|s| s.unit == unit)
    }
}
