// The disk inside a virtual-disk container, read through the libyal libraries (LGPL-3+,
// linked dynamically): libvhdi for VHD and VHDX, libvmdk for VMDK, libqcow for QCOW2. Only the
// blocks asked for are read, so a 30 GB disk costs what its partition table, NTFS metadata
// and hive files cost.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "disk.h"
#include "smbaudit/expected.h"

namespace smbaudit::image {

enum class Container { Vhd, Vhdx, Vmdk, Qcow2 };

[[nodiscard]] std::string_view container_name(Container c);

// Differencing VHD/VHDX disks (Hyper-V checkpoints, .avhdx) are refused with a line that says
// whether their parent is there: Debian 12's libvhdi misreads them (virtual_disk.cpp).

// Opens the virtual disk in `file`; the error says what is wrong in a few words (not the file
// name), e.g. "a differencing disk whose parent 'C:\images\base.vhdx' is missing (looked in /images); ...".
[[nodiscard]] Expected<std::unique_ptr<Disk>, std::string> open_virtual_disk(const std::filesystem::path& file,
                                                                             Container kind);

}  // namespace smbaudit::image
