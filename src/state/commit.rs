//! Group commit: one thread owns the store; writers queue their changes and
//! wait for an acknowledgement.
//!
//! The thread takes everything queued, applies it as one sled batch, and with
//! `durability = "always"` flushes once for the whole group and records the
//! commit in the marker before it publishes the new snapshots to readers and
//! acknowledges every writer of the group. Readers therefore never see a
//! write that a crash could still undo, and one `fsync` serves many writers.
//! With `"batched"` and `"none"` a group is published as soon as it is
//! applied, and flushed on a timer.
//!
//! When storing fails (a full disk, an I/O error) the group's writers get an
//! error, their tenants' pending state is rolled back to what readers see,
//! and further writes are refused until the thread has reopened the database
//! and rewritten it from the published state (retried every second).

use bytes::Bytes;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

use crate::store::{Committed, Durability, Key, Store, StoreError, Write};

/// Writes are refused: storage failed and has not recovered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The acknowledgement of a write: resolves once the write is durable (and
/// visible to readers), or failed.
#[must_use = "a write is acknowledged only once its Ack resolves"]
pub struct Ack(Option<oneshot::Receiver<Result<(), Unavailable>>>);

impl Ack {
    /// Already acknowledged (nothing to wait for).
    pub fn ready() -> Ack {
        Ack(None)
    }

    /// Waits asynchronously.
    pub async fn durable(self) -> Result<(), Unavailable> {
        match self.0 {
            None => Ok(()),
            Some(receiver) => receiver.await.unwrap_or_else(|_| Err(stopped())),
        }
    }

    /// Waits by blocking the thread (for code outside the async server).
    pub fn wait(self) -> Result<(), Unavailable> {
        match self.0 {
            None => Ok(()),
            Some(receiver) => receiver.blocking_recv().unwrap_or_else(|_| Err(stopped())),
        }
    }
}

fn stopped() -> Unavailable {
    Unavailable("the storage thread has stopped".into())
}

/// One queued write.
pub(crate) struct CommitItem {
    pub writes: Vec<Write>,
    pub count_delta: i64,
    /// Still based on the current state (false after a rollback of its tenant).
    pub is_current: Box<dyn Fn() -> bool + Send>,
    /// Called once the write is stored: publishes it to readers.
    pub publish: Box<dyn FnOnce() + Send>,
    /// Called when the write failed: drops it from the writers' state.
    pub roll_back: Box<dyn FnOnce() + Send>,
    pub ack: oneshot::Sender<Result<(), Unavailable>>,
}

enum Job {
    Commit(CommitItem),
    Stop(oneshot::Sender<Result<(), String>>),
}

/// The writers' side of the commit thread.
pub struct CommitQueue {
    sender: Mutex<Option<Sender<Job>>>,
    available: AtomicBool,
    why_unavailable: Mutex<String>,
    /// The number of the last stored commit.
    committed_seq: AtomicU64,
}

impl CommitQueue {
    /// The number of the last stored commit.
    pub fn committed_seq(&self) -> u64 {
        self.committed_seq.load(Ordering::Acquire)
    }

    /// `Err` while storage is failing.
    pub fn check_available(&self) -> Result<(), Unavailable> {
        if self.available.load(Ordering::Acquire) {
            Ok(())
        } else {
            let why = self
                .why_unavailable
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
                .clone();
            Err(Unavailable(why))
        }
    }

    /// Queues a write; the returned [`Ack`] resolves when it is done.
    pub(crate) fn enqueue(
        &self,
        build: impl FnOnce(oneshot::Sender<Result<(), Unavailable>>) -> CommitItem,
    ) -> Ack {
        let (sender, receiver) = oneshot::channel();
        let item = build(sender);
        let queue = self
            .sender
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match queue.as_ref() {
            Some(queue) => {
                if let Err(mpsc::SendError(Job::Commit(item))) = queue.send(Job::Commit(item)) {
                    fail(item, "the storage thread has stopped");
                }
            }
            None => fail(item, "the server is stopping"),
        }
        Ack(Some(receiver))
    }

    /// Stops the thread after it has stored everything queued before; returns
    /// its final result (the last flush).
    pub fn stop(&self) -> Result<(), String> {
        let (reply, answer) = oneshot::channel();
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .take();
        match sender {
            Some(sender) if sender.send(Job::Stop(reply)).is_ok() => answer
                .blocking_recv()
                .unwrap_or_else(|_| Err("the storage thread stopped unexpectedly".into())),
            _ => Ok(()),
        }
    }

