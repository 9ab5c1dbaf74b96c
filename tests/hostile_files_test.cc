// Hostile and broken files (issue 10, points 1, 3, 7 and the file-system
// messages of 9), end to end: small sites in a temporary folder built with
// the site-gen binary, each under `timeout` so that a regression that hangs
// on a FIFO fails the test instead of the suite. Nothing active is
// published, no link leads out of the site, nothing hangs or crashes, and
// every message is `path:line: message`.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "site-gen/load.h"
#include "tests/passive_files.h"
#include "tests/raw_client.h"
#include "tests/site_fixture.h"

using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const char* const kSlug = "aplc-msp-1-1999-1";

// The report's front matter; its files: list is on line 6.
std::string report(const std::string& files) {
  return "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Report\ndate: 1999-05-07\ntype: report\nfiles: [" +
         files + "]\n---\nText.\n";
}

void write_good_site(const fs::path& root, const std::string& files = "") {
  write_site(root, {
                       {"site.yaml", "title: Test\nlanguages: [en, fr]\n"},
                       {"content/countries/angola.yaml", "iso: AO\nsigned: 1997-12-04\n"},
                       {"content/meetings/msp1/meeting.yaml",
                        "kind: msp\ntitle: { en: First Meeting }\nstart: 1999-05-03\n"
                        "end: 1999-05-07\n"},
                       {"content/meetings/msp1/report.en.md", report(files)},
                   });
}

// site-gen with `args`, killed after 20 s: a hang shows as exit code 137.
RunResult run_bounded(const std::string& args) {
  return run_command("timeout -s KILL 20 " + std::string(SITE_GEN_BINARY) + " " + args);
}

RunResult build(const fs::path& site) {
  return run_bounded("build --site " + site.string() + " --as-of 2026-01-01");
}

RunResult check(const fs::path& site) {
  return run_bounded("check --site " + site.string() + " --as-of 2026-01-01");
}

void symlink(const fs::path& target, const fs::path& link) {
  std::error_code ec;
  fs::create_directories(link.parent_path(), ec);
  fs::create_symlink(target, link, ec);
  REQUIRE_FALSE(ec);
}

void fifo(const fs::path& p) {
  fs::create_directories(p.parent_path());
  REQUIRE(::mkfifo(p.c_str(), 0644) == 0);
}

// A refused site: exit 1, the message, and nothing published.
void refused(const fs::path& site, const RunResult& r, const std::string& message) {
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find(message) != std::string::npos);
  CHECK(r.output.find("terminate called") == std::string::npos);
  CHECK_FALSE(fs::exists(site / "public"));
}

bool anywhere_under(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->path().filename() == name) return true;
  return false;
}

}  // namespace

// ---------------------------------------------------------------- point 1

TEST_CASE("hostile files: an active or disguised attachment is an error at its files: line") {
  for (const auto& [name, data] : active_samples()) {
    TempDir dir;
    write_good_site(dir.path(), name);
    write_file(dir.path() / "content/meetings/msp1" / name, data);
    RunResult r = build(dir.path());
    refused(dir.path(), r, "content/meetings/msp1/report.en.md:6: attachment \"" + name + "\"");
  }
}

TEST_CASE("hostile files: a .pdf that is HTML names what it really is") {
  TempDir dir;
  write_good_site(dir.path(), "wp7.pdf");
  write_file(dir.path() / "content/meetings/msp1/wp7.pdf", "<html><script>alert(1)</script>");
  refused(dir.path(), build(dir.path()),
          "content/meetings/msp1/report.en.md:6: attachment \"wp7.pdf\" is named .pdf but its "
          "content is text/html, not a PDF");
}

