//! The smallest Yew page: the benchmark's yardstick for page weight and time
//! to first render.

use yew::prelude::*;

#[function_component(Bare)]
fn bare() -> Html {
    html! { <main><h1 id="bare">{ "Hello from Yew" }</h1></main> }
}

fn main() {
    yew::Renderer::<Bare>::new().render();
}
