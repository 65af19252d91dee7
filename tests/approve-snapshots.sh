#!/usr/bin/env bash
# Approves every snapshot the last test run received: renames each *.received.txt under tests/ to
# *.approved.txt (replacing the old approved file). Use after an intended change of the generated code:
#   dotnet test tests/HiddenSpace.Gen.Generator.Tests --filter "FullyQualifiedName~Snapshots"   # fails, writes *.received.txt
#   tests/approve-snapshots.sh                                                         # approve them
#   git diff -- '*.approved.txt'                                                       # review what changed
set -euo pipefail
cd "$(dirname "$0")"
count=0
while IFS= read -r -d '' received; do
  mv -f -- "$received" "${received%.received.txt}.approved.txt"
  echo "approved ${received#./}"
  count=$((count + 1))
done < <(find . -name '*.received.txt' -not -path '*/bin/*' -not -path '*/obj/*' -print0)
echo "${count} snapshot(s) approved"