TEST_CASE("hostile files: passive attachments are published as files, and unnamed files are not") {
  TempDir dir;
  fs::path meeting = dir.path() / "content/meetings/msp1";
  std::string names;
  for (const auto& [name, data] : passive_samples()) {
    write_file(meeting / name, data);
    names += (names.empty() ? "" : ", ") + name;
  }
  write_passive_zips(meeting);
  names += ", paper.docx, bundle.zip, sheet.xlsx, text.odt";
  write_good_site(dir.path(), names);
  write_file(meeting / "unused.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  write_file(meeting / "drafts" / "unused.html", "<script>alert(1)</script>");
  RunResult r = build(dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  for (const auto& [name, data] : passive_samples())
    for (const char* lang : {"en", "fr"}) {
      fs::path out = dir.path() / "public" / lang / "documents" / kSlug / name;
      INFO(out);
      CHECK(fs::is_regular_file(fs::symlink_status(out)));
      CHECK(read_file(out) == data);
    }
  CHECK_FALSE(anywhere_under(dir.path() / "public", "unused.svg"));
  CHECK_FALSE(anywhere_under(dir.path() / "public", "unused.html"));
}

// ---------------------------------------------------------------- point 3

TEST_CASE("hostile files: a files: entry that is a link out of the site is an error") {
  TempDir dir, outside;
  write_file(outside.path() / "passwd", "root:x:0:0:root:/root:/bin/bash\n");
  write_good_site(dir.path(), "secret.pdf");
  symlink(outside.path() / "passwd", dir.path() / "content/meetings/msp1/secret.pdf");
  RunResult r = build(dir.path());
  refused(dir.path(), r,
          "content/meetings/msp1/report.en.md:6: attachment \"secret.pdf\" cannot be published: "
          "it leads to " +
              fs::canonical(outside.path() / "passwd").string() + ", outside the site folder");
  CHECK(r.output.find("not found") == std::string::npos);  // once, at the files: line
  CHECK(count(r.output, "secret.pdf") == 1);
}

TEST_CASE("hostile files: a files: entry through a folder link out of the site is an error") {
  TempDir dir, outside;
  write_file(outside.path() / "etc" / "hostname", "secret-host\n");
  write_good_site(dir.path(), "annex/hostname.txt");
  write_file(outside.path() / "etc" / "hostname.txt", "secret-host\n");
  symlink(outside.path() / "etc", dir.path() / "content/meetings/msp1/annex");
  refused(dir.path(), build(dir.path()),
          "content/meetings/msp1/report.en.md:6: attachment \"annex/hostname.txt\" cannot be "
          "published: annex: it leads to " +
              fs::canonical(outside.path() / "etc").string() + ", outside the site folder");
}

TEST_CASE("hostile files: a meeting folder, country file or content file linked out is an error") {
  struct Case {
    const char* link;
    const char* outside_file;  // created in the outside folder; the link points to it
    std::string expected;
  };
  std::vector<Case> cases = {
      {"content/meetings/msp9", "meeting", "content/meetings/msp9:1: cannot read: it leads to "},
      {"content/countries/chad.yaml", "chad.yaml",
       "content/countries/chad.yaml:1: cannot read: it leads to "},
      {"content/meetings/msp1/report.fr.md", "report.fr.md",
       "content/meetings/msp1/report.fr.md:1: cannot read: it leads to "},
      {"content/pages/about.en.md", "about.en.md",
       "content/pages/about.en.md:1: cannot read: it leads to "},
      {"site.yaml", "site.yaml", "site.yaml:1: cannot read: it leads to "},
  };
  for (const Case& c : cases) {
    TempDir dir, outside;
    write_good_site(dir.path());
    write_file(outside.path() / "meeting" / "meeting.yaml",
               "kind: msp\ntitle: { en: Ninth }\nstart: 2008-11-24\nend: 2008-11-28\n");
    write_file(outside.path() / "chad.yaml", "iso: TD\n");
    write_file(outside.path() / "report.fr.md", report(""));
    write_file(outside.path() / "about.en.md", "---\ntitle: About\n---\nHi.\n");
    write_file(outside.path() / "site.yaml", "title: Test\nlanguages: [en, fr]\n");
    fs::remove(dir.path() / c.link);
    symlink(outside.path() / c.outside_file, dir.path() / c.link);
    RunResult r = check(dir.path());
    INFO(c.link);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(c.expected) != std::string::npos);
    CHECK(r.output.find("outside the site folder") != std::string::npos);
  }
}

TEST_CASE("hostile files: links inside the site are followed, and publish real files") {
  TempDir dir;
  write_good_site(dir.path(), "alias.pdf, maps/map.png");
  std::string pdf = make_pdf({"Shared"});
  std::string png = passive_samples()[7].second;  // map.png
  write_file(dir.path() / "shared" / "real.pdf", pdf);
  write_file(dir.path() / "content/meetings/msp2/annex/map.png", png);
  write_file(dir.path() / "content/meetings/msp2/meeting.yaml",
             "kind: msp\ntitle: { en: Second }\nstart: 2000-09-11\nend: 2000-09-15\n");
  symlink("../../../shared/real.pdf", dir.path() / "content/meetings/msp1/alias.pdf");
  symlink("../msp2/annex", dir.path() / "content/meetings/msp1/maps");
  RunResult r = build(dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  fs::path doc = dir.path() / "public/en/documents" / kSlug;
  CHECK(fs::is_regular_file(fs::symlink_status(doc / "alias.pdf")));
  CHECK(fs::is_regular_file(fs::symlink_status(doc / "maps/map.png")));
  CHECK(read_file(doc / "alias.pdf") == pdf);
  CHECK(read_file(doc / "maps/map.png") == png);
}

// ---------------------------------------------------------------- point 7

TEST_CASE("hostile files: a FIFO anywhere is a message, never a hang") {
  struct Case {
    const char* fifo;
    std::string expected;
  };
  const std::string is_fifo = ":1: cannot read: it is a FIFO (named pipe), not a regular file";
  std::vector<Case> cases = {
      {"content/meetings/msp1/pipe.en.md", "content/meetings/msp1/pipe.en.md" + is_fifo},
      {"content/meetings/msp1/annex/pipe.pdf", "content/meetings/msp1/annex/pipe.pdf" + is_fifo},
      {"content/pipe", "content/pipe" + is_fifo},
      {"content/countries/chad.yaml", "content/countries/chad.yaml" + is_fifo},
      {"content/pages/about.en.md", "content/pages/about.en.md" + is_fifo},
      {"content/topics.yaml", "content/topics.yaml" + is_fifo},
      {"site.yaml", "site.yaml" + is_fifo},
      {"layouts/home.mustache", "layouts/home.mustache" + is_fifo},
  };
  for (const Case& c : cases) {
    TempDir dir;
    write_good_site(dir.path());
    fs::remove(dir.path() / c.fifo);
    fifo(dir.path() / c.fifo);
    INFO(c.fifo);
    refused(dir.path(), build(dir.path()), c.expected);
    RunResult r = check(dir.path());
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(c.expected) != std::string::npos);
    CHECK(count(r.output, c.expected) == 1);  // once
  }
}

TEST_CASE("hostile files: a FIFO named by files: is reported at the files: line") {
  TempDir dir;
  write_good_site(dir.path(), "pipe.pdf");
  fifo(dir.path() / "content/meetings/msp1/pipe.pdf");
  refused(dir.path(), build(dir.path()),
          "content/meetings/msp1/report.en.md:6: attachment \"pipe.pdf\" cannot be published: it "
          "is a FIFO (named pipe), not a regular file");
}

TEST_CASE("hostile files: a loop of links is a message, not an uncaught exception") {
  TempDir dir;
  write_good_site(dir.path());
  symlink(".", dir.path() / "content/meetings/msp1/loop");
  RunResult r = build(dir.path());
  refused(dir.path(), r,
          "content/meetings/msp1/loop:1: cannot read: it is a symbolic link loop: it leads back to "
          "content/meetings/msp1, which holds it");
  CHECK(r.exit_code != 134);

  TempDir two;
  write_good_site(two.path());
  symlink("b.yaml", two.path() / "content/countries/a.yaml");
  symlink("a.yaml", two.path() / "content/countries/b.yaml");
  symlink("l2.mustache", two.path() / "layouts/l1.mustache");
  symlink("l1.mustache", two.path() / "layouts/l2.mustache");
  RunResult r2 = check(two.path());
  INFO(r2.output);
  CHECK(r2.exit_code == 1);
  CHECK(r2.output.find("content/countries/a.yaml:1: cannot read: it is a symbolic link loop") !=
        std::string::npos);
  CHECK(r2.output.find("layouts/l1.mustache:1: cannot read: it is a symbolic link loop") !=
        std::string::npos);
}

TEST_CASE("hostile files: a dangling link is path:line: message") {
  TempDir dir;
  write_good_site(dir.path(), "gone.pdf");
  symlink("nowhere.yaml", dir.path() / "content/countries/chad.yaml");
  symlink("nowhere.pdf", dir.path() / "content/meetings/msp1/gone.pdf");
  symlink("nowhere.md", dir.path() / "content/meetings/msp1/report.fr.md");
  RunResult r = build(dir.path());
  refused(dir.path(), r,
          "content/countries/chad.yaml:1: cannot read: it is a symbolic link whose target does "
          "not exist");
  CHECK(r.output.find("content/meetings/msp1/report.en.md:6: attachment \"gone.pdf\" cannot be "
                      "published: it is a symbolic link whose target does not exist") !=
        std::string::npos);
  CHECK(r.output.find("content/meetings/msp1/report.fr.md:1: cannot read: it is a symbolic link "
                      "whose target does not exist") != std::string::npos);
}

TEST_CASE("hostile files: a socket or a device in content/ is a message") {
  TempDir dir;
  write_good_site(dir.path());
  fs::path sock_path = dir.path() / "content/meetings/msp1/agent.sock";
  int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(sock_path.string().size() < sizeof addr.sun_path);
  std::string s = sock_path.string();
  std::copy(s.begin(), s.end(), addr.sun_path);
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  // A device node (the numbers of /dev/null) needs CAP_MKNOD: root in CI,
  // but a container may refuse it.
  bool device = ::mknod((dir.path() / "content/meetings/msp1/null.en.md").c_str(), S_IFCHR | 0644,
                        makedev(1, 3)) == 0;
  RunResult r = check(dir.path());
  ::close(sock);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("content/meetings/msp1/agent.sock:1: cannot read: it is a socket, not a "
                      "regular file") != std::string::npos);
  if (device)
    CHECK(r.output.find("content/meetings/msp1/null.en.md:1: cannot read: it is a device, not a "
                        "regular file") != std::string::npos);
  else
    MESSAGE("mknod refused here: the device case was not run");
}

