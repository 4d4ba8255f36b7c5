//! The EC2 Lab web front end.
//!
//! The application draws the simulated account as an AWS architecture
//! diagram. [`layout`] is pure geometry and [`model`] the lab's history and
//! event log, both tested natively; [`diagram`] and
//! [`app`] are Yew views over it, tested in a real browser.

pub mod app;
pub mod console;
pub mod console_view;
pub mod diagram;
pub mod drag;
pub mod engine;
pub mod exercises_view;
pub mod inspector;
pub mod layout;
pub mod model;
pub mod moves;
pub mod saved;
pub mod share;
pub mod tester;
pub mod text_view;
pub mod tools;

pub use app::App;
