//! Packets: what the network engine judges.
//!
//! A packet has a source and a destination address and a transport header:
//! TCP or UDP ports, an ICMP type and code, or just a protocol number. Rules
//! speak of protocols by number (TCP 6, UDP 17, ICMP 1, ICMPv6 58; `-1` means
//! all, A10 and B8).

use std::fmt;
use std::net::IpAddr;

/// The transport part of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Transport {
    /// TCP (6).
    Tcp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
    /// UDP (17).
    Udp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
    /// ICMP (1) or ICMPv6 (58).
    Icmp {
        /// `true` for ICMPv6 (58).
        v6: bool,
        /// ICMP type, e.g. 8 (echo request).
        icmp_type: u8,
        /// ICMP code.
        icmp_code: u8,
    },
    /// Any other IP protocol, by number.
    Other(u8),
}

impl Transport {
    /// The IP protocol number.
    pub fn protocol(self) -> u8 {
        match self {
            Self::Tcp { .. } => 6,
            Self::Udp { .. } => 17,
            Self::Icmp { v6: false, .. } => 1,
            Self::Icmp { v6: true, .. } => 58,
            Self::Other(n) => n,
        }
    }

    /// The destination port, for TCP and UDP.
    pub fn dst_port(self) -> Option<u16> {
        match self {
            Self::Tcp { dst_port, .. } | Self::Udp { dst_port, .. } => Some(dst_port),
            _ => None,
        }
    }

    /// The transport header of the reply: ports swapped; an ICMP echo request
    /// (8, or 128 for ICMPv6) is answered by an echo reply (0, or 129).
    pub fn reply(self) -> Self {
        match self {
            Self::Tcp { src_port, dst_port } => Self::Tcp {
                src_port: dst_port,
                dst_port: src_port,
            },
            Self::Udp { src_port, dst_port } => Self::Udp {
                src_port: dst_port,
                dst_port: src_port,
            },
            Self::Icmp {
                v6,
                icmp_type,
                icmp_code,
            } => {
                let reply_type = match (v6, icmp_type) {
                    (false, 8) => 0,
                    (true, 128) => 129,
                    (_, other) => other,
                };
                Self::Icmp {
                    v6,
                    icmp_type: reply_type,
                    icmp_code,
                }
            }
            other @ Self::Other(_) => other,
        }
    }
}

/// One packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Packet {
    /// Source address, as the packet shows it at this point of its path.
    pub src: IpAddr,
    /// Destination address, as the packet shows it at this point of its path.
    pub dst: IpAddr,
    /// The transport header.
    pub transport: Transport,
}

impl Packet {
    /// The reply to this packet: addresses and ports swapped.
    pub fn reply(self) -> Self {
        Self {
            src: self.dst,
            dst: self.src,
            transport: self.transport.reply(),
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tcp { .. } => f.write_str("TCP"),
            Self::Udp { .. } => f.write_str("UDP"),
            Self::Icmp {
                v6: false,
                icmp_type,
                icmp_code,
            } => write!(f, "ICMP type {icmp_type} code {icmp_code}"),
            Self::Icmp {
                v6: true,
                icmp_type,
                icmp_code,
            } => write!(f, "ICMPv6 type {icmp_type} code {icmp_code}"),
            Self::Other(n) => write!(f, "protocol {n}"),
        }
    }
}

impl fmt::Display for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.transport {
            Transport::Tcp { src_port, dst_port } | Transport::Udp { src_port, dst_port } => {
                let (src, dst) = (
                    SocketLike(self.src, src_port),
                    SocketLike(self.dst, dst_port),
                );
                write!(f, "{} {src} → {dst}", self.transport)
            }
            _ => write!(f, "{} {} → {}", self.transport, self.src, self.dst),
        }
    }
}

/// `10.0.0.1:80` or `[2001:db8::1]:80`.
struct SocketLike(IpAddr, u16);

impl fmt::Display for SocketLike {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(ip) => write!(f, "{ip}:{}", self.1),
            IpAddr::V6(ip) => write!(f, "[{ip}]:{}", self.1),
        }
    }
}
