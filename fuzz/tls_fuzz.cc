// Fuzzes what net/tls*.cc do with hostile bytes: the first byte picks
//   0: `--pin` parsing (tls_parse_pin)
//   1: a server transport reading the rest as a client's first flight
//   2: a client transport (after sending its ClientHello) reading the rest as
//      the server's answer
// Built with TLS=1 only; without it the target does nothing.
#include <stddef.h>
#include <stdint.h>

#if STATD_TLS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "net/tls.h"
#include "net/tls_cert.h"

namespace {

TlsServerContext* server_context() {
  static TlsServerContext* context = nullptr;
  if (context) return context;
  char dir[] = "/tmp/statd-tls-fuzz-XXXXXX";
  if (!mkdtemp(dir)) abort();
  TlsServerOptions options;
  options.state_dir = std::string(dir) + "/tls";
  options.hostname = "fuzz.example";
  context = new TlsServerContext;
  std::string err;
  if (!context->init(options, &err)) abort();
  // The context keeps what it parsed; the files are not needed any more.
  unlink((options.state_dir + "/cert.pem").c_str());
  unlink((options.state_dir + "/key.pem").c_str());
  rmdir(options.state_dir.c_str());
  rmdir(dir);
  return context;
}

TlsClientContext* client_context() {
  static TlsClientContext* context = nullptr;
  if (context) return context;
  context = new TlsClientContext;
  TlsClientOptions options;
  options.pin_sha256 = {"sha256:" + std::string(64, 'a')};
  std::string err;
  if (!context->init(options, &err)) abort();
  return context;
}

void drain(int fd) {
  char buf[4096];
  while (read(fd, buf, sizeof buf) > 0) {
  }
}

// Feeds `input` from the peer's end, then reads until the transport stops.
void pump(TlsTransport* transport, int fd, int peer, const uint8_t* input, size_t size) {
  size_t offset = 0;
  char buf[4096];
  for (int round = 0; round < 64; round++) {
    if (offset < size) {
      ssize_t n = write(peer, input + offset, size - offset);
      if (n > 0) offset += static_cast<size_t>(n);
    } else {
      shutdown(peer, SHUT_WR);
    }
    long got = transport->transport_read(fd, buf, sizeof buf);
    if (got > static_cast<long>(sizeof buf)) abort();
    drain(peer);  // what the transport answered
    if (got < 0) {
      if (got == -1 && transport->error().empty()) abort();  // a failure explains itself
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t* rest = data + 1;
  size_t rest_size = size - 1;
  if (data[0] % 3 == 0) {
    std::string digest, err;
    if (tls_parse_pin(std::string(reinterpret_cast<const char*>(rest), rest_size), &digest, &err) &&
        digest.size() != 32)
      abort();
    return 0;
  }
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) abort();
  if (data[0] % 3 == 1) {
    TlsServerTransport server(server_context());
    pump(&server, fds[0], fds[1], rest, rest_size);
    if (server.handshake_done()) abort();  // random bytes cannot finish a handshake
  } else {
    TlsClientTransport client(client_context(), "fuzz.example");
    if (client.transport_write(fds[0], "hello", 5) != 5) abort();  // kept until the handshake
    drain(fds[1]);  // the ClientHello
    pump(&client, fds[0], fds[1], rest, rest_size);
    if (client.handshake_done()) abort();
  }
  close(fds[0]);
  close(fds[1]);
  return 0;
}

#else
extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }
#endif  // STATD_TLS
