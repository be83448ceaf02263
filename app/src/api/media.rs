//! The media statistics of one call's streams (audio, video, presentation), as the status API
//! reports them live and the history API keeps them.

use serde::{Deserialize, Serialize};

/// One direction of a stream.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StreamDirection {
    pub codec: String,
    /// kbps.
    pub bitrate: u64,
    /// Percent of packets lost.
    pub packet_loss: f64,
    /// Milliseconds, when the API reports it (live streams).
    pub jitter: Option<f64>,
    pub resolution: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MediaStream {
    /// `audio`, `video` or `presentation`.
    pub kind: String,
    pub node: String,
    /// What the node received from the participant.
    pub rx: StreamDirection,
    /// What the node sent to the participant.
    pub tx: StreamDirection,
}

#[cfg(feature = "ssr")]
impl MediaStream {
    /// A stream record of the status API (`type`) or the history API (`stream_type`).
    pub fn from_record(record: &serde_json::Value) -> MediaStream {
        use super::fields::{count, number, text};
        let direction = |prefix: &str| StreamDirection {
            codec: text(record, &format!("{prefix}_codec")),
            bitrate: count(record, &format!("{prefix}_bitrate")),
            packet_loss: number(record, &format!("{prefix}_packet_loss")),
            jitter: record
                .get(format!("{prefix}_jitter"))
                .map(|_| number(record, &format!("{prefix}_jitter"))),
            resolution: text(record, &format!("{prefix}_resolution")),
        };
        let kind = match text(record, "stream_type") {
            kind if kind.is_empty() => text(record, "type"),
            kind => kind,
        };
        MediaStream {
            kind,
            node: text(record, "node"),
            rx: direction("rx"),
            tx: direction("tx"),
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn live_and_history_records_read_alike() {
        let live = json!({"type": "video", "node": "10.0.0.1", "rx_codec": "H.264", "rx_bitrate": 900,
            "rx_packet_loss": 1.25, "rx_jitter": 3.5, "rx_resolution": "1280x720", "tx_codec": "H.264",
            "tx_bitrate": 850, "tx_packet_loss": 0.0, "tx_jitter": 0.4, "tx_resolution": "1024x576"});
        let stream = MediaStream::from_record(&live);
        assert_eq!(stream.kind, "video");
        assert_eq!(stream.rx.packet_loss, 1.25);
        assert_eq!(stream.rx.jitter, Some(3.5));
        assert_eq!(stream.tx.bitrate, 850);
        let history = json!({"stream_type": "audio", "rx_packet_loss": 0.5, "tx_codec": "opus"});
        let stream = MediaStream::from_record(&history);
        assert_eq!(stream.kind, "audio");
        assert_eq!(stream.rx.jitter, None);
        assert_eq!(stream.tx.codec, "opus");
    }
}
