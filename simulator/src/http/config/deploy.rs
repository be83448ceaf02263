//! What a POST of a Conferencing Node (`worker_vm`) with a manual deployment type answers: the
//! file to deploy by hand, as the guide's examples download it (`stream=True`, written to
//! `conferencing_node.ova` / `conferencing_node.xml`).
//!
//! - `MANUAL`, `MANUAL-ESXI4`, `MANUAL-HYPERV2012`: an OVA, a tar archive holding an OVF
//!   descriptor and a manifest (no disk image: the simulator has none to give).
//! - `MANUAL-PROVISION-ONLY`: an XML provisioning document with the node's configuration.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;

use crate::http::response;
use crate::store::Object;

/// The download for a node just created, when its deployment type is a manual one.
pub fn download(node: &Object) -> Option<Response> {
    let kind = node.get("deployment_type").and_then(Value::as_str)?;
    let name = text(node, "name");
    let (body, content_type, file_name) = match kind {
        "MANUAL-PROVISION-ONLY" => (
            provisioning_document(node).into_bytes(),
            "text/xml",
            format!("{}.xml", file_stem(&name)),
        ),
        k if k.starts_with("MANUAL") => (
            ova(node, &name),
            "application/octet-stream",
            format!("{}.ova", file_stem(&name)),
        ),
        _ => return None,
    };
    let mut r = response::empty(StatusCode::OK);
    *r.body_mut() = axum::body::Body::from(body);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Some(r)
}

fn text(node: &Object, field: &str) -> String {
    match node.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "conferencing_node".to_owned()
    } else {
        stem
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The provisioning document of `MANUAL-PROVISION-ONLY`.
fn provisioning_document(node: &Object) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<provisioning>\n");
    for field in [
        "name",
        "hostname",
        "domain",
        "address",
        "netmask",
        "gateway",
        "ipv6_address",
        "ipv6_gateway",
        "system_location",
        "node_type",
        "transcoding",
        "resource_uri",
    ] {
        if node.contains_key(field) {
            xml.push_str(&format!(
                "  <{field}>{}</{field}>\n",
                xml_escape(&text(node, field))
            ));
        }
    }
    xml.push_str("</provisioning>\n");
    xml
}

/// An OVA: a ustar archive with the OVF descriptor first, then its manifest.
fn ova(node: &Object, name: &str) -> Vec<u8> {
    let stem = file_stem(name);
    let ovf = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">\n  <VirtualSystem id=\"{}\">\n    <Name>{}</Name>\n    <ProductSection>\n      <Property key=\"hostname\" value=\"{}\"/>\n      <Property key=\"domain\" value=\"{}\"/>\n      <Property key=\"address\" value=\"{}\"/>\n      <Property key=\"netmask\" value=\"{}\"/>\n      <Property key=\"gateway\" value=\"{}\"/>\n    </ProductSection>\n    <VirtualHardwareSection>\n      <Item><ResourceType>3</ResourceType><VirtualQuantity>{}</VirtualQuantity></Item>\n      <Item><ResourceType>4</ResourceType><VirtualQuantity>{}</VirtualQuantity></Item>\n    </VirtualHardwareSection>\n  </VirtualSystem>\n</Envelope>\n",
        xml_escape(&stem),
        xml_escape(name),
        xml_escape(&text(node, "hostname")),
        xml_escape(&text(node, "domain")),
        xml_escape(&text(node, "address")),
        xml_escape(&text(node, "netmask")),
        xml_escape(&text(node, "gateway")),
        xml_escape(&text(node, "vm_cpu_count")),
        xml_escape(&text(node, "vm_system_memory")),
    );
    let manifest = format!("SHA256({stem}.ovf)= {}\n", hex_digest(ovf.as_bytes()));
    let mut tar = Vec::new();
    append(&mut tar, &format!("{stem}.ovf"), ovf.as_bytes());
    append(&mut tar, &format!("{stem}.mf"), manifest.as_bytes());
    tar.extend_from_slice(&[0u8; 1024]);
    tar
}

/// Appends one regular file to a ustar archive.
fn append(tar: &mut Vec<u8>, name: &str, content: &[u8]) {
    let mut header = [0u8; 512];
    let name = name.as_bytes();
    header[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
    let octal = |buf: &mut [u8], value: u64| {
        let text = format!("{value:0width$o}\0", width = buf.len() - 1);
        buf.copy_from_slice(text.as_bytes());
    };
    octal(&mut header[100..108], 0o644);
    octal(&mut header[108..116], 0);
    octal(&mut header[116..124], 0);
    octal(&mut header[124..136], content.len() as u64);
    octal(&mut header[136..148], 0);
    header[156] = b'0';
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
    let checksum = format!("{sum:06o}\0 ");
    header[148..156].copy_from_slice(checksum.as_bytes());
    tar.extend_from_slice(&header);
    tar.extend_from_slice(content);
    let pad = (512 - content.len() % 512) % 512;
    tar.extend(std::iter::repeat_n(0u8, pad));
}

/// The SHA-256 of `bytes` in hex, as OVF manifests list them.
fn hex_digest(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ova_is_a_valid_tar_with_the_descriptor_first() {
        let node = json!({"name": "new node", "hostname": "newnode", "deployment_type": "MANUAL"});
        let tar = ova(node.as_object().unwrap(), "new node");
        assert_eq!(tar.len() % 512, 0);
        assert_eq!(&tar[..13], b"new_node.ovf\0");
        assert_eq!(&tar[257..263], b"ustar\0");
        // The stored checksum matches the header's bytes.
        let mut header = tar[..512].to_vec();
        let stored =
            u32::from_str_radix(std::str::from_utf8(&header[148..154]).unwrap(), 8).unwrap();
        header[148..156].copy_from_slice(b"        ");
        assert_eq!(stored, header.iter().map(|b| u32::from(*b)).sum::<u32>());
        let size = u64::from_str_radix(std::str::from_utf8(&tar[124..135]).unwrap(), 8).unwrap();
        let body = std::str::from_utf8(&tar[512..512 + size as usize]).unwrap();
        assert!(
            body.contains("<Property key=\"hostname\" value=\"newnode\"/>"),
            "{body}"
        );
    }

    #[test]
    fn provisioning_document_escapes_values() {
        let node =
            json!({"name": "a<b", "hostname": "h", "deployment_type": "MANUAL-PROVISION-ONLY"});
        let xml = provisioning_document(node.as_object().unwrap());
        assert!(xml.starts_with("<?xml"));
        assert!(xml.contains("<name>a&lt;b</name>"));
        assert!(download(json!({"deployment_type": "VMWARE"}).as_object().unwrap()).is_none());
    }
}
