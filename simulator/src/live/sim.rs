//! The live state of the platform and its step function: a pure function of the seed, the
//! configuration (topology), the number of ticks and the commands applied in between.

use std::collections::BTreeMap;

use super::alarm::{Alarms, Condition};
use super::backplane::Backplane;
use super::capacity::{BACKPLANE_TOKENS, Capacity, Load};
use super::cloud::{self, CloudNode};
use super::conference::Conference;
use super::history::{History, Instance};
use super::licensing::{LicencePool, LicenceUse};
use super::media::{MediaStream, StreamKind, resolution_for};
use super::participant::{Participant, Role};
use super::profiles::{self, Caller, Protocol};
use super::registration::{self, Registration};
use super::rng::Rng;
use super::sync::Syncs;
use super::time::{Instant, add_ms};
use super::topology::{AutoDial, Service, Topology};

/// Everything the simulation is started with.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    /// Simulated milliseconds per tick.
    pub tick_ms: u64,
    /// The simulated time at tick 0.
    pub epoch: Instant,
    /// The software version the nodes report (`"14"`).
    pub version: String,
    /// The build the nodes report (`"30366.0.0"`).
    pub build: String,
}

/// Why a participant could not join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// No Conferencing Node in that place.
    NoNode,
    /// Every node that could take the call is full.
    Capacity,
    /// Every licence is in use.
    Licence,
    /// The service's participant limit is reached.
    Full,
}

