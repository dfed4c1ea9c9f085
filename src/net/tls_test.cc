// Built only with TLS=1 (see tls.cc). Server and client run in one Loop over
// socketpairs, each under a real Conn, so these tests also check how Conn
// drives the transports.
#if STATD_TLS
#include "net/tls.h"

#include <ctype.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "base/test.h"
#include "net/tls_cert.h"

namespace {

std::string make_temp_dir() {
  char tmpl[] = "/tmp/statd-tls-XXXXXX";
  return mkdtemp(tmpl) ? tmpl : "";
}

std::vector<std::string>& dirs_to_remove() {
  static std::vector<std::string> dirs;
  return dirs;
}

void remove_temp_dirs() {
  for (const std::string& dir : dirs_to_remove()) {
    std::string cmd = "rm -rf '" + dir + "'";
    if (system(cmd.c_str()) != 0) fprintf(stderr, "could not remove %s\n", dir.c_str());
  }
}

// A state directory with a generated certificate, removed at exit.
std::string new_state_dir() {
  if (dirs_to_remove().empty()) atexit(remove_temp_dirs);
  std::string dir = make_temp_dir();
  dirs_to_remove().push_back(dir);
  return dir + "/tls";
}

// One server context for most tests (key generation costs a few ms each).
TlsServerContext* shared_server(std::string* state_dir_out = nullptr) {
  static TlsServerContext* context = nullptr;
  static std::string state_dir;
  if (!context) {
    state_dir = new_state_dir();
    TlsServerOptions options;
    options.state_dir = state_dir;
    options.hostname = "box.example";
    context = new TlsServerContext;
    std::string err;
    if (!context->init(options, &err)) fprintf(stderr, "server context: %s\n", err.c_str());
  }
  if (state_dir_out) *state_dir_out = state_dir;
  return context;
}

// Collects what arrives; the server side answers `reply` once `expect_bytes`
// came in.
struct Peer : ConnHandler {
  std::string received;
  std::string reply;
  size_t expect_bytes = 0;
  bool replied = false;
  bool closed = false;
  std::string error_at_close;
  TlsTransport* tls = nullptr;

  void on_conn_input(Conn* conn) override {
    received += conn->input();
    conn->consume(conn->input().size());
    if (!reply.empty() && !replied && received.size() >= expect_bytes) {
      replied = true;
      conn->send(reply);
    }
  }
  void on_conn_closed(Conn*) override {
    closed = true;
    if (tls) error_at_close = tls->error();
  }
};

// A TLS server and client Conn over one socketpair, in `loop`.
struct Link {
  Peer server, client;
  std::unique_ptr<Conn> server_conn, client_conn;

  Link(Loop* loop, TlsServerContext* server_context, TlsClientContext* client_context,
       std::string_view server_name) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) abort();
    server_conn.reset(new Conn(loop, fds[0], ConnLimits(), &server));
    server.tls = new TlsServerTransport(server_context);
    server_conn->set_transport(server.tls);
    client_conn.reset(new Conn(loop, fds[1], ConnLimits(), &client));
    client.tls = new TlsClientTransport(client_context, server_name);
    client_conn->set_transport(client.tls);
  }
};

template <typename Done>
bool run_until(Loop* loop, Done done) {
  for (int round = 0; round < 500 && !done(); round++) loop->run_once(10);
  return done();
}

// A request written before the handshake (as statc does) and its answer.
void expect_round_trip(TlsClientContext* client_context, std::string_view server_name) {
  Loop loop;
  Link link(&loop, shared_server(), client_context, server_name);
  link.server.reply = "pong from the server";
  link.server.expect_bytes = 4;
  link.client_conn->send("ping");
  EXPECT(run_until(&loop, [&] { return link.client.received.size() >= 20 || link.client.closed; }));
  EXPECT_EQ(link.server.received, "ping");
  EXPECT_EQ(link.client.received, "pong from the server");
  EXPECT(link.server.tls->handshake_done());
  EXPECT(link.client.tls->handshake_done());
  EXPECT_EQ(link.client.tls->error(), "");
}

