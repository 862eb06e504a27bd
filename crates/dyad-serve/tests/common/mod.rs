//! Test harness: a real store built from the example corpus, a real server on 127.0.0.1:0, and a
//! minimal HTTP/1.1 client over a raw socket (so that tests can send exactly the bytes they mean,
//! including paths a normal client would clean up).

#![allow(dead_code)]

use dyad_coder::Coder;
use dyad_core::Document;
use dyad_serve::{AppState, ServeOptions};
use dyad_store::Store;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const TOKEN: &str = "test-token-0123456789abcdef";

pub fn repo() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    p.canonicalize().unwrap_or(p)
}

/// The example corpus as documents.
pub fn corpus() -> Vec<Document> {
    let text = std::fs::read_to_string(repo().join("corpus/south-caucasus.jsonl")).expect("example corpus");
    // As `dyad ingest` reads it: the provenance is the file and line.
    let doc = |(n, l): (usize, &str)| Document {
        provenance: Some(format!("corpus/south-caucasus.jsonl:{}", n + 1)),
        ..serde_json::from_str(l).expect("corpus line")
    };
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(doc).collect()
}

/// A fresh store at a unique path, filled with the example corpus through `ingest_with`.
pub fn corpus_store(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-serve-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("store.db");
    let coder = Coder::builtin();
    let mut store = Store::open(&path).unwrap();
    let stats = store.ingest_with(corpus(), |d| coder.code(d)).unwrap();
    assert!(stats.documents >= 80 && stats.events > 100, "{stats:?}");
    path
}

pub struct Server {
    pub addr: SocketAddr,
    pub db: PathBuf,
}

/// Starts the full application (router with middleware) on 127.0.0.1:0 in a background thread.
pub fn start(db: &Path, token: Option<&str>) -> Server {
    let opts = ServeOptions {
        db: db.to_path_buf(),
        addr: "127.0.0.1:0".parse().unwrap(),
        token: token.map(String::from),
        ..ServeOptions::default()
    };
    let state = AppState::new(&opts, Coder::builtin()).expect("state");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind(opts.addr).await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, dyad_serve::router(state)).await.unwrap();
        });
    });
    let addr = rx.recv_timeout(Duration::from_secs(30)).expect("server started");
    Server { addr, db: db.to_path_buf() }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    /// Asserts a JSON error with this status and a message containing `needle`.
    pub fn assert_error(&self, status: u16, needle: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        assert!(self.header("content-type").unwrap_or("").starts_with("application/json"), "{:?}", self.headers);
        let v = self.json();
        assert_eq!(v["status"], status, "{v}");
        let msg = v["message"].as_str().unwrap_or("");
        assert!(msg.contains(needle), "message {msg:?} lacks {needle:?}");
    }
}

impl Server {
    /// Sends raw request bytes (head and body) and reads the whole reply.
    pub fn raw(&self, bytes: &[u8]) -> Reply {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        // A server may answer before reading the whole body; a failed write is not an error here.
        let _ = s.write_all(bytes);
        read_reply(&mut s)
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        self.raw(&bytes)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    /// GET that must succeed with JSON.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.text());
        r.json()
    }

    pub fn post_json(&self, path: &str, body: &str, token: Option<&str>) -> Reply {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        self.request("POST", path, &headers, body.as_bytes())
    }
}

pub fn read_reply(s: &mut TcpStream) -> Reply {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if buf.is_empty() => panic!("no reply: {e}"),
            Err(_) => break,
        }
    }
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete reply head");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    let mut body = buf[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16).unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
            rest = &rest[eol + 2 + size + 2..];
        }
        body = out;
    }
    Reply { status, headers, body }
}
