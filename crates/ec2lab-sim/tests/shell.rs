//! Golden shell transcripts: what a learner sees at an instance's prompt
//! (`lab exec`), after the default lab's web servers booted with user data.

use ec2lab_sim::{default_lab, Command, Response, World, DEFAULT_REGION};
use expect_test::{expect, Expect};

fn instance(world: &World, name: &str) -> ec2lab_sim::InstanceId {
    world
        .region(DEFAULT_REGION)
        .and_then(|r| {
            r.instances
                .values()
                .find(|i| i.tags.get("Name") == Some(name))
        })
        .map(|i| i.id.clone())
        .expect("the default lab has it")
}

/// Runs lines on an instance and prints `$ line`, the output and any
/// non-zero exit status, as a terminal would show them.
fn transcript(world: &mut World, name: &str, lines: &[&str], expected: Expect) {
    let id = instance(world, name);
    let mut out = String::new();
    for line in lines {
        out.push_str(&format!("$ {line}\n"));
        match world.apply(
            DEFAULT_REGION,
            Command::Exec {
                instance_id: id.clone(),
                command: (*line).to_owned(),
            },
        ) {
            Ok(Response::Exec(output)) => {
                out.push_str(&output.combined);
                if output.code != 0 {
                    out.push_str(&format!("[exit {}]\n", output.code));
                }
            }
            other => out.push_str(&format!("{other:?}\n")),
        }
    }
    expected.assert_eq(&out);
}

#[test]
fn a_web_server_built_by_user_data() {
    let mut world = default_lab();
    transcript(
        &mut world,
        "web-1",
        &[
            "whoami",
            "systemctl status httpd",
            "curl -s localhost",
            "echo hi > /var/www/html/hi.html",
            "echo hi | sudo tee /var/www/html/hi.html",
            "curl -s localhost/hi.html",
            "curl -s localhost/missing.html | head -3",
            "cat /var/lib/cloud/instances/*/user-data.txt",
            "lsblk",
            "if true; then echo hi; fi",
            "amazon-linux-extras install nginx1",
            "sudo apt-get install -y apache2",
            "sudo dnf install -y apache2",
        ],
        expect![[r#"
            $ whoami
            ec2-user
            $ systemctl status httpd
            ● httpd.service - httpd
                 Loaded: loaded (/usr/lib/systemd/system/httpd.service; enabled; preset: disabled)
                 Active: active (running) since 2026-01-05 09:00:54 GMT
            $ curl -s localhost
            <h1>Hello from ip-10-0-1-4.ec2.internal</h1>
            $ echo hi > /var/www/html/hi.html
            bash: /var/www/html/hi.html: Permission denied
            [exit 1]
            $ echo hi | sudo tee /var/www/html/hi.html
            hi
            $ curl -s localhost/hi.html
            hi
            $ curl -s localhost/missing.html | head -3
            <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
            <html><head>
            <title>404 Not Found</title>
            $ cat /var/lib/cloud/instances/*/user-data.txt
            #!/bin/bash
            dnf install -y httpd
            systemctl enable --now httpd
            echo "<h1>Hello from $(hostname -f)</h1>" > /var/www/html/index.html
            $ lsblk
            NAME          MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS
            nvme0n1       259:0    0   8G 0 disk /
            $ if true; then echo hi; fi
            lab: not simulated: if true then echo hi fi … fi (the lab's shell runs simple commands only; this part was skipped)
            $ amazon-linux-extras install nginx1
            bash: amazon-linux-extras: command not found
            [exit 127]
            $ sudo apt-get install -y apache2
            bash: apt-get: command not found
            [exit 127]
            $ sudo dnf install -y apache2
            Last metadata expiration check: 0:00:01 ago.
            No match for argument: apache2
            Error: Unable to find a match: apache2
            [exit 1]
        "#]],
    );
}

#[test]
fn a_database_the_web_tier_reaches_only_once_it_listens() {
    let mut world = default_lab();
    transcript(
        &mut world,
        "web-1",
        &[
            "curl -s -m 3 ip-10-0-2-4.ec2.internal:3306",
            "curl -s -m 3 ip-10-0-2-4.ec2.internal:22",
        ],
        expect![[r#"
            $ curl -s -m 3 ip-10-0-2-4.ec2.internal:3306
            curl: (7) Failed to connect to ip-10-0-2-4.ec2.internal port 3306 after 0 ms: Connection refused
            [exit 7]
            $ curl -s -m 3 ip-10-0-2-4.ec2.internal:22
            curl: (28) Failed to connect to ip-10-0-2-4.ec2.internal port 22 after 3000 ms: Timeout was reached
            lab: the request was dropped by security group sg-0345940bbf6128d02 (ingress): `lab trace` shows why
            [exit 28]
        "#]],
    );
}
