//! The Pexip Portal server: serves the Leptos app and, as the backend-for-frontend, talks to the
//! Pexip Management Node on behalf of the browser. `server user …` manages accounts.

mod auth_guard;
mod backup_files;
mod config;
mod csrf;
mod demo;
mod health;
mod logging;
mod rooms_export;
mod routes;
mod security;
mod shutdown;
mod signed_in;
mod startup;
mod users_cli;

use config::Command;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
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
    let leptos = leptos::config::get_configuration(None)?.leptos_options;
    let addr = leptos.site_addr;
    let started = startup::start(&config).await?;
    let app = routes::router(
        leptos,
        &config,
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
    .with_graceful_shutdown(shutdown::signal())
    .await?;

    if let Some(task) = started.session_cleanup {
        task.abort();
    }
    if let Some(simulator) = started.simulator {
        simulator.shutdown().await;
    }
    started.portal.db.close().await;
    tracing::info!("stopped");
    Ok(())
}
