#include "site-gen/build.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "index/writer.h"
#include "site-gen/affected.h"
#include "site-gen/search_template.h"
#include "site-gen/files.h"
#include "site-gen/load.h"
#include "site-gen/pages.h"
#include "site-gen/publish.h"
#include "site-gen/render.h"
#include "site-gen/attachments.h"
#include "site-gen/build_state.h"
#include "site-gen/resolve.h"
#include "site-gen/search_entries.h"
#include "site-gen/site_snapshot.h"
#include "site-gen/theme.h"

namespace sitegen {
namespace fs = std::filesystem;
namespace {

struct StaticFile {
  std::string rel;  // under the output root
  fs::path real;    // the file to copy
};

// The files of the theme's static/ and the site's static/ folder, walked as
// the content is (files.h): links followed only inside the site (the
// theme's folder, for the theme's files), loops found; a FIFO, device,
// dangling link or link out is reported to `diags` when given.
std::vector<StaticFile> static_files(const Theme& theme, const fs::path& site_root,
                                     Diagnostics* diags) {
  std::vector<StaticFile> out;
  const fs::path site = fs::absolute(site_root).lexically_normal();
  for (const fs::path& root : theme.static_roots) {
    fs::path dir = fs::absolute(root).lexically_normal();
    fs::path in_site = dir.lexically_relative(site);
    bool site_owned = !in_site.empty() && *in_site.begin() != "..";
    fs::path top = site_owned ? site : dir.parent_path();
    const SiteTree tree(top);
    std::string shown_prefix = site_owned ? "" : top.string() + "/";
    SiteEntry start = tree.find(dir.lexically_relative(top).generic_string());
    std::vector<SiteEntry> todo;
    if (start.is_folder()) todo.push_back(start);
    while (!todo.empty()) {
      SiteEntry folder = std::move(todo.back());
      todo.pop_back();
      std::string error;
      for (SiteEntry& e : tree.list(folder, &error)) {
        if (e.is_folder()) {
          todo.push_back(std::move(e));
        } else if (e.is_file()) {
          std::string rel = e.rel.substr(start.rel.size() + 1);
          out.push_back({rel, e.resolved});
        } else if (diags) {
          diags->error(shown_prefix + e.rel, 1, "cannot read: " + e.problem);
        }
      }
      if (!error.empty() && diags) diags->error(shown_prefix + folder.rel, 1, error);
    }
  }
  return out;
}

// Every file the build will write besides the pages (the theme's static
// files only when it loaded): the plan keeps page aliases off them, and with
// the pages they are what a link may lead to.
std::set<std::string> published_files(const Site& site, const Theme* theme,
                                      const fs::path& site_root, Diagnostics& diags) {
  std::set<std::string> out;
  out.insert("/sitemap.xml");
  out.insert("/robots.txt");
  for (const auto& lang : site.languages()) out.insert("/" + lang + "/feed.xml");
  if (theme)
    for (const StaticFile& f : static_files(*theme, site_root, &diags)) out.insert("/" + f.rel);
  for (size_t i = 0; i < site.content.documents.size(); ++i)
    for (const Ref& f : site.content.documents[i].files)
      for (const auto& lang : site.languages())
        out.insert(document_url(site, lang, int(i)) + f.value);
  return out;
}

// Renders the pages on `jobs` threads straight into the new generation's tree.
void render_pages(const Renderer& renderer, const Theme& theme,
                  const std::vector<const PlannedPage*>& pages, int jobs, Publisher& pub,
                  BuildReport& report) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  auto work = [&] {
    LayoutPool::Lease layouts = theme.borrow_layouts();
    Diagnostics local;
    for (size_t i; pub.ok() && (i = next.fetch_add(1)) < pages.size();) {
      const PlannedPage& p = *pages[i];
      std::string error;
      std::string html = renderer.render(p, *layouts, &error);
      if (!error.empty()) {
        local.error(std::string("layouts/") + layout_name(p.kind) + ".mustache", 0,
                    "rendering " + p.url + ": " + error);
        continue;
      }
      // A write that fails (a full disk, a read-only folder) is the
      // Publisher's one failure, reported once by build(); writing stops.
      if (!pub.write(output_path(p.url), html, &error)) break;
    }
    std::lock_guard lock(mu);
    report.diags.merge(std::move(local));
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs && size_t(t) < pages.size(); ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  report.pages = pages.size();
}

// The feeds (when `feeds`: they list what the home pages list), and with
// `all_files` the sitemap, static files and attachments. A rebuild in place
// keeps those already there: it only happens when nothing but content
// changed, so the set of pages is the same (affected.h).
void write_extras(const Site& site, const Renderer& renderer, const Theme& theme,
                  const std::vector<PlannedPage>& pages, const fs::path& site_root,
                  bool feeds, bool all_files, Publisher& pub, BuildReport& report) {
  std::string error;
  // A failure is the Publisher's (the real file and why), reported once by
  // build(); every later write then fails at once.
  auto check = [&](bool ok) {
    if (ok) ++report.files;
  };
  if (feeds)
    for (const auto& lang : site.languages())
      check(pub.write(lang + "/feed.xml", renderer.feed(lang), &error));
  // The sitemap in every build, in place too: which versions exist and
  // their dates are content.
  check(pub.write("sitemap.xml", renderer.sitemap(pages), &error));
  if (!all_files) return;
  bool own_robots = false;  // a theme's (or site's) own robots.txt wins
  for (const StaticFile& f : static_files(theme, site_root, nullptr)) {
    check(pub.link_file(f.real, f.rel, &error));
    own_robots = own_robots || f.rel == "robots.txt";
  }
  if (!own_robots) check(pub.write("robots.txt", renderer.robots_txt(), &error));
  // Attachments are published beside the document page in every language,
  // each a copy or hard link of the real file inside the site (never of a
  // link, which a static server would follow out of the site). The loader
  // checked where each leads; it is resolved again here so that what is
  // linked is what was checked.
  const Content& c = site.content;
  const SiteTree tree(site_root);
  for (size_t i = 0; i < c.documents.size(); ++i)
    for (const Ref& f : c.documents[i].files) {
      std::string rel = "content/meetings/" + c.documents[i].meeting + "/" + f.value;
      SiteEntry from = tree.find(rel);
      if (!from.is_file()) {
        report.diags.error(rel, 1,
                           "cannot publish " + rel + ": " +
                               (from.problem.empty() ? "no such file" : from.problem));
        continue;
      }
      for (const auto& lang : site.languages())
        check(pub.link_file(from.resolved, document_url(site, lang, int(i)).substr(1) + f.value,
                            &error));
    }
}

index::Sharding sharding_of(const BuildOptions& opt) {
  return opt.shard_index ? index::Sharding::by_language : index::Sharding::none;
}

// Times the stages of a build for --verbose.
class StageClock {
 public:
  explicit StageClock(BuildReport& report) : report_(report) {}
  void done(const char* stage) {
    auto now = std::chrono::steady_clock::now();
    report_.stages.emplace_back(stage, std::chrono::duration<double>(now - last_).count());
    report_.seconds = std::chrono::duration<double>(now - start_).count();
    last_ = now;
  }

