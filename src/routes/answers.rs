//! Building JSON answers: pre-rendered bodies with their ETags (and `304`
//! for a matching `If-None-Match`), arrays streamed from their items, and
//! answers built from a `serde_json::Value`.

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::{header, StatusCode};
use actix_web::web::{BufMut, Bytes, BytesMut};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::connectors::JsonList;
use crate::etag::{etag_of_text, header_matches};
use crate::state::Rendered;

const JSON: &str = "application/json; charset=utf-8";

/// A `GET` answer of a rendered body: JSON with its `ETag`, or 304.
pub fn rendered_answer(request: &HttpRequest, rendered: &Rendered) -> HttpResponse {
    if let Some(not_modified) = not_modified(request, &rendered.etag) {
        return not_modified;
    }
    HttpResponse::Ok()
        .insert_header((header::ETAG, rendered.etag.as_str()))
        .content_type(JSON)
        .body(rendered.body.clone())
}

/// A `GET` answer of a JSON array, streamed item by item (never copied whole).
pub fn list_answer(request: &HttpRequest, list: JsonList) -> HttpResponse {
    if let Some(not_modified) = not_modified(request, &list.etag) {
        return not_modified;
    }
    HttpResponse::Ok()
        .insert_header((header::ETAG, list.etag))
        .content_type(JSON)
        .body(JsonArrayBody::new(list.items))
}

/// A JSON answer with Logto's content type and the body's `ETag` (so a client
/// can chain `If-Match` after a write).
pub fn json_answer(status: StatusCode, body: &Value) -> HttpResponse {
    let text = body.to_string();
    let etag = etag_of_text(&text);
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag))
        .content_type(JSON)
        .body(text)
}

/// A written connector's answer: 200 with its view and `ETag`.
pub fn written_answer(rendered: &Rendered) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, rendered.etag.as_str()))
        .content_type(JSON)
        .body(rendered.body.clone())
}

fn not_modified(request: &HttpRequest, etag: &str) -> Option<HttpResponse> {
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| header_matches(value, etag, true));
    fresh.then(|| {
        HttpResponse::build(StatusCode::NOT_MODIFIED)
            .insert_header((header::ETAG, etag))
            .finish()
    })
}

/// Chunks of at most about this size are handed to the connection.
const CHUNK: usize = 64 * 1024;

/// `[item,item,…]` produced in bounded chunks from shared item bytes.
struct JsonArrayBody {
    items: Vec<Bytes>,
    next: usize,
    started: bool,
    done: bool,
    size: u64,
}

impl JsonArrayBody {
    fn new(items: Vec<Bytes>) -> Self {
        let content: usize = items.iter().map(Bytes::len).sum();
        let separators = items.len().saturating_sub(1);
        JsonArrayBody {
            size: (content + separators + 2) as u64,
            items,
            next: 0,
            started: false,
            done: false,
        }
    }
}

impl MessageBody for JsonArrayBody {
    type Error = Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.size)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let mut chunk = BytesMut::with_capacity(CHUNK.min(this.size as usize));
        if !this.started {
            chunk.put_u8(b'[');
            this.started = true;
        }
        while let Some(item) = this.items.get(this.next) {
            if !chunk.is_empty() && chunk.len() + item.len() > CHUNK {
                return Poll::Ready(Some(Ok(chunk.freeze())));
            }
            if this.next > 0 {
                chunk.put_u8(b',');
            }
            chunk.extend_from_slice(item);
            this.next += 1;
        }
        chunk.put_u8(b']');
        this.done = true;
        this.items = Vec::new();
        Poll::Ready(Some(Ok(chunk.freeze())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(items: Vec<&'static str>) -> (String, u64, usize) {
        let mut body = JsonArrayBody::new(
            items
                .into_iter()
                .map(|item| Bytes::from_static(item.as_bytes()))
                .collect(),
        );
        let size = match body.size() {
            BodySize::Sized(size) => size,
            _ => unreachable!(),
        };
        let mut context = Context::from_waker(std::task::Waker::noop());
        let mut text = Vec::new();
        let mut chunks = 0;
        while let Poll::Ready(Some(Ok(chunk))) = Pin::new(&mut body).poll_next(&mut context) {
            text.extend_from_slice(&chunk);
            chunks += 1;
        }
        (String::from_utf8(text).unwrap(), size, chunks)
    }

    #[test]
    fn arrays_are_joined_with_commas_and_sized_exactly() {
        for items in [vec![], vec!["1"], vec!["{\"a\":1}", "2", "[3]"]] {
            let expected = format!("[{}]", items.join(","));
            let (text, size, _) = collect(items);
            assert_eq!(text, expected);
            assert_eq!(size, expected.len() as u64);
        }
    }

    #[test]
    fn large_arrays_come_in_bounded_chunks() {
        let item: &'static str = Box::leak("x".repeat(10_000).into_boxed_str());
        let (text, size, chunks) = collect(vec![item; 50]);
        assert_eq!(text.len() as u64, size);
        assert!(chunks >= 7, "{chunks} chunks");
    }
}
