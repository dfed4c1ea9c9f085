#include "client/gotop_config.h"

#include "base/test.h"

TEST(gotop_config_reads_remotes) {
  std::string text =
      "# gotop.conf\n"
      "colorscheme=monokai\r\n"
      "\n"
      "  remote-Jerry-url = https://user:p%40ss@jerry.lan:8089/metrics  \n"
      "remote-jerry-refresh=2\n"
      "\t\n"
      "remote-pi-url=http://pi:3000/metrics?token=a=b\n"
      "Remote-Pi-Refresh=5s\n"
      "remote-my-router-url=http://[fd00::1]:9100/metrics\n"
      "layout=minimal\n"
      "statc-theme = dark\n"
      "remote-last-url=http://last/metrics";  // no final LF
  GotopConfig config;
  std::string err;
  ASSERT(gotop_config_parse(text, &config, &err));
  ASSERT(config.remotes.size() == 4);
  EXPECT_EQ(config.remotes[0].name, "Jerry");
  EXPECT_EQ(config.remotes[0].url, "https://user:p%40ss@jerry.lan:8089/metrics");
  EXPECT_EQ(config.remotes[0].refresh_s, 2u);
  EXPECT_EQ(config.remotes[1].name, "pi");
  EXPECT_EQ(config.remotes[1].url, "http://pi:3000/metrics?token=a=b");
  EXPECT_EQ(config.remotes[1].refresh_s, 5u);
  EXPECT_EQ(config.remotes[2].name, "my-router");
  EXPECT_EQ(config.remotes[2].refresh_s, 1u);  // missing refresh: the documented 1 s
  EXPECT_EQ(config.remotes[3].name, "last");
  EXPECT_EQ(config.remotes[3].url, "http://last/metrics");
  EXPECT_EQ(config.gotop_settings_ignored, 2u);
  ASSERT(config.other.size() == 1);
  EXPECT_EQ(config.other[0].key, "statc-theme");
  EXPECT_EQ(config.other[0].value, "dark");
  EXPECT_EQ(config.other[0].line, 11u);
}

TEST(gotop_config_empty_and_comment_only) {
  GotopConfig config;
  std::string err;
  EXPECT(gotop_config_parse("", &config, &err));
  EXPECT(config.remotes.empty());
  EXPECT(gotop_config_parse("\xEF\xBB\xBF# only a comment\n\n   \n", &config, &err));
  EXPECT(config.remotes.empty());
  EXPECT_EQ(config.gotop_settings_ignored, 0u);
  // A repeated key wins, as in gotop.
  ASSERT(gotop_config_parse("remote-a-url=http://one/\nremote-A-url=http://two/\n", &config, &err));
  ASSERT(config.remotes.size() == 1);
  EXPECT_EQ(config.remotes[0].name, "a");
  EXPECT_EQ(config.remotes[0].url, "http://two/");
}

TEST(gotop_config_errors_name_the_line) {
  struct { const char* text; const char* err; } cases[] = {
      {"# c\nno equals sign\n", "line 2: expected key=value"},
      {"=value\n", "line 1: empty key"},
      {"remote-x-port=1\n", "line 1: expected remote-NAME-url or remote-NAME-refresh"},
      {"remote-url=http://h/\n", "line 1: expected remote-NAME-url or remote-NAME-refresh"},
      {"remote-=x\n", "line 1: expected remote-NAME-url or remote-NAME-refresh"},
      {"remote--url=http://h/\n", "line 1: empty remote name"},
      {"remote-a\x01-url=http://h/\n", "line 1: control byte in remote name"},
      {"\n\nremote-a-url=\n", "line 3: empty url"},
      {"remote-a-url=ftp://h/\n", "line 1: remote a: unsupported scheme (ws, wss, http, https, rtstat)"},
      {"remote-a-url=http://:9/\n", "line 1: remote a: empty host"},
      {"remote-a-url=http://h/\nremote-a-refresh=2.5\n", "line 2: refresh must be whole seconds from 1 to 86400"},
      {"remote-a-refresh=0\n", "line 1: refresh must be whole seconds from 1 to 86400"},
      {"remote-a-refresh=86401\n", "line 1: refresh must be whole seconds from 1 to 86400"},
      {"remote-a-refresh=2m\n", "line 1: refresh must be whole seconds from 1 to 86400"},
      {"remote-a-refresh=\n", "line 1: refresh must be whole seconds from 1 to 86400"},
      {"remote-a-refresh=-1\n", "line 1: refresh must be whole seconds from 1 to 86400"},
      {"x=1\nremote-a-refresh=3\nremote-b-url=http://b/\n", "line 2: remote a has a refresh but no url"},
  };
  for (const auto& c : cases) {
    GotopConfig config;
    std::string err;
    EXPECT(!gotop_config_parse(c.text, &config, &err));
    EXPECT_EQ(err, c.err);
  }
  GotopConfig config;
  std::string err;
  ASSERT(gotop_config_parse("remote-a-refresh=86400\nremote-a-url=ws://a\n", &config, &err));
  EXPECT_EQ(config.remotes[0].refresh_s, 86400u);
}
