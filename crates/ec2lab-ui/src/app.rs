//! The application shell: header, diagram and status line.

use std::rc::Rc;

use ec2lab_sim::{default_lab, World, DEFAULT_REGION};
use yew::prelude::*;

use crate::diagram::DiagramView;
use crate::layout::layout;

/// The EC2 Lab application.
#[function_component(App)]
pub fn app() -> Html {
    let world: Rc<World> = use_memo((), |()| default_lab());
    let region_name = DEFAULT_REGION;
    let Some(region) = world.region(region_name) else {
        return html! { <p role="alert">{ format!("The lab has no Region {region_name}.") }</p> };
    };
    let diagram = Rc::new(layout(region));
    let summary = format!(
        "{} VPC · {} subnets · {} instances · {} volumes",
        region.vpcs.len(),
        region.subnets.len(),
        region.instances.len(),
        region.volumes.len()
    );
    html! {
        <div class="app">
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{ "EC2" }</span>
                    <h1>{ "EC2 Lab" }</h1>
                    <span class="lab-name">{ "Default lab" }</span>
                </div>
                <div class="region-pill" aria-label={format!("Region {}", region.info.display_name)}>
                    <span class="region-name">{ region.info.display_name }</span>
                    <span class="region-code">{ region.name() }</span>
                </div>
            </header>
            <main class="canvas">
                <DiagramView diagram={diagram} label={format!("Diagram of the lab in {}", region.name())} />
            </main>
            <footer class="statusbar">
                <span>{ summary }</span>
                <span class="legend">
                    <span class="swatch public" aria-hidden="true"></span>{ "Public subnet (routes to an internet gateway)" }
                    <span class="swatch private" aria-hidden="true"></span>{ "Private subnet" }
                </span>
            </footer>
        </div>
    }
}
