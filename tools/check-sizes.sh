#!/usr/bin/env bash
# Reports what is too big to read at once (issue 12, "Sizes"): a source
# file outside tests/ over 500 lines, and a function over 60 lines
# (clang-tidy-14's readability-function-size, over the compile commands of
# BUILD, default build/). Exit 1 when anything is over, 0 when nothing is.
#   tools/check-sizes.sh [BUILD [PATH...]]   both checks (PATHs: folders or
#                                           files; default the whole tree)
#   SIZES_FILES_ONLY=1 tools/check-sizes.sh   the file check alone (fast)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(base engine messages workers tools fuzz)
max_file_lines=500
max_function_lines=60
over=0

while read -r lines file; do
  [ "$file" = total ] && continue
  if ((lines > max_file_lines)); then
    echo "$file: $lines lines (at most $max_file_lines)"
    over=1
  fi
done < <(find "${paths[@]}" \( -name '*.cpp' -o -name '*.h' \) -print0 |
         xargs -0 wc -l | sort -n)

if [ -z "${SIZES_FILES_ONLY:-}" ]; then
  tidy=${CLANG_TIDY:-clang-tidy-14}
  if ! command -v "$tidy" >/dev/null; then
    echo "check-sizes: $tidy not found (apt-get install clang-tidy-14)" >&2
    exit 2
  fi
  if [ ! -f "$build/compile_commands.json" ]; then
    echo "check-sizes: no $build/compile_commands.json (configure with cmake -S . -B $build)" >&2
    exit 2
  fi
  config="{Checks: '-*,readability-function-size', CheckOptions: [
    {key: readability-function-size.LineThreshold, value: $max_function_lines}]}"
  mapfile -t sources < <(find "${paths[@]}" -name '*.cpp' | sort)
  # A warning names the function; the note after it gives its lines.
  report=$(nice -n 10 "$tidy" -p "$build" --quiet --config="$config" "${sources[@]}" 2>/dev/null |
           awk -v root="$(pwd)/" '
             /warning: function .* exceeds recommended size/ {
               split($0, at, ":"); name = $0
               sub(/^[^\x27]*\x27/, "", name); sub(/\x27.*/, "", name)
               where = at[1] ":" at[2]; sub(root, "", where) }
             /note: [0-9]+ lines including/ && where != "" {
               n = $0; sub(/.*note: /, "", n); sub(/ lines.*/, "", n)
               print where ": " name ": " n " lines"; where = "" }' | sort -u)
  if [ -n "$report" ]; then
    echo "$report"
    echo "check-sizes: $(wc -l <<<"$report") functions over $max_function_lines lines"
    over=1
  fi
fi
exit $over