 private:
  BuildReport& report_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

// Indexes the site into `dir` (the new generation's copy of the index, or
// in place the published one) inside a transaction that the caller commits
// once the pages are written; nullptr (with diagnostics) when indexing
// failed. With `only` (a rebuild after an edit), just the entries of those
// pages.
std::unique_ptr<index::Writer> index_site(const Site& site, const BuildOptions& opt,
                                          const fs::path& dir,
                                          const std::vector<const PlannedPage*>* only,
                                          BuildReport& report) {
  std::vector<index::Entry> entries = search_entries(site, only);
  // Never synced by Xapian: a new generation is made durable as a whole by
  // the Publisher (one syncfs) before it is published; a rebuild in place
  // after an edit (the preview server) writes its pages without fsync, and
  // the index likewise: the edit shows 10-30 ms sooner, and what a system
  // crash could lose, the next build makes again.
  auto writer = std::make_unique<index::Writer>(dir, sharding_of(opt), index::Durability::unsynced);
  index::WriteStats stats;
  auto scope = only ? index::Writer::Scope::these_entries : index::Writer::Scope::whole_site;
  if (!writer->ok() || !writer->update(entries, &stats, scope)) {
    // Named by the index path the reader knows; Xapian's message names the file.
    report.diags.error(index_dir(opt).string(), 0,
                       "cannot write the search index: " + writer->error());
    return nullptr;
  }
  report.indexed = stats.added + stats.replaced;
  report.index_unchanged = stats.unchanged;
  report.index_deleted = stats.deleted;
  return writer;
}

}  // namespace

fs::path output_dir(const BuildOptions& opt) {
  return opt.out.empty() ? opt.site / "public" : opt.out;
}

fs::path index_dir(const BuildOptions& opt) {
  if (!opt.index.empty()) return opt.index;
  fs::path out = fs::absolute(output_dir(opt)).lexically_normal();
  if (!out.has_filename()) out = out.parent_path();
  return out.parent_path() / (out.filename().string() + "-index");
}

namespace {

// The theme of the previous build when the edit left it alone (it depends on
// site.yaml, layouts/, i18n/ and themes/, never on content/), with the
// warnings it was loaded with; else the theme loaded again.
std::shared_ptr<const Theme> theme_for(const BuildOptions& opt, const SiteConfig& config,
                                       const BuiltSite* previous,
                                       const std::vector<fs::path>& changed,
                                       Diagnostics& found) {
  if (previous && previous->theme && !changed.empty() &&
      previous->site->content.config.theme == config.theme &&
      previous->site->languages() == config.languages &&
      only_under(opt.site, changed, "content")) {
    found = previous->theme_warnings;
    return previous->theme;
  }
  std::optional<Theme> theme = load_theme(opt.site, config, found);
  return theme ? std::make_shared<const Theme>(std::move(*theme)) : nullptr;
}

// What a build's output depends on besides its files (build_state.h).
std::string options_key(const BuildOptions& opt, const Date& as_of) {
  return "out " + fs::absolute(output_dir(opt)).lexically_normal().string() + "\nindex " +
         fs::absolute(index_dir(opt)).lexically_normal().string() + "\nwrite_index " +
         std::to_string(opt.write_index) + "\nshards " + std::to_string(opt.shard_index) +
         "\nas_of " + as_of.iso() + "\n";
}

// The build state an incremental build starts from: its files stamped
// before anything is read, and whether the published output is what they
// and the options would make again.
struct StateCheck {
  BuildState now;
  // The state of the build whose output is published, when it was made
  // with the same tool and options (then its site can be restored).
  std::optional<BuildState> last;
  bool unchanged = false;
};

StateCheck check_state(const BuildOptions& opt, const Date& as_of) {
  StateCheck c;
  const fs::path out = output_dir(opt);
  c.last = read_build_state(build_state_path(out));
  c.now.key = build_key(options_key(opt, as_of));
  c.now.theme = c.last ? c.last->theme : "default";
  c.now.inputs = stamp_inputs(opt.site, c.now.theme);
  if (opt.clean || !c.last || c.last->key != c.now.key || c.last->generation == 0 ||
      published_generation(out, index_dir(opt)) != c.last->generation)
    c.last.reset();
  c.unchanged = c.last && inputs_unchanged(opt.site, c.last->inputs, c.now.inputs);
  if (c.unchanged) c.now = *c.last;
  return c;
}

// The site the last build published, from its snapshot, with its theme,
// plan and published files as that build made them: what the preview
// server keeps in memory between edits. nullptr when the snapshot is not
// the one the state names.
std::unique_ptr<BuiltSite> restore_built(const BuildOptions& opt, const BuildState& last) {
  auto bytes = read_whole_file(site_snapshot_path(output_dir(opt)));
  if (!bytes || bytes->size() != last.snapshot_size || sample_hash(*bytes) != last.snapshot_sample)
    return nullptr;
  auto b = std::make_unique<BuiltSite>();
  b->site = restore_site(*bytes);
  if (!b->site) return nullptr;
  bytes.reset();
  // The theme as it is now: an edit of it renders every page anyway.
  std::optional<Theme> theme = load_theme(opt.site, b->site->content.config, b->theme_warnings);
  if (!theme || b->theme_warnings.has_errors()) return nullptr;
  b->theme = std::make_shared<const Theme>(std::move(*theme));
  Diagnostics ignored;  // the last build's, which had none
  std::set<std::string> files = published_files(*b->site, b->theme.get(), opt.site, ignored);
  b->plan = std::make_shared<const Plan>(plan_pages(*b->site, files, ignored));
  for (const PlannedPage& p : b->plan->pages()) files.insert(p.url);
  b->published = std::make_shared<const std::set<std::string>>(std::move(files));
  return b;
}

// The snapshot of a site written beside its place (renamed over it by
// record_state once the build is published): made beside the render, on
// a thread of its own.
struct SnapshotFile {
  fs::path written;  // empty: it could not be written
  uint64_t size = 0, sample = 0;
};

SnapshotFile write_snapshot_beside(const fs::path& out, const Site& site) {
  SnapshotFile f;
  const std::string bytes = snapshot_site(site);
  f.size = bytes.size();
  f.sample = sample_hash(bytes);
  fs::path tmp = site_snapshot_path(out);
  tmp += ".new-" + std::to_string(getpid());
  std::error_code ec;
  fs::create_directories(tmp.parent_path(), ec);
  if (write_whole_file(tmp, bytes) == 0) f.written = tmp;
  return f;
}

// The snapshot's thread. Waited for before the site goes, whatever
// happens; its file removed unless taken.
class SnapshotJob {
 public:
  void start(const fs::path& out, const Site& site) {
    job_ = std::async(std::launch::async, [out, &site] { return write_snapshot_beside(out, site); });
  }
  SnapshotFile take() { return job_.valid() ? job_.get() : SnapshotFile(); }
  ~SnapshotJob() {
    std::error_code ec;
    if (job_.valid())
      if (SnapshotFile f = job_.get(); !f.written.empty()) fs::remove(f.written, ec);
  }

