// Reader: the one bounds-checked cursor every wire parser reads through.
//
// A Reader never reads past the span it was given. Each accessor returns
// false (and leaves the cursor where it was) when the input is too short, so
// protocol code is a chain of `if (!r.u8(&x)) return false;` and needs no
// pointer arithmetic of its own.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <string_view>

class Reader {
 public:
  Reader() = default;
  Reader(const void* data, size_t size)
      : data_(static_cast<const uint8_t*>(data)), size_(size) {}
  explicit Reader(std::string_view s) : Reader(s.data(), s.size()) {}

  size_t size() const { return size_; }
  size_t offset() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  bool empty() const { return pos_ == size_; }

  /// The next byte without consuming it, or -1 at the end.
  int peek() const { return pos_ < size_ ? data_[pos_] : -1; }

  /// Everything not consumed yet.
  std::string_view rest() const {
    return std::string_view(reinterpret_cast<const char*>(data_) + pos_,
                            size_ - pos_);
  }

  bool skip(size_t n) {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }

  bool u8(uint8_t* out) {
    if (pos_ >= size_) return false;
    *out = data_[pos_++];
    return true;
  }

  bool be16(uint16_t* out) { return big_endian(2, out); }
  bool be32(uint32_t* out) { return big_endian(4, out); }
  bool be64(uint64_t* out) { return big_endian(8, out); }

  bool le32(uint32_t* out) {
    if (remaining() < 4) return false;
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--) v = (v << 8) | data_[pos_ + i];
    pos_ += 4;
    *out = v;
    return true;
  }

  /// n bytes as a view into the underlying span.
  bool bytes(size_t n, std::string_view* out) {
    if (n > remaining()) return false;
    *out = std::string_view(reinterpret_cast<const char*>(data_) + pos_, n);
    pos_ += n;
    return true;
  }

  /// True (and consumes it) when the input continues with `prefix`.
  bool consume(std::string_view prefix) {
    if (rest().substr(0, prefix.size()) != prefix) return false;  // C++17: no starts_with
    pos_ += prefix.size();
    return true;
  }

  /// Bytes up to the first `delim`; the delimiter is consumed but not
  /// returned. False (nothing consumed) when there is no delimiter.
  bool until(char delim, std::string_view* out) {
    std::string_view r = rest();
    size_t at = r.find(delim);
    if (at == std::string_view::npos) return false;
    *out = r.substr(0, at);
    pos_ += at + 1;
    return true;
  }

  /// Same as until() but the delimiter may be a string ("\r\n").
  bool until(std::string_view delim, std::string_view* out) {
    std::string_view r = rest();
    size_t at = r.find(delim);
    if (at == std::string_view::npos) return false;
    *out = r.substr(0, at);
    pos_ += at + delim.size();
    return true;
  }

 private:
  template <typename T>
  bool big_endian(size_t n, T* out) {
    if (remaining() < n) return false;
    T v = 0;
    for (size_t i = 0; i < n; i++) v = static_cast<T>((v << 8) | data_[pos_ + i]);
    pos_ += n;
    *out = v;
    return true;
  }

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
};
