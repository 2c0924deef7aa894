#include <qa/http/s3_listing.hpp>

#include <charconv>

#include <qa/http/listing_time.hpp>

namespace qa::http {

namespace {

// Append the UTF-8 encoding of `code` to `out`; false when it is no character.
bool append_utf8(std::string& out, std::uint32_t code) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return false;
  }
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return true;
}

// Return `text` with its XML entities (the five named ones and character references) decoded.
Expected<std::string> xml_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t end = text.find(';', i);
    if (end == std::string_view::npos || end - i > 12) {
      return fail("invalid S3 listing: an unfinished XML entity");
    }
    const std::string_view name = text.substr(i + 1, end - i - 1);
    if (name == "amp") {
      out += '&';
    } else if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else if (name.starts_with('#') && name.size() > 1) {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      std::uint32_t code = 0;
      const auto [ptr, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
      if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() ||
          !append_utf8(out, code)) {
        return fail("invalid S3 listing: a bad character reference {}", quote(name));
      }
    } else {
      return fail("invalid S3 listing: an unknown XML entity {}", quote(name));
    }
    i = end;
  }
  return out;
}

// The text of each element `<tag>...</tag>` of `xml`, in order (an empty `<tag/>` too).
Expected<std::vector<std::string>> elements(std::string_view xml, std::string_view tag) {
  const std::string open = fmt::format("<{}>", tag);
  const std::string empty = fmt::format("<{}/>", tag);
  const std::string close = fmt::format("</{}>", tag);
  std::vector<std::string> out;
  std::size_t at = 0;
  while (true) {
    const std::size_t start = xml.find(open, at);
    const std::size_t empty_at = xml.find(empty, at);
    if (empty_at < start) {
      out.emplace_back();
      at = empty_at + empty.size();
      continue;
    }
    if (start == std::string_view::npos) {
      return out;
    }
    const std::size_t end = xml.find(close, start + open.size());
    if (end == std::string_view::npos) {
      return fail("invalid S3 listing: <{}> does not close", tag);
    }
    const std::string_view text = xml.substr(start + open.size(), end - start - open.size());
    if (text.find('<') != std::string_view::npos) {
      return fail("invalid S3 listing: <{}> holds markup", tag);
    }
    QA_TRY_ASSIGN(auto value, xml_unescape(text));
    out.push_back(std::move(value));
    at = end + close.size();
  }
}

// The raw content of each element `<tag>...</tag>` of `xml` (markup and entities left as they
// are; an empty `<tag/>` is skipped).
Expected<std::vector<std::string_view>> blocks(std::string_view xml, std::string_view tag) {
  const std::string open = fmt::format("<{}>", tag);
  const std::string close = fmt::format("</{}>", tag);
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (true) {
    const std::size_t start = xml.find(open, at);
    if (start == std::string_view::npos) {
      return out;
    }
    const std::size_t end = xml.find(close, start + open.size());
    if (end == std::string_view::npos) {
      return fail("invalid S3 listing: <{}> does not close", tag);
    }
    out.push_back(xml.substr(start + open.size(), end - start - open.size()));
    at = end + close.size();
  }
}

// Return the object that the content `xml` of a <Contents> element describes.
Expected<S3Object> object_of(std::string_view xml) {
  QA_TRY_ASSIGN(const auto keys, elements(xml, "Key"));
  if (keys.size() != 1) {
    return fail("invalid S3 listing: <Contents> without one <Key>");
  }
  S3Object object{keys.front(), 0, {}};
  QA_TRY_ASSIGN(const auto sizes, elements(xml, "Size"));
  if (sizes.size() > 1) {
    return fail("invalid S3 listing: {} has more than one <Size>", quote(object.key));
  }
  if (!sizes.empty()) {
    const std::string& text = sizes.front();
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), object.size);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
      return fail("invalid S3 listing: the size of {} is {}, not a number of bytes",
                  quote(object.key), quote(text));
    }
  }
  QA_TRY_ASSIGN(const auto times, elements(xml, "LastModified"));
  if (times.size() > 1) {
    return fail("invalid S3 listing: {} has more than one <LastModified>", quote(object.key));
  }
  if (!times.empty()) {
    auto modified = parse_rfc3339(times.front());
    if (!modified) {
      return fail("invalid S3 listing: {}", modified.error().message);
    }
    object.modified = *modified;
  }
  return object;
}

// Escape `text` for a query value as AWS Signature V4 does: everything but the RFC 3986
// unreserved characters, `/` included.
std::string query_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace

Expected<S3ListPage> parse_s3_list_page(std::string_view xml) {
  if (xml.find("<ListBucketResult") == std::string_view::npos) {
    return fail("invalid S3 listing: no <ListBucketResult> (is this an S3 server?)");
  }
  S3ListPage page;
  QA_TRY_ASSIGN(const auto contents, blocks(xml, "Contents"));
  for (const std::string_view content : contents) {
    QA_TRY_ASSIGN(auto object, object_of(content));
    page.objects.push_back(std::move(object));
  }
  QA_TRY_ASSIGN(const auto truncated, elements(xml, "IsTruncated"));
  if (truncated.size() > 1) {
    return fail("invalid S3 listing: more than one <IsTruncated>");
  }
  page.truncated = !truncated.empty() && truncated.front() == "true";
  QA_TRY_ASSIGN(const auto tokens, elements(xml, "NextContinuationToken"));
  if (page.truncated) {
    if (tokens.size() != 1 || tokens.front().empty()) {
      return fail("invalid S3 listing: a truncated page without one <NextContinuationToken>");
    }
    page.next_token = tokens.front();
  }
  return page;
}

std::string s3_list_query(std::string_view prefix, std::string_view token) {
  // Sorted by name: continuation-token, list-type, prefix.
  std::string query;
  if (!token.empty()) {
    query = fmt::format("continuation-token={}&", query_escape(token));
  }
  query += fmt::format("list-type=2&prefix={}", query_escape(prefix));
  return query;
}

}  // namespace qa::http
