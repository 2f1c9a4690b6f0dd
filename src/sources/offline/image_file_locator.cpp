// --image FILE (--image-index N, --partition N): a Windows image file read without mounting it.
// The image reader (src/sources/image/windows_image.h) copies the hives out of the image into a
// private folder; each is taken from there into a private file (private_file.h) and the folder is
// removed before the audit starts: from then on nothing taken from the image is on disk, however
// the run ends.
#include <fmt/format.h>

#include <fstream>
#include <utility>
#include <vector>

#include "image_locator.h"
#ifdef SMBAUDIT_HAVE_IMAGE
#include "../../core/input.h"
#include "../image/windows_image.h"
#endif

namespace smbaudit::offline {
namespace {

Unexpected<CollectError> bad(std::string message) {
  return Unexpected(CollectError{CollectFailure::BadInput, std::move(message)});
}

#ifdef SMBAUDIT_HAVE_IMAGE

// The extracted copy's bytes as a hive named by where it lies in the image; the error names it too.
Expected<LocatedHive, std::string> take(const image::ExtractedFile& file) {
  // The reader refused anything over the hive size limit, so the size fits in memory.
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(file.size));
  std::ifstream in(file.path, std::ios::binary);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in || in.peek() != std::ifstream::traits_type::eof())
    return Unexpected(fmt::format("{}: cannot read the copy taken from the image", file.origin));
  auto hive = LocatedHive::bytes(bytes, file.origin);
  if (!hive) return Unexpected(fmt::format("{}: {}", file.origin, hive.error()));
  return hive;
}

#endif

}  // namespace

Expected<LocatedImage, CollectError> locate_image_file(const SourceArgs& args) {
  const std::string file = args.text("--image");
#ifdef SMBAUDIT_HAVE_IMAGE
  image::ImageOptions options;
  if (const int index = args.integer("--image-index", 0); index != 0) options.index = index;
  if (const int partition = args.integer("--partition", 0); partition != 0) options.partition = partition;
  auto extracted = image::extract_windows_files(file, options);
  if (!extracted) return bad(extracted.error());
  LocatedImage located;
  for (auto [which, slot] : {std::pair{image::WindowsFile::System, &located.system},
                             std::pair{image::WindowsFile::Software, &located.software}}) {
    const image::ExtractedFile* found = extracted->file(which);
    if (!found) continue;
    auto hive = take(*found);
    if (!hive) return bad(hive.error());
    *slot = std::move(*hive);
  }
  located.missing_note =
      fmt::format("{} holds no \\{}", extracted->description(),
                  image::windows_path(located.system ? image::WindowsFile::Software : image::WindowsFile::System));
  // The image's local Group Policy, applied over the hives as Windows does at boot.
  if (const image::ExtractedFile* pol = extracted->file(image::WindowsFile::RegistryPol)) {
    auto bytes = read_input_file(pol->path);
    if (!bytes) return bad(fmt::format("{}: {}", pol->origin, bytes.error()));
    auto layer = local_policy_layer(*bytes, pol->origin);
    if (!layer) return bad(layer.error());
    located.layers.push_back(std::move(*layer));
  }
  return located;
#else
  return bad(fmt::format(
      "{}: this build of smbaudit cannot read image files: mount the image read-only and give --image-root the "
      "mount point (docs/offline.md, \"Getting at the hives of an image\")",
      file));
#endif
}

}  // namespace smbaudit::offline
