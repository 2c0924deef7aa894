#include <qa/store/backend.hpp>

namespace qa::store {

std::string blob_rel_path(const util::Hash128& hash) {
  const std::string hex = hash.hex();
  return "cas/" + hex.substr(0, 2) + "/" + hex.substr(2);
}

Expected<std::vector<bool>> Backend::has_blobs(const std::vector<util::Hash128>& hashes) {
  std::vector<bool> present;
  present.reserve(hashes.size());
  for (const auto& hash : hashes) {
    QA_TRY_ASSIGN(const bool found, has_blob(hash));
    present.push_back(found);
  }
  return present;
}

Expected<void> Backend::put_blobs(const std::vector<BlobUpload>& uploads) {
  for (const auto& upload : uploads) {
    QA_TRY_ASSIGN(const bool present, has_blob(upload.hash));
    if (present) {
      touch_blob(upload.hash);
    } else {
      QA_TRY(put_blob(upload.hash, upload.source, upload.size));
    }
  }
  return {};
}

void Backend::touch_blob(const util::Hash128& /*hash*/) {}

Expected<void> Backend::get_blobs(const std::vector<BlobDownload>& downloads) {
  for (const auto& download : downloads) {
    QA_TRY(get_blob(download.hash, download.destination));
  }
  return {};
}

Expected<std::vector<BlobState>> Backend::check_blobs(const std::vector<util::Hash128>& hashes) {
  std::vector<BlobState> states;
  states.reserve(hashes.size());
  for (const auto& hash : hashes) {
    QA_TRY_ASSIGN(const BlobState state, check_blob(hash));
    states.push_back(state);
  }
  return states;
}

}  // namespace qa::store