TEST_CASE("hostile files: serve with a FIFO in content/ reports it, serves, and stops on SIGTERM") {
  TempDir dir;
  write_good_site(dir.path());
  fifo(dir.path() / "content/meetings/msp1/pipe.en.md");
  int port = free_port();
  REQUIRE(port > 0);
  fs::path log = dir.path() / "serve.log";
  // Killed after 30 s if it hangs or ignores SIGTERM: the exit code is then 137.
  std::string script = "timeout -s KILL 30 " + std::string(SITE_GEN_BINARY) + " serve --site " +
                       dir.path().string() + " --port " + std::to_string(port) +
                       " --as-of 2026-01-01 > " + log.string() + " 2>&1 & pid=$!; " +
                       "for i in $(seq 100); do grep -q 'serving\\|stopping' " + log.string() +
                       " && break; sleep 0.2; done; kill -TERM $pid; wait $pid; echo rc=$?";
  FILE* p = popen(script.c_str(), "r");
  std::string out;
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  std::string served = read_file(log);
  INFO(served);
  CHECK(out.find("rc=0") != std::string::npos);
  CHECK(served.find("content/meetings/msp1/pipe.en.md:1: cannot read: it is a FIFO") !=
        std::string::npos);
  CHECK(served.find("serving") != std::string::npos);
}

