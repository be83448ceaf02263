//! Paging: `limit` (default 20, `0` for all up to the maximum), `offset`, and the `meta` of the
//! envelope with server-relative `next`/`previous` links.

use pexip::ListMeta;

use super::error::ListError;
use super::query::ListQuery;

/// The page size when the request names none.
pub const DEFAULT_LIMIT: usize = 20;
/// The largest page served; `limit=0` and larger limits give this many.
pub const MAX_LIMIT: usize = 10_000;

/// The effective limit and offset of a request.
pub fn limit_offset(query: &ListQuery, default_limit: usize) -> Result<(usize, usize), ListError> {
    let limit = match &query.limit {
        None => default_limit,
        Some(text) => {
            let n: i64 = text.trim().parse().map_err(|_| {
                ListError::new(format!(
                    "Invalid limit '{text}' provided. Please provide a positive integer."
                ))
            })?;
            if n < 0 {
                return Err(ListError::new(format!(
                    "Invalid limit '{text}' provided. Please provide a positive integer >= 0."
                )));
            }
            n as usize
        }
    };
    let limit = if limit == 0 || limit > MAX_LIMIT {
        MAX_LIMIT
    } else {
        limit
    };
    let offset = match &query.offset {
        None => 0,
        Some(text) => {
            let n: i64 = text.trim().parse().map_err(|_| {
                ListError::new(format!(
                    "Invalid offset '{text}' provided. Please provide an integer."
                ))
            })?;
            if n < 0 {
                return Err(ListError::new(format!(
                    "Invalid offset '{text}' provided. Please provide a positive integer >= 0."
                )));
            }
            n as usize
        }
    };
    Ok((limit, offset))
}

/// The `meta` of a page of `limit` objects from `offset` out of `total`, with links relative to
/// `endpoint` that carry the request's other parameters.
pub fn meta(
    query: &ListQuery,
    endpoint: &str,
    limit: usize,
    offset: usize,
    total: usize,
) -> ListMeta {
    let link = |offset: usize| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &query.carried {
            s.append_pair(k, v);
        }
        s.append_pair("limit", &limit.to_string());
        s.append_pair("offset", &offset.to_string());
        format!("{endpoint}?{}", s.finish())
    };
    ListMeta {
        limit: limit as u64,
        next: (offset + limit < total).then(|| link(offset + limit)),
        offset: offset as u64,
        previous: (offset >= limit && offset > 0).then(|| link(offset - limit)),
        total_count: total as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_other_parameters() {
        let q = ListQuery::parse(Some("service_type=conference&limit=2&offset=2"));
        let (limit, offset) = limit_offset(&q, DEFAULT_LIMIT).unwrap();
        let m = meta(
            &q,
            "/api/admin/configuration/v1/conference/",
            limit,
            offset,
            5,
        );
        assert_eq!(
            m.next.as_deref(),
            Some(
                "/api/admin/configuration/v1/conference/?service_type=conference&limit=2&offset=4"
            )
        );
        assert_eq!(
            m.previous.as_deref(),
            Some(
                "/api/admin/configuration/v1/conference/?service_type=conference&limit=2&offset=0"
            )
        );
        let last = meta(&q, "/x/", 2, 4, 5);
        assert_eq!(last.next, None);
    }

    #[test]
    fn zero_means_the_maximum_and_bad_values_are_refused() {
        let q = ListQuery::parse(Some("limit=0"));
        assert_eq!(limit_offset(&q, DEFAULT_LIMIT).unwrap(), (MAX_LIMIT, 0));
        let q = ListQuery::parse(Some("limit=-1"));
        assert!(limit_offset(&q, 20).unwrap_err().0.contains(">= 0"));
        let q = ListQuery::parse(Some("offset=x"));
        assert!(
            limit_offset(&q, 20)
                .unwrap_err()
                .0
                .contains("Invalid offset 'x'")
        );
        let first = meta(&ListQuery::default(), "/x/", 20, 0, 100);
        assert_eq!(first.previous, None);
        assert_eq!(first.next.as_deref(), Some("/x/?limit=20&offset=20"));
    }
}
