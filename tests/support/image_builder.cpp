#include "image_builder.h"

#include <fmt/format.h>

#include <array>
#include <fstream>

#include "../../src/core/reg_data.h"
#include "../../src/core/utf.h"
#include "../../src/sources/image/subprocess.h"
#include "temp_dir.h"
#include "windows_images.h"

namespace smbaudit::test_support {
namespace {

namespace fs = std::filesystem;

struct Tool {
  std::string_view name;
  std::string_view package;
};
constexpr std::array<Tool, 8> kTools{{{"wimcapture", "wimtools"},
                                      {"wimappend", "wimtools"},
                                      {"wimapply", "wimtools"},
                                      {"wiminfo", "wimtools"},
                                      {"wimextract", "wimtools"},
                                      {"mkntfs", "ntfs-3g"},
                                      {"sfdisk", "fdisk"},
                                      {"qemu-img", "qemu-utils"}}};

// Where a tool is: on PATH, or in the sbin folders a non-root PATH may lack (mkntfs, sfdisk).
std::optional<fs::path> find_tool(std::string_view tool) {
  const char* path = std::getenv("PATH");
  std::string dirs = std::string(path ? path : "/usr/bin:/bin") + ":/usr/sbin:/sbin";
  std::string_view rest = dirs;
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const auto dir = rest.substr(0, colon);
    std::error_code ec;
    if (!dir.empty() && fs::exists(fs::path(dir) / tool, ec)) return fs::path(dir) / tool;
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  }
  return std::nullopt;
}

std::optional<std::string> write_file(const fs::path& file, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return "cannot write " + file.string();
  return std::nullopt;
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put16(std::string& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<char>(v & 0xFF);
  b[at + 1] = static_cast<char>(v >> 8);
}
void put32(std::string& b, std::size_t at, std::uint32_t v) {
  put16(b, at, static_cast<std::uint16_t>(v & 0xFFFF));
  put16(b, at + 2, static_cast<std::uint16_t>(v >> 16));
}
std::uint32_t get32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}
std::uint64_t get64(const std::string& b, std::size_t at) {
  return get32(b, at) | static_cast<std::uint64_t>(get32(b, at + 4)) << 32;
}

// A GUID's on-disk bytes (first three fields little-endian) from its text form.
std::string guid_bytes(std::string_view text) {
  std::string hex;
  for (char c : text)
    if (c != '-' && c != '{' && c != '}') hex += c;
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  std::string out = raw;
  for (std::size_t i = 0; i < 4; ++i) out[i] = raw[3 - i];
  out[4] = raw[5], out[5] = raw[4], out[6] = raw[7], out[7] = raw[6];
  return out;
}
std::string guid_text(const std::string& b, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(b[at + i])); };
  // Lower case, as Windows writes parent_linkage (and as libvhdi parses it).
  return fmt::format(
      "{{{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}}}",
      byte(3), byte(2), byte(1), byte(0), byte(5), byte(4), byte(7), byte(6), byte(8), byte(9), byte(10), byte(11),
      byte(12), byte(13), byte(14), byte(15));
}

constexpr std::string_view kMetadataRegion = "8B7CA206-4790-4B9A-B8FE-575F050F886E";
constexpr std::string_view kFileParameters = "CAA16737-FA36-4D43-B3B6-33F0AA44E76B";
constexpr std::string_view kVirtualDiskSize = "2FA54224-CD1B-4876-B211-5DBED83BF4B8";
constexpr std::string_view kParentLocator = "A8D35F2D-B30B-454D-ABF7-D3D84834AB0C";
constexpr std::string_view kVhdxLocatorType = "B04AEFB7-D19E-4A81-B789-25B8E9445913";

// Where a VHDX's metadata region and table lie (from the region table at 192 KiB).
std::optional<std::uint64_t> metadata_region(const std::string& vhdx) {
  constexpr std::size_t kRegionTable = 192 * 1024;
  if (vhdx.size() < kRegionTable + 4096 || vhdx.compare(kRegionTable, 4, "regi") != 0) return std::nullopt;
  const std::uint32_t count = get32(vhdx, kRegionTable + 8);
  for (std::uint32_t i = 0; i < count && i < 100; ++i) {
    const std::size_t entry = kRegionTable + 16 + std::size_t{i} * 32;
    if (vhdx.compare(entry, 16, guid_bytes(kMetadataRegion)) == 0) return get64(vhdx, entry + 16);
  }
  return std::nullopt;
}

// The metadata table entry for `item`, as an offset into the file.
std::optional<std::size_t> metadata_entry(const std::string& vhdx, std::uint64_t region, std::string_view item) {
  const std::uint16_t count = static_cast<std::uint16_t>(get32(vhdx, region + 8) >> 16);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t entry = region + 32 + i * 32;
    if (vhdx.compare(entry, 16, guid_bytes(item)) == 0) return entry;
  }
  return std::nullopt;
}

std::string utf16(std::string_view text) {
  return utf::utf8_to_utf16le(text);
}

}  // namespace