 private:
  std::future<SnapshotFile> job_;
};

// Records what the build just published came from. A state that cannot be
// written costs the next build its shortcut, nothing else.
void record_state(const BuildOptions& opt, BuildState state, const Site& site,
                  SnapshotFile snapshot, const BuildReport& report, long base,
                  std::vector<std::string> written) {
  const fs::path out = output_dir(opt);
  const std::string& theme = site.content.config.theme;
  // A theme other than the one stamped: its folder stamped now.
  if (theme != state.theme) {
    state.theme = theme;
    state.inputs = stamp_inputs(opt.site, theme);
  }
  state.generation = published_generation(out, index_dir(opt));
  state.warnings = report.diags.items();
  state.pages = report.site_pages;
  state.files = report.site_files;
  state.base = base;
  state.written = std::move(written);
  state.snapshot_size = snapshot.size;
  state.snapshot_sample = snapshot.sample;
  std::string error;  // a cache: not written, it is not used
  std::error_code ec;
  if (state.generation == 0 || snapshot.written.empty() ||
      (fs::rename(snapshot.written, site_snapshot_path(out), ec), ec) ||
      !write_build_state(build_state_path(out), state, &error))
    forget_build_state(out);
  if (!snapshot.written.empty()) fs::remove(snapshot.written, ec);  // if not renamed
}

// The warnings of the last build about files an incremental build did not
// read again, and the build's own, each once.
void merge_warnings(Diagnostics& diags, const std::vector<Diagnostic>& last,
                    const std::vector<fs::path>& changed) {
  std::set<std::string> seen, reread;
  for (const fs::path& p : changed) reread.insert(p.generic_string());
  for (const Diagnostic& d : diags.items()) seen.insert(d.str());
  for (const Diagnostic& d : last)
    if (!reread.count(d.path) && seen.insert(d.str()).second) diags.add(d);
}

BuildReport build(const BuildOptions& options, const BuiltSite* previous,
                  const std::vector<fs::path>& edits) {
  BuildReport report;
  StageClock clock(report);
  Diagnostics& diags = report.diags;
  BuildOptions opt = options;
  std::vector<fs::path> changed = edits;
  const Date as_of = opt.as_of.value_or(today_utc());
  // An incremental `site-gen build`: the last build's site, restored, is
  // the previous one, and the files whose stamps changed are the edits.
  std::optional<StateCheck> state;
  std::unique_ptr<BuiltSite> restored;
  LoadCache parsed;
  if (opt.incremental && opt.write && !previous) {
    state = check_state(opt, as_of);
    clock.done("check");
    if (state->unchanged) {
      for (const Diagnostic& d : state->now.warnings) diags.add(d);
      report.pages = report.site_pages = state->now.pages;
      report.files = report.site_files = state->now.files;
      report.unchanged = true;
      return report;
    }
    if (state->last && (restored = restore_built(opt, *state->last))) {
      previous = restored.get();
      changed = changed_inputs(opt.site, state->last->inputs, state->now.inputs);
      opt.cache = &parsed;
    }
    clock.done("restore");
  }
  // The new generation starts from the published one's pages, and only
  // those the edits change are written (in place: the preview server's).
  const bool seeded = restored != nullptr;
  std::optional<Reloaded> patched;
  if (previous && opt.cache && previous->plan && previous->published)
    patched = reload_documents(opt.site, previous->site->content, changed, *opt.cache, diags);
  Content content =
      patched ? std::move(patched->content) : load_site(opt.site, diags, opt.cache);
  clock.done("load");
  if (content.config.languages.empty()) return report;  // site.yaml unusable: reported
  auto model = std::make_shared<BuiltSite>();
  model->theme = theme_for(opt, content.config, previous, changed, model->theme_warnings);
  diags.merge(model->theme_warnings);
  // Before resolving: documents are tagged with their attachments' text
  // (not read when loading failed: the build stops at resolve).
  if (!diags.has_errors())
    content.attachment_texts = read_attachments(content, opt.site, opt.jobs, diags,
                       previous && previous->site ? previous->site->content.attachment_texts : nullptr,
                       opt.write ? build_cache_dir(output_dir(opt)) / "attachments" : fs::path());
  clock.done("attachments");
  model->site = resolve_site(std::move(content), as_of, diags,
                             patched ? previous->site.get() : nullptr);
  const std::unique_ptr<Site>& site = model->site;
  const Theme* theme = model->theme.get();
  clock.done("resolve");
  // Documents reloaded in place publish the same pages and files: only
  // their links are checked again.
  std::shared_ptr<const Plan> plan;
  std::shared_ptr<const std::set<std::string>> published;
  if (patched) {
    plan = previous->plan;
    published = previous->published;
    check_document_links(*site, *published, patched->documents, diags);
  } else {
    std::set<std::string> files = published_files(*site, theme, opt.site, diags);
    plan = std::make_shared<const Plan>(plan_pages(*site, files, diags));
    if (theme) {
      for (const PlannedPage& p : plan->pages()) files.insert(p.url);
      published = std::make_shared<const std::set<std::string>>(std::move(files));
      check_links(*site, *published, diags);
    }
  }
  clock.done("plan");
  if (diags.has_errors() || !theme || !opt.write) return report;
  // The content is valid: the snapshot is made beside the render (a build
  // refused writes nothing at all), and removed if the build then fails.
  SnapshotJob snapshot;
  if (state) snapshot.start(output_dir(opt), *site);

  // After an edit, only the pages that depend on it (when the output is there).
  std::optional<std::vector<const PlannedPage*>> only;
  bool feeds = true;
  if (previous && fs::is_directory(output_dir(opt)))
    if (auto urls = affected_urls(*previous->site, *site, opt.site, changed,
                                  patched ? &patched->documents : nullptr)) {
      only.emplace();
      for (const std::string& url : *urls)
        if (const PlannedPage* p = plan->find(url)) only->push_back(p);
      feeds = false;
      for (const auto& lang : site->languages()) feeds = feeds || urls->count(home_url(lang));
    }
  std::vector<const PlannedPage*> everything;
  if (!only)
    for (const PlannedPage& p : plan->pages()) everything.push_back(&p);
  const std::vector<const PlannedPage*>& pages = only ? *only : everything;
  // The index is published with the pages even with --no-index (the
  // previous one, copied), so that the two always come from one generation.
  PublishOptions where;
  where.out = output_dir(opt);
  where.index = index_dir(opt);
  where.in_place = only.has_value() && !seeded;
  where.seed_tree = only.has_value() && seeded;
  // The generation before the published one, when the last build made the
  // published one from it: renamed, with the last build's pages written
  // again, instead of linking every file.
  where.recycle = state && state->last ? state->last->base : 0;
  where.synced = !where.in_place;
  // An index of the other layout (--shards switched) is not reused.
  where.copy_index = !opt.write_index || index::layout_matches(index_dir(opt), sharding_of(opt));
  Publisher pub(where);
  if (!pub.ok()) {
    diags.add(pub.failure());
    return report;
  }
  // What this build changes, which the next one may have to write again.
  std::vector<std::string> written;
  if (where.seed_tree)
    for (const PlannedPage* p : *only) written.push_back(p->url);
  report.recycled = pub.recycled();
  if (pub.recycled()) {
    std::set<std::string> have(written.begin(), written.end());
    for (const std::string& url : state->last->written)
      if (const PlannedPage* p = plan->find(url); p && have.insert(url).second) only->push_back(p);
    feeds = true;
  }
  // A tree changed in place, or a generation the state does not describe:
  // the next incremental build is a full one (unless this one records it).
  forget_build_state(output_dir(opt));
  model->renderer =
      std::make_unique<Renderer>(*site, *theme, previous ? previous->renderer.get() : nullptr);
  const Renderer& renderer = *model->renderer;
  clock.done("prepare");
  // The index is made from the resolved site, not from the HTML, so it is
  // written beside the rendering: Xapian adds documents on one thread, and
  // the renderer keeps the other cores busy meanwhile.
  std::unique_ptr<index::Writer> writer;
  BuildReport index_report;
  std::thread indexer;
  if (opt.write_index) {
    indexer = std::thread([&] {
      auto start = std::chrono::steady_clock::now();
      writer = index_site(*site, opt, pub.index_dir(), only ? &*only : nullptr, index_report);
      index_report.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    });
  }
  render_pages(renderer, *theme, pages, opt.jobs, pub, report);
  // A seeded tree links the static files and attachments again: one may
  // be a new file under the same name.
  write_extras(*site, renderer, *theme, plan->pages(), opt.site, feeds, !only || seeded, pub,
               report);
  // The search page of each language, for the servers that answer searches
  // without the site (site-gen/search_template.h); written by every build,
  // in place too, since any edit may change what it shows.
  for (const auto& lang : site->languages()) {
    std::string error;
    std::string page = make_search_template(*model, lang, &error);
    if (!error.empty())
      diags.error("layouts/search.mustache", 0, "rendering the search page: " + error);
    else if (!pub.write(search_template_path(lang), page, &error))
      break;
  }
  report.files += report.pages;
  report.site_pages = plan->pages().size();
  report.site_files = only ? (published ? published->size() : report.files) : report.files;
  clock.done("render");
  if (indexer.joinable()) {
    indexer.join();
    // When the disk is full or read-only, the index fails for the same
    // reason as the pages: that is one message, the Publisher's.
    std::string same = pub.ok() ? "" : std::strerror(pub.failure_errno());
    for (const Diagnostic& d : index_report.diags.items())
      if (same.empty() || d.severity != Severity::error ||
          d.message.find(same) == std::string::npos)
        diags.add(d);
    report.indexed = index_report.indexed;
    report.index_unchanged = index_report.index_unchanged;
    report.index_deleted = index_report.index_deleted;
    report.index_seconds = index_report.seconds;
  }
  if (!pub.ok()) diags.add(pub.failure());
  clock.done("index");
  Publisher::crash_point("pages-written");
  // The index is committed into the new generation, which is then published
  // with its pages in one step: a failure before that step leaves the
  // published pages and index as they were (the generation is dropped).
  if (diags.has_errors()) return report;
  if (writer && !writer->commit()) {
    diags.error(index_dir(opt).string(), 0, "cannot commit the search index: " + writer->error());
    return report;
  }
  writer.reset();  // closed before it is published (or, in place, served)
  Publisher::crash_point("index-committed");
  if (!pub.commit()) {
    diags.add(pub.failure());
    return report;
  }
  clock.done("publish");
  if (state) {
    if (patched) merge_warnings(diags, state->last->warnings, changed);
    record_state(opt, std::move(state->now), *site, snapshot.take(), report,
                 where.seed_tree ? pub.published() : 0, std::move(written));
    clock.done("state");
  }
  model->plan = std::move(plan);
  model->published = std::move(published);
  if (!diags.has_errors()) report.model = std::move(model);
  return report;
}

}  // namespace

BuildReport build_site(const BuildOptions& opt) { return build(opt, nullptr, {}); }

BuildReport rebuild_site(const BuildOptions& opt, const BuiltSite& previous,
                         const std::vector<fs::path>& changed) {
  return build(opt, &previous, changed);
}

}  // namespace sitegen