/// A participant about to join.
#[derive(Debug, Clone)]
pub struct JoinSpec {
    pub conference_id: String,
    pub caller: Caller,
    pub role: Role,
    pub outgoing: bool,
    pub local_alias: String,
    pub location: Option<i64>,
    pub node: Option<i64>,
    pub leave_at: Instant,
    /// An Automatically Dialed Participant.
    pub automatic: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LiveState {
    pub config: SimConfig,
    pub(super) rng: Rng,
    pub tick: u64,
    pub now: Instant,
    pub conferences: BTreeMap<String, Conference>,
    pub participants: BTreeMap<String, Participant>,
    pub backplanes: BTreeMap<String, Backplane>,
    pub history: History,
    pub alarms: Alarms,
    pub registrations: Vec<Registration>,
    pub cloud_nodes: Vec<CloudNode>,
    pub syncs: Syncs,
}

/// Media tokens a caller will use.
pub fn tokens_for(caller: &Caller) -> u64 {
    if caller.audio_only {
        return 1;
    }
    match resolution_for(caller.bandwidth) {
        "1920x1080" => 12,
        "1280x720" => 6,
        _ => 3,
    }
}

impl LiveState {
    pub fn new(config: SimConfig) -> LiveState {
        LiveState {
            rng: Rng::new(config.seed),
            tick: 0,
            now: config.epoch,
            config,
            conferences: BTreeMap::new(),
            participants: BTreeMap::new(),
            backplanes: BTreeMap::new(),
            history: History::default(),
            alarms: Alarms::default(),
            registrations: Vec::new(),
            cloud_nodes: Vec::new(),
            syncs: Syncs::default(),
        }
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Runs `ticks` steps.
    pub fn advance(&mut self, topology: &Topology, ticks: u64) {
        for _ in 0..ticks {
            self.step(topology);
        }
    }

    /// Simulated milliseconds per tick (1000 when ticks are driven by hand only).
    pub fn tick_span_ms(&self) -> u64 {
        if self.config.tick_ms == 0 {
            1000
        } else {
            self.config.tick_ms
        }
    }

    /// One tick of simulated time.
    pub fn step(&mut self, topology: &Topology) {
        self.tick += 1;
        let elapsed = self.tick.saturating_mul(self.tick_span_ms());
        let now = add_ms(
            self.config.epoch,
            i64::try_from(elapsed).unwrap_or(i64::MAX),
        );
        self.step_to(topology, now);
    }

    /// Simulates the time before the epoch (the demo's recent past) in steps of `step_ms`,
    /// starting at `from`: the tick count is left at 0.
    pub fn warm_up(&mut self, topology: &Topology, from: Instant, step_ms: u64) {
        self.now = from;
        while self.now < self.config.epoch {
            let next = add_ms(self.now, step_ms.max(1) as i64).min(self.config.epoch);
            self.step_to(topology, next);
        }
    }

    fn step_to(&mut self, topology: &Topology, now: Instant) {
        let seconds = ((now - self.now).num_milliseconds().max(0) as f64) / 1000.0;
        self.now = now;
        self.drop_orphans(topology);
        self.departures();
        self.release_automatic_only();
        self.arrivals(topology, seconds);
        self.start_meetings(topology, seconds);
        self.media(seconds);
        self.sync_backplanes(topology);
        registration::step(
            &mut self.registrations,
            &mut self.rng,
            topology,
            self.now,
            seconds,
        );
        self.cloud(topology);
        self.refresh_alarms(topology);
    }

    /// Participants on nodes that are no longer configured are cut off.
    fn drop_orphans(&mut self, topology: &Topology) {
        let gone: Vec<String> = self
            .participants
            .values()
            .filter(|p| topology.node(p.node_id).is_none())
            .map(|p| p.id.clone())
            .collect();
        for id in gone {
            self.leave(&id, "Conferencing Node removed");
        }
    }

    fn departures(&mut self) {
        let now = self.now;
        let leaving: Vec<String> = self
            .participants
            .values()
            .filter(|p| p.leave_at <= now)
            .map(|p| p.id.clone())
            .collect();
        for id in leaving {
            self.leave(&id, "Call disconnected");
        }
    }

    fn arrivals(&mut self, topology: &Topology, seconds: f64) {
        let open: Vec<(String, i64)> = self
            .conferences
            .values()
            .filter(|c| c.wind_down_at > self.now && (c.participants.len() as u64) < c.target_size)
            .map(|c| (c.id.clone(), c.service_id))
            .collect();
        for (conf_id, service_id) in open {
            if !self.rng.chance(seconds / 25.0) {
                continue;
            }
            if let Some(service) = topology.service(service_id) {
                let _ = self.simulated_join(topology, &conf_id, service);
            }
        }
    }

    fn start_meetings(&mut self, topology: &Topology, seconds: f64) {
        let services = topology.services.len();
        if services == 0 || topology.media_nodes().next().is_none() {
            return;
        }
        let concurrency = (services as f64 / 4.0).clamp(1.0, 12.0);
        let rate = concurrency / (services as f64 * 1500.0);
        let busy: std::collections::BTreeSet<i64> =
            self.conferences.values().map(|c| c.service_id).collect();
        for service in &topology.services {
            if service.aliases.is_empty() || busy.contains(&service.config_id) {
                continue;
            }
            if !self.rng.chance(rate * seconds) {
                continue;
            }
            let id = self.open_meeting(service);
            if self.simulated_join(topology, &id, service).is_ok() {
                self.dial_automatic(topology, &id);
            } else {
                self.conferences.remove(&id);
            }
        }
    }

    /// Calls the Automatically Dialed Participants of a conference that has just started.
    pub fn dial_automatic(&mut self, topology: &Topology, conf_id: &str) {
        let Some(service_id) = self.conferences.get(conf_id).map(|c| c.service_id) else {
            return;
        };
        let alias = topology
            .service(service_id)
            .and_then(|s| s.aliases.first().cloned())
            .unwrap_or_default();
        let dials: Vec<AutoDial> = topology
            .auto_dials
            .iter()
            .filter(|a| a.services.contains(&service_id))
            .cloned()
            .collect();
        for a in dials {
            let protocol = Protocol::from_command(&a.protocol).unwrap_or(Protocol::Sip);
            let name = if a.display_name.is_empty() {
                &a.alias
            } else {
                &a.display_name
            };
            let mut caller = profiles::caller(&mut self.rng, protocol, Some(name), Some(&a.alias));
            if a.audio_only {
                caller.audio_only = true;
                caller.bandwidth = 64;
            } else if caller.audio_only {
                caller.audio_only = false;
                caller.bandwidth = 1024;
            }
            let spec = JoinSpec {
                conference_id: conf_id.to_owned(),
                caller,
                role: Role::parse(&a.role).unwrap_or(Role::Guest),
                outgoing: true,
                local_alias: alias.clone(),
                location: a.location,
                node: None,
                // It stays until the conference ends around it.
                leave_at: add_ms(self.now, 24 * 3_600_000),
                automatic: true,
            };
            // A call that cannot be placed (no capacity, no licence) is simply not there.
            let _ = self.join(topology, spec);
        }
    }

    /// Conferences where only automatically dialed participants remain are ended.
    fn release_automatic_only(&mut self) {
        let done: Vec<String> = self
            .conferences
            .values()
            .filter(|c| {
                c.participants
                    .iter()
                    .all(|id| self.participants.get(id).is_some_and(|p| p.automatic))
            })
            .map(|c| c.id.clone())
            .collect();
        for id in done {
            self.disconnect_conference(&id, "Only automatically dialed participants remained");
        }
    }

    /// The live instance of a service, if it has one.
    pub fn instance_of(&self, service_id: i64) -> Option<&Conference> {
        self.conferences
            .values()
            .find(|c| c.service_id == service_id)
    }

    /// Opens a conference instance of `service` (with nobody in it yet) for the participants
    /// the command API places: nobody joins it by themselves.
    pub fn open_conference(&mut self, service: &Service) -> String {
        let id = self.open_meeting(service);
        if let Some(c) = self.conferences.get_mut(&id) {
            c.target_size = 0;
            c.wind_down_at = c.start_time;
        }
        id
    }

    /// Opens a conference instance of `service` for a meeting of the simulation's callers.
    fn open_meeting(&mut self, service: &Service) -> String {
        let rng = &mut self.rng;
        let id = rng.uuid();
        let (target, seconds) = match service.service_type.as_str() {
            "lecture" => (rng.range(5, 16), rng.range(30, 60) * 60),
            "two_stage_dialing" => (1, rng.range(30, 90)),
            "test_call" => (1, rng.range(60, 180)),
            _ => (
                *rng.pick(&[2, 2, 3, 3, 3, 4, 4, 5, 6, 8]),
                rng.range(10, 50) * 60,
            ),
        };
        let conf = Conference {
            id: id.clone(),
            service_id: service.config_id,
            name: service.name.clone(),
            service_type: service.service_type.clone(),
            tag: service.tag.clone(),
            start_time: self.now,
            is_locked: false,
            guests_muted: false,
            target_size: target,
            wind_down_at: add_ms(self.now, seconds as i64 * 1000),
            participants: Vec::new(),
            departed: Vec::new(),
            departed_backplanes: Vec::new(),
            shards: BTreeMap::new(),
            instant_message_count: 0,
        };
        self.conferences.insert(id.clone(), conf);
        id
    }

    /// The location most of a service's callers are in.
    fn home_location(&self, topology: &Topology, service_id: i64) -> Option<i64> {
        let mut locations: Vec<i64> = topology.media_nodes().map(|n| n.location_id).collect();
        locations.sort_unstable();
        locations.dedup();
        if locations.is_empty() {
            return None;
        }
        Some(locations[service_id.unsigned_abs() as usize % locations.len()])
    }

    /// A caller of the simulation joins `conf_id` by themselves.
    fn simulated_join(
        &mut self,
        topology: &Topology,
        conf_id: &str,
        service: &Service,
    ) -> Result<String, JoinError> {
        let guests_possible = service.allow_guests
            || !service.guest_pin.is_empty()
            || service.service_type == "lecture";
        let first = self
            .conferences
            .get(conf_id)
            .is_some_and(|c| c.participants.is_empty());
        let protocol = profiles::random_protocol(&mut self.rng);
        let caller = profiles::caller(&mut self.rng, protocol, None, None);
        let chair_chance = if first { 0.7 } else { 0.15 };
        let role = if !guests_possible || self.rng.chance(chair_chance) {
            Role::Chair
        } else {
            Role::Guest
        };
        // The aliases may have been removed since the meeting started: callers then
        // reach it by name.
        let local_alias = if service.aliases.is_empty() {
            service.name.clone()
        } else {
            self.rng.pick(&service.aliases).clone()
        };
        let location = match self.home_location(topology, service.config_id) {
            Some(home) if self.rng.chance(0.75) => Some(home),
            _ => {
                let nodes: Vec<i64> = topology.media_nodes().map(|n| n.location_id).collect();
                if nodes.is_empty() {
                    None
                } else {
                    Some(*self.rng.pick(&nodes))
                }
            }
        };
        let wind_down = self
            .conferences
            .get(conf_id)
            .map(|c| c.wind_down_at)
            .unwrap_or(self.now);
        let leave_at = if self.rng.chance(0.2) && wind_down > self.now {
            let span = (wind_down - self.now).num_seconds().max(61) as u64;
            add_ms(self.now, self.rng.range(60, span) as i64 * 1000)
        } else {
            add_ms(wind_down, self.rng.range(0, 180) as i64 * 1000)
        };
        self.join(
            topology,
            JoinSpec {
                conference_id: conf_id.to_owned(),
                caller,
                role,
                outgoing: false,
                local_alias,
                location,
                node: None,
                leave_at,
                automatic: false,
            },
        )
    }

    /// The load on every node (configured nodes only).
    pub fn node_loads(&self, topology: &Topology) -> BTreeMap<i64, Load> {
        let mut loads: BTreeMap<i64, Load> = topology
            .nodes
            .iter()
            .map(|n| {
                let usable = !n.cloud_bursting || cloud::is_running(&self.cloud_nodes, n.id);
                let capacity = if usable {
                    Capacity::of_node(n)
                } else {
                    Capacity::default()
                };
                (
                    n.id,
                    Load {
                        capacity,
                        ..Load::default()
                    },
                )
            })
            .collect();
        for p in self.participants.values() {
            if let Some(l) = loads.get_mut(&p.node_id) {
                l.tokens_used += p.media_tokens();
                l.participants += 1;
                l.signaling += 1;
            }
        }
        // Each node hosting part of a conference, other than its first node, holds one
        // backplane to it (counted from membership, so a backplane about to open counts too).
        for conf in self.conferences.values() {
            for node in self.backplane_ends(conf) {
                if let Some(l) = loads.get_mut(&node) {
                    l.tokens_used += BACKPLANE_TOKENS;
                }
            }
        }
        loads
    }

    /// The load of every location: the sum over its nodes.
    pub fn location_loads(&self, topology: &Topology) -> BTreeMap<i64, Load> {
        let nodes = self.node_loads(topology);
        let mut out: BTreeMap<i64, Load> = topology
            .locations
            .iter()
            .map(|l| (l.id, Load::default()))
            .collect();
        for n in &topology.nodes {
            if let (Some(sum), Some(l)) = (out.get_mut(&n.location_id), nodes.get(&n.id)) {
                *sum = *sum + *l;
            }
        }
        out
    }

    pub fn licence_use(&self, topology: &Topology, pool: &LicencePool) -> LicenceUse {
        let mut used = LicenceUse {
            vmrs: topology
                .services
                .iter()
                .filter(|s| s.service_type == "conference" || s.service_type == "lecture")
                .count() as u64,
            ..LicenceUse::default()
        };
        for p in self.participants.values().filter(|p| p.license_count() > 0) {
            if p.caller.audio_only && pool.audio_total > 0 {
                used.audio += 1;
            } else {
                used.ports += 1;
            }
        }
        used
    }

    /// The first node of a conference (the hub of its backplanes), if anyone is in it.
    fn primary_node(&self, conf: &Conference) -> Option<i64> {
        conf.participants
            .first()
            .and_then(|id| self.participants.get(id))
            .map(|p| p.node_id)
    }

    /// The nodes at the far end of a conference's backplanes: every node hosting part of it
    /// except its first.
    fn backplane_ends(&self, conf: &Conference) -> Vec<i64> {
        let Some(primary) = self.primary_node(conf) else {
            return Vec::new();
        };
        let mut ends: Vec<i64> = conf
            .participants
            .iter()
            .filter_map(|id| self.participants.get(id))
            .map(|p| p.node_id)
            .filter(|n| *n != primary)
            .collect();
        ends.sort_unstable();
        ends.dedup();
        ends
    }

    fn choose_node(
        &self,
        topology: &Topology,
        spec: &JoinSpec,
        tokens: u64,
    ) -> Result<i64, JoinError> {
        let loads = self.node_loads(topology);
        let conf = self.conferences.get(&spec.conference_id);
        let hosting: Vec<i64> = conf
            .map(|c| {
                c.participants
                    .iter()
                    .filter_map(|id| self.participants.get(id))
                    .map(|p| p.node_id)
                    .collect()
            })
            .unwrap_or_default();
        // A node new to the conference also takes a backplane to its first node.
        let fits = |id: i64| {
            let need = if hosting.is_empty() || hosting.contains(&id) {
                tokens
            } else {
                tokens + BACKPLANE_TOKENS
            };
            loads.get(&id).is_some_and(|l| l.fits(need))
        };
        if let Some(node) = spec.node {
            topology.node(node).ok_or(JoinError::NoNode)?;
            return if fits(node) {
                Ok(node)
            } else {
                Err(JoinError::Capacity)
            };
        }
        let mut local: Vec<i64> = topology
            .media_nodes()
            .filter(|n| spec.location.is_none_or(|l| n.location_id == l))
            .map(|n| n.id)
            .collect();
        if local.is_empty() {
            return Err(JoinError::NoNode);
        }
        local.sort_by_key(|id| {
            (
                !hosting.contains(id),
                loads.get(id).map(|l| l.tokens_used).unwrap_or(u64::MAX),
                *id,
            )
        });
        if let Some(id) = local.into_iter().find(|id| fits(*id)) {
            return Ok(id);
        }
        topology
            .nodes
            .iter()
            .filter(|n| n.cloud_bursting && cloud::is_running(&self.cloud_nodes, n.id))
            .map(|n| n.id)
            .find(|id| fits(*id))
            .ok_or(JoinError::Capacity)
    }

    /// A participant joins a conference instance (placed on a node, given media streams).
    pub fn join(&mut self, topology: &Topology, spec: JoinSpec) -> Result<String, JoinError> {
        if let Some(conf) = self.conferences.get(&spec.conference_id)
            && let Some(limit) = topology
                .service(conf.service_id)
                .and_then(|s| s.participant_limit)
            && conf.participants.len() as u64 >= limit
        {
            return Err(JoinError::Full);
        }
        let tokens = tokens_for(&spec.caller);
        let node_id = self.choose_node(topology, &spec, tokens)?;
        let pool = LicencePool::of(&topology.licences, self.now);
        if pool.limits_calls() {
            let used = self.licence_use(topology, &pool);
            let (in_use, total) = if spec.caller.audio_only && pool.audio_total > 0 {
                (used.audio, pool.audio_total)
            } else {
                (used.ports, pool.port_total)
            };
            if in_use >= total {
                return Err(JoinError::Licence);
            }
        }
        let node = topology.node(node_id).ok_or(JoinError::NoNode)?;
        let Some(conf) = self.conferences.get(&spec.conference_id) else {
            return Err(JoinError::NoNode);
        };
        let service_pin = topology
            .service(conf.service_id)
            .is_some_and(|s| !s.pin.is_empty());
        let waiting = conf.is_locked && !(spec.role == Role::Chair && service_pin);
        let muted = conf.guests_muted && spec.role == Role::Guest;
        let (conf_name, service_type, tag) = (
            conf.name.clone(),
            conf.service_type.clone(),
            conf.tag.clone(),
        );
        let id = self.rng.uuid();
        let call_uuid = self.rng.uuid();
        let streams = MediaStream::for_call(&mut self.rng, &spec.caller, &node.address, self.now);
        let shard_id = if conf.shards.contains_key(&node_id) {
            None
        } else {
            Some(self.rng.uuid())
        };
        let participant = Participant {
            id: id.clone(),
            call_uuid,
            conference_id: spec.conference_id.clone(),
            conference_name: conf_name,
            service_type,
            service_tag: tag,
            caller: spec.caller,
            role: spec.role,
            outgoing: spec.outgoing,
            local_alias: spec.local_alias,
            node_id,
            node_address: node.address.clone(),
            system_location: topology.location_name(node.location_id),
            connect_time: self.now,
            leave_at: spec.leave_at.max(add_ms(self.now, 1)),
            is_muted: muted,
            waiting,
            is_presenting: false,
            automatic: spec.automatic,
            streams,
        };
        self.participants.insert(id.clone(), participant);
        if let Some(conf) = self.conferences.get_mut(&spec.conference_id) {
            conf.participants.push(id.clone());
            if let Some(shard) = shard_id {
                conf.shards.insert(node_id, shard);
            }
        }
        Ok(id)
    }

    /// A participant leaves; the conference ends with its last participant.
    pub fn leave(&mut self, participant_id: &str, reason: &str) -> bool {
        let Some(mut p) = self.participants.remove(participant_id) else {
            return false;
        };
        let now = self.now;
        for s in &mut p.streams {
            s.end_time.get_or_insert(now);
        }
        let record = p.history_json(now, reason, &mut self.history.next_stream_id);
        let Some(conf) = self.conferences.get_mut(&p.conference_id) else {
            return true;
        };
        conf.participants.retain(|id| id != participant_id);
        conf.departed.push(record);
        if conf.participants.is_empty() {
            let id = conf.id.clone();
            self.end_conference(&id);
        }
        true
    }

    /// Disconnects everybody and ends the instance.
    pub fn disconnect_conference(&mut self, conf_id: &str, reason: &str) -> bool {
        let Some(conf) = self.conferences.get(conf_id) else {
            return false;
        };
        let ids = conf.participants.clone();
        if ids.is_empty() {
            self.end_conference(conf_id);
        }
        for id in ids {
            self.leave(&id, reason);
        }
        true
    }

    fn end_conference(&mut self, conf_id: &str) {
        let bps: Vec<String> = self
            .backplanes
            .values()
            .filter(|b| b.conference_id == conf_id)
            .map(|b| b.id.clone())
            .collect();
        for id in bps {
            self.close_backplane(&id);
        }
        let Some(conf) = self.conferences.remove(conf_id) else {
            return;
        };
        self.history.record(Instance {
            conference: conf.history_json(self.now),
            participants: conf.departed,
            backplanes: conf.departed_backplanes,
        });
    }

    fn close_backplane(&mut self, id: &str) {
        let Some(mut b) = self.backplanes.remove(id) else {
            return;
        };
        let now = self.now;
        for s in &mut b.streams {
            s.end_time.get_or_insert(now);
        }
        let record = b.history_json(now, &mut self.history.next_stream_id);
        if let Some(conf) = self.conferences.get_mut(&b.conference_id) {
            conf.departed_backplanes.push(record);
        }
    }

    fn media(&mut self, seconds: f64) {
        let now = self.now;
        let ids: Vec<String> = self.participants.keys().cloned().collect();
        for id in &ids {
            let Some(p) = self.participants.get_mut(id) else {
                continue;
            };
            for s in &mut p.streams {
                s.step(&mut self.rng, seconds);
            }
            if p.is_presenting && self.rng.chance(seconds / 300.0) {
                p.is_presenting = false;
                for s in p
                    .streams
                    .iter_mut()
                    .filter(|s| s.kind == StreamKind::Presentation)
                {
                    s.end_time.get_or_insert(now);
                }
            }
        }
        for b in self.backplanes.values_mut() {
            for s in &mut b.streams {
                s.step(&mut self.rng, seconds);
            }
        }
        let conf_ids: Vec<String> = self.conferences.keys().cloned().collect();
        for cid in conf_ids {
            let Some(conf) = self.conferences.get(&cid) else {
                continue;
            };
            let members = conf.participants.clone();
            let presenting = members
                .iter()
                .any(|m| self.participants.get(m).is_some_and(|p| p.is_presenting));
            if presenting || members.len() < 2 || !self.rng.chance(seconds / 600.0) {
                continue;
            }
            let who = self.rng.pick(&members).clone();
            if let Some(p) = self.participants.get_mut(&who)
                && p.caller.presentation_supported
                && !p.waiting
            {
                p.is_presenting = true;
                let codec = p.caller.video_codec;
                let n = p.streams.len();
                let node = p.node_address.clone();
                p.streams
                    .push(MediaStream::presentation(n, codec, &node, now));
            }
            if self.rng.chance(0.3)
                && let Some(c) = self.conferences.get_mut(&cid)
            {
                c.instant_message_count += self.rng.range(1, 4);
            }
        }
    }

    /// One backplane from the conference's first node to each other node hosting it.
    fn sync_backplanes(&mut self, topology: &Topology) {
        let mut wanted: Vec<(String, i64, i64)> = Vec::new();
        for conf in self.conferences.values() {
            let Some(primary) = self.primary_node(conf) else {
                continue;
            };
            for end in self.backplane_ends(conf) {
                wanted.push((conf.id.clone(), primary, end));
            }
        }
        let stale: Vec<String> = self
            .backplanes
            .values()
            .filter(|b| {
                !wanted.iter().any(|(c, a, o)| {
                    *c == b.conference_id && *a == b.node_id && *o == b.remote_node_id
                })
            })
            .map(|b| b.id.clone())
            .collect();
        for id in stale {
            self.close_backplane(&id);
        }
        for (conf_id, a, o) in wanted {
            if self
                .backplanes
                .values()
                .any(|b| b.conference_id == conf_id && b.node_id == a && b.remote_node_id == o)
            {
                continue;
            }
            let (Some(na), Some(no), Some(conf)) = (
                topology.node(a),
                topology.node(o),
                self.conferences.get(&conf_id),
            ) else {
                continue;
            };
            let mut link = profiles::caller(&mut self.rng, Protocol::Sip, None, None);
            link.audio_only = false;
            link.bandwidth = 2048;
            link.audio_codec = "opus";
            link.video_codec = "H.264";
            let streams = MediaStream::for_call(&mut self.rng, &link, &na.address, self.now);
            let b = Backplane {
                id: self.rng.uuid(),
                conference_id: conf_id.clone(),
                conference_name: conf.name.clone(),
                service_tag: conf.tag.clone(),
                node_id: a,
                node_address: na.address.clone(),
                system_location: topology.location_name(na.location_id),
                remote_node_id: o,
                remote_node_address: no.address.clone(),
                remote_node_name: no.name.clone(),
                remote_system_location: topology.location_name(no.location_id),
                start_time: self.now,
                streams,
            };
            self.backplanes.insert(b.id.clone(), b);
        }
    }

    fn cloud(&mut self, topology: &Topology) {
        cloud::sync(&mut self.cloud_nodes, &mut self.rng, topology, self.now);
        if self.cloud_nodes.is_empty() {
            return;
        }
        let busy: Vec<i64> = self.participants.values().map(|p| p.node_id).collect();
        let monitored = self
            .location_loads(topology)
            .iter()
            .filter(|(id, _)| {
                topology
                    .nodes
                    .iter()
                    .any(|n| n.location_id == **id && !n.cloud_bursting)
            })
            .map(|(_, l)| l.media_load())
            .max()
            .unwrap_or(0);
        cloud::step(
            &mut self.cloud_nodes,
            self.now,
            |id| busy.contains(&id),
            monitored,
        );
    }

    fn refresh_alarms(&mut self, topology: &Topology) {
        let mut conditions = Vec::new();
        for (id, load) in self.node_loads(topology) {
            let Some(node) = topology.node(id) else {
                continue;
            };
            if node.maintenance_mode {
                conditions.push(Condition {
                    key: format!("maintenance:{}", node.address),
                    level: "warning",
                    name: "Conferencing Node in maintenance mode".into(),
                    details: format!(
                        "{} is in maintenance mode and will not accept new calls",
                        node.name
                    ),
                    node: node.address.clone(),
                });
            }
            if load.capacity.max_media_tokens > 0 && load.media_load() >= 90 {
                conditions.push(Condition {
                    key: format!("capacity:{}", node.address),
                    level: "error",
                    name: "Call capacity limit reached".into(),
                    details: format!("Media load on {} is {}%", node.name, load.media_load()),
                    node: node.address.clone(),
                });
            }
        }
        let pool = LicencePool::of(&topology.licences, self.now);
        let used = self.licence_use(topology, &pool);
        if pool.port_total > 0 && used.ports >= pool.port_total {
            conditions.push(Condition {
                key: "licence:port".into(),
                level: "error",
                name: "License limit reached".into(),
                details: format!("All {} port licenses are in use", pool.port_total),
                node: "Management Node".into(),
            });
        }
        for (entitlement, date) in &pool.expiring {
            conditions.push(Condition {
                key: format!("expiring:{entitlement}"),
                level: "warning",
                name: "Licenses expiring".into(),
                details: format!("License {entitlement} expires on {date}"),
                node: "Management Node".into(),
            });
        }
        self.alarms.reconcile(self.now, conditions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::topology::{Location, Node};
    use chrono::NaiveDate;

    fn topology(services: i64) -> Topology {
        let node = |id: i64, location_id: i64| Node {
            id,
            name: format!("node-{id}"),
            hostname: format!("node-{id}"),
            address: format!("10.0.{location_id}.{id}"),
            location_id,
            cpu_count: 4,
            memory_mb: 8192,
            maintenance_mode: false,
            cloud_bursting: false,
        };
        Topology {
            services: (1..=services)
                .map(|i| Service {
                    config_id: i,
                    name: format!("VMR_{i}"),
                    service_type: if i % 5 == 0 {
                        "lecture".into()
                    } else {
                        "conference".into()
                    },
                    tag: String::new(),
                    aliases: vec![format!("vmr{i}@example.com")],
                    pin: String::new(),
                    guest_pin: String::new(),
                    allow_guests: i % 2 == 0,
                    participant_limit: None,
                })
                .collect(),
            locations: vec![
                Location {
                    id: 1,
                    name: "London".into(),
                },
                Location {
                    id: 2,
                    name: "Oslo".into(),
                },
            ],
            nodes: vec![node(1, 1), node(2, 1), node(3, 2)],
            ..Topology::default()
        }
    }

    fn state(seed: u64) -> LiveState {
        LiveState::new(SimConfig {
            seed,
            tick_ms: 1000,
            epoch: NaiveDate::from_ymd_opt(2017, 1, 16)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            version: "14".into(),
            build: "1".into(),
        })
    }

    #[test]
    fn conferences_live_while_someone_is_in_them_and_end_in_the_history() {
        let t = topology(24);
        let mut s = state(5);
        let mut seen_live = 0;
        for _ in 0..72 {
            s.advance(&t, 100);
            seen_live = seen_live.max(s.conferences.len());
            for c in s.conferences.values() {
                assert!(!c.participants.is_empty(), "an empty instance is over");
                for p in &c.participants {
                    assert_eq!(s.participants[p].conference_id, c.id);
                }
            }
            for (id, load) in s.node_loads(&t) {
                assert!(
                    load.tokens_used <= load.capacity.max_media_tokens,
                    "node {id} over capacity"
                );
            }
        }
        assert!(seen_live >= 2, "meetings overlap");
        assert!(s.history.len() >= 5, "{} ended instances", s.history.len());
        for c in s.history.conferences() {
            let id = c["id"].as_str().unwrap();
            let members = s
                .history
                .participants()
                .filter(|p| p["conference"].as_str().unwrap().contains(id))
                .count();
            assert_eq!(c["participant_count"].as_u64().unwrap() as usize, members);
            assert!(c["end_time"].as_str() >= c["start_time"].as_str());
        }
        let protocols: std::collections::BTreeSet<&str> = s
            .history
            .participants()
            .filter_map(|p| p["protocol"].as_str())
            .collect();
        assert!(protocols.len() >= 4, "{protocols:?}");
    }

    #[test]
    fn the_step_function_is_pure_in_seed_and_ticks() {
        let t = topology(12);
        let (mut a, mut b, mut c) = (state(9), state(9), state(10));
        a.advance(&t, 1500);
        b.advance(&t, 700);
        b.advance(&t, 800);
        c.advance(&t, 1500);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            a.now,
            NaiveDate::from_ymd_opt(2017, 1, 16)
                .unwrap()
                .and_hms_opt(9, 25, 0)
                .unwrap()
        );
    }

    #[test]
    fn leaving_last_ends_the_instance_with_its_record() {
        let t = topology(1);
        let mut s = state(1);
        let service = t.services[0].clone();
        let conf = s.open_conference(&service);
        let caller = profiles::caller(
            &mut s.rng,
            Protocol::Sip,
            Some("Bob"),
            Some("bob@example.com"),
        );
        let spec = JoinSpec {
            conference_id: conf.clone(),
            caller,
            role: Role::Chair,
            outgoing: false,
            local_alias: "vmr1@example.com".into(),
            location: Some(1),
            node: None,
            leave_at: add_ms(s.now, 60_000),
            automatic: false,
        };
        let id = s.join(&t, spec).unwrap();
        s.advance(&t, 30);
        assert!(s.conferences.contains_key(&conf));
        s.advance(&t, 31);
        assert!(!s.participants.contains_key(&id));
        assert!(!s.conferences.contains_key(&conf));
        let record = s.history.conference(&conf).unwrap();
        assert_eq!(record["participant_count"], 1);
        assert_eq!(s.history.participant(&id).unwrap()["duration"], 60);
    }
}
