//! Media streams of a call (or a backplane) and how their statistics evolve over time.

use serde_json::{Value, json};

use super::profiles::Caller;
use super::rng::Rng;
use super::time::{Instant, iso};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    Audio,
    Video,
    Presentation,
}

impl StreamKind {
    pub fn name(self) -> &'static str {
        match self {
            StreamKind::Audio => "audio",
            StreamKind::Video => "video",
            StreamKind::Presentation => "presentation",
        }
    }
}

/// One direction of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Direction {
    pub codec: &'static str,
    pub target_bitrate: f64,
    pub bitrate: u64,
    pub jitter: f64,
    pub resolution: &'static str,
    /// Packets per second at the target bitrate.
    pub pps: f64,
    pub packets: u64,
    pub lost: u64,
    /// Current loss rate in percent (a network condition, not a counter).
    pub loss_rate: f64,
    carry: f64,
}

impl Direction {
    fn new(codec: &'static str, bitrate: f64, resolution: &'static str, pps: f64) -> Self {
        Direction {
            codec,
            target_bitrate: bitrate,
            bitrate: bitrate.round() as u64,
            jitter: 0.3,
            resolution,
            pps,
            packets: 0,
            lost: 0,
            loss_rate: 0.0,
            carry: 0.0,
        }
    }

    /// Cumulative packet loss in percent, two decimals (as Pexip reports it).
    pub fn packet_loss(&self) -> f64 {
        let total = self.packets + self.lost;
        if total == 0 {
            return 0.0;
        }
        (self.lost as f64 * 10_000.0 / total as f64).round() / 100.0
    }

    fn step(&mut self, rng: &mut Rng, seconds: f64, base_loss: f64) {
        let wobble = rng.float(0.93, 1.05);
        self.bitrate = (self.target_bitrate * wobble).round().max(1.0) as u64;
        self.jitter = (self.jitter + rng.float(-0.4, 0.4)).clamp(0.05, 25.0);
        if rng.chance(0.01 * seconds) {
            self.loss_rate = rng.float(0.5, 6.0);
        } else {
            self.loss_rate = (self.loss_rate * 0.8).max(base_loss);
        }
        let sent = self.pps * seconds * wobble + self.carry;
        let whole = sent.floor();
        self.carry = sent - whole;
        let lost = (whole * self.loss_rate / 100.0).round();
        self.packets += (whole - lost) as u64;
        self.lost += lost as u64;
        self.jitter = (self.jitter * 100.0).round() / 100.0;
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MediaStream {
    /// `"0"`, `"1"`, ... within the call.
    pub stream_id: String,
    pub kind: StreamKind,
    pub node: String,
    pub start_time: Instant,
    pub end_time: Option<Instant>,
    pub rx: Direction,
    pub tx: Direction,
    /// The loss this caller's network always has, in percent.
    pub base_loss: f64,
}

/// Video resolution for a call bandwidth in kbps.
pub fn resolution_for(bandwidth: u64) -> &'static str {
    match bandwidth {
        1800.. => "1920x1080",
        1000.. => "1280x720",
        700.. => "1024x576",
        _ => "640x360",
    }
}

impl MediaStream {
    /// The audio and (unless audio-only) video streams of a new call.
    pub fn for_call(
        rng: &mut Rng,
        caller: &Caller,
        node: &str,
        start: Instant,
    ) -> Vec<MediaStream> {
        let base_loss = if rng.chance(0.12) {
            rng.float(0.3, 3.5)
        } else {
            0.0
        };
        let audio_rate = match caller.audio_codec {
            "opus" => 32.0,
            "SILK" => 36.0,
            "AAC-LD" | "AAC" => 64.0,
            _ => 48.0,
        };
        let mut streams = vec![MediaStream {
            stream_id: "0".into(),
            kind: StreamKind::Audio,
            node: node.to_owned(),
            start_time: start,
            end_time: None,
            rx: Direction::new(caller.audio_codec, audio_rate, "", 50.0),
            tx: Direction::new(caller.audio_codec, audio_rate, "", 50.0),
            base_loss,
        }];
        if !caller.audio_only {
            let video = (caller.bandwidth as f64 - audio_rate).max(128.0);
            let res = resolution_for(caller.bandwidth);
            let tx_res = *rng.pick(&["768x448", "1024x576", "1280x720"]);
            streams.push(MediaStream {
                stream_id: "1".into(),
                kind: StreamKind::Video,
                node: node.to_owned(),
                start_time: start,
                end_time: None,
                rx: Direction::new(caller.video_codec, video * 0.9, res, video / 8.8),
                tx: Direction::new(caller.video_codec, video * 0.85, tx_res, video / 8.8),
                base_loss,
            });
        }
        streams
    }

