//! What callers look like: protocols, the endpoints and browsers they call from (vendor
//! strings), display names, aliases, bandwidths and codecs.

use super::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Protocol {
    Sip,
    H323,
    WebRtc,
    MsSip,
    Rtmp,
}

impl Protocol {
    /// As the status API writes it (`'protocol': 'WebRTC'`).
    pub fn api_name(self) -> &'static str {
        match self {
            Protocol::Sip => "SIP",
            Protocol::H323 => "H323",
            Protocol::WebRtc => "WebRTC",
            Protocol::MsSip => "MSSIP",
            Protocol::Rtmp => "RTMP",
        }
    }

    /// The command API's spelling (`'protocol': 'h323'` in a dial).
    pub fn from_command(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "sip" => Some(Protocol::Sip),
            "h323" => Some(Protocol::H323),
            "mssip" => Some(Protocol::MsSip),
            "rtmp" => Some(Protocol::Rtmp),
            "webrtc" => Some(Protocol::WebRtc),
            _ => None,
        }
    }

    pub const DIALABLE: [&'static str; 4] = ["sip", "h323", "mssip", "rtmp"];
}

const FIRST: [&str; 32] = [
    "Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henrik", "Ingrid", "Jonas",
    "Kari", "Lars", "Maria", "Nils", "Olivia", "Per", "Rachel", "Sven", "Tom", "Una", "Victor",
    "Wendy", "Xavier", "Yasmin", "Zoe", "Amir", "Beatriz", "Chen", "Dmitri", "Eilidh", "Fatima",
    "Gustav",
];
const LAST: [&str; 24] = [
    "Parkes",
    "Hansen",
    "Smith",
    "Johansen",
    "Brown",
    "Olsen",
    "Taylor",
    "Larsen",
    "Wilson",
    "Andersen",
    "Evans",
    "Pedersen",
    "Thomas",
    "Nilsen",
    "Roberts",
    "Kristiansen",
    "Walker",
    "Jensen",
    "Wright",
    "Karlsen",
    "Green",
    "Berg",
    "Hall",
    "Haugen",
];
const ROOMS: [&str; 12] = [
    "Boardroom",
    "Fjord",
    "Thames",
    "Atrium",
    "Nordlys",
    "Kensington",
    "Holmenkollen",
    "Shoreditch",
    "Bryggen",
    "Camden",
    "Frogner",
    "Soho",
];

const BROWSERS: [&str; 5] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/58.0.3029.110 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.101 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/57.0.2987.133 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:53.0) Gecko/20100101 Firefox/53.0",
    "Pexip Infinity Connect/1.3.0 (Windows 10) Electron/1.4.13",
];
const SIP_VENDORS: [&str; 5] = [
    "TANDBERG/529 (ce8.3.1.7c0ea4b)",
    "Cisco/TelePresence SX20 Codec (TC7.3.6.1e1e9b6)",
    "Polycom/RealPresence Group 500/6.1.3",
    "Yealink VC400 30.20.0.9",
    "LifeSize Icon_600/LS_RM2_2.9.0 (19)",
];
const H323_VENDORS: [&str; 4] = [
    "TANDBERG (Tandberg 257)",
    "Cisco Codec (Cisco 529)",
    "Polycom HDX 8000 HD (3.1.10-51067)",
    "Radvision (Scopia XT5000)",
];
const MSSIP_VENDORS: [&str; 3] = [
    "UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)",
    "UCCAPI/15.0.4953.1000 OC/15.0.4953.1000 (Microsoft Lync)",
    "RTCC/6.0.0.0 MSRTC/6.0.0.0 (Lync Room System)",
];
const RTMP_VENDORS: [&str; 2] = ["FMS/3,5,7,7009", "Wowza Streaming Engine 4.7.0"];

/// Everything about a caller that does not change during the call.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub protocol: Protocol,
    pub display_name: String,
    /// The caller's own alias (`source_alias` for calls in, the destination for calls out).
    pub alias: String,
    pub vendor: String,
    pub remote_address: String,
    pub remote_port: u64,
    pub bandwidth: u64,
    pub encrypted: bool,
    pub presentation_supported: bool,
    /// A WebRTC control-only or audio-only leg: no video stream.
    pub audio_only: bool,
    pub audio_codec: &'static str,
    pub video_codec: &'static str,
}

pub fn display_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&FIRST), rng.pick(&LAST))
}

fn ip(rng: &mut Rng) -> String {
    match rng.range(0, 2) {
        0 => format!(
            "10.{}.{}.{}",
            rng.range(0, 40),
            rng.range(0, 255),
            rng.range(2, 254)
        ),
        1 => format!("192.168.{}.{}", rng.range(0, 20), rng.range(2, 254)),
        _ => format!(
            "172.{}.{}.{}",
            rng.range(16, 31),
            rng.range(0, 255),
            rng.range(2, 254)
        ),
    }
}

fn slug(name: &str) -> String {
    name.to_ascii_lowercase().replace(' ', ".")
}

