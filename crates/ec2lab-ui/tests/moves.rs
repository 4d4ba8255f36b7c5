//! Moving nodes: a node goes where the learner drops it but stays in the
//! box that holds it, lines to it follow, and the layout is saved with the
//! lab.

use ec2lab_sim::{default_lab, DEFAULT_REGION};
use ec2lab_ui::layout::{layout, Diagram, Rect};
use ec2lab_ui::model::Lab;
use ec2lab_ui::moves;

fn diagram(lab: &Lab) -> Diagram {
    let mut d = layout(lab.world.region(DEFAULT_REGION).expect("region"));
    moves::apply(&mut d, &lab.moved);
    d
}

fn rect_of(d: &Diagram, label_start: &str) -> (String, Rect) {
    d.nodes
        .iter()
        .find(|n| n.label.starts_with(label_start))
        .map(|n| (n.resource_id.clone().unwrap_or_default(), n.rect))
        .unwrap_or_else(|| panic!("no node named {label_start}"))
}

#[test]
fn a_moved_instance_stays_in_its_subnet_and_its_volume_line_follows() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let before = diagram(&lab);
    let (id, at) = rect_of(&before, "Instance web-1");
    let (_, subnet) = rect_of(&before, "Public subnet public-a");

    lab.moved = moves::settle(&before, &lab.moved, &id, (10, 4));
    let after = diagram(&lab);
    let (_, moved) = rect_of(&after, "Instance web-1");
    assert_eq!((moved.x - at.x, moved.y - at.y), (10, 4));
    let lines_moved = before
        .links
        .iter()
        .zip(&after.links)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(lines_moved, 1, "the line to its root volume follows it");

    // Dragged far away, it stops at its subnet's edge.
    lab.moved = moves::settle(&after, &lab.moved, &id, (5000, 5000));
    // The instance and its security group's boundary both stay inside.
    let far_diagram = diagram(&lab);
    let (_, far) = rect_of(&far_diagram, "Instance web-1");
    let boundary = far_diagram
        .nodes
        .iter()
        .find(|n| n.label.starts_with("Security group web-sg") && n.label.contains("around web-1"))
        .map(|n| n.rect)
        .expect("web-1's boundary");
    assert!(boundary.contains(&far), "the boundary moved with it");
    assert!(subnet.contains(&boundary), "{boundary:?} left {subnet:?}");
    assert_eq!(boundary.x + boundary.w, subnet.x + subnet.w);
    assert_eq!(boundary.y + boundary.h, subnet.y + subnet.h);
    assert!(moves::within_own_box(
        &after,
        &id,
        (subnet.x + 2, subnet.y + 2)
    ));
    assert!(!moves::within_own_box(
        &after,
        &id,
        (subnet.x - 2, subnet.y)
    ));

    // Back where the layout puts it, it is no longer a move.
    let (_, now) = rect_of(&diagram(&lab), "Instance web-1");
    lab.moved = moves::settle(
        &diagram(&lab),
        &lab.moved,
        &id,
        (at.x - now.x, at.y - now.y),
    );
    assert!(lab.moved.is_empty());
}

#[test]
fn groups_do_not_move_and_moves_of_gone_resources_are_ignored() {
    let lab = Lab::new(default_lab(), DEFAULT_REGION);
    let d = diagram(&lab);
    let (subnet, _) = rect_of(&d, "Public subnet public-a");
    assert_eq!(moves::settle(&d, &[], &subnet, (40, 40)), vec![]);
    let mut moved = d.clone();
    moves::apply(&mut moved, &[("i-0000000000gone".into(), 40, 40)]);
    assert_eq!(moved, d);
}

#[test]
fn the_layout_is_saved_with_the_lab_and_hostile_offsets_are_refused() {
    let mut lab = Lab::new(default_lab(), DEFAULT_REGION);
    let d = diagram(&lab);
    let (id, _) = rect_of(&d, "Instance db-1");
    lab.moved = moves::settle(&d, &lab.moved, &id, (24, -6));
    let text = ec2lab_ui::saved::save(&lab);
    assert!(text.contains(&format!("moved\t{id}\t24\t-6\n")), "{text}");
    let loaded = ec2lab_ui::saved::load(&text).expect("loads");
    assert_eq!(loaded.moved, lab.moved);

    for (line, why) in [
        (
            "moved\ti-1\t5",
            "line 2: a moved node needs an id and two whole numbers",
        ),
        (
            "moved\ti-1\t5\tx",
            "line 2: a moved node needs an id and two whole numbers",
        ),
        ("moved\t<svg>\t5\t5", "line 2: '<svg>' is not a resource id"),
        (
            "moved\ti-1\t5\t9999999",
            "line 2: a moved node's offset is out of range",
        ),
    ] {
        let text = format!("ec2lab-lab 2\n{line}\n");
        let e = ec2lab_ui::saved::load(&text).expect_err("refused");
        assert_eq!(e.to_string(), why);
    }
}