// ---------------------------------------------------------------- point 9

TEST_CASE("hostile files: missing site.yaml and meeting.yaml are path:1: messages") {
  TempDir dir;
  write_good_site(dir.path());
  fs::remove(dir.path() / "site.yaml");
  RunResult r = check(dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("site.yaml:1: missing file: every site needs a site.yaml\n") !=
        std::string::npos);

  TempDir two;
  write_good_site(two.path());
  write_file(two.path() / "content/meetings/msp2/report.en.md", report(""));
  RunResult r2 = check(two.path());
  CHECK(r2.exit_code == 1);
  CHECK(r2.output.find("content/meetings/msp2/meeting.yaml:1: missing file: every meeting "
                       "folder needs a meeting.yaml\n") != std::string::npos);
}

TEST_CASE("hostile files: an attachment warning is at the files: line that names the file") {
  TempDir dir;
  write_good_site(dir.path(), "broken.pdf");
  write_file(dir.path() / "content/meetings/msp1/broken.pdf", "%PDF-1.4 not really\n");
  RunResult r = build(dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("content/meetings/msp1/report.en.md:6: warning: attachment \"broken.pdf\" "
                      "not indexed: cannot read PDF") != std::string::npos);
  CHECK(r.output.find(dir.path().string()) == std::string::npos);  // no absolute path
}

