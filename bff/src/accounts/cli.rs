//! `server user add|passwd|set-role|disable|enable|list`: account management from the shell.
//! Passwords are read from standard input (one line) or, on a terminal, prompted for twice
//! without echo; they are never printed.
//!
//! Intended dispatch in the server's main.rs when the first argument is `user`:
//! ```ignore
//! let command = bff::accounts::cli::parse_user_args(args).unwrap_or_else(|e| e.exit());
//! let db = bff::db::Db::open(&config.database, &config.data_dir).await?;
//! let mut out = std::io::stdout();
//! bff::accounts::cli::run_user_command(&db, &command, &mut bff::accounts::cli::StdinPasswords, &mut out).await?;
//! ```

use super::{AccountError, AccountUpdate, NewAccount, Role, store};
use crate::db::Db;
use crate::tenants::{self, TenantError};
use std::collections::HashMap;
use std::io::{self, BufRead, IsTerminal, Write};

/// `server user …`
#[derive(Debug, clap::Parser)]
#[command(name = "server user", about = "Manage portal accounts")]
struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

/// One `server user` command.
#[derive(Debug, Clone, PartialEq, Eq, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input.
    Add {
        username: String,
        /// admin, helpdesk, tenant_admin or user.
        #[arg(long)]
        role: Role,
        /// The tenant (by name) of a tenant_admin.
        #[arg(long)]
        tenant: Option<String>,
        /// The email address (required for role user).
        #[arg(long)]
        email: Option<String>,
    },
    /// Set a new password (read from standard input); the account's sessions end.
    Passwd { username: String },
    /// Change an account's role (and its tenant or email address).
    SetRole {
        username: String,
        role: Role,
        /// The tenant (by name), required for tenant_admin.
        #[arg(long)]
        tenant: Option<String>,
        /// A new email address (role user needs one).
        #[arg(long)]
        email: Option<String>,
    },
    /// Disable an account: it cannot sign in and its sessions end.
    Disable { username: String },
    /// Enable a disabled account again.
    Enable { username: String },
    /// List every account.
    List,
}

/// Parses the arguments after `user` (e.g. `["add", "alice", "--role", "admin"]`). The error
/// carries the usage text; `error.exit()` prints it (help and version exit 0).
pub fn parse_user_args<I, T>(args: I) -> Result<UserCommand, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    use clap::Parser;
    let argv = std::iter::once("server user".to_string()).chain(args.into_iter().map(Into::into));
    UserArgs::try_parse_from(argv).map(|parsed| parsed.command)
}

/// A `server user` command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("no account `{0}`")]
    NoSuchAccount(String),
    #[error("no tenant named `{0}`")]
    NoSuchTenant(String),
    #[error("cannot read the password: {0}")]
    PasswordInput(String),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Tenant(#[from] TenantError),
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
}

/// Where new passwords come from.
pub trait PasswordSource {
    /// The new password for `username`.
    fn new_password(&mut self, username: &str) -> io::Result<String>;
}

/// Standard input: on a terminal a prompt (twice, not echoed), otherwise one line.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdinPasswords;

impl PasswordSource for StdinPasswords {
    fn new_password(&mut self, username: &str) -> io::Result<String> {
        if io::stdin().is_terminal() {
            let first = rpassword::prompt_password(format!("New password for {username}: "))?;
            let second = rpassword::prompt_password("Repeat it: ")?;
            if first != second {
                return Err(io::Error::other("the two passwords differ"));
            }
            Ok(first)
        } else {
            LinePasswords(io::stdin().lock()).new_password(username)
        }
    }
}

/// One password per line of a reader (scripts, tests).
#[derive(Debug)]
pub struct LinePasswords<R>(pub R);

