//! The WebAssembly entry point: hydrates the server-rendered page.

// The view types of the larger pages nest deeper than rustc's default query depth when the
// release wasm (`wasm-release` profile) computes the layout of their hydration futures.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_lazy`: the router has lazy routes (app/src/routes.rs), which `hydrate_body` refuses.
    leptos::mount::hydrate_lazy(app::App);
}
