// render.h: the human-readable output of each assessctl command.
#pragma once

#include <string>

#include "messages/json_text.h"

namespace af::tools {

std::string render_cases(const msg::json& reply);
std::string render_case(const msg::json& c);
std::string render_stats(const msg::json& s);
std::string render_sales(const msg::json& s);
std::string render_score(const msg::json& s);
std::string render_bulk(const msg::json& r);
std::string render_overdue(const msg::json& r);
std::string render_standards(const msg::json& r);
std::string render_report(const msg::json& r);
// One row per figure: section,group,key,value (RFC 4180 quoting).
std::string render_report_csv(const msg::json& r);

}  // namespace af::tools
