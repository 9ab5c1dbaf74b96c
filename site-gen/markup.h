// Markup: turns the body of a content file (Markdown or an HTML fragment)
// into safe HTML, its plain text and its links. Content is untrusted: the
// HTML that comes out has no scripts, styles, event attributes, javascript:
// (or vbscript:, data: other than images) URLs, iframes, objects or forms.
// Thread-safe: each call is independent (libxml2 is initialised once).
#pragma once

#include <string>
#include <string_view>

#include "site-gen/diagnostic.h"
#include "site-gen/model.h"

namespace sitegen {

// CommonMark with GitHub tables and strikethrough (md4c), then sanitized as
// html_body() does. first_line is the line of the file the body starts on,
// so that Link::line is the file line each link was written on. With
// `diags`, raw HTML left open that would swallow the rest of the body (an
// unclosed <style>, <svg>, <script>, <pre>, <!--, ...) is reported as an
// error in `path` at the line where it was opened.
Body markdown_body(std::string_view markdown, int first_line, Diagnostics* diags = nullptr,
                   const std::string& path = {});

// An HTML body fragment (libxml2's HTML parser), sanitized; its structure
// (headings, paragraphs, lists, tables, links, images) is kept. Reports as
// markdown_body() does.
Body html_body(std::string_view html, int first_line, Diagnostics* diags = nullptr,
               const std::string& path = {});

}  // namespace sitegen
