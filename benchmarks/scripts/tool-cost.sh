#!/usr/bin/env bash
# Whole-process cost of the hiddenspace tool's run-time compiler (README "Compile cost", RESULTS.md):
#   cold  = empty cache, new process: generate + compile + load, then train;
#   warm  = cache hit: load the cached assembly, then train;
#   reference = --engine reference, no compiler at all.
# Three builds of the tool: the plain build output (JIT, what `dotnet run` runs), a ReadyToRun publish for this
# machine (what the `-p:ReadyToRunTool=true` package installs) and a self-contained composite ReadyToRun publish (what
# the `-p:ReadyToRunTool=composite` package installs; about two minutes to build). Two data sets, written here: 1,000 rows x 30 features
# (2 classes, 1 epoch: the compile cost dominates) and 1,800 rows x 64 features (10 classes, 300 epochs).
# Usage: benchmarks/scripts/tool-cost.sh [repetitions]   (median of the repetitions; default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)

dotnet build samples/HiddenSpace.Cli -c Release >/dev/null
# Each publish in its own intermediate folder: a composite build's objects must not be reused by the other.
dotnet publish samples/HiddenSpace.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -p:IntermediateOutputPath="$work/obj-r2r/" -o "$work/r2r" >/dev/null
dotnet publish samples/HiddenSpace.Cli -c Release -r "$rid" --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
  -p:IntermediateOutputPath="$work/obj-composite/" -o "$work/composite" >/dev/null
jit="dotnet samples/HiddenSpace.Cli/bin/Release/net10.0/HiddenSpace.Cli.dll"
r2r="dotnet $work/r2r/HiddenSpace.Cli.dll"
composite="$work/composite/HiddenSpace.Cli"

# Gaussian features (Box-Muller); class c shifts features c*k mod width, so a network can learn it.
awk -v rows=1000 -v width=30 -v classes=2 -v seed=30 -f - > "$work/wide.csv" <<'AWK'
BEGIN { srand(seed); for (i = 0; i < width; i++) printf "f%d,", i; print "label";
  for (r = 0; r < rows; r++) { c = r % classes;
    for (i = 0; i < width; i++) { g = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand());
      if (i % classes == c && i < 5 * classes) g += 2; printf "%.6f,", g }
    print c } }
AWK
awk -v rows=1800 -v width=64 -v classes=10 -v seed=64 -f - > "$work/digits.csv" <<'AWK'
BEGIN { srand(seed); for (i = 0; i < width; i++) printf "f%d,", i; print "label";
  for (r = 0; r < rows; r++) { c = r % classes;
    for (i = 0; i < width; i++) { g = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand());
      if (i % classes == c) g += 2; printf "%.6f,", g }
    print c } }
AWK

# median wall seconds of $reps runs of "$@"; CACHE=fresh gives every run an empty cache
median() {
  local times=()
  for ((i = 0; i < reps; i++)); do
    local cache="$work/cache"
    [ "${CACHE:-}" = fresh ] && cache="$work/cache-$RANDOM$RANDOM"
    local start=$(date +%s.%N)
    "$@" --cache "$cache" --out "$work/out" >/dev/null
    times+=("$(awk -v from="$start" -v to="$(date +%s.%N)" 'BEGIN { print to - from }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }'
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(grep -q avx512f /proc/cpuinfo && echo AVX-512 || echo AVX2)"
for build in jit r2r composite; do
  tool=${!build}
  for set in "wide 1" "digits 300"; do
    read -r name epochs <<<"$set"
    args=(train --data "$work/$name.csv" --epochs "$epochs")
    $tool "${args[@]}" --cache "$work/cache" --out "$work/out" >/dev/null   # fills the warm cache
    reference=$(median $tool "${args[@]}" --engine reference)
    warm=$(median $tool "${args[@]}")
    cold=$(CACHE=fresh median $tool "${args[@]}")
    echo "$build $name ($epochs epochs): reference $reference s, generated warm $warm s, generated cold $cold s"
  done
done
