// RAII owners for the Windows handles and COM objects the live collector uses: each
// closes or releases exactly once, and none can be copied.
#pragma once

#include <windows.h>
// After windows.h, which they need.
#include <dsrole.h>
#include <lm.h>
#include <oleauto.h>
#include <winsvc.h>

#include <string_view>
#include <utility>

namespace smbaudit::win {

// Owns one handle of a kind described by Traits (its type, null value and close function).
template <typename Traits>
class UniqueHandle {
 public:
  using Handle = typename Traits::Handle;
  UniqueHandle() = default;
  explicit UniqueHandle(Handle h) : h_(h) {}
  ~UniqueHandle() { reset(); }
  UniqueHandle(UniqueHandle&& other) noexcept : h_(std::exchange(other.h_, Traits::null())) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = std::exchange(other.h_, Traits::null());
    }
    return *this;
  }
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;

  [[nodiscard]] Handle get() const { return h_; }
  explicit operator bool() const { return h_ != Traits::null(); }
  // Releases the current handle and returns where an API may write a new one.
  Handle* put() {
    reset();
    return &h_;
  }
  // Closes the current handle and owns `h` instead (nothing by default).
  void reset(Handle h = Traits::null()) {
    if (h_ != Traits::null() && h_ != h) Traits::close(h_);
    h_ = h;
  }
  // Gives the handle up without closing it: the caller owns it now.
  [[nodiscard]] Handle release() { return std::exchange(h_, Traits::null()); }

 private:
  Handle h_ = Traits::null();
};

struct HkeyTraits {
  using Handle = HKEY;
  static HKEY null() { return nullptr; }
  static void close(HKEY h) { RegCloseKey(h); }
};
struct ScHandleTraits {
  using Handle = SC_HANDLE;
  static SC_HANDLE null() { return nullptr; }
  static void close(SC_HANDLE h) { CloseServiceHandle(h); }
};
struct KernelHandleTraits {
  using Handle = HANDLE;
  static HANDLE null() { return nullptr; }
  static void close(HANDLE h) { CloseHandle(h); }
};
// CreateFileW and FindFirstFileW's kind fail with INVALID_HANDLE_VALUE, not null: a null
// check would close (or keep) the wrong thing.
struct FileHandleTraits {
  using Handle = HANDLE;
  static HANDLE null() { return INVALID_HANDLE_VALUE; }
  static void close(HANDLE h) { CloseHandle(h); }
};
struct NetApiBufferTraits {
  using Handle = void*;
  static void* null() { return nullptr; }
  static void close(void* p) { NetApiBufferFree(p); }
};

// DsRoleGetPrimaryDomainInformation's buffers: freed with DsRoleFreeMemory, not NetApiBufferFree.
struct DsRoleBufferTraits {
  using Handle = PBYTE;
  static PBYTE null() { return nullptr; }
  static void close(PBYTE p) { DsRoleFreeMemory(p); }
};

struct ModuleTraits {
  using Handle = HMODULE;
  static HMODULE null() { return nullptr; }
  static void close(HMODULE h) { FreeLibrary(h); }
};
// Buffers the system allocates for the caller (FORMAT_MESSAGE_ALLOCATE_BUFFER).
struct LocalBufferTraits {
  using Handle = HLOCAL;
  static HLOCAL null() { return nullptr; }
  static void close(HLOCAL p) { LocalFree(p); }
};

using UniqueHkey = UniqueHandle<HkeyTraits>;
using UniqueModule = UniqueHandle<ModuleTraits>;
using UniqueLocalBuffer = UniqueHandle<LocalBufferTraits>;
using UniqueScHandle = UniqueHandle<ScHandleTraits>;
using UniqueKernelHandle = UniqueHandle<KernelHandleTraits>;
using UniqueFileHandle = UniqueHandle<FileHandleTraits>;
using UniqueNetBuffer = UniqueHandle<NetApiBufferTraits>;
using UniqueDsRoleBuffer = UniqueHandle<DsRoleBufferTraits>;

// Owns one COM interface reference.
template <typename T>
class ComPtr {
 public:
  ComPtr() = default;
  ~ComPtr() { reset(); }
  ComPtr(ComPtr&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  ComPtr& operator=(ComPtr&& other) noexcept {
    if (this != &other) {
      reset();
      p_ = std::exchange(other.p_, nullptr);
    }
    return *this;
  }
  ComPtr(const ComPtr&) = delete;
  ComPtr& operator=(const ComPtr&) = delete;

  [[nodiscard]] T* get() const { return p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // Releases the current reference and returns where an API may write a new one.
  T** put() {
    reset();
    return &p_;
  }
  void** put_void() { return reinterpret_cast<void**>(put()); }
  void reset() {
    if (p_) p_->Release();
    p_ = nullptr;
  }

 private:
  T* p_ = nullptr;
};

// Owns a BSTR.
class Bstr {
 public:
  Bstr() = default;
  explicit Bstr(const wchar_t* text) : s_(SysAllocString(text)) {}
  ~Bstr() { SysFreeString(s_); }
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  [[nodiscard]] BSTR get() const { return s_; }
  // Frees the current string and returns where an API may write a new one.
  BSTR* put() {
    SysFreeString(s_);
    s_ = nullptr;
    return &s_;
  }
  // The string's text, embedded nulls included; empty for a null BSTR.
  [[nodiscard]] std::wstring_view view() const {
    return s_ ? std::wstring_view(s_, SysStringLen(s_)) : std::wstring_view();
  }

 private:
  BSTR s_ = nullptr;
};

// Owns a VARIANT (cleared on destruction and before reuse).
class Variant {
 public:
  Variant() { VariantInit(&v_); }
  ~Variant() { VariantClear(&v_); }
  Variant(const Variant&) = delete;
  Variant& operator=(const Variant&) = delete;
  [[nodiscard]] const VARIANT& get() const { return v_; }
  VARIANT* put() {
    VariantClear(&v_);
    return &v_;
  }

 private:
  VARIANT v_;
};

// Joins the calling thread to COM's multithreaded apartment for its lifetime.
class ComApartment {
 public:
  ComApartment() : hr_(CoInitializeEx(nullptr, COINIT_MULTITHREADED)) {}
  ~ComApartment() {
    if (SUCCEEDED(hr_)) CoUninitialize();
  }
  ComApartment(const ComApartment&) = delete;
  ComApartment& operator=(const ComApartment&) = delete;
  // S_OK or S_FALSE when COM is usable on this thread; RPC_E_CHANGED_MODE when the thread
  // was already single-threaded (COM still works, but this object must not uninitialise it).
  [[nodiscard]] HRESULT result() const { return hr_; }

 private:
  HRESULT hr_;
};

}  // namespace smbaudit::win
