//! The HTML document every page is rendered into on the server.

use crate::app::App;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags};

/// The outer HTML document. The hydration script carries the per-request CSP nonce that the
/// server puts in the `Content-Security-Policy` header (see `server::security`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::csp::apply_to_page(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.ico" />
                // In the server-rendered head rather than a leptos_meta `<Stylesheet>` in `App`:
                // the chunk preloads the server adds to the head for a lazy route (app/src/routes.rs)
                // would otherwise stand where hydration looks for the stylesheet's marker.
                // `HashedStylesheet` links `pexip-portal.<hash>.css` when the build hashes file
                // names (`hash-files`, found by `server::bundle_hashes`), else `pexip-portal.css`.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}
