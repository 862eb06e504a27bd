//! `dyad serve`: the HTTP API and the dashboard (crate `dyad-serve`) over a store.

use anyhow::{Context, Result};
use clap::Args;
use dyad_coder::Coder;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ServeArgs {
    /// The store to serve (made by `dyad ingest`).
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
    /// Address to listen on. A non-loopback address needs a token, and then every API request
    /// must carry it.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Bearer token that allows writes (`POST /api/documents`); 16+ visible ASCII characters.
    /// Default: the DYAD_TOKEN environment variable (keeps the token out of the process list).
    /// Without one, the server only reads.
    #[arg(long)]
    pub token: Option<String>,
    /// Open the dashboard in the system's web browser once the server listens.
    #[arg(long)]
    pub open: bool,
    /// Dictionaries for `POST /api/analyze` and `POST /api/documents` (see `dyad code --help`).
    #[arg(long = "dictionaries", value_name = "SPEC")]
    pub dictionaries: Vec<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    pub max_body: usize,
    /// Megabytes of API responses kept in memory and answered again until the store changes
    /// (any commit, from this server or another process, empties it); 0 turns the cache off.
    #[arg(long, default_value_t = 64)]
    pub cache_mb: usize,
}

pub fn run(a: ServeArgs) -> Result<ExitCode> {
    let coder = Coder::from_dictionaries(crate::load_dictionaries(&a.dictionaries)?);
    let opts = dyad_serve::ServeOptions {
        db: a.db.clone(),
        addr: a.addr,
        token: a.token.or_else(|| std::env::var("DYAD_TOKEN").ok()).filter(|t| !t.is_empty()),
        max_body_bytes: a.max_body,
        cache_bytes: a.cache_mb.saturating_mul(1024 * 1024),
        ..dyad_serve::ServeOptions::default()
    };
    let writes = opts.token.is_some();
    let open = a.open;
    dyad_serve::serve_blocking(opts, coder, |addr| {
        let url = format!("http://{addr}/");
        eprintln!(
            "dyad: serving {} at {url} (API: {url}api/, OpenAPI: {url}api/openapi.json; writes {}); Ctrl-C stops",
            a.db.display(),
            if writes { "need the bearer token" } else { "disabled: no --token" }
        );
        if open && !open_browser(&url) {
            eprintln!("dyad: could not start a web browser; open {url} yourself");
        }
    })
    .with_context(|| format!("dyad serve --db {}", a.db.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// Starts the system's browser on `url` without waiting for it; false when none could start.
fn open_browser(url: &str) -> bool {
    let candidates: &[(&str, &[&str])] = if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else if cfg!(windows) {
        &[("cmd", &["/C", "start", ""])]
    } else {
        &[("xdg-open", &[]), ("sensible-browser", &[]), ("x-www-browser", &[])]
    };
    for (cmd, args) in candidates {
        let spawned = std::process::Command::new(cmd)
            .args(*args)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if spawned.is_ok() {
            return true;
        }
    }
    false
}
