// case_record.h: the stored forms of what a case holds beyond its columns.
// SQLite keeps a review, a rater's ratings, the workflow's flags and a
// worker's result as JSON text (the shape `case show` prints); this file is
// the one place that writes and reads that text, so the case service works
// on types: ratings as whole numbers, exams as exact hundredths, figures in
// fen. Pure: no store, no clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "messages/types.h"
#include "workers/domain/rubric.h"

namespace af::engine {

// One rater's form as it is submitted: ratings 1..5 by item, exam scores,
// a comment.
struct review_form {
  std::map<std::string, int> ratings;
  std::map<std::string, rubric::exam_input> exams;  // exact hundredths
  std::optional<std::string> comment;
};

// A self or supervisor review as kept: the form, who gave it and when.
struct review_record {
  review_form form;
  std::string by, at;
};

// {"ratings": {...}, "exams": {item: 87.5 | {"parts": [[s, w], ...]}},
// "by", "at", "comment"?}.
std::string encode_review(const review_record& r);
// The record, or std::nullopt when there is none or the text is not one
// (a row written by hand). Exam numbers are read from their decimal text,
// never through binary floating point.
std::optional<review_record> decode_review(const std::optional<std::string>& text);

// A further rater's ratings (case_ratings.ratings): {"item": rating, ...}.
std::string encode_ratings(const std::map<std::string, int>& ratings);
// The ratings; an unreadable row reads as none.
std::map<std::string, int> decode_ratings(const std::string& text);

// The workflow's flags (cases.flags): a JSON array of text. Unreadable or
// absent: none.
std::vector<std::string> decode_flags(const std::optional<std::string>& text);
std::string encode_flags(const std::vector<std::string>& flags);

// The month's figures a target check used, by brand (fen).
struct brand_figures {
  std::int64_t target_fen = 0, net_fen = 0;
  bool operator==(const brand_figures&) const = default;
};
using month_figures = std::map<std::string, brand_figures>;

// A target check's stored result: {"figures": {brand: {target_fen,
// net_fen}}, "month": the worker's result object}. InvalidArgument when the
// worker's text is not UTF-8 JSON of bounded nesting or not an object.
result<std::string> encode_targets_result(const month_figures& figures,
                                          const std::string& month_json);
// The figures of a stored target-check result; std::nullopt when the case
// has none (not checked, or another program's result).
std::optional<month_figures> decode_figures(const std::optional<std::string>& result_text);

// The "outcome" member of a stored result (a certification case's); empty
// when there is none.
std::string outcome_of(const std::optional<std::string>& result_text);

// A proposal for the standard table (standard_changes.proposals): who
// proposed which level, a manager (`by`, an employee id) or an outside
// expert (`expert`, a name; `by` empty).
struct standard_proposal {
  std::string by;
  int level = 0;
  std::string expert;
  [[nodiscard]] std::string proposer() const { return expert.empty() ? by : "expert " + expert; }
};
// [{"by", "level"} or {"expert", "level"}, ...].
std::string encode_proposals(const std::vector<standard_proposal>& proposals);

// A scoring result as stored: {"items": {key: points}, "flags": [...], and
// the detail's members (required levels, gaps, area means, spreads)}.
// InvalidArgument when an item is not one of `items` (the program's
// rubric, named `program` in the message), or a flag or the detail is not
// what a worker may send: the result is input like any other.
result<std::string> encode_scoring_result(const msg::scoring_result& r,
                                          const std::set<std::string>& items,
                                          const std::string& program);

}  // namespace af::engine
