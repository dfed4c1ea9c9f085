#include "net/url.h"

#include "base/reader.h"
#include "base/str.h"

namespace {

bool fail(std::string* err, const char* message) {
  if (err) *err = message;
  return false;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool is_scheme(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  for (char c : s)
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  return true;
}

// Host names as DNS and /etc/hosts know them. RFC 3986 would also allow
// sub-delimiters and escapes, which no resolver accepts: refuse them early.
bool is_host_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_unreserved(char c) { return is_host_char(c); }

// Userinfo escapes. Unlike a query string, '+' stays '+' here.
bool percent_decode(std::string_view in, std::string* out) {
  out->clear();
  Reader r(in);
  uint8_t c;
  while (r.u8(&c)) {
    if (c != '%') {
      out->push_back(static_cast<char>(c));
      continue;
    }
    std::string_view hex;
    if (!r.bytes(2, &hex)) return false;
    int hi = hex_value(hex[0]), lo = hex_value(hex[1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

void percent_encode(std::string_view in, std::string* out) {
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : in) {
    if (is_unreserved(static_cast<char>(c))) {
      out->push_back(static_cast<char>(c));
    } else {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    }
  }
}

// "[v6]" with an optional RFC 6874 zone ("[fe80::1%25eth0]"); `literal` is
// what is between the brackets.
bool parse_ipv6_literal(std::string_view literal, std::string* host) {
  size_t zone_at = literal.find("%25");
  std::string_view address = literal.substr(0, zone_at);
  if (address.empty() || address.find(':') == std::string_view::npos) return false;
  for (char c : address)
    if (hex_value(c) < 0 && c != ':' && c != '.') return false;
  *host = std::string(address);
  if (zone_at == std::string_view::npos) return true;
  std::string_view zone = literal.substr(zone_at + 3);
  if (zone.empty()) return false;
  for (char c : zone)
    if (!is_unreserved(c)) return false;
  host->push_back('%');
  host->append(zone);
  return true;
}

bool parse_port(std::string_view digits, uint16_t* port, std::string* err) {
  if (digits.empty()) return true;  // "host:" means the default (RFC 3986 §3.2.3)
  uint64_t value;
  if (!str_to_u64(digits, &value, 65535)) return fail(err, "bad port (1-65535)");
  if (value == 0) return fail(err, "bad port (1-65535)");
  *port = static_cast<uint16_t>(value);
  return true;
}

bool parse_host_port(std::string_view host_port, Url* out, std::string* err) {
  Reader r(host_port);
  if (r.consume("[")) {
    std::string_view literal;
    if (!r.until(']', &literal)) return fail(err, "unclosed '[' in host");
    if (!parse_ipv6_literal(literal, &out->host)) return fail(err, "bad IPv6 address");
    if (r.empty()) return true;
    if (!r.consume(":")) return fail(err, "unexpected text after ']'");
    return parse_port(r.rest(), &out->port, err);
  }
  std::string_view host;
  if (!r.until(':', &host)) {
    host = r.rest();
    r.skip(r.remaining());
  } else if (r.rest().find(':') != std::string_view::npos) {
    return fail(err, "an IPv6 address needs brackets: [::1]:3000");
  }
  if (host.empty()) return fail(err, "empty host");
  for (char c : host)
    if (!is_host_char(c)) return fail(err, "bad character in host");
  out->host = std::string(host);
  return parse_port(r.rest(), &out->port, err);
}

bool parse_authority(std::string_view authority, Url* out, std::string* err) {
  // The last '@' ends the userinfo: an unescaped '@' in a password is a
  // common slip, and it cannot belong to the host anyway.
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    out->has_userinfo = true;
    Reader r(authority.substr(0, at));
    std::string_view user;
    if (!r.until(':', &user)) {
      user = r.rest();
      r.skip(r.remaining());
    }
    if (!percent_decode(user, &out->user) || !percent_decode(r.rest(), &out->password))
      return fail(err, "bad percent escape in user:password");
    authority = authority.substr(at + 1);
  }
  return parse_host_port(authority, out, err);
}

}  // namespace

uint16_t url_default_port(std::string_view scheme) {
  if (scheme == "ws" || scheme == "http") return 80;
  if (scheme == "wss" || scheme == "https") return 443;
  if (scheme == "rtstat") return 8000;
  return 0;
}

bool url_uses_tls(const Url& url) { return url.scheme == "wss" || url.scheme == "https"; }

bool url_parse(std::string_view text, Url* out, std::string* err) {
  *out = Url();
  if (text.empty()) return fail(err, "empty URL");
  if (text.size() > kUrlMaxBytes) return fail(err, "URL too long");
  for (unsigned char c : text)
    if (c <= 0x20 || c >= 0x7f) return fail(err, "URL contains a space, a control or a non-ASCII byte");

  Reader r(text);
  std::string default_path = "/";
  size_t sep = text.find("://");
  // "host:3000/x?u=http://y" has a "://" too, but what precedes it is no
  // scheme: that is the bare form.
  if (sep != std::string_view::npos && is_scheme(text.substr(0, sep))) {
    std::string_view scheme;
    r.bytes(sep, &scheme);
    r.skip(3);
    out->scheme = str_lower(scheme);
    out->port = url_default_port(out->scheme);
    if (out->port == 0) return fail(err, "unsupported scheme (ws, wss, http, https, rtstat)");
  } else {
    out->scheme = "ws";
    out->port = 3000;
    default_path = "/ws";
  }

  std::string_view rest = r.rest();
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority;
  r.bytes(authority_end == std::string_view::npos ? rest.size() : authority_end, &authority);
  if (!parse_authority(authority, out, err)) return false;

  std::string_view target = r.rest();
  target = target.substr(0, target.find('#'));
  if (target.empty() || target[0] == '?') out->path_and_query = default_path;
  out->path_and_query.append(target);
  return true;
}

std::string url_host_header(const Url& url) {
  std::string out;
  if (url.host.find(':') != std::string::npos) {
    out.push_back('[');
    size_t zone_at = url.host.find('%');
    out.append(url.host, 0, zone_at);
    if (zone_at != std::string::npos) {
      out.append("%25");
      out.append(url.host, zone_at + 1, std::string::npos);
    }
    out.push_back(']');
  } else {
    out = url.host;
  }
  if (url.port != url_default_port(url.scheme)) {
    out.push_back(':');
    str_append_u64(&out, url.port);
  }
  return out;
}

std::string url_redacted(const Url& url) {
  std::string out = url.scheme + "://";
  if (url.has_userinfo) {
    percent_encode(url.user, &out);
    if (!url.password.empty()) out.append(":***");
    out.push_back('@');
  }
  out.append(url_host_header(url));
  std::string_view target = url.path_and_query;
  size_t q = target.find('?');
  out.append(target.substr(0, q));
  if (q == std::string_view::npos) return out;
  // Mask every value: statd's token travels as "?token=...".
  Reader query(target.substr(q + 1));
  out.push_back('?');
  for (bool more = true; more;) {
    std::string_view pair;
    more = query.until('&', &pair);
    if (!more) pair = query.rest();
    size_t eq = pair.find('=');
    out.append(pair.substr(0, eq));
    if (eq != std::string_view::npos) out.append("=***");
    if (more) out.push_back('&');
  }
  return out;
}
