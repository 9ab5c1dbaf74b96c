// Self-test of the HTML safety check (html_safety.h) that the sanitizer's
// fuzzer relies on: a check that misses an attack would let the fuzzer pass
// anything. Each active fragment must be flagged, each passive one not.
// Prints "ok - ..." / "not ok - ..." and "N passed, M failed".
#include "tests/fuzz/html_safety.h"

#include <cstdio>
#include <string>

int main() {
  const char* active[] = {
      "<script>alert(1)</script>",
      "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
      "<img src=x onerror=alert(1)>",
      "<p OnClick=\"alert(1)\">x</p>",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<a href=\"&#106;avascript:alert(1)\">x</a>",
      "<a href=\"java&#x09;script:alert(1)\">x</a>",
      "<a href=\" &#1;JaVaScRiPt:alert(1)\">x</a>",
      "<a href=\"vbscript:msgbox(1)\">x</a>",
      "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
      "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
      "<iframe src=\"https://example.org/\"></iframe>",
      "<object data=\"x.swf\"></object>",
      "<embed src=\"x.swf\">",
      "<base href=\"https://evil.example/\">",
      "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
      "<form action=\"javascript:alert(1)\"><button>x</button></form>",
      "<div style=\"width: expression(alert(1))\">x</div>",
      "<div style=\"background:url(javascript:alert(1))\">x</div>",
      "<svg><animate onbegin=alert(1) attributeName=x></animate></svg>",
      "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
      "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
      "<p title=\"x\">a</p><style>*{}</style>",
      "<img srcset=\"a.png 1x, javascript:alert(1) 2x\">",
  };
  const char* passive[] = {
      "<p>Plain <em>text</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>",
      "<a href=\"https://example.org/a?b=c#d\">x</a>",
      "<a href=\"/en/documents/\">x</a> <a href=\"mailto:a@example.org\">m</a>",
      "<a href=\"javascript-guide.html\">x</a> <a href=\"./javascript:x\">y</a>",
      "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\">",
      // A control character inside the type (gumbo reads it as U+FFFD).
      "<img src=\"data:image/p\bng;base64,iVBORw0KGgo=\">",
      "<img src=\"data:image/\x7fpng;base64,iVBORw0KGgo=\">",
      "<table><tr><td align=\"left\">1</td></tr></table>",
      "<p title=\"onerror=alert(1) javascript:alert(1)\">quoted</p>",
      "<ol start=\"3\"><li>c</li></ol><pre><code>&lt;img onerror&gt;</code></pre>",
  };
  int passed = 0, failed = 0;
  for (const char* html : active) {
    std::string found = sitegen::fuzz::find_active_content(html);
    if (!found.empty()) {
      ++passed;
      std::printf("ok - flagged %s (%s)\n", html, found.c_str());
    } else {
      ++failed;
      std::printf("not ok - missed %s\n", html);
    }
  }
  for (const char* html : passive) {
    std::string found = sitegen::fuzz::find_active_content(html);
    if (found.empty()) {
      ++passed;
      std::printf("ok - passes %s\n", html);
    } else {
      ++failed;
      std::printf("not ok - falsely flagged %s (%s)\n", html, found.c_str());
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
