// Logto's mock-connector record files, which connector-mock writes with
// `[outbox] record_files = true`: the last Email and the last SMS message, one JSON line each.
// The folder is fixed (/tmp/logto, as in Logto), so files that read them run one at a time
// (`node --test --test-concurrency=1`) and put back whatever was there before.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export const RECORD_DIR = '/tmp/logto';
const FILES = { Email: 'mock_email_record.txt', Sms: 'mock_sms_record.txt' };

const fileOf = (kind) => path.join(RECORD_DIR, FILES[kind]);

/** Remembers the record files as they are now; the returned function puts them back. */
export function preserveRecordFiles() {
  const dirExisted = existsSync(RECORD_DIR);
  const saved = Object.keys(FILES).map((kind) => {
    const file = fileOf(kind);
    return { file, text: existsSync(file) ? readFileSync(file) : undefined };
  });
  return () => {
    for (const { file, text } of saved) {
      if (text === undefined) rmSync(file, { force: true });
      else writeFileSync(file, text);
    }
    if (!dirExisted) {
      try {
        rmdirSync(RECORD_DIR);
      } catch {
        // Someone else put files there meanwhile: leave it.
      }
    }
  };
}

/** Empties the record of `kind` ('Email' or 'Sms'), as Logto's tests do (no unlink). */
export function clearRecord(kind) {
  mkdirSync(RECORD_DIR, { recursive: true });
  writeFileSync(fileOf(kind), '');
}

/** The raw text of the record of `kind` ('' when empty or missing). */
export function recordText(kind) {
  const file = fileOf(kind);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The last message of `kind`: the file must hold exactly one JSON line. */
export function readRecord(kind) {
  const text = recordText(kind);
  assert.notEqual(text, '', `${fileOf(kind)} holds no message`);
  assert.ok(text.endsWith('\n') && text.split('\n').length === 2, `one JSON line expected: ${JSON.stringify(text)}`);
  return JSON.parse(text);
}