// Runs a client that must be refused; returns its error.
std::string refused_error(TlsClientContext* client_context, std::string_view server_name,
                          uint64_t* server_failures = nullptr) {
  uint64_t failures_before = shared_server()->handshake_failures();
  Loop loop;
  Link link(&loop, shared_server(), client_context, server_name);
  link.server.reply = "secret";
  link.client_conn->send("ping");
  EXPECT(run_until(&loop, [&] { return link.client.closed && link.server.closed; }));
  EXPECT_EQ(link.server.received, "");
  EXPECT_EQ(link.client.received, "");
  std::string error = link.client.error_at_close;
  link.server_conn.reset();  // a failure may be counted when the session ends
  if (server_failures) *server_failures = shared_server()->handshake_failures() - failures_before;
  return error;
}

std::string pin_of_shared_server() {
  std::string fingerprint = shared_server()->fingerprint_sha256();
  return "sha256:" + fingerprint;
}

}  // namespace

TEST(tls_server_context_from_generated_cert) {
  std::string state_dir;
  TlsServerContext* server = shared_server(&state_dir);
  EXPECT(server->generated());
  EXPECT_EQ(server->cert_path(), state_dir + "/cert.pem");
  std::string file_text, err;
  ASSERT(tls_read_file(state_dir + "/cert.pem", &file_text, &err));
  EXPECT_EQ(server->cert_pem(), file_text);
  EXPECT_EQ(server->fingerprint_sha256().size(), 32u * 3 - 1);

  // A second start reuses the files: same certificate, same fingerprint.
  TlsServerOptions options;
  options.state_dir = state_dir;
  options.hostname = "box.example";
  TlsServerContext again;
  ASSERT(again.init(options, &err));
  EXPECT(!again.generated());
  EXPECT_EQ(again.fingerprint_sha256(), server->fingerprint_sha256());
  std::string hex;
  for (char c : server->fingerprint_sha256())
    if (c != ':') hex += static_cast<char>(tolower(c));
  EXPECT_EQ(again.pin_option(), "--pin sha256:" + hex);
}

TEST(tls_server_context_user_cert_and_key) {
  std::string state_dir;
  shared_server(&state_dir);
  std::string other_dir = new_state_dir();
  TlsServerOptions generate;
  generate.state_dir = other_dir;
  generate.hostname = "other.example";
  TlsServerContext other;
  std::string err;
  ASSERT(other.init(generate, &err));

  TlsServerOptions user;
  user.cert_file = state_dir + "/cert.pem";
  user.key_file = state_dir + "/key.pem";
  TlsServerContext from_files;
  ASSERT(from_files.init(user, &err));
  EXPECT_EQ(from_files.fingerprint_sha256(), shared_server()->fingerprint_sha256());
  EXPECT(!from_files.generated());

  user.key_file = other_dir + "/key.pem";
  TlsServerContext mismatched;
  EXPECT(!mismatched.init(user, &err));
  EXPECT_EQ(err, other_dir + "/key.pem is not the key of " + state_dir + "/cert.pem");

  user.key_file.clear();
  EXPECT(!mismatched.init(user, &err));
  EXPECT_EQ(err, "--cert and --key go together");

  user.cert_file = other_dir + "/missing.pem";
  user.key_file = other_dir + "/key.pem";
  EXPECT(!mismatched.init(user, &err));
  EXPECT_EQ(err, "cannot open " + other_dir + "/missing.pem: No such file or directory");
}

TEST(tls_round_trip_pinned_by_cert_file) {
  std::string state_dir;
  shared_server(&state_dir);
  TlsClientOptions options;
  options.pin_cert_file = state_dir + "/cert.pem";
  TlsClientContext client;
  std::string err;
  ASSERT(client.init(options, &err));
  uint64_t completed = shared_server()->handshakes_completed();
  expect_round_trip(&client, "box.example");
  expect_round_trip(&client, "127.0.0.1");  // host name ignored when pinned
  expect_round_trip(&client, "wrong.example");
  EXPECT_EQ(shared_server()->handshakes_completed(), completed + 3);
}

TEST(tls_round_trip_pinned_by_fingerprint) {
  TlsClientOptions options;
  options.pin_sha256 = {"sha256:" + std::string(64, '0'), pin_of_shared_server()};
  TlsClientContext client;
  std::string err;
  ASSERT(client.init(options, &err));
  expect_round_trip(&client, "box.example");
}

