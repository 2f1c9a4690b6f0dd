# Strict warnings on project code; CMAKE_COMPILE_WARNING_AS_ERROR (set by every preset)
# turns them into errors in CI.
function(smbaudit_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /utf-8)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wconversion
                                             -Wsign-conversion -Wno-missing-field-initializers)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # GCC 12 reports std::optional<std::variant<...>> members as maybe-uninitialized at -O2
      # (a known false positive of its flow analysis); it would fail every optimised build.
      # Likewise -Wrestrict inside libstdc++'s std::string operator+ at -O3 (GCC PR 105651).
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized -Wno-restrict)
    endif()
  endif()
endfunction()
