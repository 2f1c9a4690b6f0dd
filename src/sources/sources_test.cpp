// The source table: each source owns its flags; one host source, any layers over it.
#include "sources.h"

#include <gtest/gtest.h>

#include <set>

#include "smbaudit/snapshot.h"
#include "support/temp_dir.h"

namespace smbaudit {
namespace {

TEST(SourceTable, EveryFlagBelongsToOneSource) {
  std::set<std::string_view> seen;
  for (const auto& source : fact_sources())
    for (const auto& flag : source.flags) {
      EXPECT_TRUE(seen.insert(flag.name).second) << flag.name << " is defined twice";
      EXPECT_TRUE(flag.name.starts_with("--")) << flag.name;
      EXPECT_FALSE(flag.help.empty()) << flag.name;
    }
  EXPECT_TRUE(seen.count("--facts") && seen.count("--system") && seen.count("--image-root") &&
              seen.count("--computer") && seen.count("--timeout"));
}

TEST(SourceTable, UsageLinesComeFromTheFlags) {
  for (const auto& source : fact_sources()) {
    if (source.name == "snapshot") {
      EXPECT_EQ(source.usage, "--facts FILE");
    } else if (source.name == "offline") {
      EXPECT_EQ(source.usage, "--system PATH --software PATH | --image-root DIR | --image FILE");
    }
  }
}

TEST(SourceTable, ASettingFlagDoesNotChooseASource) {
  SourceArgs args;
  args.set("--facts", "ws01.json");
  args.integer_slot("--timeout") = 5;
  auto selection = select_sources(args);
  ASSERT_TRUE(selection) << selection.error();
  ASSERT_NE(selection->host, nullptr);
  EXPECT_EQ(selection->host->name, "snapshot");
}

TEST(SourceTable, TwoHostSourcesCannotBeCombined) {
  SourceArgs args;
  args.set("--facts", "ws01.json").set("--system", "SYSTEM");
  auto selection = select_sources(args);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error(),
            "--facts FILE and --system PATH --software PATH | --image-root DIR | --image FILE cannot be combined: "
            "choose one fact source");
}

// A table of its own, with a layer source, shows how a layer's flags stack it over any host source.
Expected<HostSources, CollectError> open_test_snapshot(const SourceArgs& args) {
  auto source = parse_snapshot(R"({"schema": "smbaudit-facts/1", "host": {"name": "WS01"},
      "registry": {"HKLM\\SOFTWARE\\Policies\\X": {"values": {"A": {"type": "REG_DWORD", "data": 0}}}}})",
                               args.text("--test-facts"));
  if (!source) return Unexpected(source.error());
  HostSources out;
  out.push_back(std::move(*source));
  return out;
}

Expected<Layers, CollectError> open_test_layers(const SourceArgs& args) {
  Layers out;
  for (const auto& name : args.list("--test-layer")) {
    LayerEdits edits;
    edits.registry.push_back(
        {LayerAction::SetValue, "HKLM\\SOFTWARE\\Policies\\X", {"A", RegType::Dword, std::int64_t{1}}, "line 1"});
    out.push_back(make_fixed_layer(name, std::move(edits)));
  }
  return out;
}

std::vector<SourceEntry> test_table() {
  std::vector<SourceEntry> t;
  t.push_back({"test-host",
               "--test-facts FILE",
               "a test host",
               SourceAvailability::Built,
               {{"--test-facts", "FILE", "test facts"}},
               OpenHosts{open_test_snapshot}});
  t.push_back({"test-layer",
               "--test-layer NAME",
               "a test layer",
               SourceAvailability::Built,
               {{"--test-layer", "NAME", "test layer", FlagKind::TextList}},
               OpenLayers{open_test_layers}});
  return t;
}

TEST(SourceTable, ALayerSourceStacksItsLayersOverTheHostSource) {
  const auto table = test_table();
  SourceArgs args;
  args.set("--test-facts", "t.json").add("--test-layer", "GPO 'A'").add("--test-layer", "GPO 'B'");
  auto selection = select_sources(args, table);
  ASSERT_TRUE(selection) << selection.error();
  ASSERT_NE(selection->host, nullptr);
  ASSERT_EQ(selection->layers.size(), 1u);
  auto sources = open_selection(*selection, args);
  ASSERT_TRUE(sources) << sources.error().message;
  ASSERT_EQ(sources->size(), 1u);
  FactPlan plan;
  plan.registry_keys.insert("HKLM\\SOFTWARE\\Policies\\X");
  auto facts = sources->front()->collect(plan);
  ASSERT_TRUE(facts) << facts.error().message;
  auto key = facts->registry_key("HKLM\\SOFTWARE\\Policies\\X");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->find("A")->data, Value{std::int64_t{1}});
  EXPECT_EQ(key->decided_by("A")->origin.layer, "GPO 'B'") << "the last layer given wins";
}

TEST(SourceTable, LayersAloneAreRefusedNamingTheHostSourcesThatCouldCarryThem) {
  const auto table = test_table();
  SourceArgs args;
  args.add("--test-layer", "GPO 'A'");
  auto selection = select_sources(args, table);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error(), "--test-layer NAME needs a host to apply to: give one of --test-facts FILE");
  EXPECT_TRUE(any_source_given(args, table));
}

TEST(SourceTable, GpoIsALayerAndTargetAHostSource) {
  SourceArgs args;
  args.set("--target", "26100:Enterprise:workstation").add("--gpo", "a").add("--gpo", "b");
  auto selection = select_sources(args);
  ASSERT_TRUE(selection) << selection.error();
  ASSERT_NE(selection->host, nullptr);
  EXPECT_EQ(selection->host->name, "target");
  ASSERT_EQ(selection->layers.size(), 1u);
  EXPECT_EQ(selection->layers.front()->name, "gpo");
}

}  // namespace
}  // namespace smbaudit