TEST(tls_round_trip_verified_by_ca_file) {
  std::string state_dir;
  shared_server(&state_dir);
  TlsClientOptions options;
  options.ca_file = state_dir + "/cert.pem";
  TlsClientContext client;
  std::string err;
  ASSERT(client.init(options, &err));
  expect_round_trip(&client, "box.example");
  expect_round_trip(&client, "localhost");
  expect_round_trip(&client, "127.0.0.1");  // IP SAN, checked by us
  expect_round_trip(&client, "[::1]");
  std::string error = refused_error(&client, "other.example");
  EXPECT_EQ(error, "certificate does not name the host; the server's certificate has SHA-256 "
                   "fingerprint " + shared_server()->fingerprint_sha256());
  error = refused_error(&client, "10.9.9.9");
  EXPECT(error.find("certificate does not name the host;") == 0);
}

TEST(tls_refuses_other_certificate) {
  std::string other_dir = new_state_dir();
  TlsServerOptions generate;
  generate.state_dir = other_dir;
  generate.hostname = "box.example";  // same name, different key
  TlsServerContext other;
  std::string err;
  ASSERT(other.init(generate, &err));

  TlsClientOptions by_file;
  by_file.pin_cert_file = other_dir + "/cert.pem";
  TlsClientContext client;
  ASSERT(client.init(by_file, &err));
  uint64_t server_failures = 0;
  std::string error = refused_error(&client, "box.example", &server_failures);
  EXPECT_EQ(error, "certificate matches none of the pinned ones; the server's certificate has "
                   "SHA-256 fingerprint " + shared_server()->fingerprint_sha256());
  EXPECT_EQ(server_failures, 1u);  // the client's alert ends the server's handshake

  TlsClientOptions by_pin;
  by_pin.pin_sha256 = {"sha256:" + tls_hex_lower(tls_sha256("not the certificate"))};
  ASSERT(client.init(by_pin, &err));
  EXPECT(refused_error(&client, "box.example").find("certificate matches none of the pinned ones") == 0);

  TlsClientOptions by_ca;  // a CA file with someone else's certificate
  by_ca.ca_file = other_dir + "/cert.pem";
  ASSERT(client.init(by_ca, &err));
  EXPECT(refused_error(&client, "box.example").find("certificate not signed by a CA in the CA file;") == 0);
}

TEST(tls_refuses_without_pin_and_says_how) {
  TlsClientContext client;
  std::string err;
  ASSERT(client.init(TlsClientOptions(), &err));
  std::string error = refused_error(&client, "box.example");
  std::string fingerprint = shared_server()->fingerprint_sha256();
  EXPECT_EQ(error, "server certificate not trusted: no --pin or CA file given; the server's "
                   "certificate has SHA-256 fingerprint " + fingerprint +
                   "; if `statd --print-cert` on the server shows the same, connect with " +
                   shared_server()->pin_option());
  EXPECT(error.find("--pin sha256:") != std::string::npos);
}

TEST(tls_client_options_errors) {
  std::string dir = new_state_dir();
  ASSERT(mkdir(dir.c_str(), 0700) == 0);
  std::string empty = dir + "/empty.pem";
  std::string err;
  ASSERT(tls_write_file_atomic(empty, "", 0644, &err));
  TlsClientContext client;
  TlsClientOptions options;
  options.pin_cert_file = empty;
  EXPECT(!client.init(options, &err));
  EXPECT_EQ(err, empty + ": no certificate in the file");
  ASSERT(tls_write_file_atomic(empty, "not a certificate\n", 0644, &err));
  EXPECT(!client.init(options, &err));
  EXPECT(err.find(empty + ": TLS error -0x") == 0);
  options.pin_cert_file = dir + "/none.pem";
  EXPECT(!client.init(options, &err));
  EXPECT_EQ(err, "cannot open " + dir + "/none.pem: No such file or directory");
  options.pin_cert_file.clear();
  options.pin_sha256 = {"sha1:00"};
  EXPECT(!client.init(options, &err));
  EXPECT_EQ(err, "pin 'sha1:00' must start with sha256:");
  options.pin_sha256 = {pin_of_shared_server()};
  options.ca_file = empty;
  EXPECT(!client.init(options, &err));
  EXPECT_EQ(err, "a CA file (host name verification) cannot be combined with pinned certificates");
}

