//! Server-sent events: every open preview tab gets each event as it
//! happens. A tab that stops reading is dropped, never waited for: the
//! watcher must not stall on a browser.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame};
use tokio::sync::mpsc::{self, Receiver, Sender, error::TrySendError};

/// Events queued for one tab before it counts as gone.
const QUEUE: usize = 64;
/// Event streams served at once: an office's people with a few tabs each
/// (the team service), well under a process's usual 1024 descriptors.
pub const MAX_STREAMS: usize = 512;
/// Sent first: reconnect quickly after a restart.
const HELLO: &str = "retry: 300\n\n";

#[derive(Debug, Default)]
pub struct Hub {
    /// Each tab's queue, with the release its page shows (none: the index).
    clients: Mutex<Vec<(Option<String>, Sender<Bytes>)>>,
}

impl Hub {
    /// The releases some open tab shows now.
    pub fn viewed(&self) -> std::collections::BTreeSet<String> {
        let clients = crate::locks::lock(&self.clients);
        clients
            .iter()
            .filter(|(_, tx)| !tx.is_closed())
            .filter_map(|(release, _)| release.clone())
            .collect()
    }

    /// Whether as many tabs as are served at once are open (closed ones
    /// that were never written to since count until they are).
    pub fn is_full(&self) -> bool {
        let mut clients = crate::locks::lock(&self.clients);
        clients.retain(|(_, tx)| !tx.is_closed());
        clients.len() >= MAX_STREAMS
    }

    /// A new tab's event stream, or `None` when too many tabs are open.
    pub fn subscribe(&self, release: Option<String>) -> Option<EventStream> {
        let mut clients = crate::locks::lock(&self.clients);
        // Tabs gone first: their places are free.
        clients.retain(|(_, tx)| !tx.is_closed());
        if clients.len() >= MAX_STREAMS {
            return None;
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        // A new channel has room.
        let _ = tx.try_send(Bytes::from_static(HELLO.as_bytes()));
        clients.push((release, tx));
        Some(EventStream { events: rx })
    }

    /// Sends `event` with JSON `data` to every tab.
    pub fn broadcast(&self, event: &str, data: &impl serde::Serialize) {
        let data = serde_json::to_string(data).unwrap_or_else(|_| "null".to_owned());
        self.send(Bytes::from(format!("event: {event}\ndata: {data}\n\n")));
    }

    /// A comment line: finds the tabs that went away while all was quiet.
    pub fn keep_alive(&self) {
        self.send(Bytes::from_static(b": keep-alive\n\n"));
    }

    fn send(&self, message: Bytes) {
        let mut clients = crate::locks::lock(&self.clients);
        clients.retain(|(_, client)| match client.try_send(message.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Closed(_)) => false,
        });
    }
}

/// One tab's response body: the events as they come, never ending until
/// the hub drops the tab or the tab goes away.
pub struct EventStream {
    events: Receiver<Bytes>,
}

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.events.poll_recv(cx).map(|event| event.map(|bytes| Ok(Frame::data(bytes))))
    }
}
