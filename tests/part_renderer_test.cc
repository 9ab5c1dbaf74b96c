// Our renderer of a search page's parts against kainjow's, byte for byte:
// on small templates of each feature and edge (standalone lines, dotted
// names, inverted sections, escapes), and on every part of the bundled
// theme's search layout, in two languages, over many random data shapes.
#include "site-gen/part_renderer.h"

#include <doctest/doctest.h>

#include <random>
#include <set>

#include "site-gen/build.h"
#include "site-gen/date.h"
#include "site-gen/search_template.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;

namespace {

std::string kainjow_render(const std::string& text, const Data& base, const Data& found) {
  Mustache m(text);
  REQUIRE_MESSAGE(m.is_valid(), m.error_message());
  kainjow::mustache::context<std::string> ctx(&base);
  ctx.push(&found);
  return m.render(ctx);
}

std::string own_render(const std::string& text, const Data& base, const Data& found) {
  auto r = PartRenderer::compile(text);
  REQUIRE_MESSAGE(r, text);
  std::vector<const Data*> stack{&base, &found};
  std::string out = "kept|";
  REQUIRE(r->render(stack, &out));
  CHECK(stack.size() == 2);
  return out.substr(5);
}

// The names a template's tags use, split at their dots.
std::vector<std::string> names_in(const std::string& text) {
  std::set<std::string> names;
  for (size_t pos = 0; (pos = text.find("{{", pos)) != std::string::npos;) {
    size_t close = text.find("}}", pos);
    std::string tag = text.substr(pos + 2, close - pos - 2);
    std::string word;
    for (char c : tag + " ") {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
        word += c;
      } else {
        if (!word.empty()) names.insert(word);
        word.clear();
      }
    }
    pos = close;
  }
  return {names.begin(), names.end()};
}

// A random object over `names`: each missing, a boolean, a string (of the
// characters kainjow escapes, spaces, line ends), a list (empty, of
// objects or of strings) or an object.
Data shaped_data(std::mt19937& rng, const std::vector<std::string>& names, int depth) {
  static const char* const strings[] = {"",           " ",   "x",        "<a href=\"x\">&amp;'</a>",
                                        "two\nlines", " \t", "é — 地雷", "{{not a tag}}"};
  Data d;
  for (const auto& name : names) {
    switch (rng() % (depth < 3 ? 9 : 6)) {
      case 0:
      case 1:
        break;
      case 2:
        d.set(name, false);
        break;
      case 3:
        d.set(name, true);
        break;
      case 4:
      case 5:
        d.set(name, strings[rng() % std::size(strings)]);
        break;
      case 6: {
        Data list(Data::type::list);
        for (size_t i = 0, n = rng() % 4; i < n; ++i)
          list.push_back(rng() % 4 ? shaped_data(rng, names, depth + 1)
                                   : Data(strings[rng() % std::size(strings)]));
        d.set(name, list);
        break;
      }
      default:
        d.set(name, shaped_data(rng, names, depth + 1));
    }
  }
  return d;
}

// The same values as flat data (site-gen/flat_data.h); objects have the
// keys of `names` (kainjow's data cannot list its own).
FlatData::Id flat_of(const Data& d, const std::vector<std::string>& names, FlatData& f) {
  if (d.is_string()) return f.add_string(d.string_value());
  if (d.is_bool()) return f.add_bool(d.is_true());
  if (d.is_list()) {
    FlatData::Id list = f.add_list();
    for (const Data& item : d.list_value()) f.push(list, flat_of(item, names, f));
    return list;
  }
  FlatData::Id object = f.add_object();
  for (const auto& name : names)
    if (const Data* v = d.get(name)) f.set(object, name, flat_of(*v, names, f));
  return object;
}

// `found` as flat data, its root the object.
FlatData flat_found(const Data& found, const std::vector<std::string>& names) {
  FlatData f;
  for (const auto& name : names)
    if (const Data* v = found.get(name)) f.set(FlatData::root(), name, flat_of(*v, names, f));
  return f;
}

std::string flat_render(const std::string& text, const Data& base, const FlatData& f) {
  auto r = PartRenderer::compile(text);
  REQUIRE(r);
  std::vector<PartRenderer::Ref> stack{{&base}, {nullptr, &f, FlatData::root()}};
  std::string out;
  REQUIRE(r->render(stack, &out));
  CHECK(stack.size() == 2);
  return out;
}

// `copies`: kainjow over the flat data's copy too (kainjow is slow under
// the sanitizers: the random cases leave that to the feature cases).
void check_same(const std::string& text, const Data& base, const Data& found,
                bool copies = false) {
  CAPTURE(text);
  const std::string kainjow = kainjow_render(text, base, found);
  CHECK(own_render(text, base, found) == kainjow);
  // Given as flat data (and that made kainjow's data again): the same.
  const FlatData flat = flat_found(found, names_in(text));
  CHECK(flat_render(text, base, flat) == kainjow);
  if (copies) CHECK(kainjow_render(text, base, flat.to_mustache()) == kainjow);
}

// The search parts ('T' records) of a search page file.
std::vector<std::string> parts_of(const std::string& file) {
  std::vector<std::string> parts;
  for (size_t pos = 0; pos < file.size();) {
    size_t eol = file.find('\n', pos);
    REQUIRE(eol != std::string::npos);
    size_t name_len = 0, value_len = 0;
    REQUIRE(std::sscanf(file.c_str() + pos + 2, "%zu %zu", &name_len, &value_len) == 2);
    if (file[pos] == 'T') parts.push_back(file.substr(eol + 1 + name_len, value_len));
    pos = eol + 1 + name_len + value_len + 1;
  }
  return parts;
}

}  // namespace

