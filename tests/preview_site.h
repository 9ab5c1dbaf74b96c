// A site written into a temporary folder and served by the preview server
// (built once, not watched) on a free loopback port, for tests that read
// what a visitor's browser would get.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <string>

#include "serve/server.h"
#include "site-gen/date.h"
#include "tests/site_fixture.h"

namespace sitegen::testing {

struct PreviewSite {
  TempDir dir;
  std::unique_ptr<serve::PreviewServer> server;

  explicit PreviewSite(const std::map<std::string, std::string>& files) {
    write_site(dir.path(), files);
    serve::ServeOptions opt;
    opt.build.site = dir.path();
    opt.build.as_of = parse_iso_date("2026-01-01");
    opt.build.jobs = 2;
    opt.port = 0;
    opt.watch = false;
    server = std::make_unique<serve::PreviewServer>(opt);
    std::string error;
    REQUIRE_MESSAGE(server->start(&error), error);
  }

  // The body of `target`, checking that it answered `status`.
  std::string get(const std::string& target, int status = 200) const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_read_timeout(10, 0);
    auto r = c.Get(target.c_str());
    REQUIRE(r);
    CHECK_MESSAGE(r->status == status, target);
    return r->body;
  }
};

}  // namespace sitegen::testing
