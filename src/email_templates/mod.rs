//! `/api/email-templates`: i18n email templates, kept per tenant with Logto's
//! rules (one template per `languageTag` and `templateType`), and the lookup
//! Logto's email connectors make when they send (stored template for the
//! request's locale, then the fallback language, then its `Generic` one).

pub mod guard;

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::connectors::ids::IdSource;
use crate::error::{ApiError, ErrorCode};
use crate::limits::Limits;
use crate::state::{Ack, Change, Snapshot, TemplateEntry, TenantState};
use crate::store::EmailTemplateRecord;
pub use guard::{TemplateFilter, TEMPLATE_TYPES};

/// Most email templates one tenant keeps (9 template types in 100+ languages fit).
pub const MAX_EMAIL_TEMPLATES: usize = 1000;

/// The sign-in experience's fallback language in a new Logto tenant: the
/// language whose templates are used when the request's locale has none.
pub const FALLBACK_LANGUAGE: &str = "en";

/// The Generic template type (the last resort of the lookup).
const GENERIC: &str = "Generic";

/// A template's answer body: `{tenantId, id, languageTag, templateType, details, createdAt}`.
pub fn view(tenant: &str, record: &EmailTemplateRecord) -> Value {
    json!({
        "tenantId": tenant,
        "id": record.id,
        "languageTag": record.language_tag,
        "templateType": record.template_type,
        "details": record.details,
        "createdAt": record.created_at,
    })
}

/// `PUT /api/email-templates`: inserts each template, or replaces the details
/// of the one stored for its `languageTag` and `templateType` (keeping its
/// id and `createdAt`); answers the stored rows in request order.
pub fn upsert(
    tenant: &Arc<TenantState>,
    body: &Value,
    ids: &IdSource,
    limits: &Limits,
) -> Result<(Value, Ack), ApiError> {
    let templates = guard::upsert_body(body)?;
    for template in &templates {
        check_details(limits, &template.details)?;
    }
    let now = crate::time::now_millis();
    tenant.commit(|pending| {
        // Later entries of one request see earlier ones, as Logto's upserts in one transaction.
        let mut written: BTreeMap<(String, String), EmailTemplateRecord> = BTreeMap::new();
        let mut answers = Vec::with_capacity(templates.len());
        for template in &templates {
            let slot = (
                template.language_tag.clone(),
                template.template_type.clone(),
            );
            let existing = written.get(&slot).cloned().or_else(|| {
                pending
                    .template_for(&slot.0, &slot.1)
                    .map(|entry| entry.record.clone())
            });
            let record = match existing {
                Some(existing) => EmailTemplateRecord {
                    details: template.details.clone(),
                    ..existing
                },
                None => EmailTemplateRecord {
                    id: ids.generate_standard(),
                    language_tag: template.language_tag.clone(),
                    template_type: template.template_type.clone(),
                    details: template.details.clone(),
                    created_at: now,
                },
            };
            answers.push(view(tenant.name(), &record));
            written.insert(slot, record);
        }
        let added = written
            .keys()
            .filter(|(tag, kind)| pending.template_for(tag, kind).is_none())
            .count();
        if pending.template_count() + added > MAX_EMAIL_TEMPLATES {
            return Err(too_many(pending.template_count() + added));
        }
        let changes = written
            .into_values()
            .map(|record| Change::PutTemplate(Arc::new(TemplateEntry::new(record))))
            .collect();
        Ok((changes, Value::Array(answers)))
    })
}

/// `GET /api/email-templates`: the templates passing `filter`, ordered by
/// language tag, then template type.
pub fn list(tenant: &TenantState, filter: &TemplateFilter) -> Value {
    let snapshot = tenant.read();
    Value::Array(
        snapshot
            .templates()
            .filter(|entry| filter.matches(&entry.record.language_tag, &entry.record.template_type))
            .map(|entry| view(tenant.name(), &entry.record))
            .collect(),
    )
}

/// `GET /api/email-templates/{id}`.
pub fn get(tenant: &TenantState, id: &str) -> Result<Value, ApiError> {
    let snapshot = tenant.read();
    let entry = snapshot.template(id).ok_or_else(|| not_found(id))?;
    Ok(view(tenant.name(), &entry.record))
}

/// `PATCH /api/email-templates/{id}/details`: the given detail keys replace
/// the stored ones; the others stay.
pub fn patch_details(
    tenant: &Arc<TenantState>,
    id: &str,
    body: &Value,
    limits: &Limits,
) -> Result<(Value, Ack), ApiError> {
    let patch = guard::details_patch(body)?;
    tenant.commit(|pending| {
        let current = pending.template(id).ok_or_else(|| not_found(id))?;
        let mut record = current.record.clone();
        for (key, value) in patch {
            record.details.insert(key, value);
        }
        check_details(limits, &record.details)?;
        let answer = view(tenant.name(), &record);
        let change = Change::PutTemplate(Arc::new(TemplateEntry::new(record)));
        Ok((vec![change], answer))
    })
}

