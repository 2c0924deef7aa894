// denoise: the example project's algorithm, an edge-preserving denoiser for 8-bit PNG images.
//
//   denoise --in IN.png --out OUT.png --strength S [--sigma PX] [--seed N]
//
// Exit status: 0 on success, 2 on bad usage or when an image cannot be read or written.

#include "bilateral.hpp"
#include "image.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace {

constexpr std::string_view k_synopsis =
    "usage: denoise --in IN.png --out OUT.png --strength S [--sigma PX] [--seed N]\n";
constexpr std::string_view k_details =
    "\n"
    "Denoise an 8-bit grayscale or colour PNG with an edge-preserving bilateral filter.\n"
    "\n"
    "  --in PATH       the noisy input image\n"
    "  --out PATH      where to write the denoised PNG\n"
    "  --strength S    how much to smooth, from 0 (output = input) to 1\n"
    "  --sigma PX      the spatial extent in pixels, from 0.1 to 10 (default 2): the spatial\n"
    "                  Gaussian's standard deviation at strength 1, PX * (0.3 + 0.7 S) at S\n"
    "  --seed N        round stochastically with seed N (default 0: round to nearest)\n"
    "  -h, --help      show this help\n";

struct Arguments {
  std::string in;
  std::string out;
  std::optional<double> strength;
  double sigma = example::k_default_sigma;
  std::uint64_t seed = 0;
  bool help = false;
};

// The accepted --sigma, in pixels: below 0.1 the filter is the identity; above 10 its window
// (4 sigma + 1 pixels wide) makes it slow without making it better on images this small.
constexpr double k_min_sigma = 0.1;
constexpr double k_max_sigma = 10.0;

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

double parse_strength(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < 0.0 || value > 1.0) {
    throw UsageError("invalid strength \"" + std::string(text) +
                     "\": expected a number from 0 to 1");
  }
  return value;
}

double parse_sigma(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < k_min_sigma || value > k_max_sigma) {
    throw UsageError("invalid sigma \"" + std::string(text) +
                     "\": expected a number of pixels from 0.1 to 10");
  }
  return value;
}

std::uint64_t parse_seed(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw UsageError("invalid seed \"" + std::string(text) + "\": expected a non-negative integer");
  }
  return value;
}

Arguments parse_arguments(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      args.help = true;
      return args;
    }
    std::string_view value;
    const std::size_t equals = arg.find('=');
    if (arg.starts_with("--") && equals != std::string_view::npos) {
      value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
    } else if (arg == "--in" || arg == "--out" || arg == "--strength" || arg == "--sigma" ||
               arg == "--seed") {
      if (i + 1 >= argc) {
        throw UsageError("option \"" + std::string(arg) + "\" needs a value");
      }
      value = argv[++i];
    }
    if (arg == "--in") {
      args.in = value;
    } else if (arg == "--out") {
      args.out = value;
    } else if (arg == "--strength") {
      args.strength = parse_strength(value);
    } else if (arg == "--sigma") {
      args.sigma = parse_sigma(value);
    } else if (arg == "--seed") {
      args.seed = parse_seed(value);
    } else {
      throw UsageError("unknown argument \"" + std::string(arg) + "\"");
    }
  }
  if (args.in.empty()) {
    throw UsageError("missing --in");
  }
  if (args.out.empty()) {
    throw UsageError("missing --out");
  }
  if (!args.strength) {
    throw UsageError("missing --strength");
  }
  return args;
}

int run(int argc, char** argv) {
  const Arguments args = parse_arguments(argc, argv);
  if (args.help) {
    std::fputs(k_synopsis.data(), stdout);
    std::fputs(k_details.data(), stdout);
    return 0;
  }
  const example::Image input = example::load_image(args.in);
  example::DenoiseOptions options;
  options.strength = *args.strength;
  options.sigma = args.sigma;
  options.seed = args.seed;
  const example::Image output = example::denoise(input, options);
  example::save_png(args.out, output);
  std::printf("denoise: \"%s\" (%s) -> \"%s\", strength %g, sigma %g, seed %llu\n",
              args.in.c_str(), example::describe_size(input).c_str(), args.out.c_str(),
              options.strength, options.sigma, static_cast<unsigned long long>(options.seed));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& error) {
    std::fprintf(stderr, "denoise: error: %s\n", error.what());
    std::fputs(k_synopsis.data(), stderr);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "denoise: error: %s\n", error.what());
  }
  return 2;
}
