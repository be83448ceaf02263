//! `pexip-sim`: runs the Management Node simulator until interrupted (Ctrl-C or SIGTERM).

use clap::Parser;
use simulator::cli::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let options = Cli::parse().into_options();
    let sim = match simulator::start(options).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("pexip-sim: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("pexip-sim listening on {}", sim.url());
    wait_for_stop().await;
    eprintln!("pexip-sim: shutting down");
    sim.shutdown().await;
    std::process::ExitCode::SUCCESS
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
