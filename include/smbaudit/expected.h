// A minimal expected<T, E> for failures callers should expect (C++20 has no std::expected),
// with the operations the project uses: value_or, and_then, a void form, and the TRY macros
// that pass an error up unchanged.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace smbaudit {

template <typename E>
class Unexpected {
 public:
  explicit Unexpected(E error) : error_(std::move(error)) {}
  E& error() & { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

template <typename E>
Unexpected(E) -> Unexpected<E>;

template <typename T, typename E>
class Expected {
 public:
  using value_type = T;
  using error_type = E;

  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  template <typename G>
  Expected(Unexpected<G> error)  // NOLINT(google-explicit-constructor)
      : state_(std::in_place_index<1>, E(std::move(error).error())) {}

  [[nodiscard]] bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & {
    assert(!has_value());
    return std::get<1>(state_);
  }
  const E& error() const& {
    assert(!has_value());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(state_));
  }

  // The value, or `fallback` when there is an error.
  template <typename U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }
  template <typename U>
  [[nodiscard]] T value_or(U&& fallback) && {
    return has_value() ? std::move(*this).value() : static_cast<T>(std::forward<U>(fallback));
  }

  // f(value) (itself an Expected with the same error type), or this error passed on.
  template <typename F>
  auto and_then(F&& f) && -> std::invoke_result_t<F, T&&> {
    if (!has_value()) return Unexpected(std::move(*this).error());
    return std::forward<F>(f)(std::move(*this).value());
  }
  template <typename F>
  auto and_then(F&& f) const& -> std::invoke_result_t<F, const T&> {
    if (!has_value()) return Unexpected(error());
    return std::forward<F>(f)(value());
  }

 private:
  std::variant<T, E> state_;
};

// Success without a value, or an error: for operations that only can fail.
template <typename E>
class Expected<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  Expected() = default;
  template <typename G>
  Expected(Unexpected<G> error)  // NOLINT(google-explicit-constructor)
      : error_(E(std::move(error).error())), failed_(true) {}

  [[nodiscard]] bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  void value() const { assert(has_value()); }

  E& error() & {
    assert(!has_value());
    return error_;
  }
  const E& error() const& {
    assert(!has_value());
    return error_;
  }
  E&& error() && {
    assert(!has_value());
    return std::move(error_);
  }

  template <typename F>
  auto and_then(F&& f) && -> std::invoke_result_t<F> {
    if (!has_value()) return Unexpected(std::move(error_));
    return std::forward<F>(f)();
  }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace smbaudit

#define SMBAUDIT_CONCAT_INNER(a, b) a##b
#define SMBAUDIT_CONCAT(a, b) SMBAUDIT_CONCAT_INNER(a, b)

// Evaluates `expr` (an Expected); on error returns that error from the enclosing function,
// which returns an Expected (or anything an Unexpected of the error converts to).
#define SMBAUDIT_TRY(expr)                                                                           \
  do {                                                                                               \
    auto&& smbaudit_try_result = (expr);                                                             \
    if (!smbaudit_try_result) return ::smbaudit::Unexpected(std::move(smbaudit_try_result).error()); \
  } while (false)

// Declares `decl` (e.g. `auto key`) from the value of `expr` (an Expected); on error returns
// that error from the enclosing function. It is several statements: under an `if`, use braces.
#define SMBAUDIT_TRY_ASSIGN(decl, expr) SMBAUDIT_TRY_ASSIGN_IMPL(SMBAUDIT_CONCAT(smbaudit_try_, __LINE__), decl, expr)
#define SMBAUDIT_TRY_ASSIGN_IMPL(tmp, decl, expr)                  \
  auto&& tmp = (expr);                                             \
  if (!tmp) return ::smbaudit::Unexpected(std::move(tmp).error()); \
  decl = std::move(tmp).value()
