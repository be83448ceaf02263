//! The simulated LDAP directory that conference sync templates read: a fixed set of people
//! (objectclass `person`) with the attributes Active Directory and OpenLDAP commonly hold.
//! A sync renders one service per person from a template ([`crate::live::sync`]).

/// One person of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub uid: &'static str,
    pub given_name: &'static str,
    pub sn: &'static str,
    pub department: &'static str,
    pub telephone_number: &'static str,
}

/// The directory's people.
pub const PEOPLE: [Person; 10] = [
    person("alice", "Alice", "Andersen", "Sales", "+4721000001"),
    person("bob", "Bob", "Berg", "Sales", "+4721000002"),
    person(
        "carol",
        "Carol",
        "Christensen",
        "Engineering",
        "+4721000003",
    ),
    person("dave", "Dave", "Dahl", "Engineering", "+4721000004"),
    person("erin", "Erin", "Eriksen", "Support", "+4721000005"),
    person("frank", "Frank", "Fjeld", "Support", "+4721000006"),
    person("grace", "Grace", "Gundersen", "Finance", "+4721000007"),
    person("heidi", "Heidi", "Holm", "Finance", "+4721000008"),
    person("ivan", "Ivan", "Iversen", "Legal", "+4721000009"),
    person("judy", "Judy", "Johansen", "Legal", "+4721000010"),
];

/// The domain of the directory's mail addresses.
pub const MAIL_DOMAIN: &str = "example.com";

const fn person(
    uid: &'static str,
    given_name: &'static str,
    sn: &'static str,
    department: &'static str,
    telephone_number: &'static str,
) -> Person {
    Person {
        uid,
        given_name,
        sn,
        department,
        telephone_number,
    }
}

impl Person {
    /// The value of an LDAP attribute (names compare case-insensitively, as LDAP does).
    pub fn attribute(&self, name: &str) -> Option<String> {
        Some(match name.to_ascii_lowercase().as_str() {
            "uid" | "samaccountname" => self.uid.to_string(),
            "givenname" => self.given_name.to_string(),
            "sn" => self.sn.to_string(),
            "cn" | "displayname" => format!("{} {}", self.given_name, self.sn),
            "mail" | "userprincipalname" => format!("{}@{MAIL_DOMAIN}", self.uid),
            "department" => self.department.to_string(),
            "telephonenumber" => self.telephone_number.to_string(),
            "entryuuid" | "objectguid" => self.uuid(),
            _ => return None,
        })
    }

    /// A stable UUID of the entry (what a real sync keeps in `sync_tag`).
    pub fn uuid(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.uid.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        let h = format!("{hash:016x}");
        format!("5e1c0000-0000-4000-8000-{}", &h[4..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_uuids() {
        let alice = PEOPLE[0];
        assert_eq!(alice.attribute("mail").unwrap(), "alice@example.com");
        assert_eq!(alice.attribute("GivenName").unwrap(), "Alice");
        assert_eq!(alice.attribute("cn").unwrap(), "Alice Andersen");
        assert_eq!(alice.attribute("nope"), None);
        let uuids: std::collections::HashSet<String> = PEOPLE.iter().map(Person::uuid).collect();
        assert_eq!(uuids.len(), PEOPLE.len());
        assert_eq!(alice.uuid().len(), 36);
    }
}