    /// A presentation stream (someone started sharing).
    pub fn presentation(id: usize, codec: &'static str, node: &str, start: Instant) -> MediaStream {
        MediaStream {
            stream_id: id.to_string(),
            kind: StreamKind::Presentation,
            node: node.to_owned(),
            start_time: start,
            end_time: None,
            rx: Direction::new(codec, 384.0, "1920x1080", 40.0),
            tx: Direction::new(codec, 384.0, "1920x1080", 40.0),
            base_loss: 0.0,
        }
    }

    pub fn step(&mut self, rng: &mut Rng, seconds: f64) {
        if self.end_time.is_some() {
            return;
        }
        self.rx.step(rng, seconds, self.base_loss);
        self.tx.step(rng, seconds, self.base_loss * 0.5);
    }

    /// The status API's record (`participant/<id>/media_stream/`).
    pub fn status_json(&self) -> Value {
        json!({
            "end_time": self.end_time.map(iso).unwrap_or_default(),
            "id": self.stream_id,
            "node": self.node,
            "rx_bitrate": self.rx.bitrate,
            "rx_codec": self.rx.codec,
            "rx_jitter": self.rx.jitter,
            "rx_packet_loss": self.rx.packet_loss(),
            "rx_packets_lost": self.rx.lost,
            "rx_packets_received": self.rx.packets,
            "rx_resolution": self.rx.resolution,
            "start_time": iso(self.start_time),
            "tx_bitrate": self.tx.bitrate,
            "tx_codec": self.tx.codec,
            "tx_jitter": self.tx.jitter,
            "tx_packet_loss": self.tx.packet_loss(),
            "tx_packets_lost": self.tx.lost,
            "tx_packets_sent": self.tx.packets,
            "tx_resolution": self.tx.resolution,
            "type": self.kind.name(),
        })
    }

    /// The history API's record, `id` being the history-wide integer id and `owner_uri` the
    /// participant (or backplane) it belongs to.
    pub fn history_json(&self, id: u64, owner_key: &str, owner_uri: &str, ended: Instant) -> Value {
        json!({
            "end_time": iso(self.end_time.unwrap_or(ended)),
            "id": id,
            "node": self.node,
            owner_key: owner_uri,
            "rx_bitrate": self.rx.bitrate,
            "rx_codec": self.rx.codec,
            "rx_packet_loss": self.rx.packet_loss(),
            "rx_packets_lost": self.rx.lost,
            "rx_packets_received": self.rx.packets,
            "rx_resolution": self.rx.resolution,
            "start_time": iso(self.start_time),
            "stream_id": self.stream_id,
            "stream_type": self.kind.name(),
            "tx_bitrate": self.tx.bitrate,
            "tx_codec": self.tx.codec,
            "tx_packet_loss": self.tx.packet_loss(),
            "tx_packets_lost": self.tx.lost,
            "tx_packets_sent": self.tx.packets,
            "tx_resolution": self.tx.resolution,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::profiles::{Protocol, caller};
    use chrono::NaiveDate;

    #[test]
    fn counters_grow_and_loss_is_consistent() {
        let mut rng = Rng::new(9);
        let t = NaiveDate::from_ymd_opt(2017, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let mut c = caller(&mut rng, Protocol::Sip, None, None);
        c.audio_only = false;
        let mut streams = MediaStream::for_call(&mut rng, &c, "10.0.0.1", t);
        assert_eq!(streams.len(), 2);
        streams[1].base_loss = 2.0;
        for _ in 0..60 {
            for s in &mut streams {
                s.step(&mut rng, 1.0);
            }
        }
        let audio = &streams[0];
        assert!(
            (2900..=3100).contains(&(audio.rx.packets + audio.rx.lost)),
            "{}",
            audio.rx.packets
        );
        let video = &streams[1];
        assert!(video.rx.lost > 0);
        assert!(video.rx.packet_loss() >= 1.0, "{}", video.rx.packet_loss());
        let j = video.status_json();
        assert_eq!(j["type"], "video");
        assert_eq!(j["id"], "1");
        assert_eq!(j["end_time"], "");
        let h = video.history_json(37, "participant", "/p/", t);
        assert_eq!(h["stream_type"], "video");
        assert_eq!(h["stream_id"], "1");
        assert_eq!(h["id"], 37);
    }
}
