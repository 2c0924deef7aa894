#include <qa/http/s3_listing.hpp>

#include <gtest/gtest.h>

#include <chrono>

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
  ASSERT_EQ(page->objects.size(), 2U);
  EXPECT_EQ(page->objects[0].key, "p/a&b <c> \xC3\xA9\xE2\x82\xAC.json");
  EXPECT_EQ(page->objects[1].key, "p/cas/ab/cd");
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "1/2+3=");
}

TEST(S3Listing, ALastPageNeedsNoToken) {
  const auto page =
      parse_s3_list_page("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_TRUE(page->objects.empty());
  EXPECT_FALSE(page->truncated);
}

TEST(S3Listing, BrokenPagesAreErrors) {
  for (const char* bad :
       {"<Error><Code>AccessDenied</Code></Error>", "<html>folder</html>",
        "<ListBucketResult><Contents><Key>p/a</Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/&bogus;</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/&#0;</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/<b>x</b></Key></Contents></ListBucketResult>",
        "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
        "<ListBucketResult><Contents><Size>3</Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a</Key><Key>b</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/a</Key><Size>-1</Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/a</Key><Size>3x</Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/a</Key><Size></Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/a</Key><LastModified>yesterday</LastModified>"
        "</Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>p/a</Key></ListBucketResult>"}) {
    EXPECT_FALSE(parse_s3_list_page(bad)) << bad;
  }
}

TEST(S3Listing, EachObjectHasItsSizeAndTime) {
  const auto page = parse_s3_list_page(
      R"(<ListBucketResult><IsTruncated>false</IsTruncated>
<Contents><Key>p/cas/ab/cd</Key><LastModified>2026-11-30T18:00:00.000Z</LastModified>
<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>1234567890123</Size>
<StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>p/x/run.json</Key><Size>0</Size></Contents></ListBucketResult>)");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->objects.size(), 2U);
  EXPECT_EQ(page->objects[0].key, "p/cas/ab/cd");
  EXPECT_EQ(page->objects[0].size, 1234567890123U);
  // `date -u -d 2026-11-30T18:00:00Z +%s`
  EXPECT_EQ(page->objects[0].modified,
            std::chrono::system_clock::time_point(std::chrono::seconds(1796061600)));
  EXPECT_EQ(page->objects[1].key, "p/x/run.json");
  EXPECT_EQ(page->objects[1].size, 0U);
  EXPECT_EQ(page->objects[1].modified, std::chrono::system_clock::time_point())
      << "no <LastModified>: the epoch";
}

TEST(S3Listing, TheQueryIsSortedAndEscapedForSigning) {
  EXPECT_EQ(s3_list_query("team/qa/acme x/", ""), "list-type=2&prefix=team%2Fqa%2Facme%20x%2F");
  EXPECT_EQ(s3_list_query("p/", "1/2+3="),
            "continuation-token=1%2F2%2B3%3D&list-type=2&prefix=p%2F");
}

}  // namespace
}  // namespace qa::http
