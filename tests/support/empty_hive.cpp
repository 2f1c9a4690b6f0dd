#include "empty_hive.h"

#include <cstdint>
#include <vector>

#include "../../src/core/utf.h"

namespace smbaudit::test_support {
namespace {

// Registry hive layout ("regf"): a 4 KiB base block, then hive bins ("hbin", 4 KiB here) of
// cells; each cell starts with its size (negative when in use) and offsets are from the
// first bin. Field offsets below follow the published format description.
constexpr std::size_t kBlock = 0x1000;

void put16(std::string& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<char>(v & 0xFF);
  b[at + 1] = static_cast<char>(v >> 8);
}
void put32(std::string& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint32_t get32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return v;
}

std::size_t align8(std::size_t n) {
  return (n + 7) & ~std::size_t{7};
}

// A SID in binary form: revision 1, authority, sub-authorities.
std::string sid(std::uint8_t authority, std::vector<std::uint32_t> subs) {
  std::string s(8 + 4 * subs.size(), '\0');
  s[0] = 1;
  s[1] = static_cast<char>(subs.size());
  s[7] = static_cast<char>(authority);
  for (std::size_t i = 0; i < subs.size(); ++i) put32(s, 8 + 4 * i, subs[i]);
  return s;
}

// A self-relative security descriptor: owner Administrators, group SYSTEM, and a DACL that
// gives Administrators and SYSTEM full control and Everyone read, inherited by subkeys.
std::string security_descriptor() {
  const std::string admins = sid(5, {32, 544}), system = sid(5, {18}), everyone = sid(1, {0});
  const auto ace = [](std::uint32_t mask, const std::string& who) {
    std::string a(8, '\0');
    a[1] = 0x02;  // CONTAINER_INHERIT_ACE
    put16(a, 2, static_cast<std::uint16_t>(8 + who.size()));
    put32(a, 4, mask);
    return a + who;
  };
  const std::string aces = ace(0xF003F, admins) + ace(0xF003F, system) + ace(0x20019, everyone);
  std::string acl(8, '\0');
  acl[0] = 2;
  put16(acl, 2, static_cast<std::uint16_t>(8 + aces.size()));
  put16(acl, 4, 3);
  std::string sd(20, '\0');
  sd[0] = 1;
  put16(sd, 2, 0x8004);  // SE_SELF_RELATIVE | SE_DACL_PRESENT
  put32(sd, 4, 20);
  put32(sd, 8, static_cast<std::uint32_t>(20 + admins.size()));
  put32(sd, 16, static_cast<std::uint32_t>(20 + admins.size() + system.size()));
  return sd + admins + system + acl + aces;
}

}  // namespace

std::string empty_hive_bytes(std::string_view root_name) {
  std::string b(2 * kBlock, '\0');
  // Base block.
  b.replace(0, 4, "regf");
  put32(b, 0x04, 1);  // sequence numbers equal: cleanly written
  put32(b, 0x08, 1);
  put32(b, 0x14, 1);  // format version 1.5
  put32(b, 0x18, 5);
  put32(b, 0x1C, 0);  // primary file
  put32(b, 0x20, 1);  // direct memory load
  put32(b, 0x24, 0x20);
  put32(b, 0x28, kBlock);  // one bin
  put32(b, 0x2C, 1);
  const std::string file_name = utf::utf8_to_utf16le(root_name).substr(0, 62);
  b.replace(0x30, file_name.size(), file_name);
  std::uint32_t sum = 0;
  for (std::size_t at = 0; at < 0x1FC; at += 4) sum ^= get32(b, at);
  put32(b, 0x1FC, sum);
  // The bin's header.
  const std::size_t bin = kBlock;
  b.replace(bin, 4, "hbin");
  put32(b, bin + 0x04, 0);
  put32(b, bin + 0x08, kBlock);
  // The root key's nk cell at 0x20, its sk cell after it, then one free cell to the end.
  const std::size_t nk_at = 0x20, nk_size = align8(4 + 0x4C + root_name.size());
  const std::string sd = security_descriptor();
  const std::size_t sk_at = nk_at + nk_size, sk_size = align8(4 + 0x14 + sd.size());
  const std::size_t free_at = sk_at + sk_size;
  const auto cell = [&](std::size_t at) { return bin + at + 4; };  // where a cell's record starts
  put32(b, bin + nk_at, static_cast<std::uint32_t>(-static_cast<std::int32_t>(nk_size)));
  std::size_t nk = cell(nk_at);
  b.replace(nk, 2, "nk");
  put16(b, nk + 0x02, 0x2C);        // root (HIVE_ENTRY) | NO_DELETE | name stored as ASCII
  put32(b, nk + 0x10, 0xFFFFFFFF);  // no parent
  put32(b, nk + 0x1C, 0xFFFFFFFF);  // no subkey list
  put32(b, nk + 0x20, 0xFFFFFFFF);  // no volatile subkey list
  put32(b, nk + 0x28, 0xFFFFFFFF);  // no value list
  put32(b, nk + 0x2C, static_cast<std::uint32_t>(sk_at));
  put32(b, nk + 0x30, 0xFFFFFFFF);  // no class name
  put16(b, nk + 0x48, static_cast<std::uint16_t>(root_name.size()));
  b.replace(nk + 0x4C, root_name.size(), root_name);
  put32(b, bin + sk_at, static_cast<std::uint32_t>(-static_cast<std::int32_t>(sk_size)));
  std::size_t sk = cell(sk_at);
  b.replace(sk, 2, "sk");
  put32(b, sk + 0x04, static_cast<std::uint32_t>(sk_at));  // the only sk cell: linked to itself
  put32(b, sk + 0x08, static_cast<std::uint32_t>(sk_at));
  put32(b, sk + 0x0C, 1);
  put32(b, sk + 0x10, static_cast<std::uint32_t>(sd.size()));
  b.replace(sk + 0x14, sd.size(), sd);
  put32(b, bin + free_at, static_cast<std::uint32_t>(kBlock - free_at));
  return b;
}

}  // namespace smbaudit::test_support
