#!/usr/bin/env bash
# Runs a command with the clock moved by libfaketime (Debian's `faketime`
# package), preloaded directly rather than through the `faketime` wrapper:
#
#   bash scripts/faketime.sh '+731d' npm test -- --jobs test:e2e,test:bun
#
# The wrapper makes a semaphore and a shared-memory object named after its
# own pid (/dev/shm/sem.faketime_sem_PID, /dev/shm/faketime_shm_PID) and
# stops with "faketime: sem_open: File exists" when a process of that pid
# left them behind. libfaketime itself makes such a pair in every process
# started without the wrapper's (tests/helpers/spawn.ts leaves it out), and
# a process that ends without running C destructors (the compiled Bun binary,
# anything killed by a signal) leaves its pair: a suite leaves about 1,600,
# and the next run on the machine meets one at its pid sooner or later. The
# library, unlike the wrapper, goes on without shared memory when its name
# is taken, and an offset such as '+731d' needs none.
#
# Before and after the run, the pairs left by processes that are gone (owned
# by this user, their pid not running) are removed, so runs do not pile
# them up.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bash scripts/faketime.sh OFFSET COMMAND [ARG...]   (OFFSET as faketime -f takes it: '+731d', '-30d', '@2030-01-01 12:00:00')" >&2
  exit 2
fi
offset=$1
shift
lib=$(dpkg -L libfaketime 2>/dev/null | grep -m1 '/libfaketime\.so\.1$' || true)
if [ -z "$lib" ] || [ ! -e "$lib" ]; then
  echo "Cannot move the clock: libfaketime.so.1 is not installed (Debian package libfaketime)" >&2
  exit 1
fi

sweep() {
  local f pid
  for f in /dev/shm/sem.faketime_sem_* /dev/shm/faketime_shm_*; do
    [ -O "$f" ] || continue
    pid=${f##*_}
    [[ $pid =~ ^[0-9]+$ ]] || continue
    kill -0 "$pid" 2>/dev/null || rm -f -- "$f"
  done
}
sweep
trap sweep EXIT
# DONT_FAKE_MONOTONIC=1: without it deno segfaults now and then (2 runs in 40).
LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME="$offset" DONT_FAKE_MONOTONIC=1 "$@"
