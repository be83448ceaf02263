//! At most one Argon2id hash or verification per core at a time, on threads of their own.
//!
//! Each one takes 19 MiB and about 35 ms of a core. Run unbounded on the blocking thread pool,
//! 100 sign-ins at once asked for about 2 GiB, which the allocator then kept, one arena per
//! thread that had hashed (README, "Under load and outages"); more at once than there are cores
//! only makes each one slower. Here a fixed set of worker threads, one per core, takes the jobs
//! in the order they came; the callers wait on the async runtime without holding a thread, and
//! the memory the hashes use stays with those few threads.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// A bound on concurrent hashing jobs: that many worker threads.
pub(crate) struct HashingLimit {
    jobs: Sender<Job>,
}

/// The process's limit: the number of cores the process may use.
static LIMIT: LazyLock<HashingLimit> = LazyLock::new(|| {
    HashingLimit::new(
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1),
    )
});

/// Why a hashing job did not run to its end.
#[derive(Debug, thiserror::Error)]
#[error("the password hashing worker failed: {0}")]
pub(crate) struct JobFailed(String);

impl HashingLimit {
    /// Starts `concurrent` worker threads (at least one); they end when the limit is dropped.
    pub(crate) fn new(concurrent: usize) -> HashingLimit {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..concurrent.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking the next job.
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start a password hashing thread");
            }
        }
        HashingLimit { jobs }
    }

    /// Runs `job` on one of the worker threads, after the jobs queued before it.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobFailed> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = catch_unwind(AssertUnwindSafe(job))
                .map_err(|_| JobFailed("the hashing job panicked".into()));
            let _ = done.send(outcome);
        });
        self.jobs
            .send(job)
            .map_err(|_| JobFailed("no hashing thread is running".into()))?;
        result
            .await
            .map_err(|_| JobFailed("no hashing thread is running".into()))?
    }
}

/// Runs a hashing `job` within the process's limit.
pub(crate) async fn run<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, JobFailed> {
    LIMIT.run(job).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    /// With a limit of 2, twelve jobs never run more than two at once, and two do run together
    /// (each waits at a barrier for a second one: with a limit of 1 this would never finish);
    /// a job that panics fails alone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_limit_run_at_once() {
        let limit = Arc::new(HashingLimit::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let pair = Arc::new(Barrier::new(2));
        let jobs: Vec<_> = (0..12)
            .map(|_| {
                let (limit, running, most, pair) =
                    (limit.clone(), running.clone(), most.clone(), pair.clone());
                tokio::spawn(async move {
                    limit
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            // Meet another job, then leave together.
                            pair.wait();
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for job in jobs {
            job.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        let failed = limit.run(|| -> u8 { panic!("a broken hash") }).await;
        assert!(failed.is_err());
        assert_eq!(
            limit.run(|| 7).await.unwrap(),
            7,
            "the workers survive a panic"
        );
    }
}
