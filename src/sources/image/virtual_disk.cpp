#include "virtual_disk.h"

#include <fmt/format.h>

#include <vector>

#include "libyal.h"
#include "libyal_api.h"

namespace smbaudit::image {
namespace {

using VhdiError = LibyalError<libvhdi_error_t, yal::libvhdi_error_backtrace_sprint, yal::libvhdi_error_free>;
using VmdkError = LibyalError<libvmdk_error_t, yal::libvmdk_error_backtrace_sprint, yal::libvmdk_error_free>;
using QcowError = LibyalError<libqcow_error_t, yal::libqcow_error_backtrace_sprint, yal::libqcow_error_free>;

// One libyal "file" or "handle" object and the functions that read it; each library's type
// differs only in names.
template <typename Handle, typename Error, typename ErrorT>
struct Ops {
  int (*free)(Handle**, ErrorT**);
  int (*close)(Handle*, ErrorT**);
  ssize_t (*read_at)(Handle*, void*, size_t, off64_t, ErrorT**);
};

template <typename Handle, typename Error, typename ErrorT>
class LibyalDisk final : public Disk {
 public:
  LibyalDisk(Handle* handle, Ops<Handle, Error, ErrorT> ops, std::uint64_t size, std::uint32_t sector_size)
      : handle_(handle), ops_(ops), size_(size), sector_size_(sector_size) {}
  ~LibyalDisk() override {
    ops_.close(handle_, nullptr);
    ops_.free(&handle_, nullptr);
  }
  LibyalDisk(const LibyalDisk&) = delete;
  LibyalDisk& operator=(const LibyalDisk&) = delete;

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  [[nodiscard]] std::uint32_t sector_size() const override { return sector_size_; }
  [[nodiscard]] std::optional<std::string> read(std::uint64_t offset, std::span<std::byte> out) override {
    if (!within(offset, out.size(), size_))
      return fmt::format("read of {} bytes at offset {} is past the end of the virtual disk ({} bytes)", out.size(),
                         offset, size_);
    std::size_t done = 0;
    while (done < out.size()) {
      Error error;
      const auto n =
          ops_.read_at(handle_, out.data() + done, out.size() - done, static_cast<off64_t>(offset + done), error.put());
      if (n < 0) return fmt::format("cannot read the virtual disk at offset {}: {}", offset + done, error.cause());
      if (n == 0) return fmt::format("the virtual disk ends early, at offset {}", offset + done);
      done += static_cast<std::size_t>(n);
    }
    return std::nullopt;
  }

