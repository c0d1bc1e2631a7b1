// store_reviews.cpp: the store's standard table of the competency model
// and the raters and ratings of multi-rater reviews
// (schemas/migrations/006_standards_and_raters.sql).
#include "engine/store.h"

namespace af::engine {

std::map<std::pair<std::string, int>, int> store::standard_levels(const std::string& program) {
  auto& s = stmt("SELECT item, grade, level FROM standard_levels WHERE program = ?1");
  s.bind(1, program);
  std::map<std::pair<std::string, int>, int> out;
  while (s.step()) out[{s.text(0), s.integer(1)}] = s.integer(2);
  return out;
}

void store::set_standard_level(const std::string& program, const std::string& item, int grade,
                               int level) {
  stmt(
      "INSERT INTO standard_levels (program, item, grade, level) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (program, item, grade) DO UPDATE SET level = excluded.level")
      .bind(1, program)
      .bind(2, item)
      .bind(3, grade)
      .bind(4, level)
      .run();
}

void store::add_standard_change(const std::string& program, const standard_change& c) {
  stmt(
      "INSERT INTO standard_adjustments (program, business_year, item, grade, proposals, mean, "
      "before_level, "
      "after_level, adjusted_by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
      .bind(1, program)
      .bind(2, c.business_year)
      .bind(3, c.item)
      .bind(4, c.grade)
      .bind(5, c.proposals_json)
      .bind(6, c.mean)
      .bind(7, c.before)
      .bind(8, c.after)
      .bind(9, c.by)
      .bind(10, c.at)
      .run();
}

std::vector<store::standard_change> store::standard_changes(const std::string& program) {
  auto& s = stmt(
      "SELECT item, grade, proposals, mean, before_level, after_level, adjusted_by, at, "
      "business_year "
      "FROM standard_adjustments WHERE program = ?1 ORDER BY id");
  s.bind(1, program);
  std::vector<standard_change> out;
  while (s.step())
    out.push_back({s.text(0), s.integer(1), s.text(2), s.int64(3), s.integer(4), s.integer(5),
                   s.text(6), s.text(7), s.integer(8)});
  return out;
}

bool store::add_rater(std::int64_t case_id, const rater_row& r) {
  stmt(
      "INSERT OR IGNORE INTO case_raters (case_id, rater, name, added_by, added_at) VALUES (?1, "
      "?2, ?3, ?4, ?5)")
      .bind(1, case_id)
      .bind(2, r.rater)
      .bind(3, r.name)
      .bind(4, r.added_by)
      .bind(5, r.added_at)
      .run();
  return db_.changes() > 0;
}

std::vector<store::rater_row> store::raters(std::int64_t case_id) {
  auto& s = stmt(
      "SELECT rater, name, added_by, added_at FROM case_raters WHERE case_id = ?1 ORDER BY "
      "added_at, rater");
  s.bind(1, case_id);
  std::vector<rater_row> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

void store::set_rating(std::int64_t case_id, const rating_row& r) {
  stmt(
      "INSERT INTO case_ratings (case_id, rater, ratings, comment, at) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (case_id, rater) DO UPDATE SET ratings = excluded.ratings, comment = "
      "excluded.comment, at = excluded.at")
      .bind(1, case_id)
      .bind(2, r.rater)
      .bind(3, r.ratings_json)
      .bind(4, r.comment)
      .bind(5, r.at)
      .run();
}

std::vector<store::rating_row> store::ratings(std::int64_t case_id) {
  auto& s = stmt(
      "SELECT rater, ratings, at, comment FROM case_ratings WHERE case_id = ?1 ORDER BY rater");
  s.bind(1, case_id);
  std::vector<rating_row> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.opt_text(3)});
  return out;
}

}  // namespace af::engine
