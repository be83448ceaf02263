//! History: ended conferences with paging and filters, and one conference's call detail records
//! with media statistics and a timeline of who was in it when.

use super::charts::{QualityBars, Span, Timeline};
use super::format::{duration, iso_millis, iso_time};
use super::history_export::HistoryCsvLink;
use crate::api::history::{
    CallRecord, HistoryDetail, HistoryPage as HistoryList, list_history, load_ended_conference,
};
use crate::api::{AppError, Deferred};
use crate::ui::{
    Badge, Breadcrumb, Button, Card, DataTable, Empty, ErrorNotice, Facts, FormActions, Grid, Hint,
    Loading, PageHeader, Pager, Section, Stack, Subheading, TextField, TextLink,
};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

const PAGE: u64 = 25;

/// The page of ended conferences the URL asks for (`name`, `from`, `to`, 0-based `page`). Made
/// by the route's `data()`, so the request starts on navigation, while the page's code loads.
#[derive(Clone, Copy)]
pub struct HistoryData {
    query: Memo<leptos_router::params::ParamsMap>,
    found: Resource<Result<Deferred<HistoryList>, AppError>>,
}

impl HistoryData {
    pub fn load() -> Self {
        let query = use_query_map();
        let param = move |name: &str| query.read().get(name).unwrap_or_default();
        let found = Resource::new(
            move || {
                (
                    param("name"),
                    param("from"),
                    param("to"),
                    page_of(param("page")),
                )
            },
            |(name, from, to, page)| list_history(name, from, to, PAGE, page * PAGE),
        );
        Self { query, found }
    }
}

/// The 0-based page number of the `page` parameter.
fn page_of(value: String) -> u64 {
    value.parse::<u64>().unwrap_or(0)
}

