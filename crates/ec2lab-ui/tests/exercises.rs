//! Exercises in the lab: every built-in exercise starts from its setup with
//! every goal unmet, its solution as the panel shows it (console lines, run
//! as the learner's "Run" buttons run them) meets every goal, and a lab for
//! an exercise saves and loads as that exercise.

use ec2lab_ui::engine;
use ec2lab_ui::model::{Action, Lab};

fn checklist(lab: &Lab) -> engine::Checked {
    let engine = engine::loaded().expect("linked in");
    let exercise = lab.exercise.as_ref().expect("an exercise lab");
    (engine.check)(&lab.world, &lab.connections, &exercise.id, exercise.seed)
}

#[test]
fn every_exercise_is_solved_by_the_steps_the_panel_shows() {
    let engine = engine::loaded().expect("linked in");
    let list = (engine.exercises)();
    assert!(list.len() >= 20, "{} exercises", list.len());
    let mut failures = Vec::new();
    for summary in &list {
        let (exercise, world) = (engine.start)(&summary.id, 7).expect("starts");
        let steps = exercise.solution.clone();
        let mut lab = Lab::for_exercise(exercise, world);
        let start = checklist(&lab);
        assert!(!start.goals.is_empty(), "{}: no goals", summary.id);
        if start.goals.iter().all(|g| g.1) {
            failures.push(format!("{}: solved before anything was done", summary.id));
        }
        for (step, refused) in &steps {
            match (
                lab.perform(&Action::Console { line: step.clone() }),
                refused,
            ) {
                (Ok(()), None) => {}
                (Err(e), Some(code)) if e.code == *code => {}
                (result, _) => failures.push(format!(
                    "{}: `{step}`: {result:?}, meant to be refused with {refused:?}",
                    summary.id
                )),
            }
        }
        for (goal, met, reason) in checklist(&lab).goals {
            if !met {
                failures.push(format!(
                    "{}: after the solution, unmet: {goal} ({reason})",
                    summary.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_exercise_lab_saves_and_loads_as_that_exercise() {
    let engine = engine::loaded().expect("linked in");
    let first = (engine.exercises)()
        .into_iter()
        .next()
        .expect("an exercise");
    let (exercise, world) = (engine.start)(&first.id, 42).expect("starts");
    let lab = Lab::for_exercise(exercise, world);
    let text = ec2lab_ui::saved::save(&lab);
    assert!(
        text.starts_with(&format!("ec2lab-lab 2\nexercise\t{}\t42\n", first.id)),
        "{text}"
    );
    assert!(ec2lab_ui::saved::needs_console(&text));
    let loaded = ec2lab_ui::saved::load(&text).expect("loads");
    assert_eq!(loaded.world, lab.world);
    assert_eq!(loaded.exercise, lab.exercise);

    let hostile = "ec2lab-lab 2\nexercise\tno-such-exercise\t1\n";
    let e = ec2lab_ui::saved::load(hostile).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "line 2: exercise 'no-such-exercise': there is no exercise 'no-such-exercise'"
    );
}
