// Markup: turns the body of a content file (Markdown or an HTML fragment)
// into safe HTML, its plain text and its links. Content is untrusted: the
// HTML that comes out has no scripts, styles, event attributes, javascript:
// (or vbscript:, data: other than images) URLs, iframes, objects or forms.
// Thread-safe: each call is independent (libxml2 is initialised once).
#pragma once

#include <string_view>

#include "site-gen/model.h"

namespace sitegen {

// CommonMark with GitHub tables and strikethrough (md4c), then sanitized as
// html_body() does. first_line is the line of the file the body starts on,
// so that Link::line points into the source file.
Body markdown_body(std::string_view markdown, int first_line);

// An HTML body fragment (libxml2's HTML parser), sanitized; its structure
// (headings, paragraphs, lists, tables, links, images) is kept.
Body html_body(std::string_view html, int first_line);

}  // namespace sitegen
