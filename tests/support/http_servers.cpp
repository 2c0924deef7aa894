#include "support/http_servers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#ifndef QA_SOURCE_DIR
#error "QA_SOURCE_DIR must name the source tree"
#endif

namespace qa::test {

namespace fs = std::filesystem;

namespace {

// Return a port that was free a moment ago: bind port 0 on loopback and read what was given.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return ok;
}

std::string find_program(const std::vector<std::string>& candidates) {
  for (const auto& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

void stop(int& pid, int signal) {
  if (pid > 0) {
    ::kill(pid, signal);
    if (!wait_process(pid, 5000)) {
      ::kill(pid, SIGKILL);
      (void)wait_process(pid, 5000);
    }
    pid = -1;
  }
}

std::string nginx_config(const fs::path& dir, int port, const std::string& token) {
  const std::string d = dir.string();
  std::string auth;
  if (!token.empty()) {
    auth = "      if ($http_authorization != \"Bearer " + token + "\") { return 401; }\n";
  }
  return (::geteuid() == 0 ? std::string("user root root;\n") : std::string()) +
         "daemon off;\nworker_processes 1;\npid " + d + "/nginx.pid;\nerror_log " + d +
         "/error.log warn;\nevents { worker_connections 256; }\nhttp {\n"
         "  log_format qa '$request_method $request_uri $status';\n"
         "  access_log " +
         d +
         "/access.log qa;\n"
         "  client_body_temp_path " +
         d +
         "/body;\n  client_max_body_size 0;\n"
         "  proxy_temp_path " +
         d + "/tmp; fastcgi_temp_path " + d +
         "/tmp;\n"
         "  uwsgi_temp_path " +
         d + "/tmp; scgi_temp_path " + d +
         "/tmp;\n"
         "  server {\n    listen 127.0.0.1:" +
         std::to_string(port) + ";\n    root " + d + "/data;\n    location / {\n" + auth +
         "      dav_methods PUT DELETE MKCOL;\n      create_full_put_path on;\n"
         "      dav_access user:rw group:r all:r;\n"
         "      autoindex on;\n      autoindex_format json;\n    }\n  }\n}\n";
}

}  // namespace

namespace {

std::size_t count_once(const fs::path& log, std::string_view method, std::string_view uri_part) {
  std::ifstream in(log);
  std::size_t count = 0;
  std::string line;
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    if ((method.empty() || line.substr(0, space) == method) &&
        line.find(uri_part, space) != std::string::npos) {
      ++count;
    }
  }
  return count;
}

}  // namespace

std::size_t count_requests(const fs::path& log, std::string_view method,
                           std::string_view uri_part) {
  // A server logs a request once it is answered, so the client may be faster than the log:
  // read until two reads 50 ms apart agree.
  std::size_t count = count_once(log, method, uri_part);
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::size_t again = count_once(log, method, uri_part);
    if (again == count) {
      return count;
    }
    count = again;
  }
}

namespace {

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

LoopbackServer::LoopbackServer(fs::path dir, std::string log_name, int stop_signal)
    : m_dir(std::move(dir)),
      m_data(m_dir / "data"),
      m_log(m_dir / log_name),
      m_stop_signal(stop_signal) {
  fs::create_directories(m_data);
}

LoopbackServer::~LoopbackServer() { stop(m_pid, m_stop_signal); }

std::string LoopbackServer::url(std::string_view prefix) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + "/" + std::string(prefix);
}

std::vector<std::string> LoopbackServer::requests() const { return read_lines(m_log); }

std::size_t LoopbackServer::count(std::string_view method, std::string_view uri_part) const {
  return count_requests(m_log, method, uri_part);
}

void LoopbackServer::clear_log() const {
  // Servers append (O_APPEND): truncating in place keeps their descriptor valid.
  std::error_code ec;
  fs::resize_file(m_log, 0, ec);
}

NginxServer::NginxServer(fs::path dir, std::string token)
    : LoopbackServer(std::move(dir), "access.log", SIGQUIT) {
  const std::string nginx = find_program({"/usr/sbin/nginx", "/usr/bin/nginx"});
  if (nginx.empty()) {
    ADD_FAILURE() << "nginx not found: install nginx-light (scripts/bootstrap does)";
    return;
  }
  fs::create_directories(m_dir / "body");
  fs::create_directories(m_dir / "tmp");
  start_listening(
      [&](int port) {
        write_text(m_dir / "nginx.conf", nginx_config(m_dir, port, token));
        return std::vector<std::string>{nginx,
                                        "-p",
                                        m_dir.string(),
                                        "-c",
                                        (m_dir / "nginx.conf").string(),
                                        "-e",
                                        (m_dir / "error.log").string()};
      },
      m_dir / "nginx.out", m_dir / "nginx.err", 5000);
  if (m_pid < 0) {
    ADD_FAILURE() << "nginx did not start: " << read_text(m_dir / "nginx.err")
                  << read_text(m_dir / "error.log");
  }
}

