// tls_echo: a TLS echo server over net/tls.h, so independent clients
// (`openssl s_client`, Python's ssl) can check statd's TLS from the outside
// before the agent uses it. Built only with TLS=1 (the Makefile skips tls_*).
//
//   tls_echo STATE_DIR [HOSTNAME [EXTRA_SAN...]]
//       listens on 127.0.0.1 (a free port), using STATE_DIR/cert.pem+key.pem
//       (generated when missing); prints "port N" and "fingerprint FP", then
//       one "closed handshake=0|1 failures=N error=..." line per connection.
//   tls_echo --print-cert STATE_DIR [HOSTNAME]     what statd --print-cert prints
#include <stdio.h>
#include <string.h>

#include <string>

#include "event/loop.h"
#include "net/conn.h"
#include "net/listener.h"
#include "net/tls.h"

namespace {

struct EchoServer : AcceptHandler, ConnHandler {
  Loop* loop;
  TlsServerContext* tls;

  void on_accept(int fd, const sockaddr_storage&, int) override {
    Conn* conn = new Conn(loop, fd, ConnLimits(), this);
    TlsServerTransport* transport = new TlsServerTransport(tls);
    conn->user = transport;
    conn->set_transport(transport);
    conn->set_deadline(10000);  // a stalled handshake does not stay forever
  }
  void on_conn_input(Conn* conn) override {
    std::string data = conn->input();
    conn->consume(data.size());
    conn->send(data);
  }
  void on_conn_closed(Conn* conn) override {
    TlsServerTransport* transport = static_cast<TlsServerTransport*>(conn->user);
    // Counted when the session ends; report after the Conn is gone.
    printf("closed handshake=%d error=%s\n", transport->handshake_done() ? 1 : 0,
           transport->error().c_str());
    fflush(stdout);
    loop->defer(free_conn, conn);
    loop->defer(print_failures, this);
  }
  static void free_conn(void* conn) { delete static_cast<Conn*>(conn); }
  static void print_failures(void* self) {
    EchoServer* server = static_cast<EchoServer*>(self);
    printf("failures=%llu completed=%llu\n",
           static_cast<unsigned long long>(server->tls->handshake_failures()),
           static_cast<unsigned long long>(server->tls->handshakes_completed()));
    fflush(stdout);
  }
};

}  // namespace

int main(int argc, char** argv) {
  bool print_cert = argc > 1 && strcmp(argv[1], "--print-cert") == 0;
  int first = print_cert ? 2 : 1;
  if (argc <= first) {
    fprintf(stderr, "usage: tls_echo [--print-cert] STATE_DIR [HOSTNAME [EXTRA_SAN...]]\n");
    return 2;
  }
  TlsServerOptions options;
  options.state_dir = argv[first];
  if (argc > first + 1) options.hostname = argv[first + 1];
  for (int i = first + 2; i < argc; i++) options.extra_sans.push_back(argv[i]);
  std::string err;
  if (print_cert) {
    if (tls_print_cert(options, stdout, &err)) return 0;
    fprintf(stderr, "tls_echo: %s\n", err.c_str());
    return 1;
  }
  TlsServerContext tls;
  if (!tls.init(options, &err)) {
    fprintf(stderr, "tls_echo: %s\n", err.c_str());
    return 1;
  }
  Loop loop;
  EchoServer server;
  server.loop = &loop;
  server.tls = &tls;
  Listener listener(&loop, &server, 0);
  if (!listener.open("127.0.0.1:0", &err)) {
    fprintf(stderr, "tls_echo: %s\n", err.c_str());
    return 1;
  }
  std::string address = listener.address();
  printf("port %s\nfingerprint %s\n", address.substr(address.rfind(':') + 1).c_str(),
         tls.fingerprint_sha256().c_str());
  fflush(stdout);
  loop.run();
  return 0;
}
