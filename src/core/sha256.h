// SHA-256 (FIPS 180-4), for the rule pack digest. Small and self-contained: the native
// build, the static Windows build and MSVC all get the same code without a crypto library.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace smbaudit {

class Sha256 {
 public:
  Sha256();
  // Adds bytes to the message; may be called any number of times.
  void update(std::string_view data);
  // Finishes the message and returns the digest as 64 lowercase hex digits.
  [[nodiscard]] std::string hex_digest();

 private:
  void block(const std::uint8_t* p);

  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes so far
};

[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace smbaudit
