#include <qa/http/s3_listing.hpp>

#include <gtest/gtest.h>

namespace qa::http {
namespace {

TEST(S3Listing, APageGivesItsKeysDecodedAndItsContinuationToken) {
  const auto page = parse_s3_list_page(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
<Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
<Contents><Key>p/a&amp;b &lt;c&gt; &#233;&#x20AC;.json</Key><ETag>&quot;x&quot;</ETag></Contents>
<Contents><Key>p/cas/ab/cd</Key><Size>3</Size></Contents>
<NextContinuationToken>1/2+3=</NextContinuationToken></ListBucketResult>)");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->keys,
            (std::vector<std::string>{"p/a&b <c> \xC3\xA9\xE2\x82\xAC.json", "p/cas/ab/cd"}));
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "1/2+3=");
}

TEST(S3Listing, ALastPageNeedsNoToken) {
  const auto page =
      parse_s3_list_page("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_TRUE(page->keys.empty());
  EXPECT_FALSE(page->truncated);
}

TEST(S3Listing, BrokenPagesAreErrors) {
  for (const char* bad :
       {"<Error><Code>AccessDenied</Code></Error>", "<html>folder</html>",
        "<ListBucketResult><Contents><Key>p/a</Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/&bogus;</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/&#0;</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/<b>x</b></Key></Contents></ListBucketResult>",
        "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"}) {
    EXPECT_FALSE(parse_s3_list_page(bad)) << bad;
  }
}

TEST(S3Listing, TheQueryIsSortedAndEscapedForSigning) {
  EXPECT_EQ(s3_list_query("team/qa/acme x/", ""), "list-type=2&prefix=team%2Fqa%2Facme%20x%2F");
  EXPECT_EQ(s3_list_query("p/", "1/2+3="),
            "continuation-token=1%2F2%2B3%3D&list-type=2&prefix=p%2F");
}

}  // namespace
}  // namespace qa::http
