//! Drops as EC2 actions, and their keyboard and menu equivalents.

use ec2lab_sim::{default_lab, World, DEFAULT_REGION};
use ec2lab_ui::drag::{drop_action, drop_at, drop_choices};
use ec2lab_ui::layout::layout;
use ec2lab_ui::model::cli_line;
use expect_test::expect;

fn id_of(world: &World, prefix: &str, name: &str) -> String {
    let region = world.region(DEFAULT_REGION).expect("region");
    let tagged = |tags: &ec2lab_sim::Tags| tags.get("Name") == Some(name);
    match prefix {
        "i" => region
            .instances
            .values()
            .find(|i| tagged(&i.tags))
            .map(|i| i.id.to_string()),
        "vol" => region
            .volumes
            .values()
            .find(|v| tagged(&v.tags))
            .map(|v| v.id.to_string()),
        _ => region
            .subnets
            .values()
            .find(|s| tagged(&s.tags))
            .map(|s| s.id.to_string()),
    }
    .expect("named resource")
}

#[test]
fn every_choice_for_a_volume_and_an_ami() {
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("region");
    let diagram = layout(region);
    let data = id_of(&world, "vol", "data-1");
    let list = |source: &str| -> String {
        drop_choices(region, &diagram, source)
            .iter()
            .map(|(_, words, action)| {
                format!("{words}\n    {}\n", cli_line(action, DEFAULT_REGION))
            })
            .collect()
    };
    // Every instance is offered, in either AZ: AWS refuses the other AZ (F1),
    // and the learner sees why.
    expect![[r#"
        Snapshot it onto the Snapshots shelf
            aws ec2 create-snapshot --volume-id vol-046e27b7f222eca30 --region us-east-1
        Attach to Instance web-1
            aws ec2 attach-volume --volume-id vol-046e27b7f222eca30 --instance-id i-0e71dd8f9270ae24e --device /dev/sdf --region us-east-1
        Attach to Instance web-2
            aws ec2 attach-volume --volume-id vol-046e27b7f222eca30 --instance-id i-0781d9316b870d786 --device /dev/sdf --region us-east-1
        Attach to Instance db-1
            aws ec2 attach-volume --volume-id vol-046e27b7f222eca30 --instance-id i-0b55da2a81bfa3ffd --device /dev/sdf --region us-east-1
    "#]]
    .assert_eq(&list(&data));
    let ami = region
        .instances
        .values()
        .next()
        .map(|i| i.image_id.to_string())
        .expect("ami");
    expect![[r#"
        Launch an instance in Public subnet public-a
            aws ec2 run-instances --image-id ami-e4644a6da1f2842ce --instance-type t3.micro --subnet-id subnet-0dee21ba09fd7951f --count 1 --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=instance-4}]' --region us-east-1
        Launch an instance in Public subnet public-b
            aws ec2 run-instances --image-id ami-e4644a6da1f2842ce --instance-type t3.micro --subnet-id subnet-0e1f35406dcfacc32 --count 1 --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=instance-4}]' --region us-east-1
        Launch an instance in Private subnet private-a
            aws ec2 run-instances --image-id ami-e4644a6da1f2842ce --instance-type t3.micro --subnet-id subnet-0a09258fcf2eafa92 --count 1 --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=instance-4}]' --region us-east-1
        Launch an instance in Private subnet private-b
            aws ec2 run-instances --image-id ami-e4644a6da1f2842ce --instance-type t3.micro --subnet-id subnet-07f25d30fd491ab90 --count 1 --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=instance-4}]' --region us-east-1
    "#]].assert_eq(&list(&ami));
}

#[test]
fn a_drop_on_an_instance_card_launches_into_its_subnet() {
    let world = default_lab();
    let region = world.region(DEFAULT_REGION).expect("region");
    let diagram = layout(region);
    let web1 = id_of(&world, "i", "web-1");
    let card = diagram
        .nodes
        .iter()
        .find(|n| n.resource_id.as_deref() == Some(web1.as_str()))
        .expect("card");
    let ami = region
        .instances
        .values()
        .next()
        .map(|i| i.image_id.to_string())
        .expect("ami");
    let (x, y) = (card.rect.x + 10, card.rect.y + 10);
    let action = drop_at(region, &diagram, x, y, &ami)
        .expect("a target")
        .expect("an action");
    assert!(cli_line(&action, DEFAULT_REGION).contains(&format!(
        "--subnet-id {}",
        id_of(&world, "subnet", "public-a")
    )));
    // A volume dropped on the same spot attaches to the instance itself.
    let data = id_of(&world, "vol", "data-1");
    let attach = drop_at(region, &diagram, x, y, &data)
        .expect("a target")
        .expect("an action");
    assert!(cli_line(&attach, DEFAULT_REGION).starts_with("aws ec2 attach-volume"));
    // An instance dropped on a subnet means nothing, and says what would.
    assert_eq!(
        drop_action(region, &web1, &id_of(&world, "subnet", "public-b")),
        Err("Drop an instance on the AMIs shelf to make an image of it.".into())
    );
}
