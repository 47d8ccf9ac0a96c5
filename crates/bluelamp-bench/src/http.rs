//! A minimal HTTP/1.1 client over one kept-alive TCP connection: enough to drive the JSON
//! API at full speed without adding an HTTP client crate to the build. It sends
//! `Content-Length` bodies and reads `Content-Length` or chunked responses.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON.
    ///
    /// # Errors
    /// It is not JSON.
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "HTTP {}: the body is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// A kept-alive connection to the server.
#[derive(Debug)]
pub struct Client {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
    token: Option<String>,
}

impl Client {
    /// A client for the server at `addr`; it connects on first use.
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            conn: None,
            token: None,
        }
    }

    /// Sends `Authorization: Bearer TOKEN` from now on.
    pub fn with_token(mut self, token: &str) -> Client {
        self.token = Some(token.to_string());
        self
    }

    async fn connection(&mut self) -> anyhow::Result<&mut BufReader<TcpStream>> {
        if self.conn.is_none() {
            let s = TcpStream::connect(self.addr)
                .await
                .with_context(|| format!("cannot connect to {}", self.addr))?;
            s.set_nodelay(true)?;
            self.conn = Some(BufReader::new(s));
        }
        self.conn.as_mut().context("no connection")
    }

    /// `GET path`.
    ///
    /// # Errors
    /// The connection failed or the answer is not HTTP.
    pub async fn get(&mut self, path: &str) -> anyhow::Result<Response> {
        self.request("GET", path, None).await
    }

    /// `POST path` with a JSON body.
    ///
    /// # Errors
    /// The connection failed or the answer is not HTTP.
    pub async fn post(&mut self, path: &str, body: &serde_json::Value) -> anyhow::Result<Response> {
        self.request("POST", path, Some(body.to_string())).await
    }

    async fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> anyhow::Result<Response> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n",
            self.addr
        );
        if let Some(t) = &self.token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        if let Some(b) = &body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if let Some(b) = body {
            bytes.extend_from_slice(b.as_bytes());
        }
        let result = exchange(self.connection().await?, &bytes).await;
        match result {
            Ok((res, keep_alive)) => {
                if !keep_alive {
                    self.conn = None;
                }
                Ok(res)
            }
            Err(e) => {
                self.conn = None;
                Err(e)
            }
        }
    }
}

/// Writes a request and reads its response; says whether the connection stays open.
async fn exchange(
    conn: &mut BufReader<TcpStream>,
    request: &[u8],
) -> anyhow::Result<(Response, bool)> {
    conn.get_mut().write_all(request).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("not an HTTP status line: {line:?}"))?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut keep_alive = true;
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            bail!("the connection closed in the headers");
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            match name.as_str() {
                "content-length" => length = value.parse().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)
                .with_context(|| format!("bad chunk size {line:?}"))?;
            if size == 0 {
                line.clear();
                conn.read_line(&mut line).await?;
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            conn.read_exact(&mut body[start..]).await?;
            let mut crlf = [0u8; 2];
            conn.read_exact(&mut crlf).await?;
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        conn.read_exact(&mut body).await?;
    } else {
        conn.read_to_end(&mut body).await?;
        keep_alive = false;
    }
    Ok((Response { status, body }, keep_alive))
}

/// Posts bodies to `path` for `seconds` from `clients` concurrent clients, each on its own
/// kept-alive connection, body `n` for the next `n` of `next`; every answer must be `201`.
///
/// # Errors
/// A connection failed or an answer was not `201`.
pub async fn post_for<F>(
    addr: SocketAddr,
    token: &str,
    clients: usize,
    seconds: u64,
    path: &'static str,
    next: &std::sync::Arc<std::sync::atomic::AtomicU64>,
    body: F,
) -> anyhow::Result<crate::stats::Phase>
where
    F: Fn(u64) -> serde_json::Value + Clone + Send + 'static,
{
    use std::sync::atomic::Ordering;
    use std::time::{Duration, Instant};
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let mut client = Client::new(addr).with_token(token);
        let (next, body) = (next.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = crate::stats::Latencies::default();
            while Instant::now() < deadline {
                let b = body(next.fetch_add(1, Ordering::Relaxed));
                let t = Instant::now();
                let res = client.post(path, &b).await?;
                lat.push(t.elapsed());
                if res.status != 201 {
                    bail!(
                        "{path} answered {}: {}",
                        res.status,
                        String::from_utf8_lossy(&res.body)
                    );
                }
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut latencies = crate::stats::Latencies::default();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(crate::stats::Phase::since(started, latencies))
}
