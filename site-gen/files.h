// Reading whole files, the one way every module does it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace sitegen {

// The bytes of a file, or nullopt if it cannot be opened.
std::optional<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace sitegen