std::optional<std::string> missing_image_tools(std::initializer_list<std::string_view> tools) {
  for (auto tool : tools) {
    if (find_tool(tool)) continue;
    std::string_view package = "?";
    for (const auto& t : kTools)
      if (t.name == tool) package = t.package;
    return fmt::format("{} is not installed (Debian package {}; scripts/setup.sh installs it)", tool, package);
  }
  return std::nullopt;
}

std::string sample_registry_pol() {
  // [MS-GPREG]: "PReg", version 1, then [key;value;type;size;data] in UTF-16LE.
  std::string pol = "PReg";
  pol += std::string("\x01\x00\x00\x00", 4);
  auto field = [&](std::string_view text) { pol += utf16(text) + std::string("\0\0", 2); };
  pol += utf16("[");
  field("Software\\Policies\\Microsoft\\Windows\\LanmanWorkstation");
  pol += utf16(";");
  field("AllowInsecureGuestAuth");
  pol += utf16(";");
  pol += std::string("\x04\x00\x00\x00", 4) + utf16(";") + std::string("\x04\x00\x00\x00", 4) + utf16(";");
  pol += std::string("\x00\x00\x00\x00", 4) + utf16("]");
  return pol;
}

std::optional<std::string> write_windows_tree(std::string_view image_name, const fs::path& root,
                                              const std::string& registry_pol) {
  auto image = windows_image(image_name);
  if (!image) return fmt::format("no fixture image named {}", image_name);
  const auto config = root / kConfigFolder;
  std::error_code ec;
  fs::create_directories(config, ec);
  if (auto failed = write_image_hives(*image, config / "SYSTEM", config / "SOFTWARE")) return failed;
  if (!registry_pol.empty())
    return write_file(root / "Windows/System32/GroupPolicy/Machine/Registry.pol", registry_pol);
  return std::nullopt;
}

std::optional<std::string> run_tool(const std::vector<std::string>& argv) {
  image::ProcessOptions options;
  options.timeout = std::chrono::seconds(120);
  options.environment = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"};
  std::vector<std::string> resolved = argv;
  if (auto tool = find_tool(argv[0])) resolved[0] = tool->string();
  auto run = image::run_process(resolved, options);
  if (!run) return run.error();
  if (run->exit_code != 0 || run->timed_out)
    return fmt::format("{} failed (exit code {}): {}", argv[0], run->exit_code, image::stderr_line(run->err));
  return std::nullopt;
}

std::optional<std::string> make_wim(const fs::path& tree, const fs::path& wim, const std::string& name, bool esd) {
  std::vector<std::string> argv{"wimcapture", tree.string(), wim.string(), name, "--no-acls"};
  if (esd) argv.emplace_back("--solid");  // what an ESD is: a solid, LZMS-compressed WIM
  return run_tool(argv);
}

std::optional<std::string> append_wim(const fs::path& tree, const fs::path& wim, const std::string& name) {
  return run_tool({"wimappend", tree.string(), wim.string(), name, "--no-acls"});
}

std::optional<std::string> make_ntfs_volume(const fs::path& tree, const fs::path& volume, std::uint64_t megabytes) {
  { std::ofstream create(volume, std::ios::binary | std::ios::trunc); }
  std::error_code ec;
  fs::resize_file(volume, megabytes << 20, ec);
  if (ec) return "cannot size " + volume.string() + ": " + ec.message();
  if (auto failed = run_tool({"mkntfs", "--force", "--fast", "--quiet", "--label", "Windows", volume.string()}))
    return failed;
  if (fs::is_empty(tree, ec)) return std::nullopt;
  // wimlib writes into an NTFS volume image through libntfs-3g, without mounting it.
  TempDir scratch;
  const auto wim = scratch.path() / "tree.wim";
  if (auto failed = make_wim(tree, wim, "tree")) return failed;
  return run_tool({"wimapply", wim.string(), "1", volume.string()});
}

