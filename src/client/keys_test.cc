#include "client/keys.h"

#include "base/test.h"

namespace {

// "name/consumed" of the first key, or "more" when the decoder waits.
std::string decode_one(std::string_view bytes, bool idle) {
  Key key;
  size_t consumed = 0;
  if (!key_decode(bytes, idle, &key, &consumed)) return "more";
  std::string out = key_name(key);
  out += '/';
  out += std::to_string(consumed);
  return out;
}

// Every key of `bytes`, space separated, decoding with the input idle.
std::string decode_all(std::string_view bytes) {
  std::string out;
  Key key;
  size_t consumed;
  while (key_decode(bytes, true, &key, &consumed)) {
    if (!out.empty()) out += ' ';
    out += key_name(key);
    bytes.remove_prefix(consumed);
  }
  return out;
}

}  // namespace

TEST(keys_printable_and_controls) {
  EXPECT_EQ(decode_one("a", false), "a/1");
  EXPECT_EQ(decode_one(" ", false), " /1");
  EXPECT_EQ(decode_one("~x", false), "~/1");
  EXPECT_EQ(decode_one("\r", false), "Enter/1");
  EXPECT_EQ(decode_one("\n", false), "Enter/1");
  EXPECT_EQ(decode_one("\t", false), "Tab/1");
  EXPECT_EQ(decode_one("\x7f", false), "Backspace/1");
  EXPECT_EQ(decode_one("\x08", false), "Backspace/1");
  EXPECT_EQ(decode_one("\x03", false), "CtrlC/1");
  EXPECT_EQ(decode_one("\x0c", false), "CtrlL/1");
  EXPECT_EQ(decode_one(std::string_view("\0", 1), false), "Unknown/1");
  EXPECT_EQ(decode_one("\x1a", false), "Unknown/1");
  EXPECT_EQ(decode_one("", false), "more");
  EXPECT_EQ(decode_one("", true), "more");
}

TEST(keys_lone_escape_needs_idle) {
  EXPECT_EQ(decode_one("\x1b", false), "more");
  EXPECT_EQ(decode_one("\x1b", true), "Escape/1");
  EXPECT_EQ(decode_one("\x1b\x1b[A", false), "Escape/1");
  EXPECT_EQ(decode_one("\x1b\r", false), "Escape/1");
  EXPECT_EQ(decode_one("\x1bq", false), "Unknown/2");  // Alt-q
}

TEST(keys_arrows_csi_and_ss3) {
  EXPECT_EQ(decode_one("\x1b[A", false), "Up/3");
  EXPECT_EQ(decode_one("\x1b[B", false), "Down/3");
  EXPECT_EQ(decode_one("\x1b[C", false), "Right/3");
  EXPECT_EQ(decode_one("\x1b[D", false), "Left/3");
  EXPECT_EQ(decode_one("\x1bOA", false), "Up/3");
  EXPECT_EQ(decode_one("\x1bOB", false), "Down/3");
  EXPECT_EQ(decode_one("\x1bOC", false), "Right/3");
  EXPECT_EQ(decode_one("\x1bOD", false), "Left/3");
  EXPECT_EQ(decode_one("\x1b[1;5A", false), "Up/6");  // Ctrl-Up: modifiers ignored
}

TEST(keys_paging_home_end) {
  EXPECT_EQ(decode_one("\x1b[5~", false), "PageUp/4");
  EXPECT_EQ(decode_one("\x1b[6~", false), "PageDown/4");
  EXPECT_EQ(decode_one("\x1b[5;2~", false), "PageUp/6");
  EXPECT_EQ(decode_one("\x1b[H", false), "Home/3");
  EXPECT_EQ(decode_one("\x1b[F", false), "End/3");
  EXPECT_EQ(decode_one("\x1b[1~", false), "Home/4");
  EXPECT_EQ(decode_one("\x1b[4~", false), "End/4");
  EXPECT_EQ(decode_one("\x1b[7~", false), "Home/4");
  EXPECT_EQ(decode_one("\x1b[8~", false), "End/4");
  EXPECT_EQ(decode_one("\x1bOH", false), "Home/3");
  EXPECT_EQ(decode_one("\x1bOF", false), "End/3");
}

TEST(keys_unknown_sequences_consumed_whole) {
  EXPECT_EQ(decode_one("\x1b[15~x", false), "Unknown/5");        // F5
  EXPECT_EQ(decode_one("\x1b[200~pasted", false), "Unknown/6");  // bracketed paste
  EXPECT_EQ(decode_one("\x1b[<0;10;5M", false), "Unknown/10");   // SGR mouse
  EXPECT_EQ(decode_one("\x1b[?1;2c", false), "Unknown/7");       // DA reply
  EXPECT_EQ(decode_one("\x1b[1 q", false), "Unknown/5");         // intermediate byte
  EXPECT_EQ(decode_one("\x1b[Z", false), "Unknown/3");           // Shift-Tab
  EXPECT_EQ(decode_one("\x1bOP", false), "Unknown/3");           // F1
  EXPECT_EQ(decode_one("\x1b[~", false), "Unknown/3");
  // A stray control byte ends the sequence; it is decoded on its own.
  EXPECT_EQ(decode_all("\x1b[1\x1b[A"), "Unknown Up");
  EXPECT_EQ(decode_all("\x1bO\r"), "Unknown Enter");
}

TEST(keys_incomplete_sequences) {
  EXPECT_EQ(decode_one("\x1b[", false), "more");
  EXPECT_EQ(decode_one("\x1b[", true), "Unknown/2");
  EXPECT_EQ(decode_one("\x1b[5", false), "more");
  EXPECT_EQ(decode_one("\x1b[5", true), "Unknown/3");
  EXPECT_EQ(decode_one("\x1b[1;", false), "more");
  EXPECT_EQ(decode_one("\x1bO", false), "more");
  EXPECT_EQ(decode_one("\x1bO", true), "Unknown/2");
  // Too long without a final byte: dropped at the cap, idle or not.
  std::string endless = "\x1b[" + std::string(40, '1') + "A";
  EXPECT_EQ(decode_one(endless, false), "Unknown/32");
  EXPECT_EQ(decode_one(endless.substr(0, 31), false), "more");
  EXPECT_EQ(decode_one(endless.substr(0, 32), false), "Unknown/32");
}

TEST(keys_utf8_is_one_unknown_key) {
  EXPECT_EQ(decode_one("\xc3\xa9", false), "Unknown/2");        // é
  EXPECT_EQ(decode_one("\xe2\x96\x88x", false), "Unknown/3");   // █
  EXPECT_EQ(decode_one("\xf0\x9f\x98\x80", false), "Unknown/4");
  EXPECT_EQ(decode_one("\xc3", false), "more");
  EXPECT_EQ(decode_one("\xc3", true), "Unknown/1");
  EXPECT_EQ(decode_one("\xe2\x96", true), "Unknown/2");
  EXPECT_EQ(decode_one("\xc3" "a", false), "Unknown/1");
  EXPECT_EQ(decode_one("\xff", false), "Unknown/1");
  EXPECT_EQ(decode_one("\x80", false), "Unknown/1");
}

TEST(keys_stream_of_keys) {
  EXPECT_EQ(decode_all("ab\x1b[Aq\x1b[6~\r\x1b"), "a b Up q PageDown Enter Escape");
  EXPECT_EQ(decode_all("\x1b\x1b"), "Escape Escape");
}
