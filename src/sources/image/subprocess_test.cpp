#include "subprocess.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace smbaudit::image {
namespace {

TEST(RunProcess, PassesArgumentsWithoutAShellAndCapturesBothStreams) {
  // A shell would expand $HOME and split on the space; the program gets them as given.
  auto run = run_process({"printf", "%s|%s", "$HOME", "a b"});
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_EQ(run->out, "$HOME|a b");
  EXPECT_FALSE(run->timed_out);
}

TEST(RunProcess, ReportsTheExitCodeAndStandardError) {
  auto run = run_process({"ls", "/no/such/folder/for/smbaudit"});
  ASSERT_TRUE(run) << run.error();
  EXPECT_NE(run->exit_code, 0);
  EXPECT_NE(run->err.find("/no/such/folder/for/smbaudit"), std::string::npos);
}

TEST(RunProcess, AProgramNotOnThePathIsAnErrorSayingSo) {
  auto run = run_process({"smbaudit-no-such-tool"});
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error(), "smbaudit-no-such-tool is not installed (not found on PATH)");
}

TEST(RunProcess, KillsAProgramAtItsDeadline) {
  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(200);
  const auto start = std::chrono::steady_clock::now();
  auto run = run_process({"sleep", "30"}, options);
  ASSERT_TRUE(run) << run.error();
  EXPECT_TRUE(run->timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(RunProcess, KeepsOnlyTheCapOfTheOutputButReadsItAll) {
  ProcessOptions options;
  options.max_output = 10;
  auto run = run_process({"head", "-c", "1000000", "/dev/zero"}, options);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(run->exit_code, 0);  // not blocked on a full pipe
  EXPECT_EQ(run->out.size(), 10u);
}

TEST(RunProcess, StopsAProgramWritingAFileLargerThanTheLimit) {
  test_support::TempDir dir;
  ProcessOptions options;
  options.max_file_bytes = 4096;
  auto run = run_process({"head", "-c", "100000", "/dev/zero"}, options);
  ASSERT_TRUE(run);
  EXPECT_FALSE(run->file_too_large);  // a pipe is not a file
  auto big =
      run_process({"dd", "if=/dev/zero", "of=" + (dir.path() / "big").string(), "bs=1024", "count=100"}, options);
  ASSERT_TRUE(big) << big.error();
  EXPECT_TRUE(big->file_too_large || big->exit_code != 0);
  EXPECT_LE(std::filesystem::file_size(dir.path() / "big"), 4096u);
}

TEST(RunProcess, AddsEnvironmentVariables) {
  ProcessOptions options;
  options.environment = {"SMBAUDIT_TEST_VAR=yes"};
  auto run = run_process({"printenv", "SMBAUDIT_TEST_VAR"}, options);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(run->out, "yes\n");
}

TEST(StderrLine, KeepsTheToolsErrorLinesAndDropsProgress) {
  EXPECT_EQ(stderr_line("Extracting: 10%\rExtracting: 50%\r\nERROR: \"/x\" does not exist in the WIM image\n"
                        "ERROR: Exiting with error code 68:\n       Path not found.\n"),
            "\"/x\" does not exist in the WIM image; Exiting with error code 68:");
  EXPECT_EQ(stderr_line("warning\nlast line\n\n"), "last line");
  EXPECT_EQ(stderr_line(""), "");
  EXPECT_EQ(stderr_line("ERROR: bad\x1b[31m colour"), "bad\\x1b[31m colour");
}

}  // namespace
}  // namespace smbaudit::image