TEST_CASE("part renderer: the same bytes as kainjow for each feature and edge") {
  Data base;
  base.set("site", "Site");
  Data t;
  t.set("label", "Label <b>");
  t.set("other", "Other");
  base.set("t", t);
  base.set("outer", "outer value");
  Data search;
  Data items(Data::type::list);
  for (const char* v : {"a", "b & c"}) {
    Data item;
    item.set("value", v);
    item.set("selected", std::string(v) == "a");
    items.push_back(item);
  }
  search.set("items", items);
  Data words(Data::type::list);
  words.push_back(Data("one"));
  words.push_back(Data("<two>"));
  search.set("words", words);
  search.set("empty", Data(Data::type::list));
  search.set("no", false);
  search.set("yes", true);
  search.set("blank", "");
  Data obj;
  obj.set("inner", "in");
  obj.set("t", Data());  // a t without label: a dotted name looks further out
  search.set("obj", obj);
  search.set("html", "<p class=\"x\">it's & more</p>");
  search.set("lines", "a\nb\r\n");

  const char* templates[] = {
      "",
      "plain text",
      "{{html}}|{{{html}}}|{{&html}}|{{& html }}|{{ html }}",
      "{{t.label}} {{t.missing}} {{missing.x}} {{obj.inner}} {{obj.t.label}}",
      "{{#obj}}{{inner}} {{t.label}} {{outer}}{{/obj}}",
      "{{#items}}[{{value}}{{#selected}}*{{/selected}}{{^selected}}-{{/selected}}]{{/items}}",
      "{{#words}}<{{.}}>{{/words}}{{#yes}}{{.}}{{/yes}}",
      "{{^empty}}none{{/empty}}{{^no}}no{{/no}}{{^missing}}missing{{/missing}}"
      "{{#empty}}x{{/empty}}{{#no}}x{{/no}}{{#blank}}blank shown{{/blank}}",
      "<ul>\n  {{#items}}\n  <li>{{value}}</li>\n  {{/items}}\n</ul>\n",
      "<ul>\r\n  {{#items}}\r\n  <li>{{value}}</li>\r\n  {{/items}}\r\n</ul>\r\n",
      "a\rb\r  {{#yes}}\r  c\r  {{/yes}}\r",
      "  {{#no}}\n  hidden\n  {{/no}}\n after\n",
      "  {{^no}}\n  shown\n  {{/no}}\n",
      "  {{#missing}}\n  x\n  {{/missing}}  \n",
      "\t{{#yes}} \t\n{{/yes}}\nend",
      "  {{! a comment }}\n  {{html}}  \n  {{#yes}}{{/yes}}",
      "{{#items}}{{#selected}}\n{{value}}\n{{/selected}}{{/items}}",
      "x {{#yes}}inline{{/yes}} y\n  {{#yes}}  \n{{/yes}}",
      "{{lines}}{{{lines}}}\n  {{#yes}}{{lines}}{{/yes}}\n",
      "{ {a} }{{{html}}}}{{{{html}}}}",
      "{{#obj}}{{#t}}{{label}}|{{other}}{{/t}}{{/obj}}",
      "{{ # items }}{{ value }}{{ / items }}",
      "{{#items}}{{#items}}{{value}}{{/items}}{{/items}}",
      "{{.}}|{{#obj}}{{.}}{{/obj}}",
      "{{obj.}}|{{.inner}}|{{obj..inner}}",
      "trailing {{#yes}}x{{/yes}}   ",
  };
  for (const char* text : templates) check_same(text, base, search, true);
}

TEST_CASE("part renderer: refuses what it leaves to kainjow") {
  for (const char* text : {"{{>partial}}", "{{=<% %>=}}<%x%>", "{{ =| |= }}", "{{unclosed",
                           "{{#a}}x", "{{#a}}x{{/b}}", "x{{/a}}", "{{{x}}"})
    CHECK_MESSAGE(!PartRenderer::compile(text), text);
  auto r = PartRenderer::compile("before {{f}} after");
  REQUIRE(r);
  Data d;
  d.set("f", kainjow::mustache::lambda{[](const std::string&) { return std::string("L"); }});
  std::vector<const Data*> stack{&d};
  std::string out = "kept";
  CHECK(!r->render(stack, &out));
  CHECK(out == "kept");
  CHECK(stack.size() == 1);
}

TEST_CASE("part renderer: every part of the theme's search layout, over random data") {
  TempDir dir;
  write_site(dir.path() / "site", {{"site.yaml", "title: Test\nlanguages: [en, ar]\n"},
                                   {"content/pages/about.en.md", "---\ntitle: About\n---\nx\n"}});
  BuildOptions opt;
  opt.site = dir.path() / "site";
  opt.out = dir.path() / "out";
  opt.as_of = parse_iso_date("2026-01-01");
  opt.jobs = 1;
  BuildReport report = build_site(opt);
  REQUIRE(report.ok());
  std::mt19937 rng(11);
  size_t parts = 0;
  for (const char* lang : {"en", "ar"}) {
    for (const std::string& text : parts_of(read_file(opt.out / search_template_path(lang)))) {
      ++parts;
      auto names = names_in(text);
      for (int i = 0; i < 150; ++i) {
        Data base = shaped_data(rng, names, 1), found = shaped_data(rng, names, 0);
        check_same(text, base, found, i % 10 == 0);
      }
    }
  }
  CHECK(parts >= 10);  // the theme has its parts
}
