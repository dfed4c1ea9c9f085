#include "client/keys.h"

#include "base/reader.h"

namespace {

constexpr uint8_t kEsc = 0x1b;

bool is_csi_parameter(int b) { return b >= 0x30 && b <= 0x3f; }
bool is_csi_intermediate(int b) { return b >= 0x20 && b <= 0x2f; }
bool is_csi_final(int b) { return b >= 0x40 && b <= 0x7e; }

// Outcome of one decoding step: a key spanning `consumed` bytes, or "the
// sequence is incomplete" (consumed == 0).
struct Step {
  KeyCode code;
  size_t consumed;
};

Step need_more() { return {KeyCode::None, 0}; }

// An incomplete sequence: wait for more, unless nothing more is coming (or
// it is already too long), in which case it is dropped whole as Unknown.
Step incomplete(const Reader& r, bool input_idle) {
  if (input_idle || r.size() >= kKeyMaxSequenceBytes) return {KeyCode::Unknown, r.size()};
  return need_more();
}

KeyCode csi_key(std::string_view params, std::string_view intermediates, uint8_t final_byte) {
  if (!intermediates.empty()) return KeyCode::Unknown;
  // Private parameters (ESC[<..M mouse, ESC[?..) are never keys we know.
  for (char c : params) {
    if (c != ';' && (c < '0' || c > '9')) return KeyCode::Unknown;
  }
  switch (final_byte) {
    case 'A': return KeyCode::Up;
    case 'B': return KeyCode::Down;
    case 'C': return KeyCode::Right;
    case 'D': return KeyCode::Left;
    case 'H': return KeyCode::Home;
    case 'F': return KeyCode::End;
    case '~': break;
    default: return KeyCode::Unknown;
  }
  // ESC[n~ and ESC[n;m~ (m: modifiers): only n matters.
  std::string_view number = params.substr(0, params.find(';'));
  if (number == "1" || number == "7") return KeyCode::Home;
  if (number == "4" || number == "8") return KeyCode::End;
  if (number == "5") return KeyCode::PageUp;
  if (number == "6") return KeyCode::PageDown;
  return KeyCode::Unknown;
}

// After "ESC [": parameter bytes, intermediate bytes, one final byte.
Step decode_csi(Reader* r, bool input_idle) {
  size_t params_start = r->offset();
  std::string_view from_params = r->rest();
  while (is_csi_parameter(r->peek())) r->skip(1);
  size_t intermediates_start = r->offset();
  while (is_csi_intermediate(r->peek())) r->skip(1);
  size_t final_at = r->offset();
  uint8_t final_byte = 0;
  if (!r->u8(&final_byte)) return incomplete(*r, input_idle);
  if (!is_csi_final(final_byte)) {
    // Not a well-formed sequence: drop what came before the stray byte
    // and let that byte be decoded on its own.
    return {KeyCode::Unknown, final_at};
  }
  std::string_view params = from_params.substr(0, intermediates_start - params_start);
  std::string_view intermediates =
      from_params.substr(intermediates_start - params_start, final_at - intermediates_start);
  return {csi_key(params, intermediates, final_byte), r->offset()};
}

// After "ESC O": one byte (application cursor keys mode, SS3).
Step decode_ss3(Reader* r, bool input_idle) {
  int b = r->peek();
  if (b < 0) return incomplete(*r, input_idle);
  if (b < 0x20 || b == 0x7f) return {KeyCode::Unknown, r->offset()};
  r->skip(1);
  switch (b) {
    case 'A': return {KeyCode::Up, 3};
    case 'B': return {KeyCode::Down, 3};
    case 'C': return {KeyCode::Right, 3};
    case 'D': return {KeyCode::Left, 3};
    case 'H': return {KeyCode::Home, 3};
    case 'F': return {KeyCode::End, 3};
    default: return {KeyCode::Unknown, 3};
  }
}

Step decode_escape(Reader* r, bool input_idle) {
  int b = r->peek();
  if (b < 0) return input_idle ? Step{KeyCode::Escape, 1} : need_more();
  if (b == kEsc) return {KeyCode::Escape, 1};  // Esc pressed twice
  r->skip(1);
  if (b == '[') return decode_csi(r, input_idle);
  if (b == 'O') return decode_ss3(r, input_idle);
  // ESC + byte is Alt+key; statc binds none. A control byte after ESC is
  // its own key.
  if (b < 0x20 || b == 0x7f) return {KeyCode::Escape, 1};
  return {KeyCode::Unknown, 2};
}

// A non-ASCII character (UTF-8): consumed whole so it counts as one key.
Step decode_utf8(Reader* r, uint8_t lead, bool input_idle) {
  int continuation_count = 0;
  if (lead >= 0xC2 && lead <= 0xDF) continuation_count = 1;
  else if (lead >= 0xE0 && lead <= 0xEF) continuation_count = 2;
  else if (lead >= 0xF0 && lead <= 0xF4) continuation_count = 3;
  for (int i = 0; i < continuation_count; i++) {
    int b = r->peek();
    if (b < 0) return incomplete(*r, input_idle);
    if (b < 0x80 || b > 0xBF) break;
    r->skip(1);
  }
  return {KeyCode::Unknown, r->offset()};
}

Step decode_step(Reader* r, bool input_idle) {
  uint8_t b;
  if (!r->u8(&b)) return need_more();
  switch (b) {
    case '\r':
    case '\n': return {KeyCode::Enter, 1};
    case '\t': return {KeyCode::Tab, 1};
    case 0x7f:
    case 0x08: return {KeyCode::Backspace, 1};
    case 0x03: return {KeyCode::CtrlC, 1};
    case 0x0c: return {KeyCode::CtrlL, 1};
    case kEsc: return decode_escape(r, input_idle);
    default: break;
  }
  if (b >= 0x20 && b < 0x7f) return {KeyCode::Char, 1};
  if (b >= 0x80) return decode_utf8(r, b, input_idle);
  return {KeyCode::Unknown, 1};  // other C0 controls
}

}  // namespace

bool key_decode(std::string_view bytes, bool input_idle, Key* out, size_t* consumed) {
  // Never look further than one sequence can be long.
  Reader r(bytes.substr(0, kKeyMaxSequenceBytes));
  Step step = decode_step(&r, input_idle);
  if (step.consumed == 0) return false;
  out->code = step.code;
  out->ch = step.code == KeyCode::Char ? bytes[0] : 0;
  *consumed = step.consumed;
  return true;
}

std::string key_name(const Key& key) {
  switch (key.code) {
    case KeyCode::None: return "None";
    case KeyCode::Char: return std::string(1, key.ch);
    case KeyCode::Enter: return "Enter";
    case KeyCode::Escape: return "Escape";
    case KeyCode::Up: return "Up";
    case KeyCode::Down: return "Down";
    case KeyCode::Left: return "Left";
    case KeyCode::Right: return "Right";
    case KeyCode::PageUp: return "PageUp";
    case KeyCode::PageDown: return "PageDown";
    case KeyCode::Home: return "Home";
    case KeyCode::End: return "End";
    case KeyCode::Backspace: return "Backspace";
    case KeyCode::Tab: return "Tab";
    case KeyCode::CtrlC: return "CtrlC";
    case KeyCode::CtrlL: return "CtrlL";
    case KeyCode::Unknown: return "Unknown";
  }
  return "Unknown";
}
