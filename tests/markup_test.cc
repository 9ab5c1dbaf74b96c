#include "site-gen/markup.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

using sitegen::Body;
using sitegen::html_body;
using sitegen::markdown_body;

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c + 32);
  return s;
}

bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool has_nocase(const std::string& haystack, const std::string& needle) {
  return has(lower(haystack), lower(needle));
}

// Every start tag has its end tag (void elements excepted), in order.
bool balanced(const std::string& html) {
  static const std::vector<std::string> voids{"br", "hr", "img", "col"};
  std::vector<std::string> open;
  for (size_t i = 0; i < html.size(); ++i) {
    if (html[i] != '<') continue;
    size_t end = html.find('>', i);
    if (end == std::string::npos) return false;
    bool closing = html[i + 1] == '/';
    size_t start = i + (closing ? 2 : 1);
    size_t name_end = html.find_first_of(" >", start);
    std::string name = html.substr(start, name_end - start);
    if (closing) {
      if (open.empty() || open.back() != name) return false;
      open.pop_back();
    } else if (std::find(voids.begin(), voids.end(), name) == voids.end()) {
      open.push_back(name);
    }
    i = end;
  }
  return open.empty();
}

}  // namespace

TEST_CASE("markup: markdown structure") {
  struct Case {
    const char* markdown;
    std::vector<std::string> expected;  // substrings of the HTML
  };
  const Case cases[] = {
      {"# Title\n\n## Sub", {"<h1 id=\"title\">Title</h1>", "<h2 id=\"sub\">Sub</h2>"}},
      {"- one\n- two\n", {"<ul>", "<li>one</li>", "<li>two</li>", "</ul>"}},
      {"1. one\n2. two\n", {"<ol>", "<li>one</li>"}},
      {"3. three\n4. four\n", {"<ol start=\"3\">"}},
      {"*em* **strong** ~~gone~~", {"<em>em</em>", "<strong>strong</strong>", "<del>gone</del>"}},
      {"`x < y`", {"<code>x &lt; y</code>"}},
      {"```cpp\nint a;\n```", {"<pre><code class=\"language-cpp\">int a;\n</code></pre>"}},
      {"> quoted", {"<blockquote>", "<p>quoted</p>"}},
      {"| A | B |\n|---|:-:|\n| 1 | 2 |\n",
       {"<table>", "<thead>", "<th>A</th>", "<th align=\"center\">B</th>", "<tbody>",
        "<td>1</td>"}},
      {"see https://example.org/x?a=1&b=2 now",
       {"<a href=\"https://example.org/x?a=1&amp;b=2\">https://example.org/x?a=1&amp;b=2</a>"}},
      {"visit www.example.org", {"<a href=\"http://www.example.org\">www.example.org</a>"}},
      {"<https://example.org>", {"<a href=\"https://example.org\">"}},
      {"[t](/en/page/ \"Title\")", {"<a href=\"/en/page/\" title=\"Title\">t</a>"}},
      {"![alt text](img/a.png)", {"<img src=\"img/a.png\" alt=\"alt text\">"}},
      {"a  \nb", {"a<br>", "b"}},
      {"---", {"<hr>"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.markdown);
    Body b = markdown_body(c.markdown, 1);
    CAPTURE(b.html());
    for (const auto& e : c.expected) CHECK(has(b.html(), e));
    CHECK(balanced(b.html()));
  }
}

TEST_CASE("markup: markdown text and links") {
  Body b = markdown_body("# Report\n\nThe *States* met in [Geneva](https://www.example.org/ge).\n", 5);
  CHECK(b.text() == "Report\nThe States met in Geneva.");
  REQUIRE(b.links().size() == 1);
  CHECK(b.links()[0].href == "https://www.example.org/ge");
  CHECK(b.links()[0].line == 7);
}

TEST_CASE("markup: raw HTML in Markdown is sanitized") {
  const char* md =
      "Hello <span onclick=\"x()\">there</span>\n\n"
      "<script>alert(1)</script>\n\n"
      "<div style=\"color:red\" class=\"note\">ok</div>\n\n"
      "[click](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(2)\">b</a>\n\n"
      "<iframe src=\"https://evil.example\"></iframe>\n";
  Body b = markdown_body(md, 1);
  CAPTURE(b.html());
  for (const char* bad : {"onclick", "<script", "alert", "style", "javascript", "<iframe"})
    CHECK_FALSE(has_nocase(b.html(), bad));
  CHECK(has(b.html(), "<span>there</span>"));
  CHECK(has(b.html(), "<div class=\"note\">ok</div>"));
  CHECK(has(b.html(), "<a>click</a>"));
  CHECK(b.links().empty());
  CHECK(balanced(b.html()));
}

TEST_CASE("markup: hostile HTML") {
  struct Case {
    const char* html;
    std::vector<std::string> forbidden;  // case-insensitive substrings
    std::string kept;                    // a substring that must remain
  };
  const Case cases[] = {
      {"<p>a<script>alert(1)</script>b</p>", {"<script", "alert"}, "<p>ab</p>"},
      {"<script src=\"x.js\"></script><p>t</p>", {"<script", "x.js"}, "<p>t</p>"},
      {"<style>p{color:red}</style><p>t</p>", {"<style", "color"}, "<p>t</p>"},
      {"<img src=x onerror=\"alert(1)\">", {"onerror", "alert"}, "<img src=\"x\">"},
      {"<a href=\"javascript:alert(1)\">x</a>", {"javascript", "href"}, "<a>x</a>"},
      {"<a href=\"JaVaScRiPt:alert(1)\">x</a>", {"javascript", "href"}, "<a>x</a>"},
      {"<a href=\"java\nscript:alert(1)\">x</a>", {"script", "href"}, "<a>x</a>"},
      {"<a href=\"java\tscript:alert(1)\">x</a>", {"script", "href"}, "<a>x</a>"},
      {"<a href=\" \x01javascript:alert(1)\">x</a>", {"script", "href"}, "<a>x</a>"},
      {"<a href=\"&#106;avascript:alert(1)\">x</a>", {"avascript", "href"}, "<a>x</a>"},
      {"<a href=\"&#x6A;&#x61;vascript&#58;alert(1)\">x</a>", {"vascript", "href"}, "<a>x</a>"},
      {"<a href=\"vbscript:msgbox(1)\">x</a>", {"vbscript", "href"}, "<a>x</a>"},
      {"<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", {"data:", "href"}, "<a>x</a>"},
      {"<img src=\"data:text/html,<script>alert(1)</script>\">", {"data:", "script"}, "<img>"},
      {"<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">", {"svg", "onload"}, "<img>"},
      {"<a href=\"data:image/png;base64,AAAA\">x</a>", {"data:"}, "<a>x</a>"},
      {"<a href=\"file:///etc/passwd\">x</a>", {"file:", "href"}, "<a>x</a>"},
      {"<iframe src=\"https://evil.example\">fallback</iframe><p>t</p>",
       {"iframe", "evil", "fallback"}, "<p>t</p>"},
      {"<svg onload=\"alert(1)\"><circle r=\"1\"/></svg><p>t</p>",
       {"svg", "onload", "circle"}, "<p>t</p>"},
      {"<math><mi>x</mi></math><p>t</p>", {"math", "<mi"}, "<p>t</p>"},
      {"<form action=\"/x\"><input name=q><button>Go</button></form><p>t</p>",
       {"form", "input", "button", "Go"}, "<p>t</p>"},
      {"<p style=\"background:url(javascript:alert(1))\">t</p>", {"style", "javascript"},
       "<p>t</p>"},
      {"<object data=\"x.swf\"><embed src=\"x.swf\"></object><p>t</p>",
       {"object", "embed", "swf"}, "<p>t</p>"},
      {"<p>a<!-- <script>alert(1)</script> -->b</p>", {"<!--", "script", "alert"}, "<p>ab</p>"},
      {"<p><b><i>unclosed", {}, "<p><b><i>unclosed</i></b></p>"},
      {"<div><p>a</div>b</p>", {}, "a"},
      {"</div></div><p>t", {"</div>"}, "<p>t</p>"},
      {"<meta http-equiv=\"refresh\" content=\"0;url=https://evil\"><base href=\"https://evil/\"><link rel=stylesheet href=x.css><p>t</p>",
       {"meta", "base", "link", "evil", "x.css"}, "<p>t</p>"},
      {"<noscript><p>n</p></noscript><template><p>t2</p></template><p>t</p>",
       {"noscript", "template", "t2", "<p>n</p>"}, "<p>t</p>"},
      {"<a href=\"https://ok.example\" onmouseover=\"x()\" target=\"_blank\" rel=\"opener\">x</a>",
       {"onmouseover", "target", "rel"}, "<a href=\"https://ok.example\">x</a>"},
      {"<p title='a\"><script>alert(1)</script>'>t</p>", {"<script"},
       "<p title=\"a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">t</p>"},
      {"<svg:script>alert(1)</svg:script><x:script>alert(2)</x:script><p>t</p>",
       {"script", "alert"}, "<p>t</p>"},
      {"<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 &lt;script&gt;</p>", {"<script"},
       "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 &lt;script&gt;</p>"},
      {"<textarea></p><script>alert(1)</script></textarea><p>t</p>", {"script", "alert"},
       "<p>t</p>"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.html);
    Body b = html_body(c.html, 1);
    CAPTURE(b.html());
    for (const auto& f : c.forbidden) CHECK_FALSE(has_nocase(b.html(), f));
    CHECK(has(b.html(), c.kept));
    CHECK(balanced(b.html()));
    CHECK_FALSE(has_nocase(b.text(), "alert"));
  }
}

TEST_CASE("markup: NUL byte does not cut the input short") {
  std::string html("<p>a\0b</p><p>after</p>", 22);
  Body b = html_body(html, 1);
  CHECK(has(b.html(), "<p>after</p>"));
}

TEST_CASE("markup: CR LF line ends") {
  Body b = html_body("<p>a\r\nb</p>\r\n<pre>\r\nx\r\ny</pre>\r\n<a href=\"/z\">z</a>", 3);
  CHECK(b.html() == "<p>a\nb</p>\n<pre>x\ny</pre>\n<a href=\"/z\">z</a>");
  CHECK(b.text() == "a b\nx\ny\nz");
  REQUIRE(b.links().size() == 1);
  CHECK(b.links()[0].line == 8);
  Body m = markdown_body("a\r\n\r\n[z](/z)\r\n", 3);
  REQUIRE(m.links().size() == 1);
  CHECK(m.links()[0].line == 5);
}

TEST_CASE("markup: allowed URLs are kept") {
  const char* urls[] = {"https://example.org/a?b=c#d", "http://example.org", "/en/page/",
                        "../docs/x.pdf", "#section", "mailto:info@example.org",
                        "tel:+41-22-000", "//example.org/x", "page.html()?x=a:b",
                        "HTTPS://EXAMPLE.ORG/"};
  for (const char* url : urls) {
    CAPTURE(url);
    Body b = html_body(std::string("<a href=\"") + url + "\">x</a>", 1);
    REQUIRE(b.links().size() == 1);
    CHECK(b.links()[0].href == url);
  }
  Body img = html_body("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\">", 1);
  CHECK(has(img.html(), "src=\"data:image/png;base64,iVBORw0KGgo=\""));
  // Any other scheme, however long, is dropped.
  for (std::string url : {std::string(70, 'a') + ":x", std::string("ftp://x/"),
                          std::string("ms-settings:"), std::string("c:\\x")}) {
    CAPTURE(url);
    CHECK(html_body("<a href=\"" + url + "\">x</a>", 1).html() == "<a>x</a>");
  }
  // Surrounding white space is trimmed.
  Body trimmed = html_body("<a href=\"  /en/x/\n\">x</a>", 1);
  REQUIRE(trimmed.links().size() == 1);
  CHECK(trimmed.links()[0].href == "/en/x/");
}

TEST_CASE("markup: allowed attributes") {
  Body b = html_body(
      "<table><tr><td colspan=\"2\" rowspan=3 bgcolor=red width=5>x</td></tr></table>"
      "<ol start=\"4\" type=\"a\" reversed><li id=\"i\" lang=\"fr\" dir=\"ltr\">y</li></ol>"
      "<img src=\"a.png\" alt=\"A\" width=\"10\" height=\"20\" usemap=\"#m\">",
      1);
  CAPTURE(b.html());
  CHECK(has(b.html(), "<td colspan=\"2\" rowspan=\"3\">x</td>"));
  CHECK(has(b.html(), "<ol start=\"4\" type=\"a\">"));
  CHECK(has(b.html(), "<li id=\"i\" lang=\"fr\" dir=\"ltr\">y</li>"));
  CHECK(has(b.html(), "<img src=\"a.png\" alt=\"A\" width=\"10\" height=\"20\">"));
}

TEST_CASE("markup: Word-style HTML keeps the text and drops the junk") {
  const char* word =
      "<?xml:namespace prefix = o ns = \"urn:schemas-microsoft-com:office:office\" />"
      "<div class=WordSection1>"
      "<p class=MsoNormal style='margin-bottom:0cm'><span lang=EN-GB "
      "style='font-size:12.0pt;font-family:\"Times New Roman\"'>The Meeting "
      "<b>decided</b><o:p></o:p></span></p>"
      "<p class=MsoNormal><st1:place w:st=\"on\">Geneva</st1:place><o:p>&nbsp;</o:p></p>"
      "<p class=MsoNormal><font face=Arial size=2>to adopt</font></p>"
      "</div>";
  Body b = html_body(word, 1);
  CAPTURE(b.html());
  CHECK(has(b.html(), "<p class=\"MsoNormal\"><span lang=\"EN-GB\">The Meeting "
                    "<b>decided</b></span></p>"));
  CHECK(has(b.html(), "<p class=\"MsoNormal\">Geneva\xC2\xA0</p>"));
  CHECK(has(b.html(), "<p class=\"MsoNormal\">to adopt</p>"));
  for (const char* junk : {"style", "o:p", "o.p", "font", "st1", "place", "xml", "<p></p>"})
    CHECK_FALSE(has_nocase(b.html(), junk));
  CHECK(b.text() == "The Meeting decided\nGeneva\nto adopt");
  CHECK(balanced(b.html()));
}

TEST_CASE("markup: Chinese and Arabic text preserved byte for byte") {
  const std::string zh = "缔约国第二十二届会议：合作和援助（南苏丹共和国）";
  const std::string ar = "اتفاقية حظر الألغام المضادة للأفراد — جنيف";
  Body h = html_body("<p>" + zh + "</p><p dir=\"rtl\" lang=\"ar\">" + ar + "</p>", 1);
  CHECK(h.html() == "<p>" + zh + "</p><p dir=\"rtl\" lang=\"ar\">" + ar + "</p>");
  CHECK(h.text() == zh + "\n" + ar);
  Body m = markdown_body("# " + zh + "\n\n" + ar + "\n", 1);
  // The heading's id keeps its Han letters; its punctuation goes.
  CHECK(m.html() == "<h1 id=\"缔约国第二十二届会议合作和援助南苏丹共和国\">" + zh + "</h1>\n<p>" + ar +
                        "</p>\n");
  // A <meta charset> in the content does not change how it is read.
  Body meta = html_body("<meta charset=\"iso-8859-1\"><p>" + zh + "</p>", 1);
  CHECK(meta.html() == "<p>" + zh + "</p>");
  // Invalid UTF-8 is replaced, the rest is kept.
  Body bad = html_body("<p>" + zh + "\xFF" + ar + "</p>", 1);
  CHECK(bad.html() == "<p>" + zh + "\xEF\xBF\xBD" + ar + "</p>");
}

TEST_CASE("markup: text keeps words apart") {
  struct Case {
    const char* html;
    const char* text;
  };
  const Case cases[] = {
      {"<table><tr><th>Country</th><th>Mines</th></tr>"
       "<tr><td>Angola</td><td>1 000</td></tr></table>",
       "Country\tMines\nAngola\t1 000"},
      {"<p>one</p><p>two</p>", "one\ntwo"},
      {"<h1>Title</h1>Body", "Title\nBody"},
      {"<ul><li>a</li><li>b</li></ul>", "a\nb"},
      {"line<br>break", "line\nbreak"},
      {"<p>  many   \n spaces\t here </p>", "many spaces here"},
      {"<b>bold</b><i>italic</i> <em>x</em>", "bolditalic x"},
      {"<p>Fish &amp; chips &eacute; &#x4E2D;</p>", "Fish & chips \xC3\xA9 \xE4\xB8\xAD"},
      {"<div>a<div>b</div>c</div>", "a\nb\nc"},
      {"South&nbsp;Sudan", "South Sudan"},
      {"<pre>a\n  b</pre>", "a\nb"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.html);
    CHECK(html_body(c.html, 1).text() == c.text);
  }
  Body md = markdown_body("| A | B |\n|---|---|\n| Angola | Chad |\n", 1);
  CHECK(md.text() == "A\tB\nAngola\tChad");
}

TEST_CASE("markup: link lines") {
  SUBCASE("HTML, several lines, first_line offset") {
    const char* html =
        "<p>Intro <a href=\"/en/a/\">a</a></p>\n"
        "<p>\n"
        "<img src=\"img/map.png\" alt=\"map\">\n"
        "</p>\n"
        "<p><a href=\"https://example.org/?a=1&amp;b=2\">x</a>"
        " <a href=\"/en/a/\">again</a></p>\n";
    Body b = html_body(html, 10);
    REQUIRE(b.links().size() == 4);
    CHECK(b.links()[0].href == "/en/a/");
    CHECK(b.links()[0].line == 10);
    CHECK(b.links()[1].href == "img/map.png");
    CHECK(b.links()[1].line == 12);
    CHECK(b.links()[2].href == "https://example.org/?a=1&b=2");
    CHECK(b.links()[2].line == 14);
    CHECK(b.links()[3].href == "/en/a/");
    CHECK(b.links()[3].line == 14);
  }
  SUBCASE("Markdown, inline, reference and autolinks") {
    const char* md =
        "# Title\n"
        "\n"
        "See [one](/en/one/) and\n"
        "[two][ref].\n"
        "\n"
        "Visit www.example.org or https://example.com/x.\n"
        "![pic](pic.jpg)\n"
        "Write to info@example.org or <mailto:a@example.org>.\n"
        "\n"
        "[ref]: /en/two/\n";
    Body b = markdown_body(md, 4);
    REQUIRE(b.links().size() == 6);
    CHECK(b.links()[0].href == "/en/one/");
    CHECK(b.links()[0].line == 6);
    CHECK(b.links()[1].href == "/en/two/");
    CHECK(b.links()[1].line == 7);  // where it is used, not where [ref]: is defined
    CHECK(b.links()[2].href == "http://www.example.org");
    CHECK(b.links()[2].line == 9);
    CHECK(b.links()[3].href == "https://example.com/x");
    CHECK(b.links()[3].line == 9);
    CHECK(b.links()[4].href == "pic.jpg");
    CHECK(b.links()[4].line == 10);
    CHECK(b.links()[5].href == "mailto:a@example.org");
    CHECK(b.links()[5].line == 11);
  }
  SUBCASE("non-ASCII URL percent-encoded by md4c") {
    Body b = markdown_body("x\n\n[页](/zh/页面/)\n", 2);
    REQUIRE(b.links().size() == 1);
    CHECK(b.links()[0].line == 4);
  }
  SUBCASE("not found: first_line") {
    Body b = markdown_body("[a](<a b>)\n", 7);
    REQUIRE(b.links().size() == 1);
    CHECK(b.links()[0].line == 7);
  }
}

TEST_CASE("markup: sanitizing is idempotent") {
  const char* inputs[] = {
      "<p class=MsoNormal><span style='x'>The <b>Meeting</b><o:p></o:p></span></p>",
      "<table><tr> <td>a</td> <td>b &amp; c</td></tr></table>",
      "<pre>\n\nindented\n  code</pre><pre>\nfirst</pre>",
      "<p>a<br>b<img src=\"x.png\" alt='\"q\"'></p><hr>",
      "<ul><li>one<li>two</ul><p>1 &lt; 2",
      "<div><p>a</div>b</p><a href=\"javascript:x\">c</a>",
      "<p>中文 &nbsp; عربي</p>",
      "<p><a href=\"/a\"><a href=\"/b\">nested</a></a></p>",
      // Unwrapped or dropped elements must not leave a nesting the parser
      // would change: <pre> in <p>, <li> in <li>, <tr> in <td>.
      "<p>a<font>b<pre>c</pre>d</font></p>",
      "<ul><li>x<o:p><li>y</o:p></ul>",
      "<td><o:p><tr>",
      "<pre><svg></svg>\nx</pre><pre><!--c-->\ny</pre>",
      "<b><center><p>x</p></center></b>",
  };
  for (const char* in : inputs) {
    CAPTURE(in);
    Body once = html_body(in, 1);
    Body twice = html_body(once.html(), 1);
    CHECK(twice.html() == once.html());
    CHECK(twice.text() == once.text());
  }
  Body nested = html_body("<p>a<font>b<pre>c</pre>d</font></p>", 1);
  CHECK(nested.html() == "<p>ab</p><pre>c</pre>d");
  Body md = markdown_body("# T\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```\ncode\n```\n", 1);
  CHECK(html_body(md.html(), 1).html() == md.html());
}

TEST_CASE("markup: deep nesting and empty input") {
  CHECK(html_body("", 1).html().empty());
  CHECK(markdown_body("", 1).html().empty());
  // libxml2 keeps 255 levels; what is deeper is lost, the output stays
  // balanced.
  for (int depth : {100, 5000}) {
    std::string deep;
    for (int i = 0; i < depth; ++i) deep += "<div><span>";
    deep += "x";
    Body b = html_body(deep, 1);
    CHECK(balanced(b.html()));
    if (depth == 100) CHECK(has(b.html(), "<span>x</span>"));
  }
}

TEST_CASE("markup: safe from several threads") {
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, &ok] {
      for (int i = 0; i < 200; ++i) {
        Body m = markdown_body("# T\n\n[a](/x/) <script>x</script>\n", 1);
        Body h = html_body("<p onclick=x>a<o:p></o:p></p>", 1);
        if (m.html() == "<h1 id=\"t\">T</h1>\n<p><a href=\"/x/\">a</a> </p>\n" &&
            h.html() == "<p>a</p>")
          ++ok[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int n : ok) CHECK(n == 200);
}

// Found by tests/fuzz/markup_fuzz: md4c read past the end of a body ending
// in an open link destination, and crashed when the next byte was a ')'.
TEST_CASE("markup: nothing past the end of the body is read (an open link destination)") {
  const std::string buffer = "[y](a) <b>past the end</b>";
  Body b = markdown_body(std::string_view(buffer).substr(0, 5), 1);
  CHECK(b.text() == "[y](a");
  CHECK(b.html().find("past") == std::string::npos);
  CHECK(b.links().empty());
}

// Found by tests/fuzz/markup_fuzz: a U+FEFF that became the first character
// of the output (here after a dropped element) was lost when sanitized again.
TEST_CASE("markup: sanitizing is idempotent when the output starts with U+FEFF") {
  for (const char* html :
       {"<object></object>\xEF\xBB\xBFtext", "<p>\xEF\xBB\xBF</p>", "&#xFEFF;x"}) {
    CAPTURE(html);
    const Body once = html_body(html, 1);
    CHECK(html_body(once.html(), 1).html() == once.html());
  }
}

// Found by tests/fuzz/markup_fuzz: a CR written as a reference came out raw,
// and was read as a newline when sanitized again.
TEST_CASE("markup: sanitizing is idempotent with a CR from a reference") {
  for (const char* html :
       {"a&#xd;b", "<p title=\"x&#13;y\">a&#13;&#10;b</p>", "<pre>a&#xd</pre>"}) {
    CAPTURE(html);
    const Body once = html_body(html, 1);
    CHECK(html_body(once.html(), 1).html() == once.html());
  }
}

TEST_CASE("markup: headings get ids from their text, as Hugo makes them, in every script") {
  struct Case {
    const char* markdown;
    std::vector<std::string> ids;
  };
  const Case cases[] = {
      {"## Article 5", {"article-5"}},
      {"## What's new? (2025)", {"whats-new-2025"}},
      {"## Article 5 — Destruction", {"article-5--destruction"}},  // Hugo's too
      {"## snake_case and-dash", {"snake_case-and-dash"}},
      {"## Статья 5. Уничтожение", {"статья-5-уничтожение"}},
      {"## المادة 5: التدمير", {"المادة-5-التدمير"}},
      {"## 第5条：排雷", {"第5条排雷"}},
      {"## Élimination des stocks", {"élimination-des-stocks"}},
      // Decomposed é (e + U+0301) is the same id as the composed one: NFC.
      {"## E\xCC\x81limination", {"\xC3\xA9limination"}},
      {"## *Emphasis* and `code`", {"emphasis-and-code"}},
      {"## ???", {"section"}},
      // Unique in the body: Hugo's suffixes.
      {"## A\n\n## A\n\n## A", {"a", "a-1", "a-2"}},
      {"## A-1\n\n## A\n\n## A", {"a-1", "a", "a-2"}},
      // Never the theme's own ids, nor names scripts read as globals.
      {"## Main\n\n## Search results\n\n## Location\n\n## Fetch", {"main-1", "search-results-1", "location-1", "fetch-1"}},
      {"## Group report\n\n## Facet country\n\n## Art7 2020\n\n## Art7 report",
       {"group-report-1", "facet-country-1", "art7-2020-1", "art7-report"}},
      // Hugo's explicit id.
      {"## Article 5 {#art5}", {"art5"}},
      {"## Article 5 {#art5}\n\n## Art5", {"art5", "art5-1"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.markdown);
    Body b = markdown_body(c.markdown, 1);
    CAPTURE(b.html());
    REQUIRE(b.headings().size() == c.ids.size());
    for (size_t i = 0; i < c.ids.size(); ++i) {
      CHECK(b.headings()[i].id == c.ids[i]);
      CHECK(has(b.html(), "<h2 id=\"" + c.ids[i] + "\">"));
      // Where the heading ends, for the renderer's link.
      CHECK(b.html().compare(b.headings()[i].end, 5, "</h2>") == 0);
      CHECK(b.headings()[i].level == 2);
    }
    CHECK(!has(b.html(), "{#"));
    CHECK(balanced(b.html()));
  }
  Body b = markdown_body("# Top\n\n### Article 5 {#art5}\n\nText.", 1);
  REQUIRE(b.headings().size() == 2);
  CHECK(b.headings()[1].text == "Article 5");
  CHECK(b.headings()[1].level == 3);
  CHECK(b.text() == "Top\nArticle 5\nText.");
}

TEST_CASE("markup: ids in HTML bodies: headings', and the author's own, kept valid and unique") {
  Body b = html_body(
      "<h2>Article 5</h2><p id=\"article-5\">x</p><h3 id=\"own\">Mine <b>clearance</b></h3>"
      "<h3 id=\"two words\">Second</h3><div id=\"main\">y</div><p id=\"cookie\">z</p>"
      "<h4 id=\"own\">Again</h4><h2>Hidden<script>alert(1)</script> text</h2>"
      "<h2>{#notanid}</h2>",
      1);
  CAPTURE(b.html());
  CHECK(has(b.html(), "<h2 id=\"article-5\">Article 5</h2>"));
  CHECK(has(b.html(), "<p id=\"article-5-1\">x</p>"));
  CHECK(has(b.html(), "<h3 id=\"own\">Mine <b>clearance</b></h3>"));
  CHECK(has(b.html(), "<h3 id=\"second\">Second</h3>"));  // an id with a space is none
  CHECK(has(b.html(), "<div id=\"main-1\">y</div>"));
  CHECK(has(b.html(), "<p id=\"cookie-1\">z</p>"));
  CHECK(has(b.html(), "<h4 id=\"own-1\">Again</h4>"));
  CHECK(has(b.html(), "<h2 id=\"hidden-text\">"));  // the script's text is not the heading's
  CHECK(has(b.html(), "<h2 id=\"notanid\">{#notanid}</h2>"));  // {#id} is Markdown's only
  REQUIRE(b.headings().size() == 6);
  CHECK(b.headings()[1].text == "Mine clearance");
  for (const auto& h : b.headings()) CHECK(b.html().compare(h.end, 2, "</") == 0);
}

TEST_CASE("markup: ids are the same when sanitized again") {
  for (const char* md : {"## A\n\n## A\n\n<p id=\"a\">x</p>\n\n## Main\n\n## Статья 5 {#s5}\n",
                         "<h2 id=\"x y\">Q</h2>\n\n<h2 id=\"q\">R</h2>\n"}) {
    CAPTURE(md);
    Body once = markdown_body(md, 1);
    Body twice = html_body(once.html(), 1);
    CHECK(twice.html() == once.html());
    REQUIRE(twice.headings().size() == once.headings().size());
    for (size_t i = 0; i < once.headings().size(); ++i) {
      CHECK(twice.headings()[i].id == once.headings()[i].id);
      CHECK(twice.headings()[i].end == once.headings()[i].end);
    }
  }
}

TEST_CASE("markup: the lead is the first paragraph's text") {
  CHECK(markdown_body("# Title\n\n![](a.png)\n\nThe *States* met\nin Geneva.\n\nMore.", 1).lead() ==
        "The States met in Geneva.");
  CHECK(html_body("<h2>T</h2><table><tr><td>x</td></tr></table>", 1).lead().empty());
  CHECK(html_body("<div><p>  第一段。 </p><p>第二段。</p></div>", 1).lead() == "第一段。");
}

TEST_CASE("markup: a heading inside a link is given no place for a link of its own") {
  Body b = html_body("<a href=\"/x/\"><h2>Inside</h2></a><h2>Outside</h2>", 1);
  CAPTURE(b.html());
  REQUIRE(b.headings().size() == 2);
  CHECK(b.headings()[0].id == "inside");
  CHECK(b.headings()[0].end == std::string::npos);
  CHECK(b.html().compare(b.headings()[1].end, 5, "</h2>") == 0);
}
