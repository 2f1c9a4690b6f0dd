# README.md, "Installing": `cmake --install BUILD --prefix PREFIX` puts a working smbaudit in
# PREFIX/bin. Run as cmake -DBUILD_DIR=... -DPREFIX=... -P install_test.cmake.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" RESULT_VARIABLE rc
                OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed (${rc})")
endif()
execute_process(COMMAND "${PREFIX}/bin/smbaudit" --version RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^smbaudit [0-9]")
  message(FATAL_ERROR "${PREFIX}/bin/smbaudit --version gave ${rc}: ${out}")
endif()
file(REMOVE_RECURSE "${PREFIX}")
