//! The audit trail: who changed what, when, from where, and how it ended.

use crate::api::audit::{AuditPage as AuditList, list_audit};
use crate::api::{AppError, Deferred};
use crate::ui::{
    Button, Code, DataTable, Empty, ErrorNotice, FormActions, Grid, Hint, Loading, NoWrap,
    PageHeader, TextField,
};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

const PAGE: u32 = 50;

/// The audit entries the URL's filters ask for. Made by the route's `data()`, so the request
/// starts on navigation, while the page's code loads.
#[derive(Clone, Copy)]
pub struct AuditData {
    query: Memo<leptos_router::params::ParamsMap>,
    events: Resource<Result<Deferred<AuditList>, AppError>>,
}

impl AuditData {
    pub fn load() -> Self {
        let query = use_query_map();
        let param = move |name: &str| query.read().get(name).unwrap_or_default();
        let page = move || param("page").parse::<u32>().unwrap_or(0);
        let events = Resource::new(
            move || (param("user"), param("action"), page()),
            |(user, action, page)| list_audit(user, action, PAGE, page * PAGE),
        );
        Self { query, events }
    }
}

#[component]
pub fn AuditPage(data: AuditData) -> impl IntoView {
    let AuditData { query, events } = data;
    let param = move |name: &str| query.read().get(name).unwrap_or_default();

    view! {
        <PageHeader title="Audit" intro="Every change made through the portal, newest first. Secret values are masked." />
        <Form method="GET" action="">
            <Grid columns=3>
                <TextField id="audit-user" name="user" label="User" value=Signal::derive(move || param("user")) />
                <TextField id="audit-action" name="action" label="Action starts with" placeholder="room."
                    value=Signal::derive(move || param("action")) />
                <FormActions><Button submit=true>"Filter"</Button></FormActions>
            </Grid>
        </Form>
        <Transition fallback=|| view! { <Loading what="the audit trail" /> }>
            {move || events.get().map(|result| match result.and_then(Deferred::decode) {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(found) if found.events.is_empty() => view! { <Empty>"No changes match."</Empty> }.into_any(),
                Ok(found) => view! {
                    <Hint>{format!("{} changes", found.total)}</Hint>
                    <DataTable id="audit-events">
                        <thead><tr>
                            <th scope="col">"When"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"Action"</th>
                            <th scope="col">"Object"</th>
                            <th scope="col">"Changes"</th>
                            <th scope="col">"Result"</th>
                            <th scope="col">"From"</th>
                        </tr></thead>
                        <tbody>
                            {found.events.into_iter().map(|event| view! {
                                <tr>
                                    <td><NoWrap>{super::format::utc_datetime(event.at)}</NoWrap></td>
                                    <td>{format!("{} ({}{})", event.username, event.role, event.tenant.map(|t| format!(", {t}")).unwrap_or_default())}</td>
                                    <td>{event.action}</td>
                                    <td><Code>{event.resource_uri.unwrap_or_default()}</Code></td>
                                    <td><Code>{event.changes.to_string()}</Code></td>
                                    <td>{event.result}</td>
                                    <td>{event.client_addr.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </DataTable>
                }.into_any(),
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::utc_datetime;

    #[test]
    fn times_are_utc_calendar_dates() {
        assert_eq!(utc_datetime(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_datetime(1_795_000_000_000), "2026-11-18 11:06:40 UTC");
        assert_eq!(utc_datetime(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }
}