/// `DELETE /api/email-templates/{id}`.
pub fn delete(tenant: &Arc<TenantState>, id: &str) -> Result<Ack, ApiError> {
    let ((), ack) = tenant.commit(|pending| {
        if pending.template(id).is_none() {
            return Err(not_found(id));
        }
        Ok((vec![Change::DeleteTemplate(id.to_owned())], ()))
    })?;
    Ok(ack)
}

/// `DELETE /api/email-templates?languageTag=&templateType=`: at least one
/// filter (else 422); answers `{rowCount}`.
pub fn delete_many(
    tenant: &Arc<TenantState>,
    filter: &TemplateFilter,
) -> Result<(Value, Ack), ApiError> {
    if filter.is_empty() {
        return Err(ApiError::new(ErrorCode::ConnectorEmailBulkDeletionNoFilter));
    }
    tenant.commit(|pending| {
        let changes: Vec<Change> = pending
            .templates()
            .filter(|entry| filter.matches(&entry.record.language_tag, &entry.record.template_type))
            .map(|entry| Change::DeleteTemplate(entry.record.id.clone()))
            .collect();
        let answer = json!({ "rowCount": changes.len() });
        Ok((changes, answer))
    })
}

/// The template Logto's email connectors use for `template_type` and the
/// request's `locale`: the stored one for the locale (exact tag), else the
/// one for [`FALLBACK_LANGUAGE`], else the fallback language's `Generic` one.
pub fn lookup<'a>(
    snapshot: &'a Snapshot,
    template_type: &str,
    locale: Option<&str>,
) -> Option<&'a Arc<TemplateEntry>> {
    locale
        .filter(|locale| !locale.is_empty())
        .and_then(|locale| snapshot.template_for(locale, template_type))
        .or_else(|| snapshot.template_for(FALLBACK_LANGUAGE, template_type))
        .or_else(|| snapshot.template_for(FALLBACK_LANGUAGE, GENERIC))
}

/// Checks templates of a state file as `PUT` would check them (Logto's
/// guards, unique ids and `(languageTag, templateType)` pairs, the
/// per-tenant maximum); the first problem is the error, with its index.
pub fn imported(
    templates: &[EmailTemplateRecord],
) -> Result<Vec<Arc<TemplateEntry>>, (usize, String)> {
    if templates.len() > MAX_EMAIL_TEMPLATES {
        return Err((
            MAX_EMAIL_TEMPLATES,
            format!("a tenant keeps at most {MAX_EMAIL_TEMPLATES} email templates"),
        ));
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut slots = std::collections::BTreeSet::new();
    templates
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let id_length = record.id.encode_utf16().count();
            if id_length == 0 || id_length > crate::connectors::ids::STANDARD_ID_LENGTH {
                return Err((index, "id must be 1 to 21 characters".to_owned()));
            }
            if !ids.insert(record.id.as_str()) {
                return Err((index, format!("id {:?} appears twice", record.id)));
            }
            if !slots.insert((record.language_tag.as_str(), record.template_type.as_str())) {
                return Err((
                    index,
                    format!(
                        "a second template for {} / {}",
                        record.language_tag, record.template_type
                    ),
                ));
            }
            let body = json!({ "templates": [{
                "languageTag": record.language_tag,
                "templateType": record.template_type,
                "details": record.details,
            }] });
            let checked =
                guard::upsert_body(&body).map_err(|error| (index, error.body().to_string()))?;
            let details = checked
                .into_iter()
                .next()
                .map(|template| template.details)
                .unwrap_or_default();
            Ok(Arc::new(TemplateEntry::new(EmailTemplateRecord {
                details,
                ..record.clone()
            })))
        })
        .collect()
}

fn check_details(limits: &Limits, details: &Map<String, Value>) -> Result<(), ApiError> {
    limits
        .check_document(&Value::Object(details.clone()))
        .map_err(|exceeded| ApiError::limit_exceeded(&exceeded, "template details"))
}

fn too_many(count: usize) -> ApiError {
    ApiError::new(ErrorCode::MockLimitExceeded)
        .with_message(format!(
            "A tenant keeps at most {MAX_EMAIL_TEMPLATES} email templates; this request would make {count}."
        ))
        .with_data(json!({ "limit": "email_templates_per_tenant", "value": MAX_EMAIL_TEMPLATES }))
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(ErrorCode::EntityNotExistsWithId)
        .with_argument("name", "email_templates")
        .with_argument("id", id)
}
