//! Golden tests of goal evaluation on the default lab: each predicate's
//! checklist text (its `Display`) and its verdict, side by side.

use ec2lab_exercises::goal::{Lab, Predicate};
use expect_test::{expect, Expect};

/// Parses each JSON predicate, evaluates it on the default lab in
/// us-east-1, and prints `[x] text — reason` (or `[ ]`).
fn check(predicates: &[&str], expected: Expect) {
    let world = ec2lab_sim::default_lab();
    let lab = Lab::new(&world, ec2lab_sim::DEFAULT_REGION);
    let mut out = String::new();
    for json in predicates {
        let predicate: Predicate = serde_json::from_str(json).expect("the predicate parses");
        let verdict = predicate.evaluate(&lab);
        let mark = if verdict.met { "[x]" } else { "[ ]" };
        out.push_str(&format!("{mark} {predicate}\n    {}\n", verdict.reason));
    }
    expected.assert_eq(&out);
}

#[test]
fn flows() {
    check(
        &[
            r#"{"check":"flow","from":"internet:203.0.113.9","to":"web-1","protocol":"tcp","port":80,"expect":"served","page_contains":"Hello"}"#,
            r#"{"check":"flow","from":"internet:203.0.113.9","to":"web-1","protocol":"tcp","port":22,"expect":"blocked","by":"security_group"}"#,
            r#"{"check":"flow","from":"internet:203.0.113.9","to":"web-1","protocol":"tcp","port":22,"expect":"blocked","by":"network_acl"}"#,
            r#"{"check":"flow","from":"web-1","to":"db-1","protocol":"tcp","port":3306,"expect":"refused"}"#,
            r#"{"check":"flow","from":"web-1","to":"db-1","protocol":"icmp","expect":"delivered"}"#,
            r#"{"check":"flow","from":"internet:203.0.113.9","to":"web-9","protocol":"tcp","port":80,"expect":"blocked"}"#,
        ],
        expect![[r#"
            [x] TCP port 80 from the internet (203.0.113.9) to web-1 is answered by a service whose page contains "Hello"
                delivered both ways; httpd answers
            [x] TCP port 22 from the internet (203.0.113.9) to web-1 is blocked by a security group
                the request is dropped by SecurityGroup sg-0555c95dd130af3af inbound
            [ ] TCP port 22 from the internet (203.0.113.9) to web-1 is blocked by a network ACL
                the request is dropped by SecurityGroup sg-0555c95dd130af3af inbound
            [x] TCP port 3306 from web-1 to db-1 arrives but is refused: nothing listens
                delivered both ways; connection refused: nothing listens
            [ ] a ping (ICMP echo request) from web-1 to db-1 gets through, request and reply
                the request is dropped by SecurityGroup sg-0345940bbf6128d02 inbound
            [ ] TCP port 80 from the internet (203.0.113.9) to web-9 is blocked
                --to web-9: not an IP address, and no instance has this id or Name tag in us-east-1
        "#]],
    );
}

#[test]
fn resources() {
    check(
        &[
            r#"{"check":"instance","name":"web-1","state":"running","instance_type":"t3.micro","subnet":"public-a","own_image":false}"#,
            r#"{"check":"instance","state":"running","count":3}"#,
            r#"{"check":"instance","name":"web-1","instance_type":"t3.small"}"#,
            r#"{"check":"volume","name":"data-1","availability_zone":"us-east-1a","encrypted":false,"attachments":0}"#,
            r#"{"check":"volume","encrypted":true}"#,
            r#"{"check":"snapshot","count":0}"#,
            r#"{"check":"image","name":"web-golden","state":"available"}"#,
            r#"{"check":"security_group","name":"web-sg","inbound_rules":2,"outbound_rules":1}"#,
            r#"{"check":"security_group_rule","group":"db-sg","direction":"inbound","protocol":"tcp","port":3306,"source_group":"web-sg"}"#,
            r#"{"check":"security_group_rule","group":"web-sg","direction":"inbound","protocol":"tcp","port":22,"cidr":"0.0.0.0/0"}"#,
            r#"{"check":"network_acl","subnet":"public-a","default":true}"#,
            r#"{"check":"network_acl_entry","subnet":"public-a","direction":"inbound","action":"allow","rule_number":100,"port":80}"#,
        ],
        expect![[r#"
            [x] an instance named web-1, running, of type t3.micro, launched from a public AMI, in subnet public-a
                i-0e71dd8f9270ae24e (web-1)
            [x] exactly 3 instances running
                i-0781d9316b870d786 (web-2), i-0b55da2a81bfa3ffd (db-1), i-0e71dd8f9270ae24e (web-1)
            [ ] an instance named web-1, of type t3.small
                none matches; nearest: i-0e71dd8f9270ae24e (web-1) is not of type t3.small
            [x] an EBS volume named data-1, in us-east-1a, unencrypted, not attached
                vol-046e27b7f222eca30 (data-1)
            [ ] an EBS volume encrypted
                none matches; nearest: vol-0f3a236e52d20a954 is not encrypted
            [x] no snapshot
                no snapshot matches
            [ ] an AMI of yours named web-golden, available
                there is no AMI in us-east-1
            [x] security group web-sg exists with exactly 2 inbound rules and exactly one outbound rule
                sg-0555c95dd130af3af (web-sg) has 2 inbound and 1 outbound rule
            [x] security group db-sg has an inbound rule allowing TCP port 3306 from security group web-sg
                db-sg has tcp 3306 web-sg
            [ ] security group web-sg has an inbound rule allowing TCP port 22 from 0.0.0.0/0
                web-sg has 2 inbound rules, none of them this one
            [x] subnet public-a uses the VPC's default network ACL
                public-a uses the default network ACL, acl-0eaf2359b6e6a290b
            [x] the network ACL of subnet public-a has an inbound allow entry numbered 100 covering port 80
                acl-0eaf2359b6e6a290b has inbound rule 100
        "#]],
    );
}

#[test]
fn files_bills_settings_and_combinators() {
    check(
        &[
            r#"{"check":"file","instance":"web-1","path":"/var/www/html/index.html","contains":"Hello"}"#,
            r#"{"check":"file","instance":"db-1","path":"/var/www/html/index.html"}"#,
            r#"{"check":"bill","instance":"web-1","at_most_seconds":60}"#,
            r#"{"check":"encryption_by_default","enabled":true}"#,
            r#"{"check":"launch_template","name":"web-lt","versions_at_least":2}"#,
            r#"{"check":"image_build","recipe":"web","status":"failed"}"#,
            r#"{"check":"all","of":[{"check":"network_acl","subnet":"public-b","default":true},{"check":"encryption_by_default","enabled":false}]}"#,
            r#"{"check":"any","of":[{"check":"volume","encrypted":true},{"check":"snapshot","encrypted":true}]}"#,
            r#"{"check":"not","goal":{"check":"volume","name":"data-1","encrypted":true}}"#,
            r#"{"check":"volume","name":"data-1","region":"eu-west-1"}"#,
        ],
        expect![[r#"
            [x] the file /var/www/html/index.html on web-1 contains "Hello"
                /var/www/html/index.html holds "<h1>Hello from ip-10-0-1-4.ec2.internal</h1>"
            [ ] the file /var/www/html/index.html on db-1 exists
                i-0b55da2a81bfa3ffd (db-1) has no file /var/www/html/index.html
            [x] web-1 has been billed at most 60 seconds
                i-0e71dd8f9270ae24e (web-1) has 60 billed seconds
            [ ] EBS encryption by default is on in this Region
                encryption by default is off in us-east-1
            [ ] launch template web-lt exists with at least 2 versions
                there is no launch template web-lt
            [ ] an Image Builder build of recipe web has failed
                recipe web has not been built
            [x] all of: subnet public-b uses the VPC's default network ACL; EBS encryption by default is off in this Region
                public-b uses the default network ACL, acl-0eaf2359b6e6a290b; encryption by default is off in us-east-1
            [ ] any of: an EBS volume encrypted; a snapshot encrypted
                none matches; nearest: vol-0f3a236e52d20a954 is not encrypted; there is no snapshot in us-east-1
            [x] not: an EBS volume named data-1, encrypted
                none matches; nearest: vol-046e27b7f222eca30 (data-1) is not encrypted
            [ ] an EBS volume named data-1 in eu-west-1
                there is no volume in eu-west-1
        "#]],
    );
}

/// Runs `lines` on the default lab in us-east-1 (the script language of
/// the exercises, `let` included), then prints each predicate's verdict as
/// [`check`] does, after every stage.
fn check_stages(stages: &[(&str, &[&str])], predicates: &[&str], expected: Expect) {
    let mut runner = ec2lab_exercises::script::Runner::new(ec2lab_sim::DEFAULT_REGION);
    let mut out = String::new();
    for (title, lines) in stages {
        let lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        if let Err(failure) = runner.run(&lines) {
            out.push_str(&format!(
                "{title}: line {}: {}\n",
                failure.line, failure.message
            ));
            continue;
        }
        out.push_str(&format!("{title}:\n"));
        let lab = Lab::new(&runner.session.world, ec2lab_sim::DEFAULT_REGION);
        for json in predicates {
            let predicate: Predicate = serde_json::from_str(json).expect("the predicate parses");
            let verdict = predicate.evaluate(&lab);
            let mark = if verdict.met { "[x]" } else { "[ ]" };
            out.push_str(&format!("{mark} {predicate}\n    {}\n", verdict.reason));
        }
    }
    expected.assert_eq(&out);
}

#[test]
fn image_builds_by_recipe_version_and_the_instances_launched_from_their_amis() {
    check_stages(
        &[
            (
                "a failing build and a passing one, whose AMI is pending",
                &[
                    "let ami = aws ec2 describe-images --owners amazon --filters Name=name,Values=al2023-ami-*-x86_64 --query Images[0].ImageId --output text",
                    "let pubb = aws ec2 describe-subnets --filters Name=tag:Name,Values=public-b --query Subnets[0].SubnetId --output text",
                    "let broken = aws imagebuilder create-component --name web --semantic-version 1.0.0 --platform Linux --data 'curl -sS localhost' --query componentBuildVersionArn --output text",
                    "let fixed = aws imagebuilder create-component --name web --semantic-version 1.0.1 --platform Linux --data 'dnf install -y httpd && systemctl enable --now httpd' --query componentBuildVersionArn --output text",
                    "let old = aws imagebuilder create-image-recipe --name web --semantic-version 1.0.0 --parent-image ${ami} --components componentArn=${broken} --query imageRecipeArn --output text",
                    "let new = aws imagebuilder create-image-recipe --name web --semantic-version 1.0.1 --parent-image ${ami} --components componentArn=${fixed} --query imageRecipeArn --output text",
                    "let p1 = aws imagebuilder create-image-pipeline --name old --image-recipe-arn ${old} --query imagePipelineArn --output text",
                    "let p2 = aws imagebuilder create-image-pipeline --name new --image-recipe-arn ${new} --query imagePipelineArn --output text",
                    "aws imagebuilder start-image-pipeline-execution --image-pipeline-arn ${p1}",
                    "let build = aws imagebuilder start-image-pipeline-execution --image-pipeline-arn ${p2} --query imageBuildVersionArn --output text",
                ],
            ),
            (
                "the old recipe built again, the AMI available, an instance from it",
                &[
                    "aws imagebuilder start-image-pipeline-execution --image-pipeline-arn ${p1}",
                    "lab advance --seconds 60",
                    "let baked = aws imagebuilder get-image --image-build-version-arn ${build} --query image.outputResources.amis[0].image --output text",
                    "aws ec2 run-instances --image-id ${baked} --instance-type t3.micro --subnet-id ${pubb} --tag-specifications ResourceType=instance,Tags=[{Key=Name,Value=baked}]",
                ],
            ),
        ],
        &[
            r#"{"check":"image_build","recipe":"web","status":"available"}"#,
            r#"{"check":"image_build","recipe":"web","version":"1.0.0","status":"failed"}"#,
            r#"{"check":"image_build","recipe":"web","version":"1.0.0","status":"failed","at_least":2}"#,
            r#"{"check":"image_build","recipe":"web","version":"2.0.0","status":"available"}"#,
            r#"{"check":"instance","name":"baked","image_recipe":"web"}"#,
            r#"{"check":"instance","name":"web-1","image_recipe":"web"}"#,
        ],
        expect![[r#"
            a failing build and a passing one, whose AMI is pending:
            [ ] an Image Builder build of recipe web is available, and so is the AMI it made
                2 builds of web, none available: 1.0.0/1 failed, 1.0.1/1 distributing (AMI ami-0277094661a5407eb pending)
            [x] an Image Builder build of recipe web version 1.0.0 has failed
                arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.0/1: Image build failed in the build phase: step 'script' of component 'web' exited with code 7 after 1 s (see the build log, labBuildLog).
            [ ] at least 2 Image Builder builds of recipe web version 1.0.0 have failed
                1 build of web version 1.0.0, only 1 failed: 1.0.0/1 failed
            [ ] an Image Builder build of recipe web version 2.0.0 is available, and so is the AMI it made
                recipe web version 2.0.0 has not been built
            [ ] an instance named baked, launched from an AMI that Image Builder built from recipe web
                none matches; nearest: i-0e71dd8f9270ae24e (web-1) is not named baked, launched from an AMI that Image Builder built from recipe web
            [ ] an instance named web-1, launched from an AMI that Image Builder built from recipe web
                none matches; nearest: i-0e71dd8f9270ae24e (web-1) is not launched from an AMI that Image Builder built from recipe web
            the old recipe built again, the AMI available, an instance from it:
            [x] an Image Builder build of recipe web is available, and so is the AMI it made
                arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.1/1, AMI ami-0277094661a5407eb
            [x] an Image Builder build of recipe web version 1.0.0 has failed
                1.0.0/1, 1.0.0/2 failed; the latest: arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.0/2: Image build failed in the build phase: step 'script' of component 'web' exited with code 7 after 1 s (see the build log, labBuildLog).
            [x] at least 2 Image Builder builds of recipe web version 1.0.0 have failed
                1.0.0/1, 1.0.0/2 failed; the latest: arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.0/2: Image build failed in the build phase: step 'script' of component 'web' exited with code 7 after 1 s (see the build log, labBuildLog).
            [ ] an Image Builder build of recipe web version 2.0.0 is available, and so is the AMI it made
                recipe web version 2.0.0 has not been built
            [x] an instance named baked, launched from an AMI that Image Builder built from recipe web
                i-094da3c5cd348d0fb (baked)
            [ ] an instance named web-1, launched from an AMI that Image Builder built from recipe web
                none matches; nearest: i-0e71dd8f9270ae24e (web-1) is not launched from an AMI that Image Builder built from recipe web
        "#]],
    );
}
