//! History: ended conferences with paging and filters, and one conference's call detail records
//! with media statistics and a timeline of who was in it when.

use super::charts::{QualityBars, Span, Timeline};
use super::format::{duration, iso_millis, iso_time};
use super::history_export::HistoryCsvLink;
use super::notice::{Empty, ErrorNotice, Loading};
use super::style::{BADGE, HEAD_ROW, INPUT, LABEL, ROW, TABLE};
use crate::api::history::{CallRecord, HistoryDetail, list_history, load_ended_conference};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

const PAGE: u64 = 25;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let page = move || param("page").parse::<u64>().unwrap_or(0);
    let found = Resource::new(
        move || (param("name"), param("from"), param("to"), page()),
        |(name, from, to, page)| list_history(name, from, to, PAGE, page * PAGE),
    );
    // A link to another page of the same filtered list.
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
        <Title text="History" />
        <h1 class="text-2xl font-semibold">"History"</h1>
        <p class="mt-2 text-slate-600">"Ended conferences, newest first. Open one for its participants and their media statistics. Times are UTC."</p>
        <Form method="GET" action="" attr:class="mt-6 grid gap-4 sm:grid-cols-4">
            <div><label for="history-name" class=LABEL>"Name contains"</label>
                <input id="history-name" name="name" prop:value=move || param("name") class=INPUT /></div>
            <div><label for="history-from" class=LABEL>"Running after (UTC)"</label>
                <input id="history-from" name="from" type="datetime-local" prop:value=move || param("from") class=INPUT /></div>
            <div><label for="history-to" class=LABEL>"Running before (UTC)"</label>
                <input id="history-to" name="to" type="datetime-local" prop:value=move || param("to") class=INPUT /></div>
            <div class="flex items-end"><button type="submit" class="rounded bg-indigo-600 px-4 py-2 font-medium text-white">"Filter"</button></div>
        </Form>
        <HistoryCsvLink />
        <Transition fallback=|| view! { <Loading what="ended conferences" /> }>
            {move || found.get().map(|result| match result {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(found) if found.conferences.is_empty() => view! {
                    <Empty>"No ended conferences match."</Empty>
                }.into_any(),
                Ok(found) => {
                    let first = page() * PAGE;
                    let shown = format!("{}–{} of {}", first + 1, first + found.conferences.len() as u64, found.total);
                    let has_next = first + (found.conferences.len() as u64) < found.total;
                    view! {
                        <p class="mt-6 text-sm text-slate-600" id="history-count">{shown}</p>
                        <table id="history-conferences" class=TABLE>
                            <thead><tr class=HEAD_ROW>
                                <th scope="col" class="py-2">"Conference"</th>
                                <th scope="col">"Started"</th>
                                <th scope="col">"Ended"</th>
                                <th scope="col">"Duration"</th>
                                <th scope="col">"Participants"</th>
                            </tr></thead>
                            <tbody>
                                {found.conferences.into_iter().map(|c| view! {
                                    <tr class=ROW>
                                        <td class="py-2">
                                            <A href=format!("/history/{}", c.id) attr:class="font-medium text-indigo-700 hover:underline">{c.name.clone()}</A>
                                            <span class=BADGE>{c.service_type.clone()}</span>
                                        </td>
                                        <td>{iso_time(&c.start_time)}</td>
                                        <td>{iso_time(&c.end_time)}</td>
                                        <td>{duration(c.duration)}</td>
                                        <td>{c.participant_count}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <nav aria-label="Pages" class="mt-4 flex gap-4 text-sm">
                            {(page() > 0).then(|| view! { <A href=page_link(page() - 1) attr:rel="prev">"← Newer"</A> })}
                            {has_next.then(|| view! { <A href=page_link(page() + 1) attr:rel="next">"Older →"</A> })}
                        </nav>
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

#[component]
pub fn HistoryDetailPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        load_ended_conference,
    );
    view! {
        <Title text="History" />
        <p class="text-sm"><A href="/history" attr:class="text-indigo-700 hover:underline">"← All ended conferences"</A></p>
        <Transition fallback=|| view! { <Loading what="the conference" /> }>
            {move || detail.get().map(|result| match result {
                Err(error) => view! {
                    <h1 class="mt-2 text-2xl font-semibold">"Ended conference"</h1>
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
        <h1 class="mt-2 text-2xl font-semibold">{c.name.clone()}</h1>
        <dl class="mt-4 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
            <dt class="text-slate-500">"Started"</dt><dd>{iso_time(&c.start_time)}</dd>
            <dt class="text-slate-500">"Ended"</dt><dd>{iso_time(&c.end_time)}</dd>
            <dt class="text-slate-500">"Duration"</dt><dd>{duration(c.duration)}</dd>
            <dt class="text-slate-500">"Participants"</dt><dd>{c.participant_count}</dd>
            <dt class="text-slate-500">"Service type"</dt><dd>{c.service_type.clone()}</dd>
        </dl>
        <section aria-labelledby="timeline-heading" class="mt-8">
            <h2 id="timeline-heading" class="text-lg font-semibold">"Who was in it when"</h2>
            {timeline}
        </section>
        <section aria-labelledby="calls-heading" class="mt-8">
            <h2 id="calls-heading" class="text-lg font-semibold">"Participants"</h2>
            {if detail.participants.is_empty() {
                view! { <Empty>"No participant records are kept for this conference."</Empty> }.into_any()
            } else {
                view! {
                    <div id="history-participants" class="mt-2 space-y-4">
                        {detail.participants.into_iter().map(|p| view! { <CallCard p /> }).collect_view()}
                    </div>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn CallCard(p: CallRecord) -> impl IntoView {
    let name = if p.display_name.is_empty() {
        p.remote_alias.clone()
    } else {
        p.display_name.clone()
    };
    view! {
        <article class="rounded border border-slate-200 p-4">
            <h3 class="font-medium">{name}<span class=BADGE>{p.role.clone()}</span></h3>
            <dl class="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
                <dt class="text-slate-500">"Alias"</dt><dd class="break-all">{p.remote_alias.clone()}</dd>
                <dt class="text-slate-500">"Call"</dt><dd>{format!("{} {} · {} kbps", p.protocol, p.call_direction, p.bandwidth)}</dd>
                <dt class="text-slate-500">"Joined"</dt><dd>{iso_time(&p.start_time)}</dd>
                <dt class="text-slate-500">"Left"</dt><dd>{iso_time(&p.end_time)}</dd>
                <dt class="text-slate-500">"Duration"</dt><dd>{duration(p.duration)}</dd>
                <dt class="text-slate-500">"Why it ended"</dt><dd>{p.disconnect_reason.clone()}</dd>
                <dt class="text-slate-500">"Location"</dt><dd>{p.system_location.clone()}</dd>
                <dt class="text-slate-500">"Endpoint"</dt><dd>{p.vendor.clone()}</dd>
            </dl>
            <h4 class="mt-3 text-sm font-medium">"Media statistics"</h4>
            <QualityBars streams=p.media />
        </article>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("Sales weekly"), "Sales%20weekly");
        assert_eq!(encode("2026-11-29T14:30"), "2026-11-29T14:30");
        assert_eq!(encode("a&b=c"), "a%26b%3Dc");
    }
}
