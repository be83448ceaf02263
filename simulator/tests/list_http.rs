//! Lists over HTTPS: paging and `meta`, every lookup, lookups across relations, ordering, and
//! the `{"error": ...}` answers for what is not allowed.

mod server_support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::Sim;

const CONF: &str = "/api/admin/configuration/v1/conference/";
const ALIAS: &str = "/api/admin/configuration/v1/conference_alias/";

/// 45 VMRs `VMR-00`..`VMR-44`, every fifth a Virtual Auditorium, with one alias each.
async fn seeded() -> Sim {
    let s = Sim::start().await;
    let objects: Vec<Value> = (0..45)
        .map(|i| {
            json!({
                "name": format!("VMR-{i:02}"),
                "service_type": if i % 5 == 0 { "lecture" } else { "conference" },
                "participant_limit": i,
                "tag": if i % 2 == 0 { "even" } else { "odd" },
                "aliases": [{"alias": format!("meet.{i:02}@example.com")}],
            })
        })
        .collect();
    let a = s.patch(CONF, &json!({ "objects": objects })).await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    s
}

fn names(body: &Value) -> Vec<String> {
    body["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o["name"]
                .as_str()
                .or(o["alias"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn paging_and_meta() {
    let s = seeded().await;
    let first = s.get(CONF).await.json();
    assert_eq!(
        first["meta"],
        json!({"limit": 20, "next": "/api/admin/configuration/v1/conference/?limit=20&offset=20",
               "offset": 0, "previous": null, "total_count": 45})
    );
    assert_eq!(first["objects"].as_array().unwrap().len(), 20);

    // Following `next` links walks every object exactly once.
    let mut seen = Vec::new();
    let mut next = Some(format!("{CONF}?limit=7&tag=odd"));
    while let Some(path) = next {
        let page = s.get(&path).await.json();
        seen.extend(names(&page));
        next = page["meta"]["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 22);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));

    let last = s.get(&format!("{CONF}?offset=40")).await.json();
    assert_eq!(last["meta"]["next"], Value::Null);
    assert_eq!(
        last["meta"]["previous"],
        "/api/admin/configuration/v1/conference/?limit=20&offset=20"
    );
    assert_eq!(last["objects"].as_array().unwrap().len(), 5);
    let all = s.get(&format!("{CONF}?limit=0")).await.json();
    assert_eq!(all["objects"].as_array().unwrap().len(), 45);
    assert_eq!(all["meta"]["limit"], simulator::list::MAX_LIMIT);

    for bad in ["limit=x", "limit=-5", "offset=-1", "offset=z"] {
        let a = s.get(&format!("{CONF}?{bad}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            a.json()["error"].as_str().unwrap().starts_with("Invalid"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn filters_with_every_lookup() {
    let s = seeded().await;
    let cases: &[(&str, usize)] = &[
        ("name=VMR-07", 1),
        ("name__exact=VMR-07", 1),
        ("name__iexact=vmr-07", 1),
        ("name__contains=R-1", 10),
        ("name__icontains=r-1", 10),
        ("name__startswith=VMR-4", 5),
        ("name__istartswith=vmr-4", 5),
        ("name__endswith=9", 4),
        ("name__iendswith=9", 4),
        ("name__regex=^VMR-[0-1]5$", 2),
        ("name__iregex=^vmr-[0-1]5$", 2),
        ("participant_limit__lt=10", 10),
        ("participant_limit__lte=10", 11),
        ("participant_limit__gt=40", 4),
        ("participant_limit__gte=40", 5),
        ("participant_limit__in=1,2,3,99", 3),
        ("service_type=lecture", 9),
        ("service_type=lecture&tag=even", 5),
        ("tag__in=odd", 22),
    ];
    for (query, count) in cases {
        let a = s.get(&format!("{CONF}?{query}&limit=0")).await;
        assert_eq!(a.status, StatusCode::OK, "{query}: {}", a.text);
        let body = a.json();
        assert_eq!(body["meta"]["total_count"], *count as u64, "{query}");
        assert_eq!(body["objects"].as_array().unwrap().len(), *count, "{query}");
    }
    // The guide's alias examples and a filter across the relation to the conference.
    let meet = s
        .get(&format!("{ALIAS}?alias=meet.07@example.com"))
        .await
        .json();
    assert_eq!(names(&meet), ["meet.07@example.com"]);
    let starts = s
        .get(&format!("{ALIAS}?alias__startswith=meet.&limit=0"))
        .await
        .json();
    assert_eq!(starts["meta"]["total_count"], 45);
    let by_conf = s
        .get(&format!("{ALIAS}?conference__name=VMR-12"))
        .await
        .json();
    assert_eq!(names(&by_conf), ["meet.12@example.com"]);
    let by_uri = s
        .get(&format!(
            "{ALIAS}?conference=/api/admin/configuration/v1/conference/13/"
        ))
        .await
        .json();
    assert_eq!(names(&by_uri), ["meet.12@example.com"]);
}

#[tokio::test]
async fn ordering() {
    let s = seeded().await;
    let desc = s
        .get(&format!("{CONF}?order_by=-participant_limit&limit=3"))
        .await
        .json();
    assert_eq!(names(&desc), ["VMR-44", "VMR-43", "VMR-42"]);
    let two = s
        .get(&format!(
            "{CONF}?order_by=service_type&order_by=-name&limit=2"
        ))
        .await
        .json();
    assert_eq!(names(&two), ["VMR-44", "VMR-43"]);
    assert_eq!(
        two["meta"]["next"],
        "/api/admin/configuration/v1/conference/?order_by=service_type&order_by=-name&limit=2&offset=2"
    );
}

#[tokio::test]
async fn refused_filters_and_orderings() {
    let s = seeded().await;
    let cases = [
        ("enable_overlay_text_colour=1", "does not allow filtering"),
        ("guest_view=one_main_seven_pips", "does not allow filtering"),
        ("tag__nonsense=1", "more than one level deep"),
        ("participant_limit__gt=lots", "participant_limit__gt"),
        ("name__regex=(", "regular expression"),
        ("order_by=host_view", "does not allow ordering"),
        ("order_by=nothing", "No matching 'nothing' field"),
    ];
    for (query, message) in cases {
        let a = s.get(&format!("{CONF}?{query}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}");
        let error = a.json()["error"].as_str().unwrap().to_owned();
        assert!(error.contains(message), "{query}: {error}");
    }
}
