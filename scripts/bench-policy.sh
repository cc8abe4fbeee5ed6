# SPDX-License-Identifier: Apache-2.0
# Sourced by the bench scripts (not a bench itself: bench.sh runs only
# scripts/bench_*.sh): the 6-rule policy every sandboxed row applies, as a
# SANDBOXEC_FS value (fs6) and as CLI flags (flags6). Needs $helpers, so
# the timing helper itself may be executed under the policy.
rules=(rx:/usr r:/etc rw:/tmp r:/proc rw:/dev/null "rx:$helpers")
fs6=$(IFS=,; echo "${rules[*]}")
flags6=()
for r in "${rules[@]}"; do flags6+=(--fs "$r"); done
