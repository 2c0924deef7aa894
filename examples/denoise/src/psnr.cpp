// psnr: the example project's metrics step. Compare a denoised image with its ground truth and
// write the metrics as JSON for qatools.
//
//   psnr OUT.png CLEAN.png METRICS_JSON
//
// METRICS_JSON receives {"psnr": dB, "mse": ..., "max_abs_error": ..., "badges": {...}}.
// Exit status: 0 on success, 2 on bad usage, unreadable images or images of different sizes.

#include "file.hpp"
#include "image.hpp"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view k_synopsis = "usage: psnr OUT.png CLEAN.png METRICS_JSON\n";
constexpr std::string_view k_details =
    "\n"
    "Compare OUT.png with the ground truth CLEAN.png (same size and channels) and write\n"
    "{\"psnr\", \"mse\", \"max_abs_error\", \"badges\"} as a JSON object to METRICS_JSON.\n"
    "PSNR is in dB for 8-bit samples; identical images get 99 dB, the largest value reported.\n";

// PSNR reported for identical images, and the cap for near-identical ones (JSON has no infinity).
constexpr double k_max_psnr = 99.0;

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Comparison {
  double mse = 0.0;
  double psnr = k_max_psnr;
  int max_abs_error = 0;
};

Comparison compare(const example::Image& image, const example::Image& reference) {
  Comparison result;
  double sum_squares = 0.0;
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    const int delta = static_cast<int>(image.pixels[i]) - static_cast<int>(reference.pixels[i]);
    sum_squares += static_cast<double>(delta * delta);
    result.max_abs_error = std::max(result.max_abs_error, std::abs(delta));
  }
  if (!image.pixels.empty()) {
    result.mse = sum_squares / static_cast<double>(image.pixels.size());
  }
  if (result.mse > 0.0) {
    result.psnr = std::min(k_max_psnr, 10.0 * std::log10(255.0 * 255.0 / result.mse));
  }
  return result;
}

// Round `value` to 4 decimals so the JSON stays readable.
double round4(double value) { return std::round(value * 1e4) / 1e4; }

int run(int argc, char** argv) {
  if (argc == 2 && (std::string_view(argv[1]) == "-h" || std::string_view(argv[1]) == "--help")) {
    std::fputs(k_synopsis.data(), stdout);
    std::fputs(k_details.data(), stdout);
    return 0;
  }
  if (argc != 4) {
    throw UsageError("expected 3 arguments, got " + std::to_string(argc - 1));
  }
  const std::string image_path = argv[1];
  const std::string reference_path = argv[2];
  const std::string metrics_path = argv[3];

  const example::Image image = example::load_image(image_path);
  const example::Image reference = example::load_image(reference_path);
  const bool same_size = image.width == reference.width && image.height == reference.height;
  if (!same_size || image.channels != reference.channels) {
    throw std::runtime_error(
        "cannot compare \"" + image_path + "\" (" + example::describe_size(image) + ") with \"" +
        reference_path + "\" (" + example::describe_size(reference) +
        "): " + (same_size ? "the channel counts differ" : "the sizes differ"));
  }
  const Comparison result = compare(image, reference);

  nlohmann::ordered_json metrics;
  metrics["psnr"] = round4(result.psnr);
  metrics["mse"] = round4(result.mse);
  metrics["max_abs_error"] = result.max_abs_error;
  metrics["badges"] = {
      {"width", image.width}, {"height", image.height}, {"channels", image.channels}};
  example::write_file(metrics_path, metrics.dump(2) + "\n");

  std::printf("psnr: %.2f dB, mse %.2f, max abs error %d\n", result.psnr, result.mse,
              result.max_abs_error);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& error) {
    std::fprintf(stderr, "psnr: error: %s\n", error.what());
    std::fputs(k_synopsis.data(), stderr);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "psnr: error: %s\n", error.what());
  }
  return 2;
}
