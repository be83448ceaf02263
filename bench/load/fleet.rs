//! The two portal instances behind the simulated load balancer: where each person's requests
//! go, which instance is up, and killing one (SIGKILL) and starting it again on its address.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::support::{Server, ServerSetup};

/// One instance: its address, whether people should use it, its process.
pub struct Instance {
    pub name: &'static str,
    pub addr: String,
    up: AtomicBool,
    server: Mutex<Option<Server>>,
}

impl Instance {
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    /// The process id of the running server.
    pub fn pid(&self) -> Option<u32> {
        self.server.lock().unwrap().as_ref().map(Server::pid)
    }

    /// What the server printed (empty when it is not running).
    pub fn log_lines(&self) -> Vec<String> {
        self.server
            .lock()
            .unwrap()
            .as_ref()
            .map(|s| s.log.lines())
            .unwrap_or_default()
    }
}

/// Both instances and how to start one.
pub struct Fleet {
    pub instances: [Instance; 2],
    data_dir: PathBuf,
    env: Vec<(String, String)>,
    /// The lines of instances that were killed (their processes are gone).
    pub dead_logs: Mutex<Vec<(&'static str, Vec<String>)>>,
}

impl Fleet {
    /// Starts `a`, then `b` (the first creates the admin account in the fresh database).
    pub async fn start(data_dir: &Path, env: Vec<(String, String)>) -> Fleet {
        let setup = |name: &str| ServerSetup::new(&data_dir.join(name)).envs(env.clone());
        let a = Server::start(setup("a")).await;
        let b = Server::start(setup("b")).await;
        let instance = |name, server: Server| Instance {
            name,
            addr: server.addr.clone(),
            up: AtomicBool::new(true),
            server: Mutex::new(Some(server)),
        };
        Fleet {
            instances: [instance("a", a), instance("b", b)],
            data_dir: data_dir.to_path_buf(),
            env,
            dead_logs: Mutex::new(Vec::new()),
        }
    }

    /// The instance a person whose home is `home` should use: home when up, else the other.
    pub fn pick(&self, home: usize) -> usize {
        if self.instances[home].is_up() {
            home
        } else {
            1 - home
        }
    }

    /// A person could not connect to instance `index`: send nobody there until it is back.
    pub fn mark_down(&self, index: usize) {
        self.instances[index].up.store(false, Ordering::Relaxed);
    }

    /// Kills instance `index` with SIGKILL (no graceful shutdown). People notice when their
    /// next connection is refused.
    pub fn kill(&self, index: usize) -> Result<u32, String> {
        let instance = &self.instances[index];
        let pid = instance
            .pid()
            .ok_or_else(|| format!("instance {} is not running", instance.name))?;
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .map_err(|error| format!("kill: {error}"))?;
        if !killed.success() {
            return Err(format!("kill -KILL {pid} failed"));
        }
        if let Some(server) = instance.server.lock().unwrap().take() {
            self.dead_logs
                .lock()
                .unwrap()
                .push((instance.name, server.log.lines()));
            // Dropping reaps the killed process.
            drop(server);
        }
        Ok(pid)
    }

    /// Starts instance `index` again on its address with its data dir and settings; people
    /// are sent there again once it listens.
    pub async fn restart(&self, index: usize) {
        let instance = &self.instances[index];
        let setup = ServerSetup::new(&self.data_dir.join(instance.name))
            .envs(self.env.clone())
            .addr(instance.addr.clone());
        let server = Server::start(setup).await;
        *instance.server.lock().unwrap() = Some(server);
        instance.up.store(true, Ordering::Relaxed);
    }

    /// Stops the running instances with SIGTERM.
    pub async fn stop(&self) {
        for instance in &self.instances {
            let server = instance.server.lock().unwrap().take();
            if let Some(server) = server {
                server.stop().await;
            }
        }
    }
}