#[component]
pub fn HistoryPage(data: HistoryData) -> impl IntoView {
    let HistoryData { query, found } = data;
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let page = move || page_of(param("page"));
    // A link to another page (0-based) of the same filtered list.
    let page_link = move |to_page: u64| {
        let mut parts = Vec::new();
        for key in ["name", "from", "to"] {
            let value = param(key);
            if !value.is_empty() {
                parts.push(format!("{key}={}", encode(&value)));
            }
        }
        parts.push(format!("page={to_page}"));
        format!("/history?{}", parts.join("&"))
    };

    view! {
        <PageHeader title="History" intro="Ended conferences, newest first. Open one for its participants and their media statistics. Times are UTC.">
            <HistoryCsvLink />
        </PageHeader>
        <Form method="GET" action="">
            <Grid columns=4>
                <TextField id="history-name" name="name" label="Name contains"
                    value=Signal::derive(move || param("name")) />
                <TextField id="history-from" name="from" label="Running after (UTC)" input_type="datetime-local"
                    value=Signal::derive(move || param("from")) />
                <TextField id="history-to" name="to" label="Running before (UTC)" input_type="datetime-local"
                    value=Signal::derive(move || param("to")) />
                <FormActions><Button submit=true>"Filter"</Button></FormActions>
            </Grid>
        </Form>
        <Transition fallback=|| view! { <Loading what="ended conferences" /> }>
            {move || found.get().map(|result| match result.and_then(Deferred::decode) {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(found) if found.conferences.is_empty() => view! {
                    <Empty>"No ended conferences match."</Empty>
                }.into_any(),
                Ok(found) => {
                    let first = page() * PAGE;
                    let shown = format!("{}–{} of {}", first + 1, first + found.conferences.len() as u64, found.total);
                    view! {
                        <Hint id="history-count">{shown}</Hint>
                        <DataTable id="history-conferences" caption="Ended conferences".to_string()>
                            <thead><tr>
                                <th scope="col">"Conference"</th>
                                <th scope="col">"Started"</th>
                                <th scope="col">"Ended"</th>
                                <th scope="col">"Duration"</th>
                                <th scope="col">"Participants"</th>
                            </tr></thead>
                            <tbody>
                                {found.conferences.into_iter().map(|c| view! {
                                    <tr>
                                        <td>
                                            <TextLink href=format!("/history/{}", c.id)>{c.name.clone()}</TextLink>
                                            <Badge>{c.service_type.clone()}</Badge>
                                        </td>
                                        <td>{iso_time(&c.start_time)}</td>
                                        <td>{iso_time(&c.end_time)}</td>
                                        <td>{duration(c.duration)}</td>
                                        <td>{c.participant_count}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </DataTable>
                        <Pager page=page() + 1 size=PAGE total=found.total
                            href=move |(to, _size): (u64, u64)| page_link(to.saturating_sub(1)) />
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The ended conference of the URL's `id`, loaded from the route's `data()`.
#[derive(Clone, Copy)]
pub struct HistoryDetailData {
    detail: Resource<Result<Deferred<HistoryDetail>, AppError>>,
}

impl HistoryDetailData {
    pub fn load() -> Self {
        let params = use_params_map();
        let detail = Resource::new(
            move || params.read().get("id").unwrap_or_default(),
            load_ended_conference,
        );
        Self { detail }
    }
}

#[component]
pub fn HistoryDetailPage(data: HistoryDetailData) -> impl IntoView {
    let HistoryDetailData { detail } = data;
    view! {
        <Breadcrumb><TextLink href="/history">"← All ended conferences"</TextLink></Breadcrumb>
        <Transition fallback=|| view! { <Loading what="the conference" /> }>
            {move || detail.get().map(|result| match result.and_then(Deferred::decode) {
                Err(error) => view! {
                    <PageHeader title="Ended conference" tab_title="History" />
                    <ErrorNotice error />
                }.into_any(),
                Ok(detail) => view! { <Detail detail /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Detail(detail: HistoryDetail) -> impl IntoView {
    let c = detail.conference;
    let spans: Vec<Span> = detail
        .participants
        .iter()
        .filter_map(|p| {
            Some(Span {
                label: if p.display_name.is_empty() {
                    p.remote_alias.clone()
                } else {
                    p.display_name.clone()
                },
                start: iso_millis(&p.start_time)?,
                end: iso_millis(&p.end_time)?,
            })
        })
        .collect();
    let timeline = match (iso_millis(&c.start_time), iso_millis(&c.end_time)) {
        (Some(start), Some(end)) if !spans.is_empty() => {
            view! { <Timeline start end spans /> }.into_any()
        }
        _ => view! { <Empty>"No call times were recorded."</Empty> }.into_any(),
    };
    view! {
        <PageHeader title=c.name.clone() tab_title="History" />
        <Facts>
            <dt>"Started"</dt><dd>{iso_time(&c.start_time)}</dd>
            <dt>"Ended"</dt><dd>{iso_time(&c.end_time)}</dd>
            <dt>"Duration"</dt><dd>{duration(c.duration)}</dd>
            <dt>"Participants"</dt><dd>{c.participant_count}</dd>
            <dt>"Service type"</dt><dd>{c.service_type.clone()}</dd>
        </Facts>
        <Section heading_id="timeline-heading" title="Who was in it when">
            {timeline}
        </Section>
        <Section heading_id="calls-heading" title="Participants">
            {if detail.participants.is_empty() {
                view! { <Empty>"No participant records are kept for this conference."</Empty> }.into_any()
            } else {
                view! {
                    <Stack id="history-participants">
                        {detail.participants.into_iter().enumerate()
                            .map(|(n, p)| view! { <CallCard n p /> }).collect_view()}
                    </Stack>
                }.into_any()
            }}
        </Section>
    }
    .into_any()
}

/// One participant's call; `n` numbers the card's heading id.
#[component]
fn CallCard(n: usize, p: CallRecord) -> impl IntoView {
    let name = if p.display_name.is_empty() {
        p.remote_alias.clone()
    } else {
        p.display_name.clone()
    };
    let heading = format!("call-{n}-heading");
    view! {
        <Card labelled_by=heading.clone()>
            <Subheading id=heading flush=true>{name}<Badge>{p.role.clone()}</Badge></Subheading>
            <Facts>
                <dt>"Alias"</dt><dd>{p.remote_alias.clone()}</dd>
                <dt>"Call"</dt><dd>{format!("{} {} · {} kbps", p.protocol, p.call_direction, p.bandwidth)}</dd>
                <dt>"Joined"</dt><dd>{iso_time(&p.start_time)}</dd>
                <dt>"Left"</dt><dd>{iso_time(&p.end_time)}</dd>
                <dt>"Duration"</dt><dd>{duration(p.duration)}</dd>
                <dt>"Why it ended"</dt><dd>{p.disconnect_reason.clone()}</dd>
                <dt>"Location"</dt><dd>{p.system_location.clone()}</dd>
                <dt>"Endpoint"</dt><dd>{p.vendor.clone()}</dd>
            </Facts>
            <Subheading>"Media statistics"</Subheading>
            <QualityBars streams=p.media />
        </Card>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::{encode, page_of};

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("Sales weekly"), "Sales%20weekly");
        assert_eq!(encode("2026-11-29T14:30"), "2026-11-29T14:30");
        assert_eq!(encode("a&b=c"), "a%26b%3Dc");
    }

    #[test]
    fn a_bad_page_number_is_the_first_page() {
        assert_eq!(page_of("3".into()), 3);
        assert_eq!(page_of("-1".into()), 0);
        assert_eq!(page_of(String::new()), 0);
    }
}
