#include "agent/socktop.h"

#include "base/test.h"

TEST(socktop_parse_get_services_both_forms) {
  SocktopRequest plain = socktop_parse_request("get_services");
  EXPECT(plain.kind == SocktopRequest::kServices);
  EXPECT(!plain.json_form);
  SocktopRequest json = socktop_parse_request(" {\"x\":1, \"type\" : \"services\"} ");
  EXPECT(json.kind == SocktopRequest::kServices);
  EXPECT(json.json_form);
  EXPECT_EQ(json.pid, 0u);
}

TEST(socktop_parse_get_services_exact_text_only) {
  // Like socktop's own requests: case-sensitive, nothing before or after.
  for (const char* text : {"get_services ", "Get_services", "get_services\n", "get_services:1",
                           "{\"type\":\"Services\"}", "{\"type\":\"get_services\"}"})
    EXPECT(socktop_parse_request(text).kind == SocktopRequest::kInvalid);
}
