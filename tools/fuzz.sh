#!/usr/bin/env bash
# Runs one libFuzzer target (fuzz/TARGET.cpp) with AddressSanitizer and
# UBSan for SECONDS; see README "Fuzzing" and tools/fuzz.sh -h.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

usage() {
  cat <<'EOF'
usage: tools/fuzz.sh TARGET SECONDS [-- LIBFUZZER_FLAG...]
       tools/fuzz.sh --list
       tools/fuzz.sh -h | --help

Builds the libFuzzer build in build-fuzz/ if needed (Debian's clang-14 and
libclang-rt-14-dev, installed with apt-get when missing; -DASSESSFLOW_FUZZ=ON:
every library with coverage, AddressSanitizer and UBSan, any UBSan report a
crash), then fuzzes TARGET for SECONDS at nice 19, one process.

The run starts from a scratch copy of the seed corpus fuzz/corpus/TARGET/
and the regression inputs tests/fuzz/TARGET/ (the repository's copies are
never written), in build-fuzz/runs/TARGET-TIME/: corpus/ (what the run
grew), artifacts/ (crash-*, timeout-*, oom-*, leak-* inputs) and fuzz.log.
fuzz/dict/TARGET.dict is passed as -dict when it exists.

At the end it prints executions, exec/s, the final coverage (cov: edges,
ft: features, from libFuzzer's last status line), the corpus size and every
finding's path. Exit status: 0 no finding, 1 a finding, 2 bad usage or a
failed build.

A finding: reproduce it with build-fuzz/fuzz/fuzz_TARGET FILE, fix it, and
copy FILE to tests/fuzz/TARGET/ under a name that says what it broke: the
normal test run (ctest fuzz_replay_TARGET) replays it from then on.

Environment: FUZZ_JOBS (build jobs, 2), FUZZ_TIMEOUT (seconds one input
may take before it counts as a finding, 25), FUZZ_RSS_MB (memory limit,
2048), FUZZ_MAX_LEN (largest input, libFuzzer's default when unset).
Anything after -- goes to libFuzzer as it is (e.g. -- -seed=1).
EOF
}

targets() {
  for f in fuzz/*.cpp; do
    t=$(basename "$f" .cpp)
    [ "$t" = replay_main ] || echo "$t"
  done
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --list) targets; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac
target=$1
seconds=${2:-}
shift $(( $# >= 2 ? 2 : $# ))
if [ "${1:-}" = "--" ]; then shift; fi
if ! grep -qx -- "$target" <<<"$(targets)"; then
  echo "fuzz.sh: unknown target \"$target\"; one of: $(targets | tr '\n' ' ')" >&2
  exit 2
fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz.sh: SECONDS must be a whole number of seconds above 0" >&2
  exit 2
fi

# Debian's clang-14 and its libFuzzer runtime.
missing=()
command -v clang++-14 >/dev/null || missing+=(clang-14)
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" || missing+=(libclang-rt-14-dev)
if ((${#missing[@]})); then
  echo "fuzz.sh: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

build=$root/build-fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  nice -n 10 cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 \
    -DASSESSFLOW_FUZZ=ON -DASSESSFLOW_TESTS=OFF -DASSESSFLOW_TOOLS=OFF >/dev/null || exit 2
fi
nice -n 10 cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "fuzz_$target" || exit 2

run=$build/runs/$target-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run/corpus" "$run/artifacts"
for d in "fuzz/corpus/$target" "tests/fuzz/$target"; do
  [ -d "$d" ] && find "$d" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$run/corpus/" \;
done
seeds=$(find "$run/corpus" -type f | wc -l)
flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout="${FUZZ_TIMEOUT:-25}"
       -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -artifact_prefix="$run/artifacts/")
[ -n "${FUZZ_MAX_LEN:-}" ] && flags+=(-max_len="$FUZZ_MAX_LEN")
[ -f "fuzz/dict/$target.dict" ] && flags+=(-dict="fuzz/dict/$target.dict")

echo "fuzz.sh: $target for ${seconds}s from $seeds seeds; log $run/fuzz.log" >&2
set +e
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  nice -n 19 "$build/fuzz/fuzz_$target" "${flags[@]}" "$@" "$run/corpus" >"$run/fuzz.log" 2>&1
rc=$?
set -e

stat() { sed -n "s/^stat::$1: *//p" "$run/fuzz.log" | tail -1; }
last=$(grep -E '^#[0-9]+.*cov: ' "$run/fuzz.log" | tail -1 || true)
field() { sed -n "s/.* $1: \([^ ]*\).*/\1/p" <<<"$last"; }
execs=$(stat number_of_executed_units)
[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
findings=$(find "$run/artifacts" -type f | sort)

echo "target:      $target"
echo "seconds:     $seconds"
echo "executions:  ${execs:-?}"
echo "exec/s:      $(stat average_exec_per_sec)"
echo "cov:         $(field cov)"
echo "ft:          $(field ft)"
echo "corpus:      $(field corp) ($(find "$run/corpus" -type f | wc -l) files in $run/corpus, from $seeds seeds)"
echo "peak rss:    $(stat peak_rss_mb) MB"
if [ -n "$findings" ] || [ "$rc" -ne 0 ]; then
  echo "findings:"
  if [ -n "$findings" ]; then sed 's/^/  /' <<<"$findings"; else echo "  none written; libFuzzer exited $rc"; fi
  grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz invariant broken|terminate called)' "$run/fuzz.log" | head -5 | sed 's/^/  /'
  echo "log:         $run/fuzz.log"
  exit 1
fi
echo "findings:    none"