TEST_CASE("hostile files: an attachment replaced by HTML is refused by a load that keeps a cache") {
  // The preview server loads with a LoadCache, which keeps each check by
  // the file's stamp: a new file under the old name is checked again.
  TempDir dir;
  write_good_site(dir.path(), "wp7.pdf");
  fs::path file = dir.path() / "content/meetings/msp1/wp7.pdf";
  write_file(file, make_pdf({"Fine"}));
  sitegen::LoadCache cache;
  sitegen::Diagnostics first;
  sitegen::load_site(dir.path(), first, &cache);
  CHECK_FALSE(first.has_errors());
  write_file(file, "<html><script>alert(1)</script></html>");
  sitegen::Diagnostics second;
  sitegen::load_site(dir.path(), second, &cache);
  REQUIRE(second.has_errors());
  CHECK(second.items().front().str() ==
        "content/meetings/msp1/report.en.md:6: attachment \"wp7.pdf\" is named .pdf but its "
        "content is text/html, not a PDF");
}

TEST_CASE("hostile files: static/ is walked like content: no loop crash, no link out") {
  TempDir dir, outside;
  write_good_site(dir.path());
  write_file(outside.path() / "secret.txt", "secret\n");
  write_file(dir.path() / "static/img/logo.png", passive_samples()[7].second);
  symlink("l2", dir.path() / "static/l1");
  symlink("l1", dir.path() / "static/l2");
  symlink(outside.path() / "secret.txt", dir.path() / "static/secret.txt");
  RunResult r = build(dir.path());
  refused(dir.path(), r, "static/l1:1: cannot read: it is a symbolic link loop");
  CHECK(r.output.find("static/secret.txt:1: cannot read: it leads to") != std::string::npos);

  fs::remove(dir.path() / "static/l1");
  fs::remove(dir.path() / "static/l2");
  fs::remove(dir.path() / "static/secret.txt");
  symlink("img/logo.png", dir.path() / "static/logo.png");  // inside: fine, a real file
  RunResult ok = build(dir.path());
  INFO(ok.output);
  REQUIRE(ok.exit_code == 0);
  CHECK(fs::is_regular_file(fs::symlink_status(dir.path() / "public/logo.png")));
  CHECK(fs::is_regular_file(fs::symlink_status(dir.path() / "public/img/logo.png")));
}

// Root reads a chmod 000 file all the same (the tests run as root here and
// in CI), so as root the check runs as user 65534 through setpriv(1)
// (util-linux); as another user it runs as that user.
TEST_CASE("hostile files: a file or folder that may not be read is path:line: message") {
  TempDir dir;
  write_good_site(dir.path());
  write_file(dir.path() / "content/countries/chad.yaml", "iso: TD\n");
  fs::create_directories(dir.path() / "content/meetings/msp1/locked");
  fs::permissions(dir.path() / "content/countries/chad.yaml", fs::perms::none);
  fs::permissions(dir.path() / "content/meetings/msp1/locked", fs::perms::none);
  std::string as_user;
  if (::geteuid() == 0) {
    if (std::system("command -v setpriv >/dev/null 2>&1") != 0) {
      MESSAGE("skipped: running as root without setpriv, which could drop the privilege");
      return;
    }
    as_user = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  }
  RunResult r = run_command("timeout -s KILL 20 " + as_user + SITE_GEN_BINARY + " check --site " +
                            dir.path().string() + " --as-of 2026-01-01");
  fs::permissions(dir.path() / "content/meetings/msp1/locked", fs::perms::owner_all);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("content/countries/chad.yaml:1: cannot read: permission denied") !=
        std::string::npos);
  CHECK(r.output.find("content/meetings/msp1/locked:1: cannot list the folder") !=
        std::string::npos);
}