TEST(tls_large_transfers_both_ways) {
  TlsClientOptions options;
  options.pin_sha256 = {pin_of_shared_server()};
  TlsClientContext client;
  std::string err;
  ASSERT(client.init(options, &err));
  Loop loop;
  Link link(&loop, shared_server(), &client, "box.example");
  std::string upload, download;
  for (int i = 0; upload.size() < 300 * 1024; i++) upload += "up" + std::to_string(i) + ",";
  for (int i = 0; download.size() < 400 * 1024; i++) download += "down" + std::to_string(i) + ";";
  // Small socket buffers so records are cut and writes would block.
  int small = 4096;
  setsockopt(link.server_conn->fd(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  setsockopt(link.client_conn->fd(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  link.server.reply = download;
  link.server.expect_bytes = upload.size();
  link.client_conn->send(upload.substr(0, 1000), upload.substr(1000));
  EXPECT(run_until(&loop, [&] { return link.client.received.size() >= download.size() || link.client.closed; }));
  EXPECT(link.server.received == upload);
  EXPECT_EQ(link.server.received.size(), upload.size());
  EXPECT(link.client.received == download);
  EXPECT_EQ(link.client.received.size(), download.size());
  EXPECT(!link.client.closed);
}

TEST(tls_stalled_handshake_does_not_block_others) {
  uint64_t failures_before = shared_server()->handshake_failures();
  Loop loop;
  // Three bad clients: one stops after half a record header, one sends HTTP,
  // one connects and closes (a port probe).
  int stall[2], http[2], probe[2];
  ASSERT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, stall) == 0);
  ASSERT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, http) == 0);
  ASSERT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, probe) == 0);
  Peer stall_peer, http_peer, probe_peer;
  Conn stall_conn(&loop, stall[0], ConnLimits(), &stall_peer);
  Conn http_conn(&loop, http[0], ConnLimits(), &http_peer);
  Conn probe_conn(&loop, probe[0], ConnLimits(), &probe_peer);
  stall_peer.tls = new TlsServerTransport(shared_server());
  http_peer.tls = new TlsServerTransport(shared_server());
  probe_peer.tls = new TlsServerTransport(shared_server());
  stall_conn.set_transport(stall_peer.tls);
  http_conn.set_transport(http_peer.tls);
  probe_conn.set_transport(probe_peer.tls);
  ASSERT(write(stall[1], "\x16\x03", 2) == 2);
  static const char kHttp[] = "GET / HTTP/1.1\r\nHost: box\r\n\r\n";
  ASSERT(write(http[1], kHttp, sizeof kHttp - 1) == sizeof kHttp - 1);
  close(probe[1]);

  TlsClientOptions options;
  options.pin_sha256 = {pin_of_shared_server()};
  TlsClientContext client;
  std::string err;
  ASSERT(client.init(options, &err));
  Link good(&loop, shared_server(), &client, "box.example");
  good.server.reply = "served";
  good.server.expect_bytes = 5;
  good.client_conn->send("hello");
  EXPECT(run_until(&loop, [&] { return good.client.received == "served" && http_peer.closed; }));
  EXPECT_EQ(good.client.received, "served");
  EXPECT(!stall_peer.closed);
  EXPECT(!stall_peer.tls->handshake_done());
  EXPECT(http_peer.closed);
  EXPECT(probe_peer.closed);
  EXPECT_EQ(http_peer.error_at_close, "not a TLS client (bad ClientHello)");
  EXPECT_EQ(probe_peer.error_at_close, "connection closed during the TLS handshake");
  EXPECT_EQ(shared_server()->handshake_failures(), failures_before + 1);  // HTTP; not the probe
  close(stall[1]);
  close(http[1]);
}

