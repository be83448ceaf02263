//! `server user …`: account management from the command line, on the configured database.

use crate::config::Config;
use bff::accounts::cli::{StdinPasswords, parse_user_args, run_user_command};
use std::process::ExitCode;

pub async fn run(config: &Config, args: Vec<String>) -> ExitCode {
    let command = match parse_user_args(args) {
        Ok(command) => command,
        Err(error) => error.exit(),
    };
    let db = match bff::db::Db::open(&config.database, &config.data_dir).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("pexip-portal: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome =
        run_user_command(&db, &command, &mut StdinPasswords, &mut std::io::stdout()).await;
    db.close().await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pexip-portal: {error}");
            ExitCode::FAILURE
        }
    }
}
