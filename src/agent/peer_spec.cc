#include "agent/peer_spec.h"

#include "base/reader.h"
#include "base/str.h"
#include "codec/json_writer.h"
#include "net/listener.h"

namespace {

bool name_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool parse_url(std::string_view text, PeerSpec* spec, std::string* err) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f) {
      *err = "spaces, control and non-ASCII bytes are not allowed";
      return false;
    }
  }
  Reader r(text);
  spec->ws = r.consume("ws://");
  if (!spec->ws && !r.consume("http://")) {
    size_t scheme_end = text.find("://");
    *err = scheme_end == std::string_view::npos
               ? "expected ws://HOST:PORT[/ws][?token=T] or http://HOST:PORT/PATH"
               : str_cat({"scheme ", text.substr(0, scheme_end),
                          " is not supported (ws:// for statd and socktop agents, http:// for Prometheus endpoints)"});
    return false;
  }
  std::string_view rest = r.rest();
  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    *err = "user:password@ is not supported (give a token as ?token=T)";
    return false;
  }
  Reader a(authority);
  std::string_view host;
  if (a.consume("[")) {
    if (!a.until(']', &host)) {
      *err = "unclosed '[' in host";
      return false;
    }
  } else {
    a.bytes(authority.find(':') == std::string_view::npos ? a.remaining() : authority.find(':'), &host);
  }
  spec->host = std::string(host);
  uint64_t port = 80;
  if (!a.empty() && (!a.consume(":") || !str_to_u64(a.rest(), &port, 65535) || port == 0)) {
    *err = "bad port";
    return false;
  }
  spec->port = static_cast<uint16_t>(port);
  // No name lookup: getaddrinfo would block the one loop (and link musl's
  // resolver into a binary with a size budget). Address literals only,
  // read as --listen reads them.
  std::string listen_form = spec->host == "localhost" ? str_cat({"127.0.0.1:", std::to_string(spec->port)})
                                                      : spec->address();
  std::string why;
  if (spec->host.empty() || !listen_parse_address(listen_form, &spec->addr, &spec->addr_len, &why)) {
    *err = str_cat({"host '", spec->host, "' is not an IP address (statd looks up no names; use the address or localhost)"});
    return false;
  }
  size_t query_at = target.find('?');
  std::string_view path = target.substr(0, query_at);
  if (query_at != std::string_view::npos && !str_query_param(target.substr(query_at + 1), "token", &spec->token))
    spec->token.clear();
  if (path.empty()) path = spec->ws ? "/ws" : "/metrics";
  // socktop reads its token from the query: a ws target keeps it.
  spec->target = std::string(path);
  if (spec->ws && query_at != std::string_view::npos) spec->target.append(target.substr(query_at));
  return true;
}

}  // namespace

std::string PeerSpec::address() const {
  std::string port_text = std::to_string(port);
  if (host.find(':') != std::string::npos) return str_cat({"[", host, "]:", port_text});
  return str_cat({host, ":", port_text});
}

bool peer_spec_add(std::vector<PeerSpec>* specs, std::string_view name, std::string_view url,
                   std::string* err) {
  if (name.empty() || name.size() > kPeerNameMaxBytes) {
    *err = str_cat({"peer name must be 1 to ", std::to_string(kPeerNameMaxBytes), " bytes"});
    return false;
  }
  for (char c : name) {
    if (!name_char_ok(c)) {
      *err = str_cat({"peer name '", name, "' may only hold A-Z, a-z, 0-9, '_', '.' and '-'"});
      return false;
    }
  }
  for (const PeerSpec& s : *specs) {
    if (s.name == name) {
      *err = str_cat({"peer '", name, "' is declared twice"});
      return false;
    }
  }
  PeerSpec spec;
  spec.name = std::string(name);
  std::string why;
  if (!parse_url(url, &spec, &why)) {
    *err = str_cat({"peer '", spec.name, "': bad URL '", url, "': ", why});
    return false;
  }
  specs->push_back(std::move(spec));
  return true;
}

bool peer_spec_add_assignment(std::vector<PeerSpec>* specs, std::string_view assignment,
                              std::string* err) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    *err = "expected NAME=URL";
    return false;
  }
  return peer_spec_add(specs, str_trim(assignment.substr(0, eq)), str_trim(assignment.substr(eq + 1)), err);
}

void peer_sd_json(const std::vector<PeerSpec>& specs, std::string* out) {
  JsonWriter w(out);
  w.begin_array();
  for (const PeerSpec& s : specs) {
    w.begin_object();
    w.key("targets").begin_array().str(s.address()).end_array();
    w.key("labels").begin_object().key("peer").str(s.name).key("__metrics_path__").str(s.ws ? "/metrics" : s.target).end_object();
    w.end_object();
  }
  w.end_array();
}
