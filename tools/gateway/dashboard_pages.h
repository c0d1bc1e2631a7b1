// dashboard_pages.h: the dashboard's HTML, server-rendered from admin
// replies (DESIGN.md "HTTP gateway and metrics"): no JavaScript, every
// value from a reply escaped (base/markup.h), Chinese labels by default
// and English with ?lang=en. A page shows exactly what the replies hold:
// the engine already cut them to what the signed-in principal may read.
// Pure: JSON in, HTML out.
#pragma once

#include <string>

#include "messages/json_text.h"

namespace af::gateway {

enum class page_lang { zh, en };

// "en" -> en; anything else zh.
page_lang lang_of(std::string_view query_value);

// The sign-in form; `error` (may be empty) says why the last try failed.
std::string signin_page(page_lang l, const std::string& error);

// Every cycle the reader may see: program, period, unit, cases, finished,
// a progress bar, a link to the cycle. `cycles` is the `cycles` reply.
std::string cycles_page(page_lang l, const msg::json& cycles);

// One cycle: its cases per state and business unit (from the `cases`
// reply, every page of it), overdue cases with whom they wait on (the
// `overdue` reply, null when the reader may not ask), tiers per unit and
// supervisors' leniency (the `report` reply, null likewise).
std::string cycle_page(page_lang l, const msg::json& cycle, const msg::json& cases,
                       const msg::json& overdue, const msg::json& report);

// One case: its items, self vs supervisor (a difference of 2 or more
// flagged), total, tier, history and the radar chart (the `case.show` reply).
std::string case_page(page_lang l, const msg::json& c);

// A page that says what went wrong (not found, forbidden, the engine away).
std::string error_page(page_lang l, unsigned status, const std::string& error);

}  // namespace af::gateway
