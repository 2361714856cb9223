// Copyright (c) 2026 The ns3-ipsec authors
// SPDX-License-Identifier: GPL-2.0-only

#include "ns3/ipsec-module.h"
#include "ns3/test.h"

#include <fstream>
#include <sstream>
#include <string>

/**
 * \file
 * \ingroup ipsec
 * Checks that the model documentation lists every attribute and trace source.
 */

namespace ns3
{

namespace
{

/**
 * Reads doc/ipsec.rst, found from this file's path in the source tree.
 * \return the text, or an empty string if the file is missing
 */
std::string
ReadModelDoc()
{
    std::string source = __FILE__;
    std::string test = source.substr(0, source.find_last_of('/'));
    std::string root = test.substr(0, test.find_last_of('/'));
    std::ifstream in(root + "/doc/ipsec.rst");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

/**
 * \ingroup ipsec
 * Every attribute and trace source of the module's TypeIds appears in doc/ipsec.rst as
 * `ns3::Class::Name`, so the reference tables cannot fall behind the code.
 */
class IpsecDocListsEverythingTestCase : public TestCase
{
  public:
    IpsecDocListsEverythingTestCase()
        : TestCase("doc lists attributes and traces")
    {
    }

  private:
    void DoRun() override
    {
        std::string doc = ReadModelDoc();
        NS_TEST_ASSERT_MSG_NE(doc.size(), 0u, "doc/ipsec.rst not found next to test/");

        uint32_t checked = 0;
        for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
        {
            TypeId tid = TypeId::GetRegistered(i);
            if (tid.GetGroupName() != "Ipsec")
            {
                continue;
            }
            for (std::size_t a = 0; a < tid.GetAttributeN(); ++a)
            {
                std::string name = tid.GetName() + "::" + tid.GetAttribute(a).name;
                NS_TEST_EXPECT_MSG_NE(doc.find(name),
                                      std::string::npos,
                                      "attribute " << name << " is missing from doc/ipsec.rst");
                ++checked;
            }
            for (std::size_t t = 0; t < tid.GetTraceSourceN(); ++t)
            {
                std::string name = tid.GetName() + "::" + tid.GetTraceSource(t).name;
                NS_TEST_EXPECT_MSG_NE(doc.find(name),
                                      std::string::npos,
                                      "trace source " << name << " is missing from doc/ipsec.rst");
                ++checked;
            }
        }
        NS_TEST_ASSERT_MSG_GT(checked, 50u, "too few attributes and traces found");
    }
};

/**
 * \ingroup ipsec
 * Documentation checks.
 */
class IpsecDocTestSuite : public TestSuite
{
  public:
    IpsecDocTestSuite()
        : TestSuite("ipsec-doc", UNIT)
    {
        AddTestCase(new IpsecDocListsEverythingTestCase(), TestCase::QUICK);
    }
};

/// Registers the suite.
static IpsecDocTestSuite g_ipsecDocTestSuite;

} // namespace ns3
