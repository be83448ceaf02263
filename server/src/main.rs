//! The Pexip Portal server: serves the Leptos app and (as the BFF) talks to the Pexip
//! Management Node on behalf of the browser.

mod config;
mod health;
mod logging;
mod routes;
mod security;
mod shutdown;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match config::load_from_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(error) => {
            // Logging is configured by the config, so this message goes straight to stderr.
            eprintln!("pexip-portal: {error}");
            return ExitCode::from(2);
        }
    };
    logging::init(&config.log);

    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "server stopped with an error");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: config::Config) -> Result<(), Box<dyn std::error::Error>> {
    let leptos = leptos::config::get_configuration(None)?.leptos_options;
    let addr = leptos.site_addr;
    let app = routes::router(leptos, &config);

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        "listening on http://{addr}"
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown::signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}
