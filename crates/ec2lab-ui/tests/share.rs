//! Share links: the fragment's version and payload, and hostile links
//! refused with a message naming what is wrong.

use ec2lab_ui::share::{fragment, is_link, payload, Payload};

#[test]
fn compressed_links_round_trip_and_first_version_links_still_open() {
    let bytes = vec![0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xff];
    let link = fragment(&bytes);
    assert!(link.starts_with("#lab2="), "{link}");
    assert!(is_link(&link));
    assert_eq!(payload(&link), Ok(Payload::Deflated(bytes)));
    // "ec2lab-lab 1\n" in plain base64url: a link made before compression.
    assert_eq!(
        payload("#lab=ZWMybGFiLWxhYiAxCg"),
        Ok(Payload::Text("ec2lab-lab 1\n".into()))
    );
}

#[test]
fn hostile_fragments_are_refused_with_the_reason() {
    assert!(!is_link("#section-2"));
    assert_eq!(payload("#other=abc"), Err("the link carries no lab".into()));
    let damaged = payload("#lab2=not*base64").expect_err("refused");
    assert!(damaged.starts_with("the link is damaged ("), "{damaged}");
    // Valid base64 of bytes that are not UTF-8.
    assert_eq!(
        payload("#lab=__79"),
        Err("the link is damaged (not text)".into())
    );
}
