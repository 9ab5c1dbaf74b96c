// HTML safety check for the sanitizer's fuzzer and its self-test: reads an
// HTML fragment (the sanitizer's output) the way a page would, with
// libxml2's HTML parser (which the sanitizer itself uses) and with an HTML5
// parser (gumbo, the tree-building rules of browsers), and says what in it
// could run a script. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sitegen::fuzz {

// The first active construct found in either reading of `fragment` (placed
// in a page's <body>), described with the parser that saw it; "" if none.
// Active: a <script> or any element the sanitizer never writes (iframe,
// object, embed, base, meta, form, svg, math, style, ...), an on* event
// attribute, a style attribute, a javascript:/vbscript: URL or a data: URL
// other than a raster image in <img src> (URLs read after entity decoding and
// with the tabs, newlines and controls stripped as browsers do).
std::string find_active_content(std::string_view fragment);

// The scheme of `url` as a browser's URL parser finds it, lower case ("" if
// the URL has none, i.e. it is relative).
std::string url_scheme(std::string_view url);

}  // namespace sitegen::fuzz
