//! Riding out a short database outage: a write that must not be lost (the audit entry of a change
//! the Management Node has already made) is tried again while the database cannot be reached
//! ([`DbError::is_unavailable`]: a pooled connection cut by a restart, a refused connection, the
//! pool timing out), with a growing pause between tries, until it succeeds, fails for another
//! reason, or `patience` has passed.

use super::DbError;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// The first pause after a failed try; each next one is twice as long, up to [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(100);
const LONGEST_PAUSE: Duration = Duration::from_secs(1);

/// Runs `attempt` until it succeeds, fails with an error that is not an outage, or `patience`
/// has passed since the first try (the last error is returned then). Returns the value and how
/// many tries it took.
pub async fn while_unavailable<T, F, Fut>(
    patience: Duration,
    mut attempt: F,
) -> (Result<T, DbError>, u32)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, DbError>>,
{
    let deadline = Instant::now() + patience;
    let mut pause = FIRST_PAUSE;
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Err(error) if error.is_unavailable() && Instant::now() + pause < deadline => {
                tracing::warn!(%error, tries, "database unavailable, trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(LONGEST_PAUSE);
            }
            outcome => return (outcome, tries),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn outage() -> DbError {
        DbError::Query(sqlx::Error::PoolTimedOut)
    }

    #[tokio::test(start_paused = true)]
    async fn an_outage_is_ridden_out() {
        let left = Cell::new(3);
        let (outcome, tries) = while_unavailable(Duration::from_secs(20), || async {
            if left.get() == 0 {
                Ok(7)
            } else {
                left.set(left.get() - 1);
                Err(outage())
            }
        })
        .await;
        assert_eq!(outcome.ok(), Some(7));
        assert_eq!(tries, 4);
    }

    #[tokio::test(start_paused = true)]
    async fn another_failure_is_not_tried_again() {
        let (outcome, tries) = while_unavailable(Duration::from_secs(20), || async {
            Err::<(), _>(DbError::Query(sqlx::Error::RowNotFound))
        })
        .await;
        assert!(matches!(
            outcome,
            Err(DbError::Query(sqlx::Error::RowNotFound))
        ));
        assert_eq!(tries, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn patience_has_an_end() {
        let started = Instant::now();
        let (outcome, tries) =
            while_unavailable(Duration::from_secs(5), || async { Err::<(), _>(outage()) }).await;
        assert!(outcome.is_err_and(|e| e.is_unavailable()));
        // 0.1 + 0.2 + 0.4 + 0.8 + 1 + 1 + 1 s of pauses fit in 5 s; the next would not.
        assert_eq!(tries, 8);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
