# Precompiled headers for the two test executables: their ~130 files all include GoogleTest,
# and most also the standard headers, fmt and nlohmann/json, which took 2 to 4 of each test
# file's 3 to 13 seconds to parse (GCC 12, debug: fleet_test.cpp 13.2 s -> 8.6 s,
# diff_test.cpp 7.5 s -> 5.4 s). The libraries do without: loading the 120 MB precompiled
# header cost their lighter files more than it saved the heavier ones (text.cpp 0.8 s ->
# 1.6 s, evaluate.cpp 6.8 s either way). -DSMBAUDIT_PCH=OFF checks that each test file
# includes what it uses. The mingw preset turns it off: MinGW-w64 GCC 12 at -O3 with the
# precompiled header reports a -Wstringop-overflow false positive inside std::string's
# operator+ (src/fleet/progress_test.cpp, '"h" + std::to_string(i)'), which it does not
# without it; warnings are errors there.
option(SMBAUDIT_PCH "Precompile the headers the test executables' files include" ON)

# smbaudit_precompiled_headers(TARGET [HEADER...]): the common set plus any extra headers.
function(smbaudit_precompiled_headers target)
  if(NOT SMBAUDIT_PCH)
    return()
  endif()
  target_precompile_headers(${target} PRIVATE <algorithm> <cstdint> <filesystem> <map> <memory> <optional>
                            <string> <string_view> <vector> <fmt/format.h> <nlohmann/json.hpp> ${ARGN})
endfunction()
