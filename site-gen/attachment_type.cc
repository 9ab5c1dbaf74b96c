#include "site-gen/attachment_type.h"

#include <magic.h>

#include <algorithm>
#include <vector>

#include "site-gen/files.h"

namespace sitegen {
namespace {

// One accepted extension and the MIME types libmagic may give its content.
// Office Open XML and OpenDocument files are zip archives, and libmagic names
// them only when the members come in the order Office writes them, so a zip
// passes too (a zip is passive whatever it holds); the legacy Office formats
// are all OLE compound files.
struct Accepted {
  const char* ext;
  const char* what;  // for messages: "its content is text/html, not <what>"
  std::vector<const char*> mimes;
};

const char* const kZip = "application/zip";
const std::vector<const char*> kOle = {
    "application/x-ole-storage", "application/CDFV2",        "application/vnd.ms-office",
    "application/msword",        "application/vnd.ms-excel", "application/vnd.ms-powerpoint"};

const std::vector<Accepted>& accepted() {
  static const std::vector<Accepted> list = {
      {".pdf", "a PDF", {"application/pdf"}},
      {".docx",
       "a Word document",
       {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", kZip}},
      {".xlsx",
       "an Excel workbook",
       {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", kZip}},
      {".pptx",
       "a PowerPoint presentation",
       {"application/vnd.openxmlformats-officedocument.presentationml.presentation", kZip}},
      {".odt", "an OpenDocument text", {"application/vnd.oasis.opendocument.text", kZip}},
      {".ods",
       "an OpenDocument spreadsheet",
       {"application/vnd.oasis.opendocument.spreadsheet", kZip}},
      {".odp",
       "an OpenDocument presentation",
       {"application/vnd.oasis.opendocument.presentation", kZip}},
      {".doc", "a Word 97-2003 document", kOle},
      {".xls", "an Excel 97-2003 workbook", kOle},
      {".ppt", "a PowerPoint 97-2003 presentation", kOle},
      {".rtf", "an RTF document", {"text/rtf", "application/rtf"}},
      {".txt", "plain text", {}},  // see is_plain_text()
      {".csv", "plain text", {}},
      {".png", "a PNG image", {"image/png"}},
      {".jpg", "a JPEG image", {"image/jpeg"}},
      {".jpeg", "a JPEG image", {"image/jpeg"}},
      {".gif", "a GIF image", {"image/gif"}},
      {".webp", "a WebP image", {"image/webp"}},
      {".tif", "a TIFF image", {"image/tiff"}},
      {".tiff", "a TIFF image", {"image/tiff"}},
      {".zip", "a zip archive", {kZip}},
      {".gz", "a gzip file", {"application/gzip", "application/x-gzip"}},
      {".tgz", "a gzip file", {"application/gzip", "application/x-gzip"}},
      {".7z", "a 7z archive", {"application/x-7z-compressed"}},
      {".tar", "a tar archive", {"application/x-tar"}},
  };
  return list;
}

// Types a browser runs scripts in (or may, after sniffing), named in the
// message so that an author knows why the file is refused.
bool is_active_extension(const std::string& ext) {
  static const std::vector<std::string> active = {".html", ".htm",  ".xhtml", ".xht", ".shtml",
                                                  ".svg",  ".svgz", ".xml",   ".xsl", ".xslt",
                                                  ".js",   ".mjs",  ".swf",   ".mht", ".mhtml"};
  return std::find(active.begin(), active.end(), ext) != active.end();
}

// Any text but markup and scripts: libmagic calls source code and notes
// text/x-c, text/troff and the like, which a browser shows as the text/plain
// they are served as; HTML and XML it would render.
bool is_plain_text(const std::string& mime) {
  if (mime == "inode/x-empty" || mime == "application/x-empty") return true;
  if (mime.rfind("text/", 0) != 0) return false;
  for (const char* markup : {"html", "xml", "javascript", "ecmascript", "xsl"})
    if (mime.find(markup) != std::string::npos) return false;
  return true;
}

std::string lower_extension(std::string_view name) {
  size_t slash = name.rfind('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(base.substr(dot));
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return ext;
}

const Accepted* find_accepted(const std::string& ext) {
  for (const Accepted& a : accepted())
    if (ext == a.ext) return &a;
  return nullptr;
}

// libmagic's handle is not thread-safe; each thread opens its own once.
class Magic {
 public:
  Magic() {
    cookie_ = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if (!cookie_) {
      error_ = "cannot start libmagic";
    } else if (magic_load(cookie_, nullptr) != 0) {
      const char* e = magic_error(cookie_);
      error_ = std::string("cannot load libmagic's database: ") + (e ? e : "unknown error");
    }
  }
  ~Magic() {
    if (cookie_) magic_close(cookie_);
  }
  Magic(const Magic&) = delete;
  Magic& operator=(const Magic&) = delete;

  // The MIME type of `bytes`, or "" with *error.
  std::string type(std::string_view bytes, std::string* error) {
    if (!error_.empty()) {
      *error = error_;
      return "";
    }
    const char* t = magic_buffer(cookie_, bytes.data(), bytes.size());
    if (!t) {
      const char* e = magic_error(cookie_);
      *error = std::string("libmagic: ") + (e ? e : "unknown error");
      return "";
    }
    return t;
  }

 private:
  magic_t cookie_ = nullptr;
  std::string error_;
};

}  // namespace

std::string_view accepted_attachment_types() {
  return "PDF, office documents (.docx .xlsx .pptx .odt .ods .odp .doc .xls .ppt .rtf), "
         "plain text (.txt .csv), images (.png .jpg .jpeg .gif .webp .tif .tiff) and archives "
         "(.zip .gz .tgz .7z .tar)";
}

std::optional<std::string> attachment_name_problem(std::string_view name) {
  std::string ext = lower_extension(name);
  if (find_accepted(ext)) return std::nullopt;
  std::string why;
  if (ext.empty())
    why = "has no file extension";
  else if (is_active_extension(ext))
    why = "is a " + ext + " file, which a browser can run scripts in";
  else
    why = "is a " + ext + " file, not a passive type";
  return "attachment \"" + std::string(name) + "\" " + why +
         "; accepted: " + std::string(accepted_attachment_types());
}

std::optional<std::string> attachment_type_problem(std::string_view name, std::string_view head) {
  if (auto problem = attachment_name_problem(name)) return problem;
  const Accepted& a = *find_accepted(lower_extension(name));
  thread_local Magic magic;
  std::string error;
  std::string mime = magic.type(head, &error);
  if (mime.empty())
    return "attachment \"" + std::string(name) + "\": cannot tell its type: " + error;
  bool ok = a.mimes.empty() ? is_plain_text(mime)
                            : std::find(a.mimes.begin(), a.mimes.end(), mime) != a.mimes.end();
  if (ok) return std::nullopt;
  return "attachment \"" + std::string(name) + "\" is named " + a.ext + " but its content is " +
         mime + ", not " + a.what;
}

std::optional<std::string> attachment_file_problem(const std::filesystem::path& file,
                                                   std::string_view name) {
  if (auto problem = attachment_name_problem(name)) return problem;
  std::string why;
  auto head = read_file_head(file, kAttachmentSniffBytes, &why);
  if (!head) return "attachment \"" + std::string(name) + "\": cannot read: " + why;
  return attachment_type_problem(name, *head);
}

}  // namespace sitegen