// Without Conn: what poll() cannot see, and the retry contract of writes.
TEST(tls_transport_buffered_input_and_write_retry) {
  TlsClientOptions options;
  options.pin_sha256 = {pin_of_shared_server()};
  TlsClientContext client_context;
  std::string err;
  ASSERT(client_context.init(options, &err));
  int fds[2];
  ASSERT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  TlsServerTransport server(shared_server());
  TlsClientTransport client(&client_context, "box.example");
  char buf[20000];
  for (int i = 0; i < 200 && !(server.handshake_done() && client.handshake_done()); i++) {
    EXPECT(client.transport_write(fds[1], "", 0) == 0);
    EXPECT(server.transport_read(fds[0], buf, sizeof buf) == 0);
    EXPECT(client.transport_read(fds[1], buf, sizeof buf) == 0);
  }
  ASSERT(server.handshake_done() && client.handshake_done());

  // A 16000-byte record read into 100 bytes of room: the rest waits inside
  // mbedTLS, and the socket shows nothing.
  std::string record(16000, 'r');
  EXPECT_EQ(server.transport_write(fds[0], record.data(), record.size()), 16000);
  EXPECT_EQ(client.transport_read(fds[1], buf, 100), 100);
  EXPECT(client.transport_buffered_input());
  pollfd pfd = {fds[1], POLLIN, 0};
  EXPECT_EQ(poll(&pfd, 1, 0), 0);
  EXPECT_EQ(client.transport_read(fds[1], buf, sizeof buf), 15900);
  EXPECT(!client.transport_buffered_input());

  // Fill the socket until a write would block: mbedTLS keeps the encrypted
  // record, the transport reports 0 and wants POLLOUT.
  int small = 4096;
  setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  std::string sent, chunk;
  long n = 0;
  for (int i = 0; i < 1000; i++) {
    chunk = "chunk" + std::to_string(i) + std::string(3000, '.');
    n = server.transport_write(fds[0], chunk.data(), chunk.size());
    if (n <= 0) break;
    sent += chunk.substr(0, static_cast<size_t>(n));
  }
  ASSERT(n == 0);
  EXPECT(server.transport_wants_write());
  std::string got;
  for (int i = 0; i < 1000 && got.size() < sent.size(); i++) {
    long r = client.transport_read(fds[1], buf, sizeof buf);
    if (r > 0) got.append(buf, static_cast<size_t>(r));
  }
  EXPECT(got == sent);
  // Called again with the same bytes (more may follow), it reports the record sent.
  std::string longer = chunk + "and more";
  EXPECT_EQ(server.transport_write(fds[0], longer.data(), longer.size()), static_cast<long>(chunk.size()));
  EXPECT(!server.transport_wants_write());
  got.clear();
  for (int i = 0; i < 100 && got.size() < chunk.size(); i++) {
    long r = client.transport_read(fds[1], buf, sizeof buf);
    if (r > 0) got.append(buf, static_cast<size_t>(r));
  }
  EXPECT(got == chunk);

  // The peer's close: end of stream.
  close(fds[0]);
  EXPECT_EQ(client.transport_read(fds[1], buf, sizeof buf), -2);
  close(fds[1]);
}

TEST(tls_print_cert_output) {
  std::string state_dir = new_state_dir();
  TlsServerOptions options;
  options.state_dir = state_dir;
  options.hostname = "box.example";
  char* text = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  std::string err;
  ASSERT(tls_print_cert(options, out, &err));
  fclose(out);
  std::string printed(text, size);
  free(text);
  TlsServerContext context;
  ASSERT(context.init(options, &err));
  EXPECT_EQ(printed, "certificate: " + state_dir + "/cert.pem (generated now)\nsha256 fingerprint: " +
                         context.fingerprint_sha256() + "\nstatc option: " + context.pin_option() +
                         "\n" + context.cert_pem());
}

// Needs ConnTransport::transport_buffered_input() honoured by Conn: a record cut
// by the input cap leaves its rest inside mbedTLS, where poll() cannot see it.
namespace {
struct CappedSink : ConnHandler {
  std::string got;
  size_t consume_at = 20000;
  void on_conn_input(Conn* conn) override {
    if (conn->input().size() < consume_at) return;
    got += conn->input();
    conn->consume(conn->input().size());
  }
  void on_conn_closed(Conn*) override {}
};
}  // namespace

TEST(tls_conn_reads_record_split_by_input_cap) {
  TlsClientOptions options;
  options.pin_sha256 = {pin_of_shared_server()};
  TlsClientContext client;
  std::string err;
  ASSERT(client.init(options, &err));
  Loop loop;
  int fds[2];
  ASSERT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  Peer server;
  CappedSink sink;
  ConnLimits capped;
  capped.max_input_bytes = 20000;
  Conn server_conn(&loop, fds[0], ConnLimits(), &server);
  server_conn.set_transport(new TlsServerTransport(shared_server()));
  Conn client_conn(&loop, fds[1], capped, &sink);
  client_conn.set_transport(new TlsClientTransport(&client, "box.example"));
  client_conn.send("x");
  EXPECT(run_until(&loop, [&] { return server.received == "x"; }));
  std::string data(32768, 'd');  // two full records; the second is cut at 3616 bytes
  server_conn.send(data);
  EXPECT(run_until(&loop, [&] { return sink.got.size() + client_conn.input().size() >= data.size(); }));
  EXPECT_EQ(sink.got.size(), 20000u);
  EXPECT_EQ(client_conn.input().size(), data.size() - 20000);
}

#endif  // STATD_TLS