impl<R: BufRead> PasswordSource for LinePasswords<R> {
    fn new_password(&mut self, _username: &str) -> io::Result<String> {
        let mut line = String::new();
        if self.0.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "standard input ended before a password was given",
            ));
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// Runs one command, writing what it did to `out` (never a password).
pub async fn run_user_command(
    db: &Db,
    command: &UserCommand,
    passwords: &mut dyn PasswordSource,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match command {
        UserCommand::Add {
            username,
            role,
            tenant,
            email,
        } => {
            let tenant_id = tenant_id(db, tenant.as_deref()).await?;
            let password = read_password(passwords, username)?;
            let account = store::create_account(
                db,
                &NewAccount {
                    username: username.clone(),
                    password,
                    role: *role,
                    tenant_id,
                    email: email.clone(),
                },
            )
            .await?;
            writeln!(out, "created {} ({})", account.username, account.role)?;
        }
        UserCommand::Passwd { username } => {
            let id = account_id(db, username).await?;
            let password = read_password(passwords, username)?;
            store::set_password(db, id, &password).await?;
            writeln!(
                out,
                "password of {username} changed; its sessions have ended"
            )?;
        }
        UserCommand::SetRole {
            username,
            role,
            tenant,
            email,
        } => {
            let id = account_id(db, username).await?;
            let update = AccountUpdate {
                role: Some(*role),
                tenant_id: Some(tenant_id(db, tenant.as_deref()).await?),
                email: email.clone().map(Some),
                disabled: None,
            };
            let account = store::update_account(db, id, &update).await?;
            writeln!(out, "{} is now {}", account.username, account.role)?;
        }
        UserCommand::Disable { username } | UserCommand::Enable { username } => {
            let disabled = matches!(command, UserCommand::Disable { .. });
            let id = account_id(db, username).await?;
            let update = AccountUpdate {
                disabled: Some(disabled),
                ..AccountUpdate::default()
            };
            let account = store::update_account(db, id, &update).await?;
            let state = if disabled { "disabled" } else { "enabled" };
            writeln!(out, "{} {state}", account.username)?;
        }
        UserCommand::List => list(db, out).await?,
    }
    Ok(())
}

fn read_password(passwords: &mut dyn PasswordSource, username: &str) -> Result<String, CliError> {
    passwords
        .new_password(username)
        .map_err(|error| CliError::PasswordInput(error.to_string()))
}

async fn account_id(db: &Db, username: &str) -> Result<i64, CliError> {
    store::find_account(db, username)
        .await?
        .map(|account| account.id)
        .ok_or_else(|| CliError::NoSuchAccount(username.to_string()))
}

async fn tenant_id(db: &Db, name: Option<&str>) -> Result<Option<i64>, CliError> {
    let Some(name) = name else { return Ok(None) };
    tenants::find_tenant(db, name)
        .await?
        .map(|tenant| Some(tenant.id))
        .ok_or_else(|| CliError::NoSuchTenant(name.to_string()))
}

async fn list(db: &Db, out: &mut dyn Write) -> Result<(), CliError> {
    let tenant_names: HashMap<i64, String> = tenants::list_tenants(db)
        .await?
        .into_iter()
        .map(|tenant| (tenant.id, tenant.name))
        .collect();
    let accounts = store::list_accounts(db).await?;
    let rows: Vec<[String; 6]> = accounts
        .iter()
        .map(|account| {
            [
                account.username.clone(),
                account.role.to_string(),
                account
                    .tenant_id
                    .and_then(|id| tenant_names.get(&id).cloned())
                    .unwrap_or_else(|| "-".into()),
                account.email.clone().unwrap_or_else(|| "-".into()),
                if account.disabled {
                    "disabled"
                } else {
                    "active"
                }
                .into(),
                format_time(account.created_at),
            ]
        })
        .collect();
    let header = ["USERNAME", "ROLE", "TENANT", "EMAIL", "STATE", "CREATED"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

/// `YYYY-MM-DD HH:MM UTC` for Unix seconds.
fn format_time(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        Err(_) => unix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_into_commands() {
        assert_eq!(
            parse_user_args(["add", "alice", "--role", "tenant_admin", "--tenant", "Acme"])
                .unwrap(),
            UserCommand::Add {
                username: "alice".into(),
                role: Role::TenantAdmin,
                tenant: Some("Acme".into()),
                email: None,
            }
        );
        assert_eq!(
            parse_user_args(["set-role", "bob", "helpdesk"]).unwrap(),
            UserCommand::SetRole {
                username: "bob".into(),
                role: Role::Helpdesk,
                tenant: None,
                email: None,
            }
        );
        assert_eq!(parse_user_args(["list"]).unwrap(), UserCommand::List);
        let error = parse_user_args(["add", "x", "--role", "root"]).unwrap_err();
        assert!(error.to_string().contains("unknown role `root`"), "{error}");
        assert!(parse_user_args(["frobnicate"]).is_err());
    }

    #[test]
    fn line_passwords_strip_the_line_end() {
        let mut source = LinePasswords(&b"first secret\r\nsecond\n"[..]);
        assert_eq!(source.new_password("a").unwrap(), "first secret");
        assert_eq!(source.new_password("a").unwrap(), "second");
        assert!(source.new_password("a").is_err());
    }

    #[test]
    fn times_are_readable() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(1_700_000_000), "2023-11-14 22:13 UTC");
    }
}
