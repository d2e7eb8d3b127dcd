//! Logto's mock-connector record files (`[outbox] record_files`): the last
//! Email and SMS message, one JSON line each, where Logto's own mock
//! connectors write them, so tests ported from Logto's integration suite can
//! read them as they do there.

use serde_json::{Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::store::OutboxMessage;

/// The folder Logto's mock connectors write into.
pub const RECORD_DIR: &str = "/tmp/logto";
/// The last Email message.
pub const EMAIL_RECORD_FILE: &str = "mock_email_record.txt";
/// The last SMS message.
pub const SMS_RECORD_FILE: &str = "mock_sms_record.txt";

/// The file and line Logto's mock connector of this message's type writes:
/// Email `{address, code, type, payload, template, subject, content}`,
/// SMS `{phone, code, type, payload}`.
pub fn record_of(message: &OutboxMessage) -> (&'static str, String) {
    let code = message.payload.get("code").cloned().unwrap_or(Value::Null);
    let mut line = Map::new();
    let file = if message.connector_type == "Sms" {
        line.insert("phone".into(), Value::from(message.to.clone()));
        line.insert("code".into(), code);
        line.insert("type".into(), Value::from(message.usage_type.clone()));
        line.insert("payload".into(), message.payload.clone());
        SMS_RECORD_FILE
    } else {
        line.insert("address".into(), Value::from(message.to.clone()));
        line.insert("code".into(), code);
        line.insert("type".into(), Value::from(message.usage_type.clone()));
        line.insert("payload".into(), message.payload.clone());
        let optional = [
            ("template", message.template.clone()),
            ("subject", message.subject.clone().map(Value::from)),
            ("content", message.content.clone().map(Value::from)),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                line.insert(key.into(), value);
            }
        }
        EMAIL_RECORD_FILE
    };
    (file, format!("{}\n", Value::Object(line)))
}

/// Replaces the record file of `message`'s type in `dir` (atomically: readers
/// see the old line or the new one).
pub fn write_record(dir: &Path, message: &OutboxMessage) -> std::io::Result<PathBuf> {
    let (name, line) = record_of(message);
    std::fs::create_dir_all(dir)?;
    let path = dir.join(name);
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(line.as_bytes())?;
    file.persist(&path).map_err(|error| error.error)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(kind: &str) -> OutboxMessage {
        OutboxMessage {
            id: 1,
            factory_id: "f".into(),
            connector_type: kind.into(),
            to: "someone".into(),
            usage_type: "Generic".into(),
            payload: json!({"code": "000000"}),
            template: Some(json!({"usageType": "Generic", "content": "{{code}}"})),
            subject: Some("s".into()),
            content: Some("000000".into()),
            email_template: None,
            sent_at: String::new(),
            sent_at_ms: 0,
        }
    }

    #[test]
    fn lines_have_the_shape_of_logtos_mock_connectors() {
        let (file, line) = record_of(&message("Email"));
        assert_eq!(file, EMAIL_RECORD_FILE);
        assert_eq!(
            line,
            "{\"address\":\"someone\",\"code\":\"000000\",\"type\":\"Generic\",\"payload\":{\"code\":\"000000\"},\"template\":{\"usageType\":\"Generic\",\"content\":\"{{code}}\"},\"subject\":\"s\",\"content\":\"000000\"}\n"
        );
        let (file, line) = record_of(&message("Sms"));
        assert_eq!(file, SMS_RECORD_FILE);
        assert_eq!(
            line,
            "{\"phone\":\"someone\",\"code\":\"000000\",\"type\":\"Generic\",\"payload\":{\"code\":\"000000\"}}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = write_record(dir.path(), &message("Sms")).unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap(), line);
    }
}
