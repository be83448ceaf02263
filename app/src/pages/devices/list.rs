//! `/devices`: the device aliases the signed-in person may manage, searchable by alias, paged
//! on the server, with the total count, and links to the CSV import and to the CSV export of
//! the search shown.

use crate::api::devices::list_devices;
use crate::forms::value::summary;
use crate::layout::CurrentUserResource;
use crate::pages::DevicesCsvLinks;
use crate::pages::rooms::query::with_query;
use crate::ui::{
    Button, DataTable, Empty, LinkButton, Loaded, PageHeader, Pager, Row, TextField, TextLink,
    Variant,
};
use bff::requests::DeviceQuery;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use pexip::ListResponse;
use serde_json::Value;

/// Page sizes offered.
const SIZES: &[u64] = &[20, 50, 100];
/// The columns of the table: (field, heading).
const COLUMNS: [(&str, &str); 5] = [
    ("alias", "Alias"),
    ("description", "Description"),
    ("username", "Username"),
    ("primary_owner_email_address", "Owner"),
    ("tag", "Tag"),
];

/// The list's parameters from the address: `alias`, `page` (1-based), `size`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Params {
    alias: String,
    page: u64,
    size: u64,
}

impl Params {
    fn href(&self, page: u64, size: u64) -> String {
        let mut pairs = Vec::new();
        if !self.alias.is_empty() {
            pairs.push(("alias", self.alias.clone()));
        }
        pairs.push(("page", page.to_string()));
        pairs.push(("size", size.to_string()));
        with_query("/devices", &pairs)
    }

    fn query(&self) -> DeviceQuery {
        DeviceQuery {
            alias: Some(self.alias.clone()).filter(|a| !a.is_empty()),
            order_by: Some("alias".into()),
            limit: self.size,
            offset: (self.page - 1) * self.size,
        }
    }
}

#[component]
pub fn DevicesPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        let number = |key: &str| q.get(key).and_then(|v| v.parse::<u64>().ok());
        Params {
            alias: q.get("alias").unwrap_or_default().trim().to_string(),
            page: number("page").unwrap_or(1).max(1),
            size: number("size")
                .filter(|s| SIZES.contains(s))
                .unwrap_or(SIZES[0]),
        }
    });
    let devices = Resource::new(move || params.get(), |p| list_devices(p.query()));
    let user = expect_context::<CurrentUserResource>();
    let can_create = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.can("device_create"))
    };
    let alias = Signal::derive(move || params.get().alias);
    view! {
        <PageHeader title="Device aliases".to_string()
            intro="The aliases that endpoints and Infinity Connect clients register with, and their credentials.">
            <Transition>
                {move || can_create().then(|| view! { <LinkButton href="/devices/new">"New device"</LinkButton> })}
            </Transition>
            <DevicesCsvLinks />
        </PageHeader>
        <Form method="GET" action="" attr:aria-label="Search devices">
            <Row>
                <TextField id="device-search" name="alias" label="Alias contains" value=alias />
                <Button submit=true variant=Variant::Secondary>"Search"</Button>
            </Row>
        </Form>
        <Loaded what="the devices" data=Signal::derive(move || devices.get())
            view={move |page: ListResponse<Value>| view! { <DeviceTable page params=params.get_untracked() /> }.into_any()} />
    }
}

#[component]
fn DeviceTable(page: ListResponse<Value>, params: Params) -> impl IntoView {
    let total = page.meta.total_count;
    if page.objects.is_empty() {
        let message = if params.alias.is_empty() {
            "There are no device aliases yet."
        } else {
            "No device alias matches the search."
        };
        return view! { <Empty id="devices-empty">{message}</Empty> }.into_any();
    }
    let rows = page
        .objects
        .into_iter()
        .map(|device| {
            let id = device.get("id").and_then(Value::as_u64).unwrap_or_default();
            let cells = COLUMNS
                .iter()
                .skip(1)
                .map(|(field, _)| view! { <td>{summary(device.get(*field).unwrap_or(&Value::Null))}</td> })
                .collect_view();
            let alias = summary(device.get("alias").unwrap_or(&Value::Null));
            view! {
                <tr>
                    <td><TextLink href=format!("/devices/{id}")>{alias}</TextLink></td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let href_params = params.clone();
    view! {
        <DataTable id="devices-table" caption="Device aliases".to_string()>
            <thead>
                <tr>{COLUMNS.iter().map(|(_, heading)| view! { <th scope="col">{*heading}</th> }).collect_view()}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </DataTable>
        <Pager page=params.page size=params.size total noun="devices" sizes=SIZES
            href=Callback::new(move |(page, size)| href_params.href(page, size)) />
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_keeps_the_search_and_pages_on_the_server() {
        let params = Params {
            alias: "desk@acme".into(),
            page: 3,
            size: 50,
        };
        assert_eq!(
            params.href(2, 50),
            "/devices?alias=desk%40acme&page=2&size=50"
        );
        let query = params.query();
        assert_eq!(query.offset, 100);
        assert_eq!(query.limit, 50);
        assert_eq!(query.alias.as_deref(), Some("desk@acme"));
        let all = Params {
            alias: String::new(),
            ..params
        };
        assert_eq!(all.query().alias, None);
        assert_eq!(all.href(1, 20), "/devices?page=1&size=20");
    }
}
