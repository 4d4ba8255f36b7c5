//! The network engine's benchmark: how many single flows a second the trace
//! judges, and how long the all-pairs reachability matrix takes, on the
//! benchmark lab (`LabSpec::benchmark()`: 500 instances, 100 security
//! groups of 20 inbound rules, 20 network ACLs of 20 entries).
//!
//! Run it with `cargo run --release -p ec2lab-sim --example bench_network`.
//! The matrix's budget is 50 ms per computation, native, in release; the
//! program says whether every run met it and exits non-zero if the matrix
//! ever disagrees with the trace on the pairs it samples.

use std::hint::black_box;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use ec2lab_sim::{
    generated_lab, reachability_matrix, Flow, LabSpec, Source, Transport, DEFAULT_REGION,
};

/// The budget for one all-pairs matrix on the benchmark lab.
const BUDGET: Duration = Duration::from_millis(50);

/// How many times the matrix is computed (after one warm-up run).
const MATRIX_RUNS: usize = 21;

/// How many random pairs are checked against the trace.
const CHECKED_PAIRS: usize = 2000;

/// SplitMix64, to pick flows reproducibly.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let spec = LabSpec::benchmark();
    let started = Instant::now();
    let world = generated_lab(&spec);
    let built_in = started.elapsed();
    let region = world.region(DEFAULT_REGION).expect("the lab's Region");
    let groups = region.security_groups.len() - 1;
    let rules: usize = region
        .security_groups
        .values()
        .filter(|g| g.name != "default")
        .map(|g| g.ingress.len())
        .sum();
    let acls: Vec<_> = region
        .network_acls
        .values()
        .filter(|a| !a.is_default)
        .collect();
    let entries: usize = acls
        .iter()
        .map(|a| a.entries.iter().filter(|e| !e.is_default_deny()).count())
        .sum();
    println!("EC2 Lab network benchmark (release build, native)");
    println!(
        "Lab: {} running instances on {} subnets; {} security groups × {} inbound rules; {} network ACLs × {} entries (built in {})",
        region.instances.len(),
        region.subnets.len(),
        groups,
        rules / groups.max(1),
        acls.len(),
        entries / acls.len().max(1),
        millis(built_in),
    );

    // (a) Single-flow traces on a mix of flows.
    let instances: Vec<_> = region.instances.values().collect();
    let enis: Vec<_> = instances
        .iter()
        .map(|i| region.primary_interface(i).expect("a primary interface"))
        .collect();
    let public: Vec<_> = enis.iter().filter_map(|e| e.public_ip).collect();
    let transports = [
        Transport::Tcp {
            src_port: 40000,
            dst_port: 80,
        },
        Transport::Tcp {
            src_port: 40000,
            dst_port: 22,
        },
        Transport::Tcp {
            src_port: 40000,
            dst_port: 3306,
        },
        Transport::Udp {
            src_port: 50000,
            dst_port: 53,
        },
        Transport::Icmp {
            v6: false,
            icmp_type: 8,
            icmp_code: 0,
        },
    ];
    let mut rng = Rng(7);
    let flows: Vec<Flow> = (0..1000)
        .map(|_| {
            let transport = transports[rng.below(transports.len())];
            match rng.below(10) {
                0..=5 => Flow {
                    source: Source::Interface(enis[rng.below(enis.len())].id.clone()),
                    destination: IpAddr::V4(enis[rng.below(enis.len())].private_ip),
                    transport,
                },
                6 | 7 => Flow {
                    source: Source::Internet("203.0.113.9".parse().expect("ip")),
                    destination: IpAddr::V4(public[rng.below(public.len())]),
                    transport,
                },
                _ => Flow {
                    source: Source::Interface(enis[rng.below(enis.len())].id.clone()),
                    destination: "198.51.100.7".parse().expect("ip"),
                    transport,
                },
            }
        })
        .collect();
    let allowed_in_mix = flows
        .iter()
        .filter(|f| region.trace(f).blocked_by.is_none())
        .count();
    let started = Instant::now();
    let mut traced = 0usize;
    while started.elapsed() < Duration::from_secs(1) {
        for flow in flows.iter().skip(traced % flows.len()).take(50) {
            black_box(region.trace(black_box(flow)));
            traced += 1;
        }
    }
    let elapsed = started.elapsed();
    println!(
        "(a) Single-flow traces: {traced} in {:.2} s = {:.0} traces/s (mix of 1000 flows: 60% instance → private address, 20% internet → public address, 20% instance → internet; {:.0}% allowed)",
        elapsed.as_secs_f64(),
        traced as f64 / elapsed.as_secs_f64(),
        allowed_in_mix as f64 * 100.0 / flows.len() as f64,
    );

    // (b) The all-pairs matrix on TCP port 80.
    let http = Transport::Tcp {
        src_port: 40000,
        dst_port: 80,
    };
    let matrix = reachability_matrix(region, http);
    let mut times = Vec::with_capacity(MATRIX_RUNS);
    for _ in 0..MATRIX_RUNS {
        let started = Instant::now();
        black_box(reachability_matrix(black_box(region), http));
        times.push(started.elapsed());
    }
    times.sort();
    let (min, median, max) = (times[0], times[MATRIX_RUNS / 2], times[MATRIX_RUNS - 1]);
    let n = matrix.len();
    println!(
        "(b) All-pairs matrix on TCP port 80: {n} × {n} = {} pairs, {} allowed",
        n * n,
        matrix.count_allowed()
    );
    println!(
        "    {MATRIX_RUNS} runs: median {}, min {}, max {}",
        millis(median),
        millis(min),
        millis(max)
    );
    println!(
        "    Budget ≤ 50 ms per matrix: {}",
        if max <= BUDGET {
            "met by every run"
        } else if median <= BUDGET {
            "met by the median, not by every run"
        } else {
            "NOT met"
        }
    );

    // The matrix must say what the trace says.
    let mut disagreements = 0;
    for _ in 0..CHECKED_PAIRS {
        let (i, j) = (rng.below(n), rng.below(n));
        let client = &region.instances[&matrix.instances[i]];
        let server = region
            .primary_interface(&region.instances[&matrix.instances[j]])
            .expect("a primary interface");
        let flow = Flow {
            source: Source::Interface(client.network_interface_id.clone()),
            destination: IpAddr::V4(server.private_ip),
            transport: http,
        };
        if region.trace(&flow).blocked_by.is_none() != matrix.allowed(i, j) {
            disagreements += 1;
        }
    }
    println!(
        "Check: {CHECKED_PAIRS} random pairs traced one by one, {disagreements} disagreement(s) with the matrix"
    );
    if disagreements > 0 {
        std::process::exit(1);
    }
}
