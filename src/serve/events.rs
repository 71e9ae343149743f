//! Server-sent events: every open preview tab gets each event as it
//! happens. A tab that stops reading is dropped, never waited for: the
//! watcher must not stall on a browser.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::time::Duration;

/// Events queued for one tab before it counts as gone.
const QUEUE: usize = 64;
/// Tabs served at once; each holds a thread.
const MAX_CLIENTS: usize = 64;
/// A comment line this often tells a vanished tab from a quiet one.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<SyncSender<String>>>,
}

impl Hub {
    /// A new subscriber, or `None` when too many tabs are open.
    pub fn subscribe(&self) -> Option<Receiver<String>> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        clients.push(tx);
        Some(rx)
    }

    /// Sends `event` with JSON `data` to every tab.
    pub fn broadcast(&self, event: &str, data: &serde_json::Value) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|client| match client.try_send(message.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        });
    }
}

/// Streams events to one tab until it goes away (a write fails) or the hub
/// drops it. `writer` is the raw connection: the response head is written
/// here, without a length, and the connection closes at the end.
pub fn stream(mut writer: Box<dyn Write + Send>, events: Receiver<String>) {
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\n\
                retry: 300\n\n";
    if writer.write_all(head.as_bytes()).and_then(|()| writer.flush()).is_err() {
        return;
    }
    loop {
        let message = match events.recv_timeout(KEEP_ALIVE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer.write_all(message.as_bytes()).and_then(|()| writer.flush()).is_err() {
            return;
        }
    }
}