    fn set_available(&self, available: bool, why: &str) {
        if !available {
            *self
                .why_unavailable
                .lock()
                .unwrap_or_else(|poison| poison.into_inner()) = why.to_owned();
        }
        self.available.store(available, Ordering::Release);
    }
}

fn fail(item: CommitItem, why: &str) {
    (item.roll_back)();
    let _ = item.ack.send(Err(Unavailable(why.to_owned())));
}

/// How the commit thread stores.
#[derive(Clone)]
pub struct CommitOptions {
    pub durability: Durability,
    pub flush_interval: Duration,
    /// Called on the commit thread before each flush; an error is handled as
    /// a failed flush. Lets tests hold a group between apply and flush, or fail it.
    pub flush_hook: Option<FlushHook>,
}

/// See [`CommitOptions::flush_hook`].
pub type FlushHook = Arc<dyn Fn() -> std::io::Result<()> + Send + Sync>;

/// Everything that readers see, as stored keys (for rewriting the database).
pub(crate) type Everything = Box<dyn Fn() -> Vec<(Key, Bytes)> + Send>;

/// Starts the commit thread; it owns `store` until stopped.
pub(crate) fn start(
    store: Store,
    committed: Committed,
    options: CommitOptions,
    everything: Everything,
) -> Result<Arc<CommitQueue>, String> {
    let (sender, receiver) = mpsc::channel();
    let queue = Arc::new(CommitQueue {
        sender: Mutex::new(Some(sender)),
        available: AtomicBool::new(true),
        why_unavailable: Mutex::new(String::new()),
        committed_seq: AtomicU64::new(committed.seq),
    });
    let mut thread = CommitThread {
        store: Some(store),
        committed,
        options,
        everything,
        queue: queue.clone(),
        dirty: false,
        last_flush: Instant::now(),
        last_recovery: None,
    };
    std::thread::Builder::new()
        .name("commit".into())
        .spawn(move || thread.run(receiver))
        .map_err(|error| format!("cannot start the storage thread: {error}"))?;
    Ok(queue)
}

/// Longest group: bounds the memory of one batch.
const MAX_GROUP: usize = 4096;
/// Flush period for `durability = "none"` (left to the OS otherwise).
const LAZY_FLUSH: Duration = Duration::from_millis(500);
/// Pause between attempts to recover from a storage failure.
const RECOVERY_PAUSE: Duration = Duration::from_secs(1);

struct CommitThread {
    store: Option<Store>,
    committed: Committed,
    options: CommitOptions,
    everything: Everything,
    queue: Arc<CommitQueue>,
    /// Applied but not flushed (`batched` / `none`).
    dirty: bool,
    last_flush: Instant,
    last_recovery: Option<Instant>,
}

impl CommitThread {
    fn run(&mut self, receiver: Receiver<Job>) {
        loop {
            let job = match self.wait_time() {
                None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(timeout) => receiver.recv_timeout(timeout),
            };
            let mut group = Vec::new();
            let mut stop = None;
            match job {
                Ok(Job::Commit(item)) => group.push(item),
                Ok(Job::Stop(reply)) => stop = Some(reply),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return self.finish(None),
            }
            while stop.is_none() && group.len() < MAX_GROUP {
                match receiver.try_recv() {
                    Ok(Job::Commit(item)) => group.push(item),
                    Ok(Job::Stop(reply)) => stop = Some(reply),
                    Err(_) => break,
                }
            }
            if !group.is_empty() {
                self.commit(group);
            }
            self.flush_if_due();
            if let Some(reply) = stop {
                return self.finish(Some(reply));
            }
        }
    }

    /// How long to wait for the next job before doing periodic work.
    fn wait_time(&self) -> Option<Duration> {
        if self.store.as_ref().is_some_and(Store::is_broken) {
            return Some(RECOVERY_PAUSE);
        }
        let interval = match self.options.durability {
            Durability::Always => return None,
            Durability::Batched => self.options.flush_interval,
            Durability::None => LAZY_FLUSH,
        };
        self.dirty
            .then(|| interval.saturating_sub(self.last_flush.elapsed()))
    }

    fn store(&mut self) -> &mut Store {
        self.store
            .as_mut()
            .expect("the store lives until the thread ends")
    }

