//! rustls_client pin|verify CERTS.pem SERVER_NAME PORT PATH
//!
//! Connects to 127.0.0.1:PORT with rustls, sends one HTTP/1.1 GET for PATH and
//! prints the negotiated protocol, cipher suite and the response's status line.
//! The two modes are the two ways socktop's client trusts an agent:
//!   pin     accept the server iff its certificate is byte for byte one of the
//!           certificates in CERTS.pem (socktop's --tls-ca); the handshake
//!           signature is still verified, by webpki, against that certificate.
//!   verify  webpki's full validation with CERTS.pem as the only roots and
//!           SERVER_NAME checked against the certificate (socktop's
//!           --verify-hostname).
//! Exit status 0 when the answer is a 200, 1 otherwise (the error on stderr).
use std::convert::TryFrom;
use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rustls::client::{ServerCertVerified, ServerCertVerifier};
use rustls::{Certificate, ClientConfig, ClientConnection, Error, RootCertStore, ServerName, StreamOwned};

struct Pinned {
    certificates: Vec<Vec<u8>>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &Certificate,
        _intermediates: &[Certificate],
        _server_name: &ServerName,
        _scts: &mut dyn Iterator<Item = &[u8]>,
        _ocsp_response: &[u8],
        _now: SystemTime,
    ) -> Result<ServerCertVerified, Error> {
        if self.certificates.iter().any(|c| *c == end_entity.0) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(Error::General("certificate matches none of the pinned ones".into()))
        }
    }
}

fn fail(message: String) -> ! {
    eprintln!("rustls_client: {}", message);
    std::process::exit(1);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 6 || (args[1] != "pin" && args[1] != "verify") {
        eprintln!("usage: rustls_client pin|verify CERTS.pem SERVER_NAME PORT PATH");
        std::process::exit(2);
    }
    let (mode, pem_path, name, port, path) = (&args[1], &args[2], &args[3], &args[4], &args[5]);
    let pem = std::fs::File::open(pem_path).unwrap_or_else(|e| fail(format!("{}: {}", pem_path, e)));
    let certificates = rustls_pemfile::certs(&mut BufReader::new(pem))
        .unwrap_or_else(|e| fail(format!("{}: {}", pem_path, e)));
    if certificates.is_empty() {
        fail(format!("{}: no certificate", pem_path));
    }
    let builder = ClientConfig::builder().with_safe_defaults();
    let config = if mode == "pin" {
        builder
            .with_custom_certificate_verifier(Arc::new(Pinned { certificates }))
            .with_no_client_auth()
    } else {
        let mut roots = RootCertStore::empty();
        let (added, _) = roots.add_parsable_certificates(&certificates);
        if added == 0 {
            fail(format!("{}: webpki cannot use any certificate as a root", pem_path));
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    let server_name = ServerName::try_from(name.as_str()).unwrap_or_else(|e| fail(format!("{}: {}", name, e)));
    let connection = ClientConnection::new(Arc::new(config), server_name)
        .unwrap_or_else(|e| fail(format!("{}", e)));
    let socket = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap_or(0)))
        .unwrap_or_else(|e| fail(format!("connect: {}", e)));
    socket.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut tls = StreamOwned::new(connection, socket);
    let request = format!("GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", path, name);
    tls.write_all(request.as_bytes()).unwrap_or_else(|e| fail(format!("handshake or write: {}", e)));
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tls.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
            // A peer that closes without close_notify still gave its answer.
            Err(e) if !response.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => fail(format!("read: {}", e)),
        }
    }
    let version = tls.conn.protocol_version().map(|v| format!("{:?}", v)).unwrap_or_default();
    let suite = tls.conn.negotiated_cipher_suite().map(|s| format!("{:?}", s.suite())).unwrap_or_default();
    let text = String::from_utf8_lossy(&response);
    let status = text.lines().next().unwrap_or("").to_string();
    println!("{} {}", version, suite);
    println!("{}", status);
    std::process::exit(if status.starts_with("HTTP/1.1 200") { 0 } else { 1 });
}
