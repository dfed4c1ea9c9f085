// Key decoder: turns the bytes a terminal sends in raw mode into keys.
//
// A lone ESC byte is ambiguous: it is the Esc key, or the start of an arrow
// key's sequence whose rest is still in flight. The caller resolves that with
// `input_idle`: true when no further byte arrived within ~50 ms of the last
// one (statc's input timer), meaning whatever is buffered is all there is.
#pragma once

#include <stddef.h>

#include <string>
#include <string_view>

enum class KeyCode {
  None,
  Char,       // printable ASCII in Key::ch
  Enter,      // CR or LF
  Escape,     // a lone ESC
  Up,
  Down,
  Left,
  Right,
  PageUp,
  PageDown,
  Home,
  End,
  Backspace,  // DEL (0x7f) or BS (0x08)
  Tab,
  CtrlC,
  CtrlL,
  Unknown,    // any other control byte, escape sequence or non-ASCII character
};

struct Key {
  KeyCode code = KeyCode::None;
  char ch = 0;  // for KeyCode::Char
};

/// Sequences longer than this without a final byte are dropped as Unknown
/// (so a stuck or hostile input cannot make statc buffer without limit).
constexpr size_t kKeyMaxSequenceBytes = 32;

/// Decodes the first key in `bytes`. True: *out is set and *consumed (>= 1,
/// <= bytes.size()) bytes belong to it. False: `bytes` is empty, or (only
/// when !input_idle) it holds the beginning of a sequence that is not
/// complete yet; keep the bytes and call again when more arrive or the
/// input went idle. With input_idle, any non-empty input yields a key.
/// Modifiers on arrows and Home/End (ESC[1;5A) are ignored.
bool key_decode(std::string_view bytes, bool input_idle, Key* out, size_t* consumed);

/// Short name for logs and tests: "a", "Enter", "Up", "Unknown", ...
std::string key_name(const Key& key);
