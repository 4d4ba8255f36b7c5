//! Starts the EC2 Lab web application in the page's `<body>`.

fn main() {
    yew::Renderer::<ec2lab_ui::App>::new().render();
}
