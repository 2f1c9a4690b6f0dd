#ifdef _WIN32
#include "services.h"

#include <gtest/gtest.h>

#include "../win/handles.h"

namespace smbaudit::live {

using namespace win;
namespace {

TEST(ServiceState, MapsEveryDocumentedStatus) {
  EXPECT_EQ(service_state_from_status(SERVICE_STOPPED), ServiceState::Stopped);
  EXPECT_EQ(service_state_from_status(SERVICE_RUNNING), ServiceState::Running);
  EXPECT_EQ(service_state_from_status(SERVICE_PAUSED), ServiceState::Paused);
  EXPECT_EQ(service_state_from_status(0), std::nullopt);
  EXPECT_EQ(service_state_from_status(8), std::nullopt);
}

class ServiceReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scm_ = UniqueScHandle(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    ASSERT_TRUE(scm_) << GetLastError();
  }
  UniqueScHandle scm_;
};

TEST_F(ServiceReaderTest, AMissingServiceIsAbsentNotAnError) {
  ServiceReader reader(scm_.get());
  auto s = reader.read("smbaudit-no-such-service");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->presence, Presence::Absent);
  EXPECT_FALSE(s->start_type);
  EXPECT_EQ(reader.queries(), 1);
}

TEST_F(ServiceReaderTest, ReadsStartTypeAndStateOfAnInstalledService) {
  // The RPC endpoint mapper exists on every Windows (and Wine) host and is always running.
  ServiceReader reader(scm_.get());
  auto s = reader.read("RpcSs");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->presence, Presence::Present);
  ASSERT_TRUE(s->start_type);
  ASSERT_TRUE(s->state);
}

}  // namespace
}  // namespace smbaudit::live
#endif
