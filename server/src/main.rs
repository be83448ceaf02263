//! The Pexip Portal server: serves the Leptos app and, as the backend-for-frontend, talks to the
//! Pexip Management Node on behalf of the browser. `server user …` manages accounts.

// The app's view types are deep (as in `app`): proving the server's futures `Send` needs more.
#![recursion_limit = "256"]

mod api_guard;
mod assets;
mod auth_guard;
mod backup_files;
mod bundle_hashes;
mod config;
mod csrf;
mod demo;
mod devices_export;
mod event_sink;
mod file_uploads;
#[cfg(test)]
mod fuzz_targets;
mod health;
mod identity;
mod licence_files;
mod live_stream;
mod logging;
mod metrics;
mod request_log;
mod rooms_export;
mod routes;
mod security;
mod shutdown;
mod signed_in;
mod sso;
mod startup;
mod usage_export;
mod users_cli;

use config::Command;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    // Hidden, for the malformed-input test: the server functions and what each takes, as JSON.
    if std::env::args().nth(1).as_deref() == Some("--list-endpoints") {
        println!("{}", api_guard::listing());
        return ExitCode::SUCCESS;
    }
    let (command, config) = match config::load_from_args(std::env::args().skip(1)) {
        Ok(loaded) => loaded,
        Err(error) => {
            // Logging is configured by the config, so this message goes straight to stderr.
            eprintln!("pexip-portal: {error}");
            return ExitCode::from(2);
        }
    };
    logging::init(&config.log);

    match command {
        Command::User(args) => users_cli::run(&config, args).await,
        Command::Serve => match serve(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(%error, "server stopped with an error");
                ExitCode::FAILURE
            }
        },
    }
}

async fn serve(config: config::Config) -> Result<(), Box<dyn std::error::Error>> {
    let mut leptos = leptos::config::get_configuration(None)?.leptos_options;
    match bundle_hashes::resolve(&mut leptos)? {
        Some(file) => {
            tracing::info!(hash_file = %file.display(), "bundle file names carry content hashes")
        }
        None => tracing::info!(site = %leptos.site_root, "bundle file names carry no hashes"),
    }
    let addr = leptos.site_addr;
    let public_url = config
        .server
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let started = startup::start(&config, &public_url).await?;
    let app = routes::router(
        leptos,
        &config,
        &public_url,
        started.portal.clone(),
        started.session_store,
    );

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
    .with_graceful_shutdown({
        let live = started.portal.live.clone();
        async move {
            shutdown::signal().await;
            live.close();
        }
    })
    .await?;

    if let Some(task) = started.session_cleanup {
        task.abort();
    }
    started.live_feed.stop().await;
    if let Some(simulator) = started.simulator {
        simulator.shutdown().await;
    }
    started.portal.db.close().await;
    tracing::info!("stopped");
    Ok(())
}