std::optional<std::string> make_disk(const fs::path& disk, std::string_view label,
                                     const std::vector<FixturePartition>& partitions) {
  std::uint64_t total = 2;  // 1 MiB before the first partition, 1 MiB after the last (the backup GPT)
  for (const auto& p : partitions) total += p.megabytes;
  { std::ofstream create(disk, std::ios::binary | std::ios::trunc); }
  std::error_code ec;
  fs::resize_file(disk, total << 20, ec);
  if (ec) return "cannot size " + disk.string() + ": " + ec.message();
  std::string script = fmt::format("label: {}\n", label);
  std::uint64_t start = 1;
  for (const auto& p : partitions) {
    script += fmt::format("start={}, size={}, type={}\n", start * 2048, p.megabytes * 2048, p.type);
    start += p.megabytes;
  }
  TempDir scratch;
  const auto script_file = scratch.write("layout.sfdisk", script);
  // sfdisk reads its script from standard input.
  image::ProcessOptions options;
  options.timeout = std::chrono::seconds(60);
  options.stdin_file = script_file;
  const auto sfdisk = find_tool("sfdisk");
  if (!sfdisk) return std::string("sfdisk is not installed");
  auto run =
      image::run_process({sfdisk->string(), "--quiet", "--no-reread", "--no-tell-kernel", disk.string()}, options);
  if (!run) return run.error();
  if (run->exit_code != 0) return fmt::format("sfdisk failed: {}", image::stderr_line(run->err));
  std::fstream out(disk, std::ios::binary | std::ios::in | std::ios::out);
  start = 1;
  for (const auto& p : partitions) {
    if (p.content) {
      const std::string bytes = read_all(*p.content);
      if (bytes.size() > (p.megabytes << 20)) return p.content->string() + " is larger than its partition";
      out.seekp(static_cast<std::streamoff>(start << 20));
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    start += p.megabytes;
  }
  if (!out) return "cannot write " + disk.string();
  return std::nullopt;
}

std::optional<std::string> convert_disk(const fs::path& raw, const fs::path& out, std::string_view qemu_format) {
  std::vector<std::string> argv{"qemu-img", "convert", "-f", "raw", "-O", std::string(qemu_format)};
  // 1 MiB blocks (qemu's default is 32 MiB): the fixture files stay a few megabytes.
  if (qemu_format == "vhdx") argv.insert(argv.end(), {"-o", "block_size=1M"});
  argv.insert(argv.end(), {raw.string(), out.string()});
  return run_tool(argv);
}

std::optional<std::string> make_differencing_vhdx(const fs::path& parent, const fs::path& child,
                                                  const std::string& recorded_parent) {
  const std::string base = read_all(parent);
  const auto base_region = metadata_region(base);
  if (!base_region) return parent.string() + ": no VHDX metadata region";
  const auto size_entry = metadata_entry(base, *base_region, kVirtualDiskSize);
  if (!size_entry) return parent.string() + ": no virtual disk size";
  const std::uint64_t virtual_size = get64(base, *base_region + get32(base, *size_entry + 16));
  // The parent's current header (the higher sequence number) holds the DataWriteGuid a child links to.
  const std::size_t h1 = 64 * 1024, h2 = 128 * 1024;
  const std::size_t header = get64(base, h2 + 8) > get64(base, h1 + 8) ? h2 : h1;
  const std::string linkage = guid_text(base, header + 32);

  if (auto failed = run_tool({"qemu-img", "create", "-q", "-f", "vhdx", "-o", "block_size=1M", child.string(),
                              std::to_string(virtual_size)}))
    return failed;
  std::string vhdx = read_all(child);
  const auto region = metadata_region(vhdx);
  if (!region) return child.string() + ": no VHDX metadata region";
  const auto params = metadata_entry(vhdx, *region, kFileParameters);
  if (!params) return child.string() + ": no file parameters";
  const std::size_t params_data = *region + get32(vhdx, *params + 16);
  put32(vhdx, params_data + 4, get32(vhdx, params_data + 4) | 2);  // HasParent

  // The parent locator: its type, then key/value pairs of UTF-16LE strings.
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"parent_linkage", linkage},
      {"relative_path", ".\\" + recorded_parent},
      {"absolute_win32_path", "C:\\images\\" + recorded_parent}};
  std::string locator = guid_bytes(kVhdxLocatorType) + std::string(4, '\0');
  put16(locator, 18, static_cast<std::uint16_t>(pairs.size()));
  std::string strings;
  const std::size_t strings_at = locator.size() + pairs.size() * 12;
  for (const auto& [key, value] : pairs) {
    std::string entry(12, '\0');
    const std::string k = utf16(key), v = utf16(value);
    put32(entry, 0, static_cast<std::uint32_t>(strings_at + strings.size()));
    strings += k;
    put32(entry, 4, static_cast<std::uint32_t>(strings_at + strings.size()));
    strings += v;
    put16(entry, 8, static_cast<std::uint16_t>(k.size()));
    put16(entry, 10, static_cast<std::uint16_t>(v.size()));
    locator += entry;
  }
  locator += strings;

  // Placed after the last metadata item, and listed as one more entry of the table.
  const std::uint16_t count = static_cast<std::uint16_t>(get32(vhdx, *region + 8) >> 16);
  std::uint32_t end = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t entry = *region + 32 + i * 32;
    end = std::max(end, get32(vhdx, entry + 16) + get32(vhdx, entry + 20));
  }
  const std::uint32_t offset = (end + 4095) / 4096 * 4096;
  if (*region + offset + locator.size() > vhdx.size()) return child.string() + ": no room for a parent locator";
  vhdx.replace(*region + offset, locator.size(), locator);
  const std::size_t entry = *region + 32 + std::size_t{count} * 32;
  std::string item = guid_bytes(kParentLocator) + std::string(16, '\0');
  put32(item, 16, offset);
  put32(item, 20, static_cast<std::uint32_t>(locator.size()));
  put32(item, 24, 2 | 4);  // IsVirtualDisk, IsRequired
  vhdx.replace(entry, item.size(), item);
  put16(vhdx, *region + 10, static_cast<std::uint16_t>(count + 1));
  return write_file(child, vhdx);
}

}  // namespace smbaudit::test_support
