// year_data.h: the organisation and the year of events of the simulated
// year (year_test.cpp), designed so that every figure the test asserts can
// be worked out by hand from DOMAIN.md and the shipped rule files.
//
// Two business units: 华东事业部 (supervisor S1: E1, E2, E3) and 华北事业部
// (supervisor S2: E4, E5, E6); HRBP B1, HR H1, chairman C1. One brand
// (yanghe), a target of 10,000,000 fen every month of 2025 and 2026. Net
// sales per month (fen) and customers (A, B: bought in 2025; N: new):
//
//   E1 g3  2025 10.0M (A, B)       2026 12.0M (A, B, a new customer a month)
//   E2 g3  2025 10.0M (A, B)       2026 10.0M (A, B); a complaint in May
//   E3 g3  2025 10.0M (A)          2026  9.0M (A, a new customer a quarter)
//   E4 g4  2025  8.0M (A, B)       2026 10.0M (A, B); 2 complaints in August
//   E5 g3  joined 2026-01-05       2026 11.0M (a new customer a quarter)
//   E6 g3  2025 10.0M (A, B)       2026 10.5M (A, B; 2 new customers in May);
//                                  promoted to grade 2 in July 2026
#pragma once

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace af::test::year {

const std::vector<std::string>& managers();  // E1..E6
// The keys of a program's rated items, from its shipped rubric.
std::vector<std::string> rated_items(const std::string& program);

// The org CSV as HR imports it on `date` ("2025-12-29", "2026-01-30" adds
// E5, "2026-07-30" promotes E6 to grade 2).
std::string org_csv(const std::string& date);

// Every event of one month (targets, sales, complaints), dated in it.
json events_of_month(int year, int month);

// What people enter, per manager.
json supervisor_appraisal(const std::string& e, const std::string& quarter);  // pq and py
json competency_model_ratings(const std::string& e, int year);
json competency_model_exams(const std::string& e, int year);

}  // namespace af::test::year
