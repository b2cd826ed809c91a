#!/usr/bin/env bash
# Runs a command (a java process, started directly: not through `timeout` or a shell) and prints, after its own
# output, the CPU its threads took, grouped by thread name with digits dropped ("roadsynth-write", "GC Thread#",
# the driver's threads), from snapshots of /proc/PID/task/*/stat every 0.2 s (a thread counts with its last
# snapshot), with the system part and how long they waited runnable for a CPU (schedstat): a render thread that
# waits for a CPU is one the writers crowd out.
# For telling where a `generate` run's CPU goes beyond the writers' own figure (render, copy and packing threads,
# the fork-join pool, the collector, the JIT compilers, a driver's threads). Then the minor page faults by thread
# name and the TLB shootdowns the machine's CPUs took meanwhile (/proc/interrupts): a driver that maps and unmaps a
# readback buffer per frame makes both, and every thread of the process pays for the shootdowns. Linux only.
#   scripts/thread-cpu.sh java -jar cli/target/roadsynth-all.jar generate --count 300 --out /tmp/x
set -uo pipefail
snaps=$(mktemp)
shootdowns() { awk '/TLB shootdowns/ { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }' /proc/interrupts 2>/dev/null; }
tlb=$(shootdowns)
"$@" &
pid=$!
# LIMIT=SECONDS: kill the command after that long (a hung run must not take a GPU loan's remaining time). The
# watchdog's output goes nowhere: a sleep left holding this script's stdout would keep a pipe reading it open.
watchdog=
if [ -n "${LIMIT:-}" ]; then
  (sleep "$LIMIT"; kill -9 "$pid") >/dev/null 2>&1 &
  watchdog=$!
fi
while kill -0 "$pid" 2>/dev/null; do
  cat /proc/"$pid"/task/*/stat >> "$snaps" 2>/dev/null
  # The scheduler's time each thread spent runnable but waiting for a CPU (schedstat's second field, ns).
  for t in /proc/"$pid"/task/*; do
    read -r _ wait _ < "$t/schedstat" 2>/dev/null && echo "W ${t##*/} $wait" >> "$snaps"
  done
  sleep 0.2
done
wait "$pid"
rc=$?
tlb=$(( $(shootdowns) - tlb ))
if [ -n "$watchdog" ]; then pkill -P "$watchdog" 2>/dev/null; kill "$watchdog" 2>/dev/null; fi
# One line per thread (its last snapshot), then per name: CPU seconds, system part, time waiting for a CPU,
# threads; largest first.
awk -v hz="$(getconf CLK_TCK)" '
  $1 == "W" { waited[$2] = $3; next }
  {
    op = index($0, "("); cp = match($0, /\) [A-Za-z] /)
    if (!op || !cp) next
    name = substr($0, op + 1, cp - op - 1); gsub(/[0-9]+/, "", name)
    split(substr($0, cp + 2), f, " ")
    user[$1] = f[12]; sys[$1] = f[13]; faults[$1] = f[8]; group[$1] = name
  }
  END {
    for (t in group) { u[group[t]] += user[t]; s[group[t]] += sys[t]; w[group[t]] += waited[t]; m[group[t]] += faults[t]; n[group[t]]++ }
    for (g in u) printf "%.2f\t%.2f\t%.2f\t%s x%d\t%d\n", (u[g] + s[g]) / hz, s[g] / hz, w[g] / 1e9, g, n[g], m[g]
  }' "$snaps" | sort -t$'\t' -k1,1 -rn \
  | awk -F'\t' -v tlb="$tlb" '{ total += $1; if ($1 >= 0.05) parts = parts sprintf("; %.1f (%.1f, %.1f) %s", $1, $2, $3, $4)
        faults += $5; if ($5 >= 1000) fparts = fparts sprintf("; %d %s", $5, $4) }
      END { printf "threads'"'"' CPU, s (system part, waiting for a CPU), by name: total %.1f%s\n", total, parts
            printf "minor page faults by name: total %d%s; TLB shootdowns on all CPUs meanwhile: %d\n", faults, fparts, tlb }'
rm -f "$snaps"
exit $rc