/// A protocol drawn with the mix a typical deployment sees.
pub fn random_protocol(rng: &mut Rng) -> Protocol {
    match rng.range(0, 99) {
        0..=39 => Protocol::WebRtc,
        40..=67 => Protocol::Sip,
        68..=81 => Protocol::H323,
        82..=96 => Protocol::MsSip,
        _ => Protocol::Rtmp,
    }
}

/// A caller of `protocol`. `named` overrides the display name and `alias` the address.
pub fn caller(
    rng: &mut Rng,
    protocol: Protocol,
    named: Option<&str>,
    alias: Option<&str>,
) -> Caller {
    let person = display_name(rng);
    let room = format!("{} Room", rng.pick(&ROOMS));
    let address = ip(rng);
    let bandwidths: &[u64] = match protocol {
        Protocol::WebRtc => &[576, 768, 1024, 1264],
        Protocol::Sip | Protocol::H323 => &[768, 1024, 1536, 1920, 2048, 4096],
        Protocol::MsSip => &[512, 768, 1152, 1536],
        Protocol::Rtmp => &[1024, 2048],
    };
    let bandwidth = *rng.pick(bandwidths);
    let audio_only = protocol != Protocol::Rtmp && rng.chance(0.08);
    let (display_name, default_alias, vendor, port) = match protocol {
        Protocol::WebRtc => (
            person.clone(),
            format!("Infinity_Connect_{address}"),
            rng.pick(&BROWSERS).to_string(),
            rng.range(49152, 65535),
        ),
        Protocol::Sip => {
            let n = if rng.chance(0.6) {
                room.clone()
            } else {
                person.clone()
            };
            (
                n.clone(),
                format!("{}@example.com", slug(&n)),
                rng.pick(&SIP_VENDORS).to_string(),
                5061,
            )
        }
        Protocol::H323 => {
            let n = if rng.chance(0.7) {
                room.clone()
            } else {
                person.clone()
            };
            (
                n.clone(),
                format!("{}@example.com", slug(&n)),
                rng.pick(&H323_VENDORS).to_string(),
                rng.range(11000, 11999),
            )
        }
        Protocol::MsSip => (
            person.clone(),
            format!("sip:{}@example.com", slug(&person)),
            rng.pick(&MSSIP_VENDORS).to_string(),
            rng.range(50000, 50039),
        ),
        Protocol::Rtmp => (
            "Streaming".to_owned(),
            format!("rtmp://stream.example.com/live/{}", rng.hex(8)),
            rng.pick(&RTMP_VENDORS).to_string(),
            1935,
        ),
    };
    let (audio_codec, video_codec) = match protocol {
        Protocol::WebRtc => ("opus", "VP8"),
        Protocol::Sip => (*rng.pick(&["AAC-LD", "G.722", "OPUS"]), "H.264"),
        Protocol::H323 => (*rng.pick(&["G.722.1C", "G.722", "AAC-LD"]), "H.264"),
        Protocol::MsSip => ("SILK", *rng.pick(&["RTVideo", "H.264"])),
        Protocol::Rtmp => ("AAC", "H.264"),
    };
    Caller {
        protocol,
        display_name: named.map(str::to_owned).unwrap_or(display_name),
        alias: alias.map(str::to_owned).unwrap_or(default_alias),
        vendor,
        remote_address: address,
        remote_port: port,
        bandwidth: if audio_only { 64 } else { bandwidth },
        encrypted: protocol == Protocol::WebRtc || protocol == Protocol::MsSip || rng.chance(0.85),
        presentation_supported: protocol != Protocol::Rtmp && !audio_only && rng.chance(0.9),
        audio_only,
        audio_codec,
        video_codec,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_look_like_their_protocol() {
        let mut rng = Rng::new(3);
        for _ in 0..50 {
            let c = caller(&mut rng, Protocol::WebRtc, None, None);
            assert!(c.alias.starts_with("Infinity_Connect_"));
            assert_eq!(c.audio_codec, "opus");
            let m = caller(&mut rng, Protocol::MsSip, None, None);
            assert!(m.alias.starts_with("sip:"));
            let r = caller(&mut rng, Protocol::Rtmp, None, None);
            assert!(r.alias.starts_with("rtmp://"));
            assert!(!r.audio_only);
        }
        let named = caller(
            &mut rng,
            Protocol::H323,
            Some("Alice Parkes"),
            Some("alice"),
        );
        assert_eq!(
            (named.display_name.as_str(), named.alias.as_str()),
            ("Alice Parkes", "alice")
        );
    }

    #[test]
    fn protocol_names_round_trip_through_commands() {
        for p in Protocol::DIALABLE {
            assert_eq!(
                Protocol::from_command(p)
                    .unwrap()
                    .api_name()
                    .to_ascii_lowercase(),
                p
            );
        }
        assert_eq!(Protocol::from_command("carrier-pigeon"), None);
    }
}