void LoopbackServer::start_listening(const std::function<std::vector<std::string>(int)>& argv,
                                     const fs::path& out, const fs::path& err, int timeout_ms) {
  for (int attempt = 0; attempt < 5 && m_pid < 0; ++attempt) {
    m_port = free_port();
    const int pid = spawn_process(argv(m_port), m_dir, clean_environment(m_dir), out, err);
    bool exited = false;
    for (int waited = 0; waited < timeout_ms; waited += 10) {
      if (accepts_connections(m_port)) {
        m_pid = pid;
        break;
      }
      if (wait_process(pid, 0)) {
        exited = true;  // the port was taken meanwhile, or a bad config
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (m_pid < 0 && !exited) {
      int failed = pid;
      stop(failed, SIGKILL);
    }
  }
}

void LoopbackServer::start_python(const std::string& script, std::vector<std::string> args,
                                  const std::string& what) {
  const std::string python = find_program({"/usr/bin/python3", "/usr/local/bin/python3"});
  if (python.empty()) {
    ADD_FAILURE() << "python3 not found: install python3 (scripts/bootstrap does)";
    return;
  }
  const fs::path port_file = m_dir / "port";
  args.insert(args.begin(), {python, std::string(QA_SOURCE_DIR) + "/tests/support/" + script,
                             "--port-file", port_file.string()});
  const int pid = spawn_process(args, m_dir, clean_environment(m_dir), m_dir / "server.out",
                                m_dir / "server.err");
  for (int waited = 0; waited < 10000; waited += 10) {
    if (fs::exists(port_file)) {
      m_port = std::stoi(read_text(port_file));
      m_pid = pid;
      return;
    }
    if (wait_process(pid, 0)) {
      ADD_FAILURE() << "the " << what << " exited: " << read_text(m_dir / "server.err");
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  int failed = pid;
  stop(failed, SIGKILL);
  ADD_FAILURE() << "the " << what << " did not start: " << read_text(m_dir / "server.err");
}

FaultServer::FaultServer(fs::path dir, const std::string& mode, const std::string& match,
                         const std::string& sigv4_secret)
    : LoopbackServer(std::move(dir), "requests.log", SIGTERM) {
  std::vector<std::string> args{
      "--root", m_data.string(), "--log", m_log.string(),  "--mode",
      mode,     "--match",       match,   "--headers-log", (m_dir / "headers.jsonl").string()};
  if (!sigv4_secret.empty()) {
    args.insert(args.end(), {"--sigv4-secret", sigv4_secret});
  }
  start_python("fault_server.py", std::move(args), "fault server");
}

std::vector<nlohmann::json> FaultServer::logged_headers() const {
  (void)count("", "");  // wait until the log stands still
  std::vector<nlohmann::json> out;
  for (const auto& line : read_lines(m_dir / "headers.jsonl")) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

S3rverServer::S3rverServer(fs::path dir, const std::string& bucket)
    : LoopbackServer(std::move(dir), "server.out", SIGTERM) {
  const std::string node = find_program({"/usr/bin/node", "/usr/local/bin/node"});
  const std::string s3rver =
      std::string(QA_SOURCE_DIR) + "/tests/s3/node_modules/s3rver/bin/s3rver.js";
  if (node.empty() || !fs::exists(s3rver)) {
    ADD_FAILURE() << "node or s3rver not found: run scripts/bootstrap (npm ci in tests/s3)";
    return;
  }
  start_listening(
      [&](int port) {
        return std::vector<std::string>{node,
                                        "--openssl-legacy-provider",
                                        s3rver,
                                        "-d",
                                        m_data.string(),
                                        "-a",
                                        "127.0.0.1",
                                        "-p",
                                        std::to_string(port),
                                        "--configure-bucket",
                                        bucket};
      },
      m_log, m_dir / "server.err", 20000);
  if (m_pid < 0) {
    ADD_FAILURE() << "s3rver did not start: " << read_text(m_dir / "server.err");
  }
}

S3rverServer& shared_s3rver() {
  static const TempDir dir;
  static S3rverServer server(dir / "s3rver", k_s3_bucket);
  return server;
}

ProcessResult minio_read(const std::string& endpoint, const std::string& bucket,
                         const std::string& prefix, const fs::path& out,
                         const std::map<std::string, std::string>& env) {
  const std::string node = find_program({"/usr/bin/node", "/usr/local/bin/node"});
  return run_process({node.empty() ? std::string("node") : node,
                      std::string(QA_SOURCE_DIR) + "/tests/s3/minio_read.mjs", endpoint, bucket,
                      prefix, out.string()},
                     out.parent_path(), env);
}

ForgeServer::ForgeServer(fs::path dir, const std::string& token, const fs::path& seed)
    : LoopbackServer(std::move(dir), "requests.jsonl", SIGTERM) {
  std::vector<std::string> args{
      "--log", m_log.string(), "--state", (m_dir / "state.json").string(), "--token", token};
  if (!seed.empty()) {
    args.insert(args.end(), {"--seed", seed.string()});
  }
  start_python("forge_server.py", std::move(args), "forge server");
}

std::vector<nlohmann::json> ForgeServer::logged() const {
  // A request is logged once it is answered: the client may be faster than the log, so read
  // until two reads 50 ms apart agree.
  std::vector<std::string> lines = requests();
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto again = requests();
    if (again == lines) {
      break;
    }
    lines = std::move(again);
  }
  std::vector<nlohmann::json> out;
  for (const auto& line : lines) {
    out.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
  }
  return out;
}

nlohmann::json ForgeServer::state() const {
  return nlohmann::json::parse(read_text(m_dir / "state.json"), nullptr,
                               /*allow_exceptions=*/false);
}

}  // namespace qa::test
