#!/usr/bin/env bash
# Fails, naming each file, when a C++ source is not formatted as .clang-format
# says (clang-format-14, installed by tools/setup-debian.sh).
#   tools/check-format.sh          check every source
#   tools/check-format.sh --fix    format them in place
set -euo pipefail
cd "$(dirname "$0")/.."
formatter=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$formatter" >/dev/null; then
  echo "check-format: $formatter not found (tools/setup-debian.sh installs it)" >&2
  exit 2
fi
mapfile -t files < <(find base engine messages workers tools tests fuzz \
  -path tests/fuzz -prune -o \( -name '*.cpp' -o -name '*.h' \) -print | sort)
if [ "${1:-}" = "--fix" ]; then
  "$formatter" -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  "$formatter" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  printf 'check-format: not formatted (run tools/check-format.sh --fix): %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