 private:
  Handle* handle_;
  Ops<Handle, Error, ErrorT> ops_;
  std::uint64_t size_;
  std::uint32_t sector_size_;
};

using VhdiDisk = LibyalDisk<libvhdi_file_t, VhdiError, libvhdi_error_t>;
Ops<libvhdi_file_t, VhdiError, libvhdi_error_t> vhdi_ops() {
  return {yal::libvhdi_file_free, yal::libvhdi_file_close, yal::libvhdi_file_read_buffer_at_offset};
}

// Where a differencing disk's parent would be: beside the child under the recorded relative
// path, then under the recorded base name (images move between hosts, so the absolute Windows
// path the child records rarely exists here).
std::vector<std::filesystem::path> parent_candidates(const std::filesystem::path& child, std::string recorded) {
  for (char& c : recorded)
    if (c == '\\') c = '/';
  const auto dir = child.parent_path();
  std::vector<std::filesystem::path> out;
  std::filesystem::path rel(recorded);
  if (rel.is_relative() && recorded.find(':') == std::string::npos) out.push_back(dir / rel);
  const auto slash = recorded.find_last_of('/');
  const std::string base = slash == std::string::npos ? recorded : recorded.substr(slash + 1);
  if (!base.empty()) out.push_back(dir / base);
  return out;
}

// Why a differencing disk is not read: its parent is missing, or (parent present) because
// libvhdi 20210425, Debian 12's, reads sectors of a differencing VHDX from the wrong place
// (it consults a sector bitmap that is not there for blocks the child does not hold, so some
// of the parent's sectors read as zeros; tests/support can build such a disk). Wrong bytes
// could turn into wrong verdicts, so the chain must be merged into one disk first.
std::string differencing_refusal(libvhdi_file_t* handle, const std::filesystem::path& file) {
  VhdiError error;
  std::size_t name_size = 0;
  std::string recorded;
  if (yal::libvhdi_file_get_utf8_parent_filename_size(handle, &name_size, error.put()) == 1 && name_size > 1 &&
      name_size < 65536) {
    std::vector<std::uint8_t> name(name_size);
    if (yal::libvhdi_file_get_utf8_parent_filename(handle, name.data(), name.size(), error.put()) == 1)
      recorded.assign(reinterpret_cast<const char*>(name.data()));
  }
  const std::string dir = file.parent_path().empty() ? "." : file.parent_path().string();
  if (recorded.empty()) return "a differencing disk that does not name its parent";
  std::optional<std::filesystem::path> found;
  for (const auto& candidate : parent_candidates(file, recorded)) {
    std::error_code ec;
    if (!found && std::filesystem::is_regular_file(candidate, ec)) found = candidate;
  }
  if (!found)
    return fmt::format(
        "a differencing disk whose parent '{}' is missing (looked in {}); smbaudit reads standalone "
        "disks only: merge the chain into one disk with Merge-VHD on Hyper-V",
        recorded, dir);
  return fmt::format(
      "a differencing disk (its parent is {}); smbaudit reads standalone disks only, as libvhdi "
      "misreads differencing ones: merge the chain into one disk with Merge-VHD on Hyper-V",
      found->string());
}

Expected<std::unique_ptr<Disk>, std::string> open_vhdi(const std::filesystem::path& file) {
  libvhdi_file_t* handle = nullptr;
  VhdiError error;
  if (yal::libvhdi_file_initialize(&handle, error.put()) != 1) return Unexpected("libvhdi: " + error.cause());
  if (yal::libvhdi_file_open(handle, file.c_str(), LIBVHDI_OPEN_READ, error.put()) != 1) {
    yal::libvhdi_file_free(&handle, nullptr);
    return Unexpected(fmt::format("damaged or truncated virtual disk ({})", error.cause()));
  }
  auto fail = [&](std::string why) -> Expected<std::unique_ptr<Disk>, std::string> {
    yal::libvhdi_file_close(handle, nullptr);
    yal::libvhdi_file_free(&handle, nullptr);
    return Unexpected(std::move(why));
  };
  size64_t media = 0;
  std::uint32_t sector = 512, disk_type = 0;
  if (yal::libvhdi_file_get_media_size(handle, &media, error.put()) != 1 ||
      yal::libvhdi_file_get_bytes_per_sector(handle, &sector, error.put()) != 1 ||
      yal::libvhdi_file_get_disk_type(handle, &disk_type, error.put()) != 1)
    return fail(fmt::format("damaged virtual disk ({})", error.cause()));
  if (disk_type == LIBVHDI_DISK_TYPE_DIFFERENTIAL) return fail(differencing_refusal(handle, file));
  return std::unique_ptr<Disk>(std::make_unique<VhdiDisk>(handle, vhdi_ops(), media, sector));
}

Expected<std::unique_ptr<Disk>, std::string> open_vmdk(const std::filesystem::path& file) {
  using VmdkDisk = LibyalDisk<libvmdk_handle_t, VmdkError, libvmdk_error_t>;
  libvmdk_handle_t* handle = nullptr;
  VmdkError error;
  if (yal::libvmdk_handle_initialize(&handle, error.put()) != 1) return Unexpected("libvmdk: " + error.cause());
  auto fail = [&](std::string why, bool close) -> Expected<std::unique_ptr<Disk>, std::string> {
    if (close) yal::libvmdk_handle_close(handle, nullptr);
    yal::libvmdk_handle_free(&handle, nullptr);
    return Unexpected(std::move(why));
  };
  if (yal::libvmdk_handle_open(handle, file.c_str(), LIBVMDK_OPEN_READ, error.put()) != 1)
    return fail(fmt::format("damaged or truncated VMDK ({})", error.cause()), false);
  std::size_t parent_size = 0;
  if (yal::libvmdk_handle_get_utf8_parent_filename_size(handle, &parent_size, error.put()) == 1 && parent_size > 1)
    return fail(
        "a VMDK child disk (it has a parent): smbaudit reads standalone VMDK files only; merge it first "
        "(qemu-img convert -O vmdk)",
        true);
  if (yal::libvmdk_handle_open_extent_data_files(handle, error.put()) != 1)
    return fail(fmt::format("cannot open the VMDK's extent files ({})", error.cause()), true);
  size64_t media = 0;
  if (yal::libvmdk_handle_get_media_size(handle, &media, error.put()) != 1)
    return fail(fmt::format("damaged VMDK ({})", error.cause()), true);
  return std::unique_ptr<Disk>(std::make_unique<VmdkDisk>(
      handle,
      Ops<libvmdk_handle_t, VmdkError, libvmdk_error_t>{yal::libvmdk_handle_free, yal::libvmdk_handle_close,
                                                        yal::libvmdk_handle_read_buffer_at_offset},
      media, 512));
}

Expected<std::unique_ptr<Disk>, std::string> open_qcow(const std::filesystem::path& file) {
  using QcowDisk = LibyalDisk<libqcow_file_t, QcowError, libqcow_error_t>;
  libqcow_file_t* handle = nullptr;
  QcowError error;
  if (yal::libqcow_file_initialize(&handle, error.put()) != 1) return Unexpected("libqcow: " + error.cause());
  auto fail = [&](std::string why, bool close) -> Expected<std::unique_ptr<Disk>, std::string> {
    if (close) yal::libqcow_file_close(handle, nullptr);
    yal::libqcow_file_free(&handle, nullptr);
    return Unexpected(std::move(why));
  };
  if (yal::libqcow_file_open(handle, file.c_str(), LIBQCOW_OPEN_READ, error.put()) != 1)
    return fail(fmt::format("damaged or truncated QCOW image ({})", error.cause()), false);
  std::size_t backing_size = 0;
  if (yal::libqcow_file_get_utf8_backing_filename_size(handle, &backing_size, error.put()) == 1 && backing_size > 1)
    return fail(
        "a QCOW2 overlay (it has a backing file): smbaudit reads standalone QCOW2 files only; flatten it "
        "first (qemu-img convert -O qcow2)",
        true);
  std::uint32_t encryption = 0;
  if (yal::libqcow_file_get_encryption_method(handle, &encryption, error.put()) == 1 && encryption != 0)
    return fail("an encrypted QCOW image: smbaudit cannot read it", true);
  size64_t media = 0;
  if (yal::libqcow_file_get_media_size(handle, &media, error.put()) != 1)
    return fail(fmt::format("damaged QCOW image ({})", error.cause()), true);
  return std::unique_ptr<Disk>(std::make_unique<QcowDisk>(
      handle,
      Ops<libqcow_file_t, QcowError, libqcow_error_t>{yal::libqcow_file_free, yal::libqcow_file_close,
                                                      yal::libqcow_file_read_buffer_at_offset},
      media, 512));
}

}  // namespace

std::string_view container_name(Container c) {
  switch (c) {
    case Container::Vhd: return "VHD";
    case Container::Vhdx: return "VHDX";
    case Container::Vmdk: return "VMDK";
    case Container::Qcow2: return "QCOW2";
  }
  return "virtual disk";
}

Expected<std::unique_ptr<Disk>, std::string> open_virtual_disk(const std::filesystem::path& file, Container kind) {
  if (auto missing = yal::load()) return Unexpected(std::move(*missing));
  switch (kind) {
    case Container::Vhd:
    case Container::Vhdx: return open_vhdi(file);
    case Container::Vmdk: return open_vmdk(file);
    case Container::Qcow2: return open_qcow(file);
  }
  return Unexpected(std::string("unknown container"));
}

}  // namespace smbaudit::image