    fn commit(&mut self, group: Vec<CommitItem>) {
        let (live, stale): (Vec<_>, Vec<_>) =
            group.into_iter().partition(|item| (item.is_current)());
        for item in stale {
            fail(
                item,
                "an earlier write could not be stored; nothing was changed",
            );
        }
        if live.is_empty() {
            return;
        }
        if let Err(error) = self.recover_if_broken() {
            let why = unavailable_reason(&error);
            return live.into_iter().for_each(|item| fail(item, &why));
        }
        let writes: Vec<Write> = live
            .iter()
            .flat_map(|item| item.writes.iter().cloned())
            .collect();
        if writes.is_empty() {
            // Writers that changed nothing, waiting for earlier writes: those are done.
            return live.into_iter().for_each(succeed);
        }
        let delta: i64 = live.iter().map(|item| item.count_delta).sum();
        let committed = Committed {
            seq: self.committed.seq + 1,
            count: self.committed.count.saturating_add_signed(delta),
        };
        let always = self.options.durability == Durability::Always;
        let result = self.store().apply(&writes, committed).and_then(|()| {
            if always {
                self.flush()?;
                self.store().mark(committed)?;
            }
            Ok(())
        });
        match result {
            Ok(()) => {
                self.committed = committed;
                self.queue
                    .committed_seq
                    .store(committed.seq, Ordering::Release);
                if always {
                    self.last_flush = Instant::now();
                } else {
                    self.dirty = true;
                }
                live.into_iter().for_each(succeed);
            }
            Err(error) => {
                let why = unavailable_reason(&error);
                log::error!(
                    "storing {} write(s) failed: {}",
                    live.len(),
                    error_chain(&error)
                );
                self.queue.set_available(false, &why);
                live.into_iter().for_each(|item| fail(item, &why));
            }
        }
    }

    fn flush_if_due(&mut self) {
        if self.store.as_ref().is_some_and(Store::is_broken) {
            if let Err(error) = self.recover_if_broken() {
                log::debug!("storage still unavailable: {}", error_chain(&error));
            }
            return;
        }
        if !self.dirty || self.wait_time().is_some_and(|left| !left.is_zero()) {
            return;
        }
        let committed = self.committed;
        let result = self
            .store()
            .flush()
            .and_then(|()| self.store().mark(committed));
        self.last_flush = Instant::now();
        match result {
            Ok(()) => self.dirty = false,
            Err(error) => {
                log::error!("background flush failed: {}", error_chain(&error));
                self.queue.set_available(false, &unavailable_reason(&error));
            }
        }
    }

    /// Flushes the store (after the flush hook, if any).
    fn flush(&mut self) -> Result<(), StoreError> {
        if let Some(hook) = &self.options.flush_hook {
            if let Err(source) = hook() {
                self.store().close_after_failure();
                return Err(StoreError::Io {
                    what: "the flush hook failed".into(),
                    source,
                });
            }
        }
        self.store().flush()
    }

    /// After a failure: reopen the database and rewrite it from what readers
    /// see. Attempts are spaced by [`RECOVERY_PAUSE`].
    fn recover_if_broken(&mut self) -> Result<(), StoreError> {
        if !self.store.as_ref().is_some_and(Store::is_broken) {
            return Ok(());
        }
        if self
            .last_recovery
            .is_some_and(|last| last.elapsed() < RECOVERY_PAUSE)
        {
            return Err(StoreError::Unavailable("recovery is pending".into()));
        }
        self.last_recovery = Some(Instant::now());
        let everything = (self.everything)();
        let committed = Committed {
            seq: self.committed.seq + 1,
            count: everything.len() as u64,
        };
        self.store().recover(&everything, committed)?;
        self.committed = committed;
        self.queue
            .committed_seq
            .store(committed.seq, Ordering::Release);
        self.dirty = false;
        self.last_recovery = None;
        self.queue.set_available(true, "");
        log::warn!(
            "storage recovered: the database was reopened and rewritten ({} records)",
            committed.count
        );
        Ok(())
    }

    fn finish(&mut self, reply: Option<oneshot::Sender<Result<(), String>>>) {
        let result = match self.recover_if_broken() {
            Ok(()) => self
                .store
                .take()
                .map_or(Ok(()), |store| store.close(self.committed))
                .map_err(|error| error_chain(&error)),
            Err(error) => Err(format!(
                "the last writes could not be stored: {}",
                error_chain(&error)
            )),
        };
        self.queue.set_available(false, "the server is stopping");
        if let Some(reply) = reply {
            let _ = reply.send(result);
        }
    }
}

fn succeed(item: CommitItem) {
    (item.publish)();
    let _ = item.ack.send(Ok(()));
}

/// What a client is told when storing fails.
fn unavailable_reason(error: &StoreError) -> String {
    match error {
        StoreError::Unavailable(_) => "storage is recovering from an earlier failure".to_owned(),
        _ => format!("storing failed: {}", error_chain(error)),
    }
}

/// An error with all its causes, for the log.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
