// The libyal functions smbaudit calls, reached through pointers that load() fills the first
// time an image file is opened, rather than through the dynamic linker at start-up: linked
// directly, the five libraries (and their own dependencies) were mapped and relocated by
// every run, image or not, which cost 1.2 ms of a 15 ms offline audit (docs/performance.md).
// They stay shared libraries either way (LGPL-3+, docs/offline.md).
#pragma once

#include <libbfio.h>
#include <libfsntfs.h>
#include <libqcow.h>
#include <libvhdi.h>
#include <libvmdk.h>

#include <optional>
#include <string>

// Every function the image readers call: (library, function). A function used but not
// listed here does not compile (the call sites name yal::FUNCTION).
#define SMBAUDIT_LIBYAL_FUNCTIONS(X)                         \
  X(libbfio, libbfio_error_backtrace_sprint)                 \
  X(libbfio, libbfio_error_free)                             \
  X(libbfio, libbfio_handle_free)                            \
  X(libbfio, libbfio_handle_initialize)                      \
  X(libfsntfs, libfsntfs_error_backtrace_sprint)             \
  X(libfsntfs, libfsntfs_error_free)                         \
  X(libfsntfs, libfsntfs_file_entry_free)                    \
  X(libfsntfs, libfsntfs_file_entry_get_size)                \
  X(libfsntfs, libfsntfs_file_entry_has_default_data_stream) \
  X(libfsntfs, libfsntfs_file_entry_read_buffer_at_offset)   \
  X(libfsntfs, libfsntfs_volume_close)                       \
  X(libfsntfs, libfsntfs_volume_free)                        \
  X(libfsntfs, libfsntfs_volume_get_file_entry_by_utf8_path) \
  X(libfsntfs, libfsntfs_volume_initialize)                  \
  X(libfsntfs, libfsntfs_volume_open_file_io_handle)         \
  X(libqcow, libqcow_error_backtrace_sprint)                 \
  X(libqcow, libqcow_error_free)                             \
  X(libqcow, libqcow_file_close)                             \
  X(libqcow, libqcow_file_free)                              \
  X(libqcow, libqcow_file_get_encryption_method)             \
  X(libqcow, libqcow_file_get_media_size)                    \
  X(libqcow, libqcow_file_get_utf8_backing_filename_size)    \
  X(libqcow, libqcow_file_initialize)                        \
  X(libqcow, libqcow_file_open)                              \
  X(libqcow, libqcow_file_read_buffer_at_offset)             \
  X(libvhdi, libvhdi_error_backtrace_sprint)                 \
  X(libvhdi, libvhdi_error_free)                             \
  X(libvhdi, libvhdi_file_close)                             \
  X(libvhdi, libvhdi_file_free)                              \
  X(libvhdi, libvhdi_file_get_bytes_per_sector)              \
  X(libvhdi, libvhdi_file_get_disk_type)                     \
  X(libvhdi, libvhdi_file_get_media_size)                    \
  X(libvhdi, libvhdi_file_get_utf8_parent_filename)          \
  X(libvhdi, libvhdi_file_get_utf8_parent_filename_size)     \
  X(libvhdi, libvhdi_file_initialize)                        \
  X(libvhdi, libvhdi_file_open)                              \
  X(libvhdi, libvhdi_file_read_buffer_at_offset)             \
  X(libvmdk, libvmdk_error_backtrace_sprint)                 \
  X(libvmdk, libvmdk_error_free)                             \
  X(libvmdk, libvmdk_handle_close)                           \
  X(libvmdk, libvmdk_handle_free)                            \
  X(libvmdk, libvmdk_handle_get_media_size)                  \
  X(libvmdk, libvmdk_handle_get_utf8_parent_filename_size)   \
  X(libvmdk, libvmdk_handle_initialize)                      \
  X(libvmdk, libvmdk_handle_open)                            \
  X(libvmdk, libvmdk_handle_open_extent_data_files)          \
  X(libvmdk, libvmdk_handle_read_buffer_at_offset)

namespace smbaudit::image::yal {

#define SMBAUDIT_LIBYAL_DECLARE(library, function) extern decltype(&::function) function;
SMBAUDIT_LIBYAL_FUNCTIONS(SMBAUDIT_LIBYAL_DECLARE)
#undef SMBAUDIT_LIBYAL_DECLARE

// Loads the libraries and resolves every function above, once per process (thread-safe).
// nullopt when all are there; else one line naming the library or function that is not
// ("cannot load libvhdi.so.1 (...): reading image files needs ..."). Call it before any
// function above; the pointers are not to be used after a failure.
[[nodiscard]] std::optional<std::string> load();

}  // namespace smbaudit::image::yal
